"""Gap analysis for a chosen job: required level minus current level, per required skill."""

from __future__ import annotations

from pydantic import BaseModel

from domain.knowledge_base import KnowledgeBase
from domain.models import ClaimSource, Gap, JobProfile, LearnerProfile, Level


class GapReport(BaseModel):
    job_id: str
    target_eqf: int
    current_eqf: int | None  # the person's EQF (stated, or the best-fitting job's level), None if unknown
    gaps: list[Gap]  # only skills below the required level, most important first
    satisfied: list[str]  # required skills already at level

    @property
    def essential_gaps(self) -> list[Gap]:
        return [g for g in self.gaps if g.essential]


def _current(profile: LearnerProfile) -> dict[str, tuple[int, ClaimSource]]:
    out: dict[str, tuple[int, ClaimSource]] = {}
    for claim in profile.skills:
        if claim.confirmed:
            level = int(claim.level or 1)
            if level > out.get(claim.skill_uri, (0, claim.source))[0]:
                out[claim.skill_uri] = (level, claim.source)
    return out


def analyse_gaps(*, kb: KnowledgeBase, profile: LearnerProfile, job: JobProfile) -> GapReport:
    """Sorted by importance: essential before optional, then the larger delta, then the more widely used skill."""
    current = _current(profile)
    usage = kb.skill_usage
    gaps, satisfied = [], []
    for req in job.requirements:
        level, source = current.get(req.skill_uri, (None, None))
        if level is not None and level >= req.min_level:
            satisfied.append(req.skill_uri)
            continue
        gaps.append(
            Gap(
                skill_uri=req.skill_uri,
                essential=req.essential,
                required_level=req.min_level,
                current_level=Level(level) if level else None,
                current_source=source,
            )
        )
    gaps.sort(key=lambda g: (not g.essential, -g.delta, -usage[g.skill_uri], g.skill_uri))
    return GapReport(job_id=job.id, target_eqf=job.eqf, current_eqf=profile.eqf, gaps=gaps, satisfied=satisfied)
