"""Step 10: the journey is complete; completing a credential later updates the profile and re-plans."""

from __future__ import annotations

from agent.context import Context
from agent.state import JourneyState, Step
from agent.steps.common import Update, credential_title, say
from agent.steps.jobs import learner
from agent.steps.pathway import plan


def enter(ctx: Context, state: JourneyState) -> Update:
    return {"step": Step.DONE.value, "pending": None, "messages": [say(state, "done")]}


def complete_credential(ctx: Context, state: JourneyState, credential_id: str) -> Update:
    from tools.pathway import complete_credential as complete

    cred = ctx.catalogue.credentials.get(credential_id)
    if cred is None:
        return {"messages": [say(state, "unknown_credential")]}
    updated = complete(learner(state), cred)
    profile = dict(state.get("profile") or {})
    profile["skills"] = [
        {
            "skill_uri": c.skill_uri,
            "level": int(c.level or 1),
            "source": c.source.value,
            "evidence": [e.text for e in c.evidence],
            "confirmed": True,
        }
        for c in updated.skills
    ]
    profile["completed_credentials"] = updated.completed_credentials
    if profile.get("target_job"):
        profile["pathway"] = plan(ctx, state | {"profile": profile})
    return {
        "profile": profile,
        "messages": [say(state, "credential_completed", title=credential_title(ctx, cred.id, state["language"]))],
    }


def handle(ctx: Context, state: JourneyState, action: dict) -> Update | None:
    return None
