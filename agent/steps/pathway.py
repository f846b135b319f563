"""Step 9: the micro-credentials that close the gaps, in order, with the projected match."""

from __future__ import annotations

from agent.context import Context
from agent.state import JourneyState, PendingKind, Step
from agent.steps.common import Update, credential_option, credential_title, say, skill_label, step_effect
from agent.steps.jobs import learner
from domain.languages import LANGUAGE_NAMES
from domain.models import PathwayStep
from tools.gaps import analyse_gaps
from tools.pathway import Constraints, plan_pathway


def plan(ctx: Context, state: JourneyState) -> dict:
    job = ctx.kb.job_profiles[(state.get("profile") or {})["target_job"]]
    person = learner(state)
    result = plan_pathway(
        kb=ctx.kb,
        catalogue=ctx.catalogue,
        profile=person,
        job=job,
        gaps=analyse_gaps(kb=ctx.kb, profile=person, job=job),
        # taught in the person's language, or in English, which most of the catalogue is also taught in
        constraints=Constraints(languages=sorted({state["language"], "en"})),
    )
    return result.pathway.model_dump(mode="json") | {
        "essential_gaps": result.essential_gaps,
        "essential_gaps_closed": result.essential_gaps_closed,
    }


def describe(ctx: Context, state: JourneyState, pathway: dict) -> tuple[list[dict], list[str]]:
    lang = state["language"]
    options, lines = [], []
    steps = [PathwayStep.model_validate(step) for step in pathway["steps"]]
    numbers = {step.credential_id: n for n, step in enumerate(steps, start=1)}
    for n, step in enumerate(steps, start=1):
        cred = ctx.catalogue.credentials[step.credential_id]
        title = credential_title(ctx, cred.id, lang)
        options.append(credential_option(ctx, cred.id, lang) | {"closes": list(step.closes)})
        lines.append(
            say(
                state,
                "pathway_line",
                n=n,
                title=title,
                eqf=cred.eqf,
                ects=f"{cred.ects:g}",
                language="/".join(LANGUAGE_NAMES[x] for x in cred.languages),
                mode=say(state, f"mode_{cred.mode.value}"),
                country=cred.country,
                effect=step_effect(ctx, lang, step, numbers),
            )
        )
    return options, lines


def enter(ctx: Context, state: JourneyState) -> Update:
    lang = state["language"]
    pathway = plan(ctx, state)
    options, lines = describe(ctx, state, pathway)
    if not options:
        messages = [say(state, "pathway_empty")]
    else:
        last = pathway["steps"][-1]
        messages = [
            say(
                state,
                "propose_pathway",
                count=len(options),
                ects=f"{last['cumulative_ects']:g}",
                hours=last["cumulative_hours"],
            ),
            *lines,
            say(
                state, "pathway_projection", before=round(pathway["match_before"]), after=round(pathway["match_after"])
            ),
        ]
    if pathway["uncovered"]:
        messages.append(
            say(
                state,
                "pathway_uncovered",
                skills=", ".join(skill_label(ctx, u, lang) for u in pathway["uncovered"][:8]),
            )
        )
    messages += [say(state, "illustrative_notice"), say(state, "ask_confirm_pathway")]
    return {
        "step": Step.PATHWAY.value,
        "proposal": {"pathway": pathway},
        "pending": {"kind": PendingKind.CONFIRM_PATHWAY.value, "options": options},
        "messages": messages,
    }


def handle(ctx: Context, state: JourneyState, action: dict) -> Update | None:
    if action["type"] == "confirm":
        pathway = (state.get("proposal") or {}).get("pathway")
        profile = dict(state.get("profile") or {}) | {"pathway": pathway}
        return {
            "step": Step.DONE.value,
            "profile": profile,
            "proposal": {},
            "pending": None,
            "messages": [say(state, "pathway_confirmed")],
        }
    if action["type"] == "reject":
        from agent.steps import gaps

        return gaps.enter(ctx, state)
    return None
