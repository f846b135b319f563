"""Step 1: interests from free text (or the list) -> interest areas -> the person confirms."""

from __future__ import annotations

from agent.context import Context
from agent.goal import wanted_part
from agent.state import JourneyState, PendingKind, Step
from agent.steps.common import Update, say
from agent.understanding import best_option
from domain.text import tokens
from vectorstore.lexical import LexicalIndex, analyze

MAX_PROPOSED = 3
MARGIN = 0.025
MIN_SIMILARITY = 0.80
LEXICAL_BONUS = 0.05


def _names(phrase: str, lang: str, text_stems: set[str]) -> bool:
    """Every word of the phrase occurs in the text (by its stem or, for Turkish, its first letters)."""
    words = tokens(phrase)
    return bool(words) and all(set(analyze(word, lang)) & text_stems for word in words)


def _scores(ctx: Context, text: str, lang: str) -> dict[str, float]:
    """Each area's similarity to the text, plus a bonus when the text names one of its examples or its name."""
    query = ctx.retrieval.embedder.query(text)
    stems = LexicalIndex.stems(text, lang)
    scores = {}
    for area_id, vectors in ctx.area_vectors.items():
        area = ctx.kb.interest_areas[area_id]
        phrases = [*area.examples[lang], *area.examples["en"], area.names[lang]]
        named = any(_names(phrase, lang, stems) for phrase in phrases)
        scores[area_id] = float((vectors @ query).max()) + (LEXICAL_BONUS if named else 0.0)
    return scores


def infer_areas(ctx: Context, text: str, lang: str) -> list[str]:
    """Areas ranked by similarity to the text; the area nearest to the part of it that says what the person wants
    comes first. In "I'm a quality inspector on a machining line and I'd like to become a quality engineer" the
    whole text is nearest to machining, the wish to quality, and both are proposed."""
    if not tokens(text):
        return []
    ranked = sorted(_scores(ctx, text, lang).items(), key=lambda kv: -kv[1])
    top = ranked[0][1]
    found = [a for a, s in ranked[:MAX_PROPOSED] if s >= max(MIN_SIMILARITY, top - MARGIN)]
    wanted = wanted_part(text, lang)
    if wanted != text and tokens(wanted):
        area, score = max(_scores(ctx, wanted, lang).items(), key=lambda kv: kv[1])
        if score >= MIN_SIMILARITY:
            found = [area, *(a for a in found if a != area)][:MAX_PROPOSED]
    return found


def _options(ctx: Context, state: JourneyState, area_ids: list[str]) -> list[dict]:
    lang = state["language"]
    return [{"id": a, "label": ctx.kb.interest_areas[a].names[lang]} for a in area_ids]


MAX_GOAL_CHARS = 600


def propose(ctx: Context, state: JourneyState, area_ids: list[str], *, everything: bool = False) -> Update:
    listing = everything or not area_ids
    ids = list(ctx.kb.interest_areas) if listing else area_ids
    key = "interests_all_areas" if listing else "propose_interests"
    return {
        "step": Step.INTERESTS.value,
        "proposal": {"interests": ids},
        "pending": {
            "kind": PendingKind.CONFIRM_INTERESTS.value,
            "options": _options(ctx, state, ids),
            "select": "pick" if listing else "keep",  # a list to choose from, or a proposal to keep or trim
        },
        "messages": [say(state, key)],
    }


def enter(ctx: Context, state: JourneyState) -> Update:
    return propose(ctx, state, (state.get("proposal") or {}).get("interests", []))


def handle(ctx: Context, state: JourneyState, action: dict) -> Update | None:
    lang = state["language"]
    proposed = (state.get("proposal") or {}).get("interests", [])
    kind = action["type"]
    if kind == "text":
        found = infer_areas(ctx, action["text"], lang)
        goal = {"goal": f"{state.get('goal', '')} {action['text']}".strip()[-MAX_GOAL_CHARS:]}
        return propose(ctx, state, found) | goal if found else None
    if kind == "reject":
        return propose(ctx, state, [], everything=True)
    if kind != "confirm":
        return None
    all_options = _options(ctx, state, list(ctx.kb.interest_areas))
    chosen = list(action.get("keep") or proposed)
    for name in action.get("remove", []):
        match = name if name in chosen else (best_option(name, all_options) or {}).get("id")
        chosen = [a for a in chosen if a != match]
    for name in action.get("add", []):
        match = name if name in ctx.kb.interest_areas else (best_option(name, all_options) or {}).get("id")
        if match and match not in chosen:
            chosen.append(match)
    chosen = [a for a in chosen if a in ctx.kb.interest_areas]
    if not chosen:
        return propose(ctx, state, [], everything=True)
    profile = dict(state.get("profile") or {}) | {"interests": chosen}
    names = ", ".join(ctx.kb.interest_areas[a].names[lang] for a in chosen)
    return {
        "step": Step.EXPERIENCE.value,
        "profile": profile,
        "proposal": {},
        "pending": None,
        "messages": [say(state, "interests_confirmed", areas=names), say(state, "ask_experience")],
    }
