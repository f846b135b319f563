"""Step 3: the person keeps, removes and adds the proposed skills, then confirms them."""

from __future__ import annotations

from agent.context import Context
from agent.state import JourneyState, PendingKind, Step
from agent.steps import experience
from agent.steps.common import Update, resolve_skill, say, skill_label, skill_options
from agent.understanding import best_option
from domain.models import ClaimSource


def _resolve_option(ctx: Context, state: JourneyState, name: str, options: list[dict]) -> str | None:
    if name in ctx.kb.skills:
        return name
    english = {ctx.kb.skills[o["id"]].label("en").casefold(): o["id"] for o in options}
    if name.casefold() in english:
        return english[name.casefold()]
    match = best_option(name, options)
    return match["id"] if match else None


def _apply_edits(ctx: Context, state: JourneyState, action: dict) -> tuple[list[str], list[str]]:
    lang = state["language"]
    proposal = state.get("proposal") or {}
    options = skill_options(ctx, proposal.get("skills", []), lang)
    keep = action.get("keep")
    chosen = [_resolve_option(ctx, state, k, options) for k in keep] if keep else list(proposal.get("skills", []))
    for name in action.get("remove", []):
        uri = _resolve_option(ctx, state, name, options)
        chosen = [u for u in chosen if u != uri]
    added = []
    for name in action.get("add", []):
        uri = resolve_skill(ctx, name, lang)
        if uri and uri not in chosen:
            chosen.append(uri)
            added.append(uri)
    return list(dict.fromkeys(u for u in chosen if u)), added


def propose(ctx: Context, state: JourneyState, uris: list[str], messages: list[str]) -> Update:
    evidence = (state.get("proposal") or {}).get("evidence", {})
    return {
        "step": Step.SKILLS.value,
        "proposal": {"skills": uris, "evidence": evidence},
        "pending": {
            "kind": PendingKind.CONFIRM_SKILLS.value,
            "options": skill_options(ctx, uris, state["language"], evidence),
        },
        "messages": messages + [say(state, "propose_skills")],
    }


def enter(ctx: Context, state: JourneyState) -> Update:
    return propose(ctx, state, (state.get("proposal") or {}).get("skills", []), [])


def confirm(ctx: Context, state: JourneyState, uris: list[str]) -> Update:
    evidence = (state.get("proposal") or {}).get("evidence", {})
    profile = dict(state.get("profile") or {})
    earlier = {c["skill_uri"]: c for c in profile.get("skills", [])}
    new_claim = {"level": None, "source": ClaimSource.EXTRACTED.value, "confirmed": True}
    # The confirmed set is exactly what the person kept: earlier claims keep their level, removals are dropped.
    claims = {
        uri: earlier.get(uri) or new_claim | {"skill_uri": uri, "evidence": [evidence[uri]] if uri in evidence else []}
        for uri in uris
    }
    profile["skills"] = list(claims.values())
    from agent.steps import proficiency

    entered = proficiency.enter(ctx, state | {"profile": profile})
    return entered | {
        "profile": profile,
        "messages": [say(state, "skills_confirmed", count=len(claims)), *entered["messages"]],
    }


def handle(ctx: Context, state: JourneyState, action: dict) -> Update | None:
    kind = action["type"]
    if kind == "confirm":
        uris, _ = _apply_edits(ctx, state, action)
        if not uris:
            return {"pending": None, "proposal": {}, "messages": [say(state, "skills_rejected")]}
        return confirm(ctx, state, uris)
    if kind == "edit":
        uris, added = _apply_edits(ctx, state, action)
        messages = (
            [say(state, "skill_added", skills=", ".join(skill_label(ctx, u, state["language"]) for u in added))]
            if added
            else []
        )
        missing = [n for n in action.get("add", []) if not resolve_skill(ctx, n, state["language"])]
        messages += [say(state, "skill_not_found", name=n) for n in missing]
        proposed = (state.get("proposal") or {}).get("skills", [])
        if action.get("remove") and not added and set(uris) == set(proposed):  # no name matched a proposal
            messages.append(say(state, "remove_not_found", names="; ".join(action["remove"])))
        return propose(ctx, state, uris, messages)
    if kind == "reject":
        return {"step": Step.SKILLS.value, "pending": None, "proposal": {}, "messages": [say(state, "skills_rejected")]}
    if kind == "text":
        return experience.from_text(ctx, state, action["text"])
    return None
