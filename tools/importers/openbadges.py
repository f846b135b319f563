"""Open Badges 3.0 achievements (the form badge platforms export) -> MicroCredential.

Reads an `Achievement`, or the `credentialSubject.achievement` of an OpenBadgeCredential. Maps `name`,
`description`, `criteria.narrative` (learning outcomes, one a line), `creditsAvailable` (ECTS), the
`alignment` entries: ESCO skill URIs in `targetUrl` become taught skills, an EQF URI
(http://data.europa.eu/snb/eqf/N) gives the level; `creator.name` is the provider, `inLanguage` the language.
"""

from __future__ import annotations

import re

from domain.knowledge_base import KnowledgeBase
from domain.models import MicroCredential, Mode, SkillOutcome
from tools.importers import ImportError_, ImportIssue, load_import_json

_EQF = re.compile(r"/eqf/(\d+)$")


def _achievements(data) -> list[tuple[str, dict]]:
    if not isinstance(data, dict):
        return []
    types = data.get("type", [])
    types = set(types if isinstance(types, list) else [types])
    if "Achievement" in types:
        return [("$", data)]
    subject = data.get("credentialSubject")
    if isinstance(subject, dict) and isinstance(subject.get("achievement"), dict):
        return [("$.credentialSubject.achievement", subject["achievement"])]
    return []


def parse_open_badge(raw: bytes, *, kb: KnowledgeBase, id_prefix: str = "ob") -> list[MicroCredential]:
    data = load_import_json(raw)
    found = _achievements(data)
    if not found:
        raise ImportError_([ImportIssue(where="$.type", message="not an Open Badges 3.0 Achievement")])
    issues: list[ImportIssue] = []
    credentials = []
    for n, (where, achievement) in enumerate(found, start=1):
        name = achievement.get("name")
        if not isinstance(name, str) or not name.strip():
            issues.append(ImportIssue(where=f"{where}.name", message="missing name"))
        skills, eqf = [], None
        alignments = achievement.get("alignment") or []
        if not isinstance(alignments, list):
            issues.append(ImportIssue(where=f"{where}.alignment", message="must be a list"))
            alignments = []
        for i, alignment in enumerate(alignments):
            url = alignment.get("targetUrl", "") if isinstance(alignment, dict) else ""
            url = url if isinstance(url, str) else ""
            if url.startswith("http://data.europa.eu/esco/skill/"):
                if url in kb.skills:
                    skills.append(url)
                else:
                    issues.append(
                        ImportIssue(where=f"{where}.alignment[{i}].targetUrl", message=f"unknown ESCO skill {url!r}")
                    )
            elif match := _EQF.search(url):
                eqf = int(match.group(1))
                if not 1 <= eqf <= 8:
                    issues.append(
                        ImportIssue(where=f"{where}.alignment[{i}].targetUrl", message=f"EQF {eqf} is outside 1-8")
                    )
        if eqf is None:
            issues.append(ImportIssue(where=f"{where}.alignment", message="no EQF level alignment"))
        if not skills:
            issues.append(ImportIssue(where=f"{where}.alignment", message="no ESCO skill alignment"))
        credits = achievement.get("creditsAvailable", 0)
        if not isinstance(credits, int | float) or isinstance(credits, bool) or not 0 <= credits <= 60:
            issues.append(ImportIssue(where=f"{where}.creditsAvailable", message="must be a number from 0 to 60"))
            credits = 0
        criteria = achievement.get("criteria") or {}
        narrative = criteria.get("narrative", "") if isinstance(criteria, dict) else ""
        if not isinstance(narrative, str):
            issues.append(ImportIssue(where=f"{where}.criteria.narrative", message="must be text"))
        creator = achievement.get("creator") or {}
        language = str(achievement.get("inLanguage") or "en")[:2].lower()
        if issues:
            continue
        credentials.append(
            MicroCredential(
                id=f"{id_prefix}-{n}",
                titles={"en": name.strip()},
                summaries={"en": str(achievement.get("description", ""))[:500]}
                if achievement.get("description")
                else {},
                provider=str(creator.get("name", "unknown provider"))
                if isinstance(creator, dict)
                else "unknown provider",
                country="EU",
                languages=(language if language in ("en", "es", "fr", "it", "tr", "sl") else "en",),
                mode=Mode.ONLINE,
                eqf=eqf,
                ects=float(credits),
                workload_hours=int(float(credits) * 25),
                learning_outcomes=tuple(line.strip("-• ").strip() for line in narrative.splitlines() if line.strip()),
                skills=tuple(SkillOutcome(skill_uri=u, level=2 if eqf <= 4 else 3) for u in dict.fromkeys(skills)),
                illustrative=False,
            )
        )
    if issues:
        raise ImportError_(issues)
    return credentials
