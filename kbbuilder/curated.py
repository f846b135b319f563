"""Curated files under data/curated: labels in it/sl/tr, interest areas, proficiency levels."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import yaml

from domain.languages import CURATED_LANGS, LANGS

ALT_SEPARATOR = "|"


@dataclass(frozen=True)
class CuratedLabel:
    uri: str
    english: str
    label: str
    alts: tuple[str, ...] = ()


def read_label_table(path: Path) -> dict[str, CuratedLabel]:
    """A TSV with columns uri, en, label and optionally alt (alternative labels separated by "|"); the English
    column detects stale rows after an ESCO update."""
    if not path.is_file():
        return {}
    out: dict[str, CuratedLabel] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        for line_no, row in enumerate(csv.DictReader(fh, delimiter="\t"), start=2):
            uri, en, label, alt = (row.get(k, "") or "" for k in ("uri", "en", "label", "alt"))
            if not uri.strip() or not label.strip():
                raise ValueError(f"{path}:{line_no}: empty uri or label")
            label = " ".join(label.split())
            alts = (" ".join(a.split()) for a in alt.split(ALT_SEPARATOR))
            alts = tuple(dict.fromkeys(a for a in alts if a and a.casefold() != label.casefold()))
            out[uri.strip()] = CuratedLabel(uri.strip(), en.strip(), label, alts)
    return out


def read_curated_labels(curated_dir: Path, kind: str) -> dict[str, dict[str, CuratedLabel]]:
    """{lang: {uri: label}} for the curated languages; kind is 'skills' or 'jobs'."""
    return {lang: read_label_table(curated_dir / f"{kind}_{lang}.tsv") for lang in CURATED_LANGS}


def read_yaml(path: Path):
    with path.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def require_all_languages(record: dict, field: str, where: str) -> dict:
    values = record.get(field) or {}
    missing = [lang for lang in LANGS if not values.get(lang)]
    if missing:
        raise ValueError(f"{where}: field {field!r} lacks {', '.join(missing)}")
    return values
