"""Step 2: experience as free text or uploads -> ESCO skills with evidence (proposed for step 3).

An uploaded file is read once, in the turn it arrives, and is not kept: the API hands it over by a ref to
process memory (agent.uploads), so no checkpoint holds it. What stays is what was extracted from it: the
proposed skills, each with an evidence excerpt of up to 200 characters, which the person then confirms.
"""

from __future__ import annotations

import base64
import binascii

from agent import uploads
from agent.assist import rerank_skills
from agent.context import Context
from agent.state import JourneyState, PendingKind, Step
from agent.steps.common import Update, say, skill_options
from tools.documents import DocumentError, ErrorCode, read_document
from tools.extraction import ExtractionResult

MAX_PROPOSED = 12
uploads.install()  # before any checkpointer exists: inline upload bytes are never written to one


def _propose(ctx: Context, state: JourneyState, result: ExtractionResult, prefix: list[str], source: str) -> Update:
    lang = state["language"]
    confirmed = [c["skill_uri"] for c in (state.get("profile") or {}).get("skills", [])]
    existing = (state.get("proposal") or {}).get("skills") or confirmed
    evidence = dict((state.get("proposal") or {}).get("evidence", {}))
    new = [s for s in result.skills if s.uri not in existing]
    guessed = not new
    if guessed:  # nothing sure enough: offer the extractor's best guesses, saying they are guesses
        new = [s for s in result.tentative if s.uri not in existing]
    order = None  # the extractor's order, unless a model reranks it
    if ctx.model is not None:
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
        "messages": [*prefix, say(state, "propose_skills_tentative" if guessed and new else "propose_skills")],
    }


def from_text(ctx: Context, state: JourneyState, text: str) -> Update:
    return _propose(ctx, state, ctx.extractor.extract_text(text, lang=state["language"]), [], text)


def _file_bytes(action: dict) -> bytes | None:
    """The uploaded bytes: taken by ref from process memory (the API), or inline base64 (in-process callers,
    whose bytes the checkpoint serializer leaves out, see agent.uploads)."""
    if "ref" in action:
        return uploads.take(action["ref"])  # None: gone with a restart, or already read
    try:
        return base64.b64decode(action.get(uploads.INLINE, ""), validate=True)
    except (binascii.Error, ValueError):
        return None


def from_upload(ctx: Context, state: JourneyState, action: dict) -> Update:
    name = str(action.get("name") or "file")[:120]
    data = _file_bytes(action)
    if data is None:
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
        return from_text(ctx, state, action.get("statement") or action["text"])
    return None
