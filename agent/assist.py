"""Where the optional model helps: reading replies the rules could not, re-ranking skill candidates, answering
questions from retrieved text. Each returns None (or its input unchanged) whenever the model is off, fails or
answers outside what it was offered; the graph, not the model, still decides what is confirmed.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Literal

from pydantic import BaseModel, Field

from agent.context import Context
from agent.llm import TurnUsage
from agent.state import JourneyState
from domain.language_id import detect_language

_usage: ContextVar[TurnUsage | None] = ContextVar("turn_usage", default=None)
ESCO_URI = re.compile(r"https?://data\.europa\.eu/esco/\S+")
MIN_WORDS_TO_CHECK_LANGUAGE = 6


@contextmanager
def turn_usage():
    """The model budget of the turn being handled (the node that handles it opens it)."""
    usage = TurnUsage()
    token = _usage.set(usage)
    try:
        yield usage
    finally:
        _usage.reset(token)


def _ask(ctx: Context, schema, *, task: str, facts: dict):
    usage = _usage.get()
    if ctx.model is None or usage is None:
        return None
    return ctx.model.ask(schema, task=task, facts=facts, usage=usage)


class ReplyReading(BaseModel):
    intent: Literal["confirm", "edit", "reject", "choose", "rate", "next", "back", "help", "unclear"]
    keep: list[str] = Field(default_factory=list, max_length=100)
    remove: list[str] = Field(default_factory=list, max_length=100)
    add: list[str] = Field(default_factory=list, max_length=10)
    choice: str | None = None
    level: int | None = Field(None, ge=1, le=4)


def read_reply(ctx: Context, state: JourneyState, text: str) -> dict | None:
    """The action a free reply means at this step, checked against the pending options; None if unsure."""
    pending = state.get("pending") or {}
    options = {o["id"]: o.get("label", o["id"]) for o in pending.get("options", [])}
    reading = _ask(
        ctx,
        ReplyReading,
        task=(
            "You read a learner's reply in a career-guidance chat. Say what it means at the current step: "
            "confirm (accept the proposals), edit (keep/remove option ids, add new names), reject (none fit), "
            "choose (one option id), rate (one proficiency level 1-4 for all skills), next, back, help, or "
            "unclear. Use only the option ids given; never invent ids."
        ),
        facts={"step": state.get("step"), "pending": pending.get("kind"), "options": options, "reply": text},
    )
    if reading is None or reading.intent == "unclear":
        return None
    remove = [i for i in reading.remove if i in options]
    keep = [i for i in reading.keep if i in options]
    add = [a.strip()[:100] for a in reading.add if a.strip()]
    if reading.intent == "confirm":
        return {"type": "confirm", **({"keep": keep} if keep else {}), **({"remove": remove} if remove else {})}
    if reading.intent == "edit":
        return {"type": "edit", "remove": remove, "add": add} if remove or add else None
    if reading.intent == "choose":
        return {"type": "choose_job", "job_id": reading.choice} if reading.choice in options else None
    if reading.intent == "rate":
        return {"type": "rate", "default": reading.level, "levels": {}} if reading.level else None
    return {"type": reading.intent}


class SkillRanking(BaseModel):
    keep: list[str] = Field(max_length=200, description="candidate ids, best first; leave out the wrong ones")


def rerank_skills(ctx: Context, text: str, candidates: list[tuple[str, str]]) -> list[str] | None:
    """Candidate URIs reordered, wrong ones dropped; the model may only reorder or drop, never add."""
    if len(candidates) < 2:
        return None
    ids = {f"c{n}": uri for n, (uri, _) in enumerate(candidates)}
    ranking = _ask(
        ctx,
        SkillRanking,
        task=(
            "Rank the candidate ESCO skills by how clearly the person's text shows them; leave out those it "
            "does not show. Answer with candidate ids only."
        ),
        facts={"text": text[:4000], "candidates": {f"c{n}": label for n, (_, label) in enumerate(candidates)}},
    )
    if ranking is None:
        return None
    kept = list(dict.fromkeys(ids[i] for i in ranking.keep if i in ids))
    return kept or None


class SourcedAnswer(BaseModel):
    answer: str = Field(min_length=1, max_length=1500)
    sources: list[str] = Field(min_length=1, max_length=5)


def answer_question(
    ctx: Context, state: JourneyState, question: str, passages: dict[str, str]
) -> tuple[str, list[str]] | None:
    """An answer from the retrieved passages only, with the ids of those it used; None if it fails a check."""
    if not passages:
        return None
    lang = state["language"]
    reply = _ask(
        ctx,
        SourcedAnswer,
        task=(
            f"Answer the learner's question in the language with ISO code '{lang}', briefly, using only the "
            "passages given, and list the ids of the passages you used. If they do not answer it, say so."
        ),
        facts={"question": question, "passages": passages},
    )
    if reply is None or not set(reply.sources) <= set(passages):
        return None
    known = ctx.kb.skills.keys() | {job.occupation_uri for job in ctx.kb.job_profiles.values()}
    if any(uri.rstrip(".,;)") not in known for uri in ESCO_URI.findall(reply.answer)):
        return None  # a URI the taxonomy does not hold never reaches the person
    if len(reply.answer.split()) >= MIN_WORDS_TO_CHECK_LANGUAGE and detect_language(reply.answer) not in (None, lang):
        return None
    return reply.answer.strip(), list(dict.fromkeys(reply.sources))


class Wording(BaseModel):
    messages: list[str] = Field(max_length=30)


NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
URL = re.compile(r"https?://\S+")


def word_messages(ctx: Context, state: JourneyState, messages: list[str]) -> list[str]:
    """The turn's messages reworded by the model for a warmer tone; a message keeps its template wording unless
    the new one is in the session language and keeps every number and every option label it had."""
    if ctx.model is None or not messages:
        return messages
    lang = state["language"]
    wording = _ask(
        ctx,
        Wording,
        task=(
            f"Reword each message of a career-guidance assistant, in the language with ISO code '{lang}', "
            "warmly and briefly. Keep every fact, number, name and label exactly; add nothing; same count."
        ),
        facts={"messages": messages},
    )
    if wording is None or len(wording.messages) != len(messages):
        return messages
    labels = [o.get("label", "") for o in (state.get("pending") or {}).get("options", []) if o.get("label")]
    return [new if _faithful(old, new, lang, labels) else old for old, new in zip(messages, wording.messages)]


def _faithful(old: str, new: str, lang: str, labels: list[str]) -> bool:
    if not new.strip() or len(new) > 2 * len(old) + 80 or URL.search(new):
        return False
    if sorted(NUMBER.findall(old)) != sorted(NUMBER.findall(new)):
        return False
    if any(label in old and label not in new for label in labels):
        return False
    return len(new.split()) < MIN_WORDS_TO_CHECK_LANGUAGE or detect_language(new) in (None, lang)
