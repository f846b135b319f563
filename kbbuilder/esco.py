"""Readers for the ESCO v1.1.1 CSV export (and the older fr/es label files)."""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

csv.field_size_limit(sys.maxsize)


def read_rows(path: Path) -> Iterator[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            yield {k: (v or "") for k, v in row.items() if k}


def split_labels(raw: str) -> tuple[str, ...]:
    """ESCO packs alternative labels one per line (collections use ' | ')."""
    parts = raw.replace(" | ", "\n").split("\n")
    seen: dict[str, None] = {}
    for part in parts:
        text = " ".join(part.split())
        if text:
            seen.setdefault(text, None)
    return tuple(seen)


@dataclass
class EscoConcept:
    uri: str
    label_en: str
    alt_en: tuple[str, ...]
    description: str
    kind: str = ""  # skill type, or ISCO group for occupations
    reuse_level: str = ""
    labels: dict[str, str] = field(default_factory=dict)  # other languages
    alts: dict[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass
class EscoExport:
    skills: dict[str, EscoConcept]
    occupations: dict[str, EscoConcept]
    skill_groups: dict[str, EscoConcept]
    isco_labels: dict[str, str]
    relations: list[tuple[str, str, str]]  # occupation, essential|optional, skill
    skill_broader: dict[str, list[str]]
    occupation_broader: dict[str, list[str]]
    collections: dict[str, set[str]]


COLLECTIONS = {
    "transversal": "transversalSkillsCollection_en.csv",
    "digital": "digitalSkillsCollection_en.csv",
    "green": "greenSkillsCollection_en.csv",
    "digcomp": "digCompSkillsCollection_en.csv",
}

FOREIGN_SKILL_FILES = {"fr": "fr/v1.0/skills_fr.csv", "es": "es/v1.0/skills_es.csv"}
FOREIGN_OCCUPATION_FILES = {"fr": "fr/v1.1.1/occupations_fr.csv", "es": "es/v1.0/occupations_es.csv"}
FOREIGN_GROUP_FILES = {"fr": "fr/v1.1.1/skillGroups_fr.csv"}


def _concepts(path: Path, *, kind_col: str) -> dict[str, EscoConcept]:
    return {
        row["conceptUri"]: EscoConcept(
            uri=row["conceptUri"],
            label_en=row["preferredLabel"].strip(),
            alt_en=split_labels(row.get("altLabels", "")),
            description=" ".join(row.get("description", "").split()),
            kind=row.get(kind_col, ""),
            reuse_level=row.get("reuseLevel", ""),
        )
        for row in read_rows(path)
        if row.get("status", "released") == "released"
    }


def _add_foreign(concepts: dict[str, EscoConcept], root: Path, files: dict[str, str]) -> None:
    for lang, rel in files.items():
        path = root / rel
        if not path.is_file():
            continue
        for row in read_rows(path):
            concept = concepts.get(row["conceptUri"])
            label = row.get("preferredLabel", "").strip()
            if concept and label:
                concept.labels[lang] = label
                concept.alts[lang] = split_labels(row.get("altLabels", ""))


def read_export(root: Path) -> EscoExport:
    if not (root / "en" / "skills_en.csv").is_file():
        raise FileNotFoundError(f"no ESCO export at {root} (expected en/skills_en.csv)")
    skills = _concepts(root / "en" / "skills_en.csv", kind_col="skillType")
    occupations = _concepts(root / "en" / "occupations_en.csv", kind_col="iscoGroup")
    groups = _concepts(root / "en" / "skillGroups_en.csv", kind_col="code")
    _add_foreign(skills, root, FOREIGN_SKILL_FILES)
    _add_foreign(occupations, root, FOREIGN_OCCUPATION_FILES)
    _add_foreign(groups, root, FOREIGN_GROUP_FILES)
    isco = {row["code"]: row["preferredLabel"] for row in read_rows(root / "en" / "ISCOGroups_en.csv")}
    relations = [
        (r["occupationUri"], r["relationType"], r["skillUri"])
        for r in read_rows(root / "relations" / "occupationSkillRelations.csv")
    ]
    skill_broader: dict[str, list[str]] = {}
    for r in read_rows(root / "relations" / "broaderRelationsSkillPillar.csv"):
        skill_broader.setdefault(r["conceptUri"], []).append(r["broaderUri"])
    occ_broader: dict[str, list[str]] = {}
    for r in read_rows(root / "relations" / "broaderRelationsOccPillar.csv"):
        if r["conceptType"] == "Occupation" and r["broaderType"] == "Occupation":
            occ_broader.setdefault(r["conceptUri"], []).append(r["broaderUri"])
    collections = {
        name: {r["conceptUri"] for r in read_rows(root / "en" / fname)} for name, fname in COLLECTIONS.items()
    }
    return EscoExport(skills, occupations, groups, isco, relations, skill_broader, occ_broader, collections)
