"""The micro-credential catalogue (data/catalogue/credentials*.yaml): loader and integrity check."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from domain.knowledge_base import KnowledgeBase
from domain.models import MicroCredential

ILLUSTRATIVE_NOTICE = "Illustrative catalogue: invented courses and providers, for demonstration only."


class CatalogueError(ValueError):
    """The catalogue file is missing, unreadable or refers to unknown skills."""


class Catalogue(BaseModel):
    model_config = ConfigDict(frozen=True)

    credentials: dict[str, MicroCredential]

    @cached_property
    def teaching(self) -> dict[str, list[MicroCredential]]:
        """skill URI -> credentials that teach it."""
        out: dict[str, list[MicroCredential]] = {}
        for cred in self.credentials.values():
            for outcome in cred.skills:
                out.setdefault(outcome.skill_uri, []).append(cred)
        return out

    def integrity_errors(self, kb: KnowledgeBase) -> list[str]:
        errors = []
        for cid, cred in self.credentials.items():
            errors += [
                f"credential {cid}: unknown skill {o.skill_uri}"
                for o in (*cred.skills, *cred.prerequisites)
                if o.skill_uri not in kb.skills
            ]
            if not cred.skills:
                errors.append(f"credential {cid}: teaches no skill")
        return errors


def read_catalogue(folder: Path, kb: KnowledgeBase) -> Catalogue:
    """Every credentials*.yaml file of the folder, validated together."""
    paths = sorted(folder.glob("credentials*.yaml"))
    if not paths:
        raise CatalogueError(f"no catalogue (credentials*.yaml) in {folder}")
    credentials: dict[str, MicroCredential] = {}
    errors = []
    for path in paths:
        try:
            with path.open(encoding="utf-8") as fh:
                records = yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or []
        except (OSError, yaml.YAMLError) as exc:
            raise CatalogueError(f"cannot read catalogue {path}: {exc}") from exc
        for n, record in enumerate(records, start=1):
            try:
                cred = MicroCredential.model_validate(record)
            except ValidationError as exc:
                errors.append(f"{path.name} item {n}: {exc}")
                continue
            if cred.id in credentials:
                errors.append(f"{path.name} item {n}: duplicate id {cred.id}")
            credentials[cred.id] = cred
    catalogue = Catalogue(credentials=credentials)
    errors += catalogue.integrity_errors(kb)
    if errors:
        raise CatalogueError(f"catalogue {folder} has {len(errors)} error(s):\n  " + "\n  ".join(errors[:20]))
    return catalogue


_cache: dict[Path, Catalogue] = {}


def get_catalogue(kb: KnowledgeBase, path: Path | None = None) -> Catalogue:
    if path is None:
        from domain.settings import get_settings

        path = get_settings().catalogue_dir
    if path not in _cache:
        _cache[path] = read_catalogue(path, kb)
    return _cache[path]
