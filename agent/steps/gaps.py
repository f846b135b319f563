"""Step 8: required level minus current level per skill of the chosen job; the person confirms."""

from __future__ import annotations

from agent.context import Context
from agent.state import JourneyState, PendingKind, Step
from agent.steps.common import Update, job_title, say, skill_label
from agent.steps.jobs import learner
from tools.gaps import analyse_gaps

SHOWN = 12


def enter(ctx: Context, state: JourneyState) -> Update:
    lang = state["language"]
    job = ctx.kb.job_profiles[(state.get("profile") or {})["target_job"]]
    report = analyse_gaps(kb=ctx.kb, profile=learner(state), job=job)
    title = job_title(ctx, job.id, lang)
    if not report.gaps:
        return {
            "step": Step.GAPS.value,
            "pending": {"kind": PendingKind.CONFIRM_GAPS.value, "options": []},
            "messages": [say(state, "no_gaps")],
        }
    options = [
        {
            "id": g.skill_uri,
            "uri": g.skill_uri,
            "label": skill_label(ctx, g.skill_uri, lang),
            "essential": g.essential,
            "required": int(g.required_level),
            "current": int(g.current_level) if g.current_level else 0,
        }
        for g in report.gaps
    ]
    lines = [
        say(
            state,
            "gap_line",
            skill=o["label"],
            current=o["current"],
            required=o["required"],
            kind=say(state, "gap_essential" if o["essential"] else "gap_optional"),
        )
        for o in options[:SHOWN]
    ]
    return {
        "step": Step.GAPS.value,
        "pending": {"kind": PendingKind.CONFIRM_GAPS.value, "options": options},
        "messages": [say(state, "propose_gaps", title=title, eqf=job.eqf), *lines, say(state, "ask_confirm_gaps")],
    }


def handle(ctx: Context, state: JourneyState, action: dict) -> Update | None:
    if action["type"] in ("confirm", "next"):
        from agent.steps import pathway

        return pathway.enter(ctx, state)
    if action["type"] == "reject":
        from agent.steps import jobs

        return jobs.enter(ctx, state)
    return None
