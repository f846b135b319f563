"""European Learning Model / European Digital Credential JSON-LD -> MicroCredential.

Reads learning opportunities, learning achievement specifications (qualifications) and issued
credentials (VerifiableCredential with credentialSubject.hasClaim). Maps: title, EQF level
(`eqfLevel` = http://data.europa.eu/snb/eqf/N), credits (`creditPoint.point`, ECTS), learning outcomes
(`learningOutcome[].title` and their `relatedESCOSkill`), awarding body (`legalName`), language, mode and
volume of learning (ISO 8601 duration).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from domain.knowledge_base import KnowledgeBase
from domain.models import MicroCredential, Mode, SkillOutcome
from tools.importers import ImportError_, ImportIssue, load_import_json

_EQF = re.compile(r"/eqf/(\d+)$")
MAX_ECTS = 60
_COUNTRY = {
    "AUT": "AT",
    "BEL": "BE",
    "BGR": "BG",
    "HRV": "HR",
    "CYP": "CY",
    "CZE": "CZ",
    "DNK": "DK",
    "EST": "EE",
    "FIN": "FI",
    "FRA": "FR",
    "DEU": "DE",
    "GRC": "GR",
    "HUN": "HU",
    "IRL": "IE",
    "ITA": "IT",
    "LVA": "LV",
    "LTU": "LT",
    "LUX": "LU",
    "MLT": "MT",
    "NLD": "NL",
    "POL": "PL",
    "PRT": "PT",
    "ROU": "RO",
    "SVK": "SK",
    "SVN": "SI",
    "ESP": "ES",
    "SWE": "SE",
    "TUR": "TR",
    "NOR": "NO",
    "ISL": "IS",
    "CHE": "CH",
    "GBR": "GB",
}
_LANGUAGE = {"ENG": "en", "SPA": "es", "FRA": "fr", "ITA": "it", "TUR": "tr", "SLV": "sl"}
_DURATION = re.compile(r"^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?)?$")
SPEC_TYPES = {
    "LearningAchievementSpecification",
    "Qualification",
    "LearningOpportunity",
    "LearningActivitySpecification",
}


def _types(node: dict) -> set[str]:
    value = node.get("type", [])
    return {v for v in (value if isinstance(value, list) else [value]) if isinstance(v, str)}


def _text(value) -> str:
    if isinstance(value, dict):
        return str(value.get("en") or next(iter(value.values()), ""))
    if isinstance(value, list):
        return _text(value[0]) if value else ""
    return str(value or "")


def _walk(node, path: str = "$") -> Iterator[tuple[str, dict]]:
    stack = [(path, node)]
    while stack:
        where, value = stack.pop()
        if isinstance(value, dict):
            yield where, value
            stack.extend((f"{where}.{k}", v) for k, v in reversed(list(value.items())))
        elif isinstance(value, list):
            stack.extend((f"{where}[{i}]", v) for i, v in reversed(list(enumerate(value))))


def _hours(duration: str) -> int | None:
    match = _DURATION.match(duration or "")
    if not match:
        return None
    years, months, weeks, days, hours, minutes = (int(g or 0) for g in match.groups())
    if hours or minutes:
        return hours + round(minutes / 60)
    return None


def _as_list(value) -> list:
    return value if isinstance(value, list) else [value] if value else []


def _specifications(data) -> list[tuple[str, dict]]:
    """The achievement specifications: the claim's `specifiedBy` in a credential, or the document itself."""
    found = [
        (w, n)
        for w, n in _walk(data)
        if _types(n) & SPEC_TYPES and (n.get("learningOutcome") or n.get("eqfLevel") or n.get("creditPoint"))
    ]
    if found:
        return found
    claims = [(w, n) for w, n in _walk(data) if "LearningAchievement" in _types(n) and n.get("title")]
    return claims or ([("$", data)] if isinstance(data, dict) else [])


def parse_elm(raw: bytes, *, kb: KnowledgeBase, id_prefix: str = "elm") -> list[MicroCredential]:
    data = load_import_json(raw)
    issues: list[ImportIssue] = []
    provider = next((_text(n.get("legalName")) for _, n in _walk(data) if n.get("legalName")), "")
    country = next(
        (
            _COUNTRY.get(_text(n.get("id")).rsplit("/", 1)[-1])
            for _, n in _walk(data)
            if "authority/country/" in _text(n.get("id")) and _COUNTRY.get(_text(n.get("id"))[-3:])
        ),
        "EU",
    )
    credentials = []
    for n, (where, spec) in enumerate(_specifications(data), start=1):
        title = _text(spec.get("title") or spec.get("prefLabel"))
        if not title:
            issues.append(ImportIssue(where=f"{where}.title", message="missing title"))
        eqf_id = _text(
            (spec.get("eqfLevel") or {}).get("id") if isinstance(spec.get("eqfLevel"), dict) else spec.get("eqfLevel")
        )
        eqf_match = _EQF.search(eqf_id)
        eqf = int(eqf_match.group(1)) if eqf_match else None
        if eqf is None:
            issues.append(ImportIssue(where=f"{where}.eqfLevel", message="missing or not an EQF level URI"))
        elif not 1 <= eqf <= 8:
            issues.append(ImportIssue(where=f"{where}.eqfLevel", message=f"EQF {eqf} is outside 1-8"))
        ects = 0.0
        for point_node in _as_list(spec.get("creditPoint")):
            try:
                ects = float(point_node.get("point"))
            except (TypeError, ValueError, AttributeError):
                issues.append(ImportIssue(where=f"{where}.creditPoint.point", message="not a number"))
                continue
            if not 0 <= ects <= MAX_ECTS:  # NaN and infinity fail this too
                issues.append(ImportIssue(where=f"{where}.creditPoint.point", message=f"credits outside 0-{MAX_ECTS}"))
        outcomes, skills = [], []
        for i, outcome in enumerate(_as_list(spec.get("learningOutcome"))):
            if not isinstance(outcome, dict):
                issues.append(ImportIssue(where=f"{where}.learningOutcome[{i}]", message="not an object"))
                continue
            text = _text(outcome.get("title") or outcome.get("definition"))
            if text:
                outcomes.append(text)
            for j, ref in enumerate(_as_list(outcome.get("relatedESCOSkill"))):
                uri = ref.get("id") if isinstance(ref, dict) else ref
                if not isinstance(uri, str) or uri not in kb.skills:
                    issues.append(
                        ImportIssue(
                            where=f"{where}.learningOutcome[{i}].relatedESCOSkill[{j}]",
                            message=f"unknown ESCO skill {uri!r}",
                        )
                    )
                else:
                    skills.append(uri)
        languages = sorted(
            {
                _LANGUAGE.get(_text(node.get("id")).rsplit("/", 1)[-1], "")
                for _, node in _walk(data)
                if "language/" in _text(node.get("id"))
            }
            - {""}
        ) or ["en"]
        hours = next(
            (h for _, node in _walk(spec) if (h := _hours(_text(node.get("volumeOfLearning")))) is not None), None
        )
        mode_text = " ".join(
            _text((node.get("mode") or {}).get("prefLabel"))
            for _, node in _walk(spec)
            if isinstance(node.get("mode"), dict)
        ).lower()
        mode = Mode.HYBRID if "blend" in mode_text else Mode.ONLINE if "online" in mode_text else Mode.IN_PERSON
        if not skills:
            issues.append(
                ImportIssue(
                    where=f"{where}.learningOutcome",
                    message="no ESCO skill reference (relatedESCOSkill): it could not close a gap",
                )
            )
        if issues:
            continue
        level = 2 if eqf <= 4 else 3
        credentials.append(
            MicroCredential(
                id=f"{id_prefix}-{n}",
                titles={"en": title},
                summaries={},
                provider=provider or "unknown provider",
                country=country,
                languages=tuple(languages),
                mode=mode,
                eqf=eqf,
                ects=ects,
                workload_hours=hours if hours is not None else int(ects * 25),
                learning_outcomes=tuple(outcomes),
                skills=tuple(SkillOutcome(skill_uri=u, level=level) for u in dict.fromkeys(skills)),
                illustrative=False,
            )
        )
    if issues:
        raise ImportError_(issues)
    if not credentials:
        raise ImportError_([ImportIssue(where="$", message="no learning achievement specification or credential")])
    return credentials
