"""Search the skills, job profiles and credentials; a job profile's detail with its career path."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from agent.steps.common import job_title, skill_label
from api.deps import ContextDep
from api.errors import ApiError
from api.schemas import CredentialHit, JobDetail, JobHit, Lang, RequiredSkill, Results, SkillHit

router = APIRouter(prefix="/api/catalogue", tags=["catalogue"])
Text = Annotated[str, Query(min_length=1, max_length=500, description="What to look for, in any of the six languages.")]
Limit = Annotated[int, Query(ge=1, le=50)]


@router.get("/skills", response_model=Results[SkillHit])
def search_skills(ctx: ContextDep, q: Text, lang: Lang = "en", limit: Limit = 10) -> dict:
    hits = ctx.retrieval.search_skills(q, lang, k=limit)
    return {"results": [{"uri": h.id, "label": skill_label(ctx, h.id, lang), "score": h.score} for h in hits]}


@router.get("/jobs", response_model=Results[JobHit])
def search_jobs(
    ctx: ContextDep,
    q: Text,
    lang: Lang = "en",
    eqf: Annotated[int | None, Query(ge=3, le=6)] = None,
    sector: Annotated[str | None, Query(max_length=100)] = None,
    limit: Limit = 10,
) -> dict:
    hits = ctx.retrieval.search_jobs(q, lang, k=limit, eqf=eqf, sector=sector)
    return {"results": [_job(ctx, h.id, lang, h.score) for h in hits]}


@router.get("/jobs/{job_id}", response_model=JobDetail)
def job_detail(ctx: ContextDep, job_id: Annotated[str, Path(max_length=200)], lang: Lang = "en") -> dict:
    job = ctx.kb.job_profiles.get(job_id)
    if job is None:
        raise ApiError(404, "not_found")
    return _job(ctx, job_id, lang, 1.0) | {
        "description": job.description,
        "description_language": "en",
        "sectors": list(job.sectors),
        "skills": [
            RequiredSkill(
                uri=r.skill_uri,
                label=skill_label(ctx, r.skill_uri, lang),
                essential=r.essential,
                level=int(r.min_level),
            )
            for r in sorted(job.requirements, key=lambda r: not r.essential)
        ],
        "career_path": [_job(ctx, s, lang, 1.0) for s in job.successors if s in ctx.kb.job_profiles],
    }


@router.get("/credentials", response_model=Results[CredentialHit])
def search_credentials(
    ctx: ContextDep,
    q: Text,
    lang: Lang = "en",
    eqf: Annotated[int | None, Query(ge=1, le=8)] = None,
    mode: Annotated[str | None, Query(pattern="^(online|hybrid|in-person)$")] = None,
    country: Annotated[str | None, Query(pattern="^[A-Za-z]{2}$")] = None,
    language: Lang | None = None,
    limit: Limit = 10,
) -> dict:
    hits = ctx.retrieval.search_credentials(q, lang, k=limit, eqf=eqf, mode=mode, country=country, language=language)
    results = []
    for hit in hits:
        cred = ctx.catalogue.credentials[hit.id]
        results.append(
            CredentialHit(
                id=cred.id,
                label=hit.label,
                eqf=cred.eqf,
                ects=cred.ects,
                hours=cred.workload_hours,
                mode=cred.mode.value,
                country=cred.country,
                languages=list(cred.languages),
                illustrative=cred.illustrative,
                score=hit.score,
            )
        )
    return {"results": results}


def _job(ctx, job_id: str, lang: str, score: float) -> dict:
    job = ctx.kb.job_profiles[job_id]
    return {
        "id": job_id,
        "uri": job.occupation_uri,
        "label": job_title(ctx, job_id, lang),
        "eqf": job.eqf,
        "score": score,
    }
