"""Step 2: experience as free text or uploads -> ESCO skills with evidence (proposed for step 3)."""

from __future__ import annotations

import base64
import binascii

from agent.assist import rerank_skills
from agent.context import Context
from agent.state import JourneyState, PendingKind, Step
from agent.steps.common import Update, say, skill_options
from tools.documents import DocumentError, ErrorCode, read_document
from tools.extraction import ExtractionResult

MAX_PROPOSED = 12


def _propose(ctx: Context, state: JourneyState, result: ExtractionResult, prefix: list[str], source: str) -> Update:
    lang = state["language"]
    confirmed = [c["skill_uri"] for c in (state.get("profile") or {}).get("skills", [])]
    existing = (state.get("proposal") or {}).get("skills") or confirmed
    evidence = dict((state.get("proposal") or {}).get("evidence", {}))
    new = [s for s in result.skills if s.uri not in existing]
    order = rerank_skills(ctx, source, [(s.uri, ctx.kb.skills[s.uri].label("en")) for s in new])
    if order:
        by_uri = {s.uri: s for s in new}
        new = [by_uri[u] for u in order]
    new = new[:MAX_PROPOSED]
    for skill in new:
        evidence[skill.uri] = skill.evidence[0].text[:200]
    uris = existing + [s.uri for s in new]
    if not uris:
        return {"step": state["step"], "pending": None, "messages": [*prefix, say(state, "no_skills_found")]}
    return {
        "step": Step.SKILLS.value,
        "proposal": {"skills": uris, "evidence": evidence},
        "pending": {"kind": PendingKind.CONFIRM_SKILLS.value, "options": skill_options(ctx, uris, lang, evidence)},
        "messages": [*prefix, say(state, "propose_skills")],
    }


def from_text(ctx: Context, state: JourneyState, text: str) -> Update:
    return _propose(ctx, state, ctx.extractor.extract_text(text, lang=state["language"]), [], text)


def from_upload(ctx: Context, state: JourneyState, action: dict) -> Update:
    name = str(action.get("name") or "file")[:120]
    try:
        data = base64.b64decode(action.get("data_b64", ""), validate=True)
    except (binascii.Error, ValueError):
        return {"messages": [say(state, "upload_error_corrupt", name=name)]}
    limit = ctx.settings.max_upload_mb
    try:
        document = read_document(data, max_bytes=limit * 2**20)
    except DocumentError as exc:
        key = f"upload_error_{exc.code.value}"
        values = {"name": name, "limit": limit} if exc.code == ErrorCode.TOO_LARGE else {"name": name}
        return {"messages": [say(state, key, **values)]}
    result = ctx.extractor.extract_document(document, origin=name)  # a CV may be in another language
    return _propose(ctx, state, result, [say(state, "upload_received", name=name)], document.text)


def enter(ctx: Context, state: JourneyState) -> Update:
    return {"step": Step.EXPERIENCE.value, "pending": None, "messages": [say(state, "ask_experience")]}


def handle(ctx: Context, state: JourneyState, action: dict) -> Update | None:
    if action["type"] == "text":
        return from_text(ctx, state, action["text"])
    return None
