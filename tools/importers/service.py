"""One import, all or nothing: read a provider file, refuse id clashes, then write it beside the catalogue."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

import yaml

from domain.catalogue import Catalogue
from domain.knowledge_base import KnowledgeBase
from domain.models import MicroCredential
from tools.importers import ImportError_, ImportIssue
from tools.importers.csv_catalogue import read_catalogue_csv
from tools.importers.elm import parse_elm
from tools.importers.openbadges import parse_open_badge

Format = Literal["csv", "elm", "badge"]
READERS = {"csv": read_catalogue_csv, "elm": parse_elm, "badge": parse_open_badge}
ID_PREFIX = {"csv": None, "elm": "elm", "badge": "ob"}


def import_credentials(
    *,
    raw: bytes,
    format: Format,
    name: str,
    kb: KnowledgeBase,
    catalogue: Catalogue,
    catalogue_dir: Path,
    dry_run: bool = False,
) -> tuple[list[MicroCredential], Path | None]:
    """The credentials read and the file written (None on a dry run); ImportError_ when nothing was imported."""
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", Path(name).stem)[:60] or "upload"
    prefix = ID_PREFIX[format]
    credentials = READERS[format](raw, kb=kb, **({"id_prefix": f"{prefix}-{stem}"} if prefix else {}))
    clashes = [c.id for c in credentials if c.id in catalogue.credentials]
    if clashes:
        raise ImportError_([ImportIssue(where="id", message=f"already in the catalogue: {c}") for c in clashes])
    if dry_run:
        return credentials, None
    target = catalogue_dir / f"credentials_imported_{format}_{stem}.yaml"
    draft = target.with_suffix(".tmp")
    draft.write_text(
        yaml.safe_dump([c.model_dump(mode="json") for c in credentials], allow_unicode=True, sort_keys=False),
        encoding="utf-8",
    )
    draft.replace(target)
    return credentials, target
