"""How well the catalogue covers the job profiles (`pathways catalogue stats`)."""

from __future__ import annotations

from collections import Counter

from pydantic import BaseModel

from domain.catalogue import Catalogue
from domain.knowledge_base import KnowledgeBase


class CatalogueStats(BaseModel):
    credentials: int
    per_eqf: dict[str, int]
    per_mode: dict[str, int]
    per_country: dict[str, int]
    per_language: dict[str, int]
    skills_taught: int
    essential_pair_coverage: float  # share of (profile, essential skill) pairs whose skill some credential teaches
    essential_pair_coverage_at_level: float  # ... taught at the profile's minimum level or above
    profiles_fully_coverable: int  # profiles whose every essential skill is taught at the required level
    profiles: int


def catalogue_stats(kb: KnowledgeBase, catalogue: Catalogue) -> CatalogueStats:
    creds = list(catalogue.credentials.values())
    best_level: dict[str, int] = {}
    for cred in creds:
        for outcome in cred.skills:
            best_level[outcome.skill_uri] = max(best_level.get(outcome.skill_uri, 0), int(outcome.level))
    pairs = [(p.id, r) for p in kb.job_profiles.values() for r in p.essential]
    taught = sum(1 for _, r in pairs if r.skill_uri in best_level)
    at_level = sum(1 for _, r in pairs if best_level.get(r.skill_uri, 0) >= r.min_level)
    coverable = sum(
        1 for p in kb.job_profiles.values() if all(best_level.get(r.skill_uri, 0) >= r.min_level for r in p.essential)
    )
    return CatalogueStats(
        credentials=len(creds),
        per_eqf={str(k): v for k, v in sorted(Counter(c.eqf for c in creds).items())},
        per_mode=dict(Counter(c.mode.value for c in creds).most_common()),
        per_country=dict(Counter(c.country for c in creds).most_common()),
        per_language=dict(Counter(lang for c in creds for lang in c.languages).most_common()),
        skills_taught=len(best_level),
        essential_pair_coverage=round(taught / len(pairs), 4) if pairs else 0.0,
        essential_pair_coverage_at_level=round(at_level / len(pairs), 4) if pairs else 0.0,
        profiles_fully_coverable=coverable,
        profiles=len(kb.job_profiles),
    )
