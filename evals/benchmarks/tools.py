"""`pathways bench tools`: time of job matching (all profiles), gap analysis and pathway planning, and how much
of the target job the planned pathways close.

Learners are drawn from the job profiles themselves (a fixed seed): each holds a random half of one
profile's essential skills at a random level, so the tools see realistic, partly matching profiles.
"""

from __future__ import annotations

import random
import time

from pydantic import BaseModel

from domain.catalogue import get_catalogue
from domain.knowledge_base import get_knowledge_base
from domain.models import LearnerProfile, SkillClaim
from evals.benchmarks.stats import percentile
from tools.gaps import analyse_gaps
from tools.matching import rank_jobs
from tools.pathway import plan_pathway


class ToolsBench(BaseModel):
    learners: int
    job_profiles: int
    match_all_ms_p50: float  # every profile scored and ranked, the top 20 explained
    match_all_ms_p95: float
    gaps_ms_p50: float
    gaps_ms_p95: float
    plan_ms_p50: float
    plan_ms_p95: float
    plan_steps_mean: float
    plan_ects_median: float
    essential_closed_median: float  # share of the target job's essential gaps the pathway closes
    essential_closed_at_least_80: float  # share of learners whose pathway closes at least 80% of them


def _learners(kb, count: int, seed: int) -> list[tuple[LearnerProfile, str]]:
    rng = random.Random(seed)
    jobs = sorted(kb.job_profiles)
    out = []
    for _ in range(count):
        origin = kb.job_profiles[rng.choice(jobs)]
        held = rng.sample(list(origin.essential), k=max(1, len(origin.essential) // 2))
        skills = [
            SkillClaim(skill_uri=r.skill_uri, level=rng.randint(1, 4), source="self-assessed", confirmed=True)
            for r in held
        ]
        target = kb.job_profiles[rng.choice(origin.successors or jobs)]
        out.append((LearnerProfile(interests=[], skills=skills), target.id))
    return out


def run(*, learners: int = 100, seed: int = 7) -> ToolsBench:
    kb = get_knowledge_base()
    catalogue = get_catalogue(kb)
    match_ms, gaps_ms, plan_ms, steps, ects, closed = [], [], [], [], [], []
    for profile, target in _learners(kb, learners, seed):
        started = time.perf_counter()
        rank_jobs(kb=kb, profile=profile, limit=20)
        match_ms.append((time.perf_counter() - started) * 1000)
        job = kb.job_profiles[target]
        started = time.perf_counter()
        gaps = analyse_gaps(kb=kb, profile=profile, job=job)
        gaps_ms.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        plan = plan_pathway(kb=kb, catalogue=catalogue, profile=profile, job=job, gaps=gaps)
        plan_ms.append((time.perf_counter() - started) * 1000)
        steps.append(len(plan.pathway.steps))
        ects.append(plan.pathway.steps[-1].cumulative_ects if plan.pathway.steps else 0.0)
        closed.append(plan.essential_closed_share)
    return ToolsBench(
        learners=learners,
        job_profiles=len(kb.job_profiles),
        match_all_ms_p50=round(percentile(match_ms, 50), 2),
        match_all_ms_p95=round(percentile(match_ms, 95), 2),
        gaps_ms_p50=round(percentile(gaps_ms, 50), 2),
        gaps_ms_p95=round(percentile(gaps_ms, 95), 2),
        plan_ms_p50=round(percentile(plan_ms, 50), 2),
        plan_ms_p95=round(percentile(plan_ms, 95), 2),
        plan_steps_mean=round(sum(steps) / len(steps), 2),
        plan_ects_median=round(percentile(ects, 50), 1),
        essential_closed_median=round(percentile(closed, 50), 3),
        essential_closed_at_least_80=round(sum(share >= 0.8 for share in closed) / len(closed), 3),
    )
