"""What every step shares: replies in the session language, options, the profile view, resolving names."""

from __future__ import annotations

from typing import Any

from agent.context import Context
from agent.state import STEPS, JourneyState, Step
from domain.languages import Lang
from domain.models import PathwayStep
from prompts.texts import text

Update = dict[str, Any]


def say(state: JourneyState, key: str, **values: object) -> str:
    return text(state["language"], f"agent.{key}", **values)


def skill_label(ctx: Context, uri: str, lang: Lang) -> str:
    skill = ctx.kb.skills[uri]
    if skill.has_label(lang):
        return skill.label(lang)
    return f"{skill.label('en')} {text(lang, 'agent.english_fallback')}"


def job_title(ctx: Context, job_id: str, lang: Lang) -> str:
    job = ctx.kb.job_profiles[job_id]
    return job.title(lang) if lang in job.titles else f"{job.title('en')} {text(lang, 'agent.english_fallback')}"


def credential_title(ctx: Context, cred_id: str, lang: Lang) -> str:
    cred = ctx.catalogue.credentials[cred_id]
    return cred.titles.get(lang) or f"{cred.titles['en']} {text(lang, 'agent.english_fallback')}"


def step_effect(ctx: Context, lang: Lang, step: PathwayStep, numbers: dict[str, int]) -> str:
    """What a pathway step does for the person: the gaps it closes, else the later steps it prepares for (by their
    numbers in `numbers`), else the gaps it narrows."""
    if step.closes:
        return text(lang, "agent.pathway_closes", skills=", ".join(skill_label(ctx, u, lang) for u in step.closes))
    if step.prepares:
        return text(lang, "agent.pathway_prepares", steps=", ".join(str(numbers[c]) for c in step.prepares))
    if step.raises:
        return text(lang, "agent.pathway_raises", skills=", ".join(skill_label(ctx, u, lang) for u in step.raises))
    return "—"


def credential_option(ctx: Context, cred_id: str, lang: Lang) -> dict:
    cred = ctx.catalogue.credentials[cred_id]
    return {
        "id": cred.id,
        "label": credential_title(ctx, cred.id, lang),
        "eqf": cred.eqf,
        "ects": cred.ects,
        "hours": cred.workload_hours,
        "languages": list(cred.languages),
        "mode": cred.mode.value,
        "country": cred.country,
        "illustrative": cred.illustrative,
    }


def level_name(ctx: Context, level: int, lang: Lang) -> str:
    return ctx.kb.proficiency_levels[level - 1].names[lang]


def skill_options(ctx: Context, uris: list[str], lang: Lang, evidence: dict[str, str] | None = None) -> list[dict]:
    return [
        {
            "id": u,
            "uri": u,
            "label": skill_label(ctx, u, lang),
            **({"evidence": evidence[u]} if evidence and u in evidence else {}),
        }
        for u in uris
    ]


def resolve_skill(ctx: Context, name: str, lang: Lang) -> str | None:
    """An ESCO URI, an English preferred label, or a typed skill name (read as the extractor reads text)."""
    name = name.strip()
    if name in ctx.kb.skills:
        return name
    by_label = {s.label("en").casefold(): uri for uri, s in ctx.kb.skills.items()}
    if name.casefold() in by_label:
        return by_label[name.casefold()]
    candidates = ctx.extractor.extract_text(name, lang=lang).candidates
    return candidates[0].uri if candidates else None


def step_index(step: str) -> int:
    return STEPS.index(Step(step)) + 1


def profile_view(ctx: Context, state: JourneyState) -> dict:
    lang = state["language"]
    profile = state.get("profile") or {}
    target = profile.get("target_job")
    return {
        "interests": [{"id": a, "label": ctx.kb.interest_areas[a].names[lang]} for a in profile.get("interests", [])],
        "skills": [
            {
                "uri": c["skill_uri"],
                "label": skill_label(ctx, c["skill_uri"], lang),
                "level": c.get("level"),
                "source": c.get("source"),
            }
            for c in profile.get("skills", [])
        ],
        "target_job": {
            "id": target,
            "uri": ctx.kb.job_profiles[target].occupation_uri,
            "label": job_title(ctx, target, lang),
        }
        if target
        else None,
        "pathway": _pathway_view(ctx, profile.get("pathway"), lang),
        "completed_credentials": profile.get("completed_credentials", []),
    }


def _pathway_view(ctx: Context, pathway: dict | None, lang: Lang) -> dict | None:
    """The confirmed pathway, each step with the credential's details in the session language."""
    if not pathway:
        return pathway
    steps = [
        credential_option(ctx, step["credential_id"], lang) | step
        for step in pathway.get("steps", [])
        if step["credential_id"] in ctx.catalogue.credentials
    ]
    return pathway | {"steps": steps}


def localised_pending(ctx: Context, state: JourneyState) -> dict | None:
    """The pending options with their labels in the session language (it may have switched since they were made)."""
    pending = state.get("pending")
    if not pending:
        return pending
    lang = state["language"]
    kind = pending.get("kind")
    relabel = {
        "confirm_interests": lambda o: ctx.kb.interest_areas[o["id"]].names[lang],
        "confirm_skills": lambda o: skill_label(ctx, o["uri"], lang),
        "rate_proficiency": lambda o: skill_label(ctx, o["uri"], lang),
        "confirm_gaps": lambda o: skill_label(ctx, o["uri"], lang),
        "choose_job": lambda o: job_title(ctx, o["id"], lang),
        "confirm_pathway": lambda o: credential_title(ctx, o["id"], lang),
    }.get(kind)
    if relabel is None:
        return pending
    localised = dict(pending, options=[o | {"label": relabel(o)} for o in pending.get("options", [])])
    if "levels" in pending:
        localised["levels"] = level_descriptors(ctx, lang)
    return localised


def level_descriptors(ctx: Context, lang: Lang) -> list[dict]:
    return [
        {"level": int(lv.level), "name": lv.names[lang], "descriptor": lv.descriptors[lang]}
        for lv in ctx.kb.proficiency_levels
    ]
