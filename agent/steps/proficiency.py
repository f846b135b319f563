"""Step 4: the person rates each confirmed skill on the four levels (self-assessment)."""

from __future__ import annotations

import re

from agent.context import Context
from agent.state import JourneyState, PendingKind, Step
from agent.steps.common import Update, level_descriptors, say, skill_label
from agent.understanding import best_option, level_in
from domain.models import ClaimSource


def _options(ctx: Context, state: JourneyState) -> list[dict]:
    lang = state["language"]
    return [
        {
            "id": c["skill_uri"],
            "uri": c["skill_uri"],
            "label": skill_label(ctx, c["skill_uri"], lang),
            "level": c.get("level"),
        }
        for c in (state.get("profile") or {}).get("skills", [])
    ]


def enter(ctx: Context, state: JourneyState) -> Update:
    lang = state["language"]
    levels = [
        say(state, "level_line", level=int(lv.level), name=lv.names[lang], descriptor=lv.descriptors[lang])
        for lv in ctx.kb.proficiency_levels
    ]
    return {
        "step": Step.PROFICIENCY.value,
        "pending": {
            "kind": PendingKind.RATE_PROFICIENCY.value,
            "options": _options(ctx, state),
            "levels": level_descriptors(ctx, lang),
        },
        "messages": [say(state, "ask_proficiency"), *levels],
    }


def _levels_from_text(text: str, options: list[dict]) -> tuple[dict[str, int], int | None]:
    """'all 2' or '2' -> default; 'PLC 3, drawings 2' -> per skill."""
    parts = [p for p in re.split(r"[,;\n]|\s+(?:and|y|et|e|ve|in)\s+", text) if p.strip()]
    levels, default = {}, None
    for part in parts:
        level = level_in(part)
        if level is None:
            continue
        option = best_option(re.sub(r"\d", " ", part), options)
        if option:
            levels[option["id"]] = level
        elif default is None:
            default = level
    return levels, default


def handle(ctx: Context, state: JourneyState, action: dict) -> Update | None:
    options = _options(ctx, state)
    if action["type"] == "rate":
        levels = {k: int(v) for k, v in (action.get("levels") or {}).items()}
        default = action.get("default")
    elif action["type"] == "text":
        levels, default = _levels_from_text(action["text"], options)
    elif action["type"] == "confirm":  # "yes": the levels it already has (from a document or an earlier rating)
        levels, default = {o["id"]: o["level"] for o in options if o.get("level")}, None
    else:
        return None
    if not levels and default is None:
        return None
    profile = dict(state.get("profile") or {})
    rated = []
    for claim in profile.get("skills", []):
        level = levels.get(claim["skill_uri"], default if default is not None else claim.get("level"))
        if level is None or not 1 <= int(level) <= 4:
            return None
        rated.append(claim | {"level": int(level), "source": ClaimSource.SELF_ASSESSED.value})
    profile["skills"] = rated
    from agent.steps import quiz

    entered = quiz.enter(ctx, state | {"profile": profile})
    return entered | {"profile": profile, "messages": [say(state, "proficiency_confirmed"), *entered["messages"]]}
