"""Writes a tiny ESCO-shaped CSV export and curated folder for builder tests."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

from domain.settings import PROJECT_ROOT

SKILL = "http://data.europa.eu/esco/skill/"
OCC = "http://data.europa.eu/esco/occupation/"
GROUP = "http://data.europa.eu/esco/skill/group-"

SKILLS = {
    "plc": ("program PLCs", "skill/competence", "sector-specific", "configure PLC\nwrite PLC code"),
    "robot": ("maintain robotic equipment", "skill/competence", "occupation-specific", "service robots"),
    "drawings": ("read engineering drawings", "skill/competence", "cross-sector", ""),
    "quality": ("quality standards", "knowledge", "cross-sector", ""),
    "team": ("work in teams", "skill/competence", "transversal", ""),
    "weld": ("use welding equipment", "skill/competence", "sector-specific", ""),
    "green": ("reduce energy use", "skill/competence", "cross-sector", ""),
    "orphan": ("sing opera", "skill/competence", "occupation-specific", ""),
}
OCCUPATIONS = {
    # key: (title, isco, essential skills, optional skills)
    "assembler": ("robot assembler", "8211", ["drawings", "quality", "robot"], ["team"]),
    "technician": ("robotics maintenance technician", "3119", ["robot", "plc", "drawings", "quality"], ["team"]),
    "engineer": ("robotics engineer", "2149", ["robot", "plc", "quality"], ["drawings"]),
    "singer": ("opera singer", "2652", ["orphan"], []),
    "welder": ("welder", "7212", ["weld", "quality"], ["drawings"]),
}


def _write(path: Path, header: list[str], rows: list[list[str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)


def write_export(root: Path) -> Path:
    _write(
        root / "en/skills_en.csv",
        [
            "conceptType",
            "conceptUri",
            "skillType",
            "reuseLevel",
            "preferredLabel",
            "altLabels",
            "status",
            "description",
        ],
        [
            ["KnowledgeSkillCompetence", SKILL + k, t, r, label, alts, "released", f"About {label}."]
            for k, (label, t, r, alts) in SKILLS.items()
        ],
    )
    _write(
        root / "en/occupations_en.csv",
        ["conceptType", "conceptUri", "iscoGroup", "preferredLabel", "altLabels", "status", "description"],
        [
            ["Occupation", OCC + k, isco, title, "", "released", f"{title.capitalize()}s do things."]
            for k, (title, isco, _, _) in OCCUPATIONS.items()
        ],
    )
    _write(
        root / "en/skillGroups_en.csv",
        ["conceptType", "conceptUri", "preferredLabel", "status", "code"],
        [["SkillGroup", GROUP + "auto", "automation technology", "released", "S1"]],
    )
    _write(
        root / "en/ISCOGroups_en.csv",
        ["conceptType", "conceptUri", "code", "preferredLabel"],
        [["ISCOGroup", "http://data.europa.eu/esco/isco/C8211", "8211", "Mechanical machinery assemblers"]],
    )
    _write(
        root / "relations/occupationSkillRelations.csv",
        ["occupationUri", "relationType", "skillType", "skillUri"],
        [
            [OCC + k, rel, "", SKILL + s]
            for k, (_, _, ess, opt) in OCCUPATIONS.items()
            for rel, skills in (("essential", ess), ("optional", opt))
            for s in skills
        ],
    )
    _write(
        root / "relations/broaderRelationsSkillPillar.csv",
        ["conceptType", "conceptUri", "broaderType", "broaderUri"],
        [["KnowledgeSkillCompetence", SKILL + "plc", "SkillGroup", GROUP + "auto"]],
    )
    _write(
        root / "relations/broaderRelationsOccPillar.csv", ["conceptType", "conceptUri", "broaderType", "broaderUri"], []
    )
    collection_header = ["conceptType", "conceptUri", "preferredLabel", "status"]
    _write(root / "en/transversalSkillsCollection_en.csv", collection_header, [["K", SKILL + "team", "", "released"]])
    _write(root / "en/greenSkillsCollection_en.csv", collection_header, [["K", SKILL + "green", "", "released"]])
    _write(root / "en/digitalSkillsCollection_en.csv", collection_header, [])
    _write(root / "en/digCompSkillsCollection_en.csv", collection_header, [])
    _write(
        root / "es/v1.0/skills_es.csv",
        ["conceptType", "conceptUri", "preferredLabel", "altLabels"],
        [["K", SKILL + "plc", "programar PLC", ""]],
    )
    return root


def write_curated(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy(PROJECT_ROOT / "data/curated/proficiency_levels.yaml", root / "proficiency_levels.yaml")
    names = {lang: f"Robotica {lang}" for lang in ("en", "es", "fr", "it", "tr", "sl")}
    area = {
        "id": "robotics",
        "names": names,
        "descriptions": names,
        "examples": {lang: ["robot"] for lang in names},
        "skill_keywords": ["robot", "plc"],
        "occupation_keywords": ["robot"],
    }
    import yaml

    (root / "interest_areas.yaml").write_text(yaml.safe_dump([area]), encoding="utf-8")
    (root / "skills_it.tsv").write_text(
        f"uri\ten\tlabel\talt\n{SKILL}plc\tprogram PLCs\tprogrammare PLC\t"
        "programmazione PLC | Programmare  PLC | |programmazione di automi\n",
        encoding="utf-8",
    )
    (root / "jobs_sl.tsv").write_text(f"uri\ten\tlabel\n{OCC}welder\twelder\tvarilec\n", encoding="utf-8")
    return root
