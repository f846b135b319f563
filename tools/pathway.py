"""Pathway planner: the credentials that close a person's gaps for a chosen job, in a learnable order.

Greedy weighted set cover. A credential's value is the gaps it closes (reaches the required level), 3 for an
essential gap and 1 for an optional one, plus a quarter credit, pro rata, for levels gained without closing; at
most `max_steps` (10) credentials, or up to `extra_steps_for_essentials` (4) more spent on the essential gaps while
fewer than `essential_share` (80%) of them are closed. At each round, among
the credentials allowed by the person's constraints whose prerequisites are met (by the profile or earlier
steps), take the best value per cost (cost = workload hours + 50 per step: a few substantial credentials beat
many small ones when steps are limited); a credential blocked by
prerequisites is considered together with an allowed credential that teaches each missing one, the one doing most
for the gaps per cost, else the cheapest (and, when that one has missing prerequisites too, with their teachers,
up to MAX_PREREQUISITE_DEPTH levels).
Stop when nothing adds value or the ECTS / hours budget is spent. This runs twice: for the essential gaps
alone, then for all gaps with the steps and budget left. Steps are ordered so that prerequisites
come first and, among free steps, lower EQF first (EQF progression).
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from domain.catalogue import Catalogue
from domain.knowledge_base import KnowledgeBase
from domain.languages import Lang
from domain.models import (
    ClaimSource,
    JobProfile,
    LearnerProfile,
    MicroCredential,
    Mode,
    Pathway,
    PathwayStep,
    SkillClaim,
)
from tools.gaps import GapReport
from tools.matching import match_percent, skill_levels

ESSENTIAL_GAP_WEIGHT = 3.0
PARTIAL_CREDIT = 0.25
MAX_ALTERNATIVES = 2
MAX_PREREQUISITE_DEPTH = 2  # a prerequisite's own prerequisites, and theirs: PLC basics -> programming -> diagnosis
STEP_COST_HOURS = 50.0  # each step costs the person more than its hours (enrolment, travel, a new start)


class Constraints(BaseModel):
    languages: list[Lang] = []  # empty: any language
    modes: list[Mode] = []  # empty: any mode
    countries: list[str] = []  # empty: any country; online credentials are allowed from anywhere
    max_ects: float | None = Field(default=None, ge=0)
    max_hours: int | None = Field(default=None, ge=0)
    # A pathway a person can take on. Over the career moves of `pathways bench tools` (medians): 8 steps close 64%
    # of the essential gaps with 25 ECTS, 10 close 73% with 31 ECTS (a year part-time), 12 close 82% with 37 ECTS.
    max_steps: int = Field(default=10, ge=1)
    # ... unless most essential gaps are still open at max_steps: then up to this many more steps, spent on the
    # essential gaps alone, until `essential_share` of them are closed (a pathway that leaves half the job's core
    # open does not lead to the job; a learner who needs few steps gets no more). On the same career moves: 82% of
    # the essential gaps closed (median) and 62% of learners at 80% or more (39% without), 11.5 steps, 37.5 ECTS.
    extra_steps_for_essentials: int = Field(default=4, ge=0)
    essential_share: float = Field(default=0.8, ge=0, le=1)

    def allows(self, cred: MicroCredential) -> bool:
        if self.languages and not set(self.languages) & set(cred.languages):
            return False
        if self.modes and cred.mode not in self.modes:
            return False
        return not (
            self.countries and cred.mode != Mode.ONLINE and cred.country not in {c.upper() for c in self.countries}
        )


class PathwayPlan(BaseModel):
    pathway: Pathway
    essential_gaps: int
    essential_gaps_closed: int

    @property
    def essential_closed_share(self) -> float:
        return self.essential_gaps_closed / self.essential_gaps if self.essential_gaps else 1.0


def _value(cred: MicroCredential, levels: dict[str, int], targets: dict[str, tuple[int, float]]) -> float:
    """Weighted levels of remaining gaps this credential would add."""
    value = 0.0
    for outcome in cred.skills:
        target = targets.get(outcome.skill_uri)
        if target is None:
            continue
        required, weight = target
        current = levels.get(outcome.skill_uri, 0)
        if int(outcome.level) >= required > current:
            value += weight
        elif current < int(outcome.level) < required:  # progress without closing counts a quarter, pro rata
            value += PARTIAL_CREDIT * weight * (int(outcome.level) - current) / required
    return value


def _unmet(cred: MicroCredential, levels: dict[str, int]) -> list[tuple[str, int]]:
    return [(p.skill_uri, int(p.level)) for p in cred.prerequisites if levels.get(p.skill_uri, 0) < p.level]


def _teach(levels: dict[str, int], cred: MicroCredential) -> None:
    for outcome in cred.skills:
        levels[outcome.skill_uri] = max(levels.get(outcome.skill_uri, 0), int(outcome.level))


def _cost(cred: MicroCredential) -> float:
    return STEP_COST_HOURS + max(1.0, float(cred.workload_hours))


def _ordered(chosen: list[MicroCredential], start: dict[str, int]) -> list[MicroCredential]:
    """Prerequisites first; among the credentials that can start, the lowest EQF (then id)."""
    levels = dict(start)
    remaining = list(chosen)
    ordered = []
    while remaining:
        ready = [c for c in remaining if not _unmet(c, levels)] or remaining  # never stall on a cycle
        nxt = min(ready, key=lambda c: (c.eqf, c.id))
        ordered.append(nxt)
        remaining.remove(nxt)
        _teach(levels, nxt)
    return ordered


def _offering(catalogue: Catalogue, rules: Constraints, targets: dict[str, tuple[int, float]]) -> list[MicroCredential]:
    """The credentials the constraints allow that teach a gap's skill, in catalogue order."""
    found = {c.id: c for uri in targets for c in catalogue.teaching.get(uri, ()) if rules.allows(c)}
    return [c for c in catalogue.credentials.values() if c.id in found]


def _bundle_value(
    bundle: list[MicroCredential], levels: dict[str, int], targets: dict[str, tuple[int, float]]
) -> float:
    trial = dict(levels)
    value = 0.0
    for step in bundle:
        value += _value(step, trial, targets)
        _teach(trial, step)
    return value


class _Teachers:
    """Within one round of the planner: the allowed credential that teaches a missing prerequisite and does most for
    the goals per cost (else the cheapest), preceded by teachers of its own missing prerequisites (at most
    MAX_PREREQUISITE_DEPTH levels)."""

    def __init__(
        self,
        catalogue: Catalogue,
        rules: Constraints,
        levels: dict[str, int],
        taken: set[str],
        goals: dict[str, tuple[int, float]],
    ) -> None:
        self._catalogue, self._rules, self._levels, self._taken, self._goals = catalogue, rules, levels, taken, goals
        self._ranked: dict[tuple[str, int], list[MicroCredential]] = {}

    def _ranked_for(self, uri: str, level: int) -> list[MicroCredential]:
        """Those teaching `uri` to `level`: the ones the person can start first; in each group, the most for the goals
        per cost, then the cheapest (a prerequisite is better learnt in a course that also closes gaps)."""
        key = (uri, level)
        if key not in self._ranked:
            self._ranked[key] = sorted(
                (
                    h
                    for h in self._catalogue.teaching.get(uri, [])
                    if self._rules.allows(h)
                    and h.id not in self._taken
                    and any(o.skill_uri == uri and o.level >= level for o in h.skills)
                ),
                key=lambda h: (
                    bool(_unmet(h, self._levels)),
                    -_value(h, self._levels, self._goals) / _cost(h),
                    _cost(h),
                    h.id,
                ),
            )
        return self._ranked[key]

    def bundle(
        self, cred: MicroCredential, depth: int = 0, levels: dict[str, int] | None = None
    ) -> list[MicroCredential] | None:
        """cred, preceded by teachers for each prerequisite the person lacks; None if one has no teacher.
        `levels`: the person's levels plus what the teachers already in the bundle teach."""
        unmet = _unmet(cred, self._levels)
        if not unmet:  # most credentials, every round: no copy of the levels
            return [cred]
        levels = dict(self._levels) if levels is None else levels
        bundle = [cred]
        for uri, level in unmet:
            if levels.get(uri, 0) >= level:  # a teacher already in the bundle teaches it
                continue
            found = None
            for teacher in self._ranked_for(uri, level):
                if any(teacher.id == b.id for b in bundle):
                    continue
                if not _unmet(teacher, self._levels):
                    found = [teacher]
                elif depth < MAX_PREREQUISITE_DEPTH:
                    found = self.bundle(teacher, depth + 1, dict(levels))  # a copy: it may fail half-way
                if found is not None:
                    break
            if found is None:
                return None
            for step in found:
                _teach(levels, step)
            bundle[:0] = [t for t in found if all(t.id != b.id for b in bundle)]
        return bundle


def plan_pathway(
    *,
    kb: KnowledgeBase,
    catalogue: Catalogue,
    profile: LearnerProfile,
    job: JobProfile,
    gaps: GapReport,
    constraints: Constraints | None = None,
) -> PathwayPlan:
    rules = constraints or Constraints()
    start = skill_levels(profile)
    levels = dict(start)
    targets = {g.skill_uri: (int(g.required_level), ESSENTIAL_GAP_WEIGHT if g.essential else 1.0) for g in gaps.gaps}
    allowed = _offering(catalogue, rules, targets)
    chosen: list[MicroCredential] = []
    ects = hours = 0.0

    def fits_budget(bundle: list[MicroCredential]) -> bool:
        extra_ects = sum(c.ects for c in bundle)
        extra_hours = sum(c.workload_hours for c in bundle)
        return (rules.max_ects is None or ects + extra_ects <= rules.max_ects + 1e-9) and (
            rules.max_hours is None or hours + extra_hours <= rules.max_hours
        )

    def cover(goals: dict[str, tuple[int, float]], *, steps: int, enough=lambda: False) -> None:
        """Add the best value per cost towards `goals` until nothing adds value, the steps or budget run out, or
        `enough()`."""
        nonlocal ects, hours
        while len(chosen) < steps and not enough():
            best: tuple[float, str, list[MicroCredential]] | None = None
            taken = {c.id for c in chosen}  # ids: comparing whole credentials field by field is slow
            teachers = _Teachers(catalogue, rules, levels, taken, goals)
            for cred in allowed:
                if cred.id in taken:
                    continue
                bundle = teachers.bundle(cred)
                if bundle is None:
                    continue
                value = _value(cred, levels, goals) if len(bundle) == 1 else _bundle_value(bundle, levels, goals)
                if value <= 0 or not fits_budget(bundle) or len(chosen) + len(bundle) > steps:
                    continue
                ratio = value / sum(_cost(c) for c in bundle)
                if best is None or (ratio, best[1]) > (best[0], cred.id):
                    best = (ratio, cred.id, bundle)
            if best is None:
                return
            for step in best[2]:
                chosen.append(step)
                _teach(levels, step)
                ects += step.ects
                hours += step.workload_hours

    # Essential gaps first, then all: optional gaps are many and some are closed by one cheap credential, so a
    # single pass spends the steps on them before an essential gap that needs a chain of prerequisites.
    essential = gaps.essential_gaps
    essential_targets = {g.skill_uri: targets[g.skill_uri] for g in essential}

    def enough_essentials_closed() -> bool:
        closed = sum(1 for uri, (required, _) in essential_targets.items() if levels.get(uri, 0) >= required)
        return closed >= rules.essential_share * len(essential_targets)

    cover(essential_targets, steps=rules.max_steps)
    cover(
        essential_targets,
        steps=rules.max_steps + rules.extra_steps_for_essentials,
        enough=enough_essentials_closed,
    )
    cover(targets, steps=rules.max_steps)

    # A step chosen early can be overtaken by a later choice (a credential teaching the same skill further):
    # steps that close, prepare and raise nothing are dropped.
    while True:
        steps, walk = _steps(chosen, start, targets, allowed)
        idle = {step.credential_id for step in steps if not (step.closes or step.prepares or step.raises)}
        if not idle:
            break
        chosen = [c for c in chosen if c.id not in idle]
    uncovered = tuple(u for u, (req, _) in targets.items() if walk.get(u, 0) < req)
    return PathwayPlan(
        pathway=Pathway(
            job_id=job.id,
            steps=tuple(steps),
            uncovered=uncovered,
            match_before=match_percent(job, start),
            match_after=match_percent(job, walk),
        ),
        essential_gaps=len(essential),
        essential_gaps_closed=sum(1 for g in essential if walk.get(g.skill_uri, 0) >= g.required_level),
    )


def _steps(
    chosen: list[MicroCredential],
    start: dict[str, int],
    targets: dict[str, tuple[int, float]],
    allowed: list[MicroCredential],
) -> tuple[list[PathwayStep], dict[str, int]]:
    """The chosen credentials in order, each with what it does for the gaps, and the levels after the last."""
    steps: list[PathwayStep] = []
    taken = {c.id for c in chosen}
    walk = dict(start)
    cum_ects = cum_hours = 0.0
    ordered = _ordered(chosen, start)
    for n, cred in enumerate(ordered):
        before = dict(walk)
        _teach(walk, cred)
        closes = tuple(u for u, (req, _) in targets.items() if before.get(u, 0) < req <= walk.get(u, 0))
        raises = tuple(u for u, (req, _) in targets.items() if before.get(u, 0) < walk.get(u, 0) < req)
        prepares = tuple(
            later.id
            for later in ordered[n + 1 :]
            if any(before.get(p.skill_uri, 0) < p.level <= walk.get(p.skill_uri, 0) for p in later.prerequisites)
        )
        cum_ects += cred.ects
        cum_hours += cred.workload_hours
        alternatives = sorted(
            (
                c
                for c in allowed
                if c.id != cred.id
                and c.id not in taken
                and {o.skill_uri for o in c.skills} & set(closes or [o.skill_uri for o in cred.skills])
            ),
            key=lambda c: (-len({o.skill_uri for o in c.skills} & set(closes)), c.workload_hours, c.id),
        )[:MAX_ALTERNATIVES]
        steps.append(
            PathwayStep(
                credential_id=cred.id,
                closes=closes,
                prepares=prepares,
                raises=raises,
                cumulative_ects=round(cum_ects, 2),
                cumulative_hours=int(cum_hours),
                alternatives=tuple(a.id for a in alternatives),
            )
        )
    return steps, walk


def complete_credential(profile: LearnerProfile, credential: MicroCredential) -> LearnerProfile:
    """The profile after the person completed a credential: its skills at the level it reaches, never lower."""
    claims = {c.skill_uri: c for c in profile.skills}
    for outcome in credential.skills:
        current = claims.get(outcome.skill_uri)
        if current is not None and current.confirmed and int(current.level or 0) >= outcome.level:
            continue
        claims[outcome.skill_uri] = SkillClaim(
            skill_uri=outcome.skill_uri,
            level=outcome.level,
            source=ClaimSource.CREDENTIAL,
            confirmed=True,
            evidence=list(current.evidence) if current else [],
        )
    done = list(dict.fromkeys([*profile.completed_credentials, credential.id]))
    return profile.model_copy(update={"skills": list(claims.values()), "completed_credentials": done})
