"""Job matching: rank every job profile against a learner's confirmed skills, levels and interests.

Per required skill: satisfied (level >= minimum), below level (has it, lower), missing.
Credit of a requirement: 1 if satisfied, level/minimum if below, 0 if missing.
  match %  = 100 x (0.8 x mean essential credit + 0.2 x mean optional credit)  (essential only if none optional)
  rank     = match %, blended with interest alignment (x 0.25) when interests are given, plus a small
             bonus for the preferred EQF level and sectors, up to 15 points for the jobs that answer the goal
             the person stated, and 4 points per skill of theirs the job uses (at most 20: with few skills,
             match % alone cannot tell jobs apart). Adding a skill or a level never lowers either.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from pydantic import BaseModel, Field

from domain.knowledge_base import KnowledgeBase
from domain.models import JobProfile, LearnerProfile, Requirement

ESSENTIAL_WEIGHT = 0.8
INTEREST_WEIGHT = 0.25
EQF_BONUS = 5.0  # points for the preferred EQF level (half of it one level away)
SECTOR_BONUS = 5.0
GOAL_BONUS = 15.0  # points for the job that best answers the goal in the person's own words
GOAL_SLOT = 0.8  # a job this close to the goal (or closer) earns a place in a shortened list
# Places a shortened list keeps for such jobs: two, so one wrong reading of the goal's words does not take the only
# place ("automates" in "technicien automaticien, bosser sur les automates" also names cash machines).
GOAL_PLACES = 2
USE_BONUS, USE_BONUS_CAP = 4.0, 20.0  # points per skill of the person's that the job uses (few-skill profiles)


class SkillStatus(StrEnum):
    SATISFIED = "satisfied"
    BELOW = "below-level"
    MISSING = "missing"


class RequirementFit(BaseModel):
    skill_uri: str
    essential: bool
    required_level: int
    current_level: int | None
    status: SkillStatus


class MatchBreakdown(BaseModel):
    essential_coverage: float  # share of essential skills the person has, at any level
    level_satisfaction: float  # mean credit over the essential skills the person has
    optional_coverage: float
    interest_alignment: float


class JobMatch(BaseModel):
    job_id: str
    occupation_uri: str
    eqf: int
    match_percent: float = Field(ge=0, le=100)
    rank_score: float
    breakdown: MatchBreakdown
    requirements: list[RequirementFit]

    def count(self, status: SkillStatus, *, essential_only: bool = False) -> int:
        return sum(1 for r in self.requirements if r.status == status and (r.essential or not essential_only))


class Preferences(BaseModel):
    eqf: int | None = Field(default=None, ge=1, le=8)
    sectors: list[str] = []
    goal_affinity: dict[str, float] = Field(
        default_factory=dict, description="job id -> 0..1, how closely it answers the goal the person stated"
    )


def skill_levels(profile: LearnerProfile) -> dict[str, int]:
    """Confirmed skills -> level (an unrated confirmed skill counts as level 1)."""
    levels: dict[str, int] = {}
    for claim in profile.skills:
        if claim.confirmed:
            levels[claim.skill_uri] = max(levels.get(claim.skill_uri, 0), int(claim.level or 1))
    return levels


def _credit(level: int | None, required: int) -> float:
    if not level:
        return 0.0
    return 1.0 if level >= required else level / required


def _status(level: int | None, required: int) -> SkillStatus:
    if not level:
        return SkillStatus.MISSING
    return SkillStatus.SATISFIED if level >= required else SkillStatus.BELOW


def match_percent(job: JobProfile, levels: dict[str, int]) -> float:
    held = [r for r in job.requirements if r.skill_uri in levels]
    return _percent(held, levels, len(job.essential), len(job.requirements) - len(job.essential))


def _percent(held: Iterable[Requirement], levels: dict[str, int], essential: int, optional: int) -> float:
    """match % from the requirements the person holds (in the job's order), out of `essential` + `optional`."""
    ess_sum = opt_sum = 0.0
    for r in held:
        credit = _credit(levels[r.skill_uri], r.min_level)
        if r.essential:
            ess_sum += credit
        else:
            opt_sum += credit
    ess = ess_sum / essential if essential else 1.0
    if not optional:
        return round(100 * ess, 1)
    return round(100 * (ESSENTIAL_WEIGHT * ess + (1 - ESSENTIAL_WEIGHT) * opt_sum / optional), 1)


class InterestScope(BaseModel):
    """The chosen interest areas, flattened once per ranking."""

    occupations: frozenset[str]
    skills: frozenset[str]

    @classmethod
    def of(cls, kb: KnowledgeBase, interests: Iterable[str]) -> InterestScope | None:
        areas = [kb.interest_areas[a] for a in interests if a in kb.interest_areas]
        if not areas:
            return None
        return cls(
            occupations=frozenset(u for a in areas for u in a.occupation_uris),
            skills=frozenset(u for a in areas for u in a.skill_uris),
        )


def interest_alignment(job: JobProfile, scope: InterestScope | None) -> float:
    """1 when an interest area lists the occupation; otherwise how much of the job uses the areas' skills."""
    if scope is None:
        return 0.0
    return _alignment(job, scope, sum(1 for r in job.requirements if r.skill_uri in scope.skills))


def _alignment(job: JobProfile, scope: InterestScope, in_scope: int) -> float:
    if job.occupation_uri in scope.occupations:
        return 1.0
    return min(1.0, 3 * in_scope / len(job.requirements))


def _rank_score(
    job: JobProfile, *, percent: float, alignment: float | None, used: int, preferences: Preferences
) -> float:
    """alignment: None when the person chose no interest; used: how many of the job's requirements name a skill
    of the person's."""
    rank = percent if alignment is None else percent * (1 - INTEREST_WEIGHT) + 100 * INTEREST_WEIGHT * alignment
    rank += min(USE_BONUS_CAP, USE_BONUS * used)
    if preferences.eqf is not None:
        rank += {0: EQF_BONUS, 1: EQF_BONUS / 2}.get(abs(job.eqf - preferences.eqf), 0.0)
    if preferences.sectors and set(preferences.sectors) & set(job.sectors):
        rank += SECTOR_BONUS
    rank += GOAL_BONUS * min(1.0, max(0.0, preferences.goal_affinity.get(job.id, 0.0)))
    return round(rank, 3)


def score_job(
    job: JobProfile, levels: dict[str, int], scope: InterestScope | None, preferences: Preferences
) -> JobMatch:
    """The full explanation of one job's fit."""
    fits = [
        RequirementFit(
            skill_uri=r.skill_uri,
            essential=r.essential,
            required_level=int(r.min_level),
            current_level=levels.get(r.skill_uri),
            status=_status(levels.get(r.skill_uri), r.min_level),
        )
        for r in job.requirements
    ]
    essential = [f for f in fits if f.essential]
    optional = [f for f in fits if not f.essential]
    held = [f for f in essential if f.current_level]
    percent = match_percent(job, levels)
    alignment = interest_alignment(job, scope)
    used = sum(1 for f in fits if f.current_level)
    rank = _rank_score(job, percent=percent, alignment=alignment if scope else None, used=used, preferences=preferences)
    return JobMatch(
        job_id=job.id,
        occupation_uri=job.occupation_uri,
        eqf=job.eqf,
        match_percent=percent,
        rank_score=rank,
        breakdown=MatchBreakdown(
            essential_coverage=round(len(held) / len(essential), 4) if essential else 1.0,
            level_satisfaction=round(sum(_credit(f.current_level, f.required_level) for f in held) / len(held), 4)
            if held
            else 0.0,
            optional_coverage=round(sum(1 for f in optional if f.current_level) / len(optional), 4)
            if optional
            else 1.0,
            interest_alignment=round(alignment, 4),
        ),
        requirements=fits,
    )


def rank_jobs(
    *, kb: KnowledgeBase, profile: LearnerProfile, preferences: Preferences | None = None, limit: int | None = 20
) -> list[JobMatch]:
    """Scores every job profile, best first (ties broken by the share of the job's skills in the chosen interest
    areas, then by id); explains the first `limit` (None: all).

    A shortened list keeps places for the stated goal: when fewer than GOAL_PLACES of the jobs at least GOAL_SLOT
    close to it are among the first `limit`, the best-ranked others take the last places. A career changer's skills
    point to the jobs they have; without it, the one they asked for can rank sixth.

    Reads the knowledge base's requirements by skill: each job's score costs what the person holds of it,
    not the length of its requirement list."""
    levels = skill_levels(profile)
    prefs = preferences or Preferences()
    scope = InterestScope.of(kb, profile.interests)
    held = _positions(kb, levels)
    in_scope = _positions(kb, scope.skills) if scope else {}
    scored = []
    for job in kb.job_profiles.values():
        positions = sorted(held.get(job.id, ()))
        percent = _percent((job.requirements[p] for p in positions), levels, *kb.requirement_counts[job.id])
        in_area = len(in_scope.get(job.id, ()))
        alignment = _alignment(job, scope, in_area) if scope else None
        rank = _rank_score(job, percent=percent, alignment=alignment, used=len(positions), preferences=prefs)
        # equal ranks (a profile none of whose skills the jobs use): the job most about the chosen areas first
        scored.append((-rank, -percent, -in_area / max(len(job.requirements), 1), job.id))
    scored.sort()
    chosen = _with_goal_job(scored[:limit], scored, prefs) if limit else scored
    return [score_job(kb.job_profiles[job_id], levels, scope, prefs) for *_, job_id in chosen]


def _with_goal_job(chosen: list[tuple], scored: list[tuple], preferences: Preferences) -> list[tuple]:
    wanted = {job_id for job_id, affinity in preferences.goal_affinity.items() if affinity >= GOAL_SLOT}
    places = min(GOAL_PLACES, len(wanted), len(chosen))
    shown = [s for s in chosen if s[-1] in wanted]
    missing = places - len(shown)
    if missing <= 0:
        return chosen
    added = [s for s in scored if s[-1] in wanted and s not in shown][:missing]
    others = [s for s in chosen if s[-1] not in wanted][: len(chosen) - len(shown) - len(added)]
    return sorted([*others, *shown]) + added


def _positions(kb: KnowledgeBase, skills: Iterable[str]) -> dict[str, list[int]]:
    """Job profile id -> positions of its requirements that name one of `skills`."""
    held: dict[str, list[int]] = {}
    for uri in skills:
        for job_id, position in kb.requirements_by_skill.get(uri, ()):
            held.setdefault(job_id, []).append(position)
    return held
