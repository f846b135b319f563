"""Step 6: the skill profile (skills x levels, strongest areas); the person moves on when ready."""

from __future__ import annotations

from agent.context import Context
from agent.state import JourneyState, Step
from agent.steps.common import Update, level_name, say, skill_label


def strongest_areas(ctx: Context, state: JourneyState, limit: int = 3) -> list[str]:
    """Interest areas ranked by the summed levels of the person's skills they contain."""
    levels = {c["skill_uri"]: int(c.get("level") or 1) for c in (state.get("profile") or {}).get("skills", [])}
    scored = []
    for area in ctx.kb.interest_areas.values():
        total = sum(levels.get(u, 0) for u in area.skill_uris)
        if total:
            scored.append((-total, area.id))
    return [ctx.kb.interest_areas[a].names[state["language"]] for _, a in sorted(scored)[:limit]]


def enter(ctx: Context, state: JourneyState) -> Update:
    lang = state["language"]
    skills = sorted(
        (state.get("profile") or {}).get("skills", []), key=lambda c: (-int(c.get("level") or 0), c["skill_uri"])
    )
    lines = [
        say(
            state,
            "report_line",
            skill=skill_label(ctx, c["skill_uri"], lang),
            level_name=level_name(ctx, int(c.get("level") or 1), lang),
            source=say(state, f"source_{c.get('source', 'extracted')}"),
        )
        for c in skills
    ]
    areas = strongest_areas(ctx, state)
    return {
        "step": Step.REPORT.value,
        "pending": None,
        "messages": [
            say(state, "report_intro"),
            *lines,
            *([say(state, "report_strongest", areas=", ".join(areas))] if areas else []),
            say(state, "report_next"),
        ],
    }


def handle(ctx: Context, state: JourneyState, action: dict) -> Update | None:
    if action["type"] in ("next", "confirm"):
        from agent.steps import jobs

        return jobs.enter(ctx, state)
    return None
