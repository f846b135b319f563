"""The catalogue CSV a provider fills in by hand: reader (all-or-nothing) and writer (round-trips).

Columns (UTF-8, comma-separated, one credential a row):
  id, title_<lang> and summary_<lang> for en es fr it tr sl (title_en required), provider, country (ISO
  alpha-2), city, languages (codes separated by ";"), mode (online | hybrid | in-person), eqf (1-8), ects
  (>= 0), workload_hours, duration_weeks, learning_outcomes (separated by " | "), skills and prerequisites
  ("ESCO-URI=level" separated by ";"), assessment, quality_assurance, stackable_qualification,
  stackable_eqf, price_eur (empty = unknown), url.
A cell may not start with = + - @ (spreadsheet formula injection); the reader rejects such cells.
"""

from __future__ import annotations

import csv
import io
import re

from pydantic import ValidationError

from domain.knowledge_base import KnowledgeBase
from domain.languages import LANGS
from domain.models import MicroCredential
from tools.importers import ImportError_, ImportIssue

MAX_BYTES = 20 * 2**20
COLUMNS = (
    ["id"]
    + [f"title_{lang}" for lang in LANGS]
    + [f"summary_{lang}" for lang in LANGS]
    + [
        "provider",
        "country",
        "city",
        "languages",
        "mode",
        "eqf",
        "ects",
        "workload_hours",
        "duration_weeks",
        "learning_outcomes",
        "skills",
        "prerequisites",
        "assessment",
        "quality_assurance",
        "stackable_qualification",
        "stackable_eqf",
        "price_eur",
        "url",
    ]
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_OUTCOME_SEPARATOR = " | "
MAX_CELL_CHARS = 20_000
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _rows(reader: csv.DictReader):
    try:
        yield from reader
    except csv.Error as exc:  # a cell over the csv module's field limit (128 KB)
        issue = ImportIssue(where=f"line {reader.line_num}", message=f"not readable as CSV: {exc}")
        raise ImportError_([issue]) from exc


def _outcomes_field(value: str, where: str, issues: list[ImportIssue], kb: KnowledgeBase) -> list[dict]:
    out = []
    for part in filter(None, (p.strip() for p in value.split(";"))):
        uri, _, level = part.rpartition("=")
        if not uri or not level.strip().isdigit():
            issues.append(ImportIssue(where=where, message=f"{part!r} is not URI=level"))
            continue
        if uri not in kb.skills:
            issues.append(ImportIssue(where=where, message=f"unknown ESCO skill {uri!r}"))
            continue
        out.append({"skill_uri": uri, "level": int(level)})
    return out


def read_catalogue_csv(raw: bytes, *, kb: KnowledgeBase) -> list[MicroCredential]:
    if len(raw) > MAX_BYTES:
        raise ImportError_([ImportIssue(where="file", message=f"larger than {MAX_BYTES // 2**20} MB")])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportError_([ImportIssue(where="file", message="not UTF-8 text")]) from exc
    reader = csv.DictReader(io.StringIO(text, newline=""))
    missing = [
        c
        for c in ("id", "title_en", "provider", "country", "languages", "mode", "eqf", "ects", "skills")
        if c not in (reader.fieldnames or [])
    ]
    if missing:
        raise ImportError_([ImportIssue(where="header", message=f"missing column(s): {', '.join(missing)}")])
    issues: list[ImportIssue] = []
    credentials: list[MicroCredential] = []
    seen: set[str] = set()
    for row in _rows(reader):
        line = reader.line_num
        row = {k: (v or "").strip() for k, v in row.items() if k}
        for column, value in row.items():
            if value.startswith(_FORMULA_START):
                issues.append(
                    ImportIssue(
                        where=f"line {line}, column {column}", message="starts with a formula character (= + - @)"
                    )
                )
            elif _CONTROL.search(value):
                issues.append(ImportIssue(where=f"line {line}, column {column}", message="holds a control character"))
            elif len(value) > MAX_CELL_CHARS:  # our own bound: the csv module's limit is process-wide and may be lifted
                issues.append(
                    ImportIssue(
                        where=f"line {line}, column {column}", message=f"longer than {MAX_CELL_CHARS} characters"
                    )
                )
        record = {
            "id": row["id"],
            "titles": {lang: row[f"title_{lang}"] for lang in LANGS if row.get(f"title_{lang}")},
            "summaries": {lang: row[f"summary_{lang}"] for lang in LANGS if row.get(f"summary_{lang}")},
            "provider": row["provider"],
            "country": row["country"].upper(),
            "city": row.get("city", ""),
            "languages": [x.strip() for x in row["languages"].split(";") if x.strip()],
            "mode": row["mode"],
            "eqf": row["eqf"],
            "ects": row["ects"],
            "workload_hours": row.get("workload_hours") or 0,
            "duration_weeks": row.get("duration_weeks") or 0,
            "learning_outcomes": [
                x.strip() for x in row.get("learning_outcomes", "").split(_OUTCOME_SEPARATOR.strip()) if x.strip()
            ],
            "skills": _outcomes_field(row["skills"], f"line {line}, column skills", issues, kb),
            "prerequisites": _outcomes_field(
                row.get("prerequisites", ""), f"line {line}, column prerequisites", issues, kb
            ),
            "assessment": row.get("assessment", ""),
            "quality_assurance": row.get("quality_assurance", ""),
            "stackable_toward": (
                {"qualification": row["stackable_qualification"], "eqf": row.get("stackable_eqf")}
                if row.get("stackable_qualification")
                else None
            ),
            "price_eur": row.get("price_eur") or None,
            "url": row.get("url", ""),
            "illustrative": False,
        }
        if "en" not in record["titles"]:
            issues.append(ImportIssue(where=f"line {line}, column title_en", message="required"))
        if not record["skills"]:
            issues.append(ImportIssue(where=f"line {line}, column skills", message="at least one ESCO skill"))
        if row["id"] in seen:
            issues.append(ImportIssue(where=f"line {line}, column id", message=f"duplicate id {row['id']!r}"))
        seen.add(row["id"])
        try:
            credentials.append(MicroCredential.model_validate(record))
        except ValidationError as exc:
            for error in exc.errors():
                field = ".".join(str(p) for p in error["loc"])
                issues.append(ImportIssue(where=f"line {line}, column {field}", message=error["msg"]))
    if issues:
        raise ImportError_(issues)
    if not credentials:
        raise ImportError_([ImportIssue(where="file", message="no credential rows")])
    return credentials


def _outcomes_cell(outcomes) -> str:
    return ";".join(f"{o.skill_uri}={int(o.level)}" for o in outcomes)


def _number(value: float | int | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else str(value)


def _safe(value: str) -> str:
    """Neutralise formula-looking cells for spreadsheet users (OWASP: a leading single quote), even after spaces."""
    return "'" + value if value.lstrip(" ").startswith(_FORMULA_START) else value


def write_catalogue_csv(credentials: list[MicroCredential]) -> str:
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for c in credentials:
        row = {
            "id": c.id,
            "provider": c.provider,
            "country": c.country,
            "city": c.city,
            "languages": ";".join(c.languages),
            "mode": c.mode.value,
            "eqf": str(c.eqf),
            "ects": _number(c.ects),
            "workload_hours": str(c.workload_hours),
            "duration_weeks": str(c.duration_weeks),
            "learning_outcomes": _OUTCOME_SEPARATOR.join(c.learning_outcomes),
            "skills": _outcomes_cell(c.skills),
            "prerequisites": _outcomes_cell(c.prerequisites),
            "assessment": c.assessment,
            "quality_assurance": c.quality_assurance,
            "stackable_qualification": c.stackable_toward.qualification if c.stackable_toward else "",
            "stackable_eqf": str(c.stackable_toward.eqf) if c.stackable_toward else "",
            "price_eur": _number(c.price_eur),
            "url": c.url,
        }
        row |= {f"title_{lang}": c.titles.get(lang, "") for lang in LANGS}
        row |= {f"summary_{lang}": c.summaries.get(lang, "") for lang in LANGS}
        writer.writerow({k: _safe(v) for k, v in row.items()})
    return out.getvalue()
