"""Off-flow questions at any step: answered from retrieved job profiles, credentials, skills and EQF texts."""

from __future__ import annotations

import re

from agent.assist import answer_question
from agent.context import Context
from agent.state import JourneyState
from agent.steps.common import credential_title, job_title, say, skill_label
from agent.understanding import word_stems
from prompts.texts import texts

_EQF_NAME = re.compile(r"(?<!\w)(?:eqf|cec|eqr|aqf|ayç|ayc|eok|nqf)(?!\w)", re.IGNORECASE)
_LEVEL = re.compile(r"(?<![\d.])([1-8])(?![\d.])")
MIN_VECTOR = 0.84
SHOWN_SKILLS = 5
PASSAGES_PER_KIND = 2
_SHOWN_KINDS = {"choose_job": "job", "confirm_pathway": "credential", "confirm_skills": "skill"}


def _answer_with_model(ctx: Context, state: JourneyState, question: str, jobs, creds, skills) -> list[str] | None:
    """The model's answer from the retrieved passages, with the titles of those it cites."""
    lang = state["language"]
    passages, titles = {}, {}
    for n, hit in enumerate(jobs, start=1):
        job = ctx.kb.job_profiles[hit.id]
        titles[f"J{n}"] = job_title(ctx, job.id, lang)
        essentials = ", ".join(skill_label(ctx, r.skill_uri, "en") for r in job.essential[:8])
        passages[f"J{n}"] = f"{job.title('en')} (EQF {job.eqf}): {job.description} Essential skills: {essentials}"
    for n, hit in enumerate(creds, start=1):
        cred = ctx.catalogue.credentials[hit.id]
        titles[f"C{n}"] = credential_title(ctx, cred.id, lang)
        passages[f"C{n}"] = (
            f"{cred.titles['en']} by {cred.provider} (EQF {cred.eqf}, {cred.ects:g} ECTS, {cred.mode.value}): "
            f"{cred.summaries.get('en', '')}"
        )
    for n, hit in enumerate(skills, start=1):
        skill = ctx.kb.skills[hit.id]
        titles[f"S{n}"] = skill_label(ctx, skill.uri, lang)
        passages[f"S{n}"] = f"{skill.label('en')}: {skill.description}"
    sourced = answer_question(ctx, state, question, passages)
    if sourced is None:
        return None
    text, sources = sourced
    return [text, say(state, "question_sources", sources="; ".join(titles[s] for s in sources))]


def answer(ctx: Context, state: JourneyState, question: str) -> list[str]:
    lang = state["language"]
    levels = set(_LEVEL.findall(question))
    if _EQF_NAME.search(question) and len(levels) == 1:
        level = levels.pop()
        return [say(state, "question_eqf", level=level, description=texts(lang)[f"eqf.{level}"])]
    shown = _shown_and_named(state, question)
    if shown:
        return _describe(ctx, state, *shown)
    k = PASSAGES_PER_KIND if ctx.model is not None else 1  # without a model only the best hit of a kind is shown
    jobs = ctx.retrieval.search_jobs(question, lang, k=k)
    creds = ctx.retrieval.search_credentials(question, lang, k=k)
    skills = ctx.retrieval.search_skills(question, lang, k=k)
    if ctx.model is not None:
        sourced = _answer_with_model(ctx, state, question, jobs, creds, skills)
        if sourced:
            return sourced
    candidates = [
        (hit.vector, kind, hit)
        for kind, hits in (("job", jobs), ("credential", creds), ("skill", skills))
        for hit in hits[:1]
    ]
    candidates.sort(key=lambda c: -c[0])
    if not candidates or candidates[0][0] < MIN_VECTOR:
        return [say(state, "question_no_answer")]
    _, kind, hit = candidates[0]
    return _describe(ctx, state, kind, hit.id)


def _shown_and_named(state: JourneyState, question: str) -> tuple[str, str] | None:
    """The job, credential or skill on screen that the question names with every word of its label (the longest
    such label): "what does an automation technician do?" while the job list shows one."""
    pending = state.get("pending") or {}
    kind = _SHOWN_KINDS.get(pending.get("kind"))
    if kind is None:
        return None
    asked = word_stems(question)
    labels = {o["id"]: word_stems(o.get("label", "")) for o in pending.get("options", [])}
    named = [(len(stems), item_id) for item_id, stems in labels.items() if stems and stems <= asked]
    return (kind, max(named)[1]) if named else None


def _describe(ctx: Context, state: JourneyState, kind: str, item_id: str) -> list[str]:
    lang = state["language"]
    if kind == "job":
        job = ctx.kb.job_profiles[item_id]
        skills = ", ".join(skill_label(ctx, r.skill_uri, lang) for r in job.essential[:SHOWN_SKILLS])
        # ESCO descriptions exist in English only: other languages get the profile's facts in their own words.
        description = job.description if lang == "en" else say(state, "question_job_skills", skills=skills)
        return [say(state, "question_job", title=job_title(ctx, job.id, lang), eqf=job.eqf, description=description)]
    if kind == "credential":
        cred = ctx.catalogue.credentials[item_id]
        return [
            say(
                state,
                "question_credential",
                title=credential_title(ctx, cred.id, lang),
                provider=cred.provider,
                eqf=cred.eqf,
                ects=f"{cred.ects:g}",
                mode=say(state, f"mode_{cred.mode.value}"),
                summary=cred.summaries.get(lang) or "",
            )
        ]
    skill = ctx.kb.skills[item_id]
    jobs = [p for p in ctx.kb.job_profiles.values() if any(r.skill_uri == skill.uri for r in p.essential)]
    description = (
        skill.description
        if lang == "en"
        else say(
            state, "question_skill_jobs", jobs=", ".join(job_title(ctx, p.id, lang) for p in jobs[:SHOWN_SKILLS]) or "—"
        )
    )
    return [say(state, "question_skill", skill=skill_label(ctx, skill.uri, lang), description=description)]
