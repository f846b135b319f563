"""Sessions: create, resume, erase, export; messages, actions and uploads (JSON or streamed).

A turn runs through agent.recovery (one at a time per session; a turn that failed half-way is not applied).
When the session store cannot be written (locked past its busy timeout, disk full, unreachable) the turn
answers 503 with Retry-After and the error in the session language, and the session stays at its last
complete turn. An uploaded file goes to the agent by a ref to process memory (agent.uploads), never into
the session store.
"""

from __future__ import annotations

import json
import logging
import re
import sqlite3
from collections.abc import Iterator
from typing import Annotated, Literal

from fastapi import APIRouter, BackgroundTasks, Query, Request, Response, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse, StreamingResponse

from agent import recovery, retention, uploads
from agent.export import elm_export, html_report
from api.access import session_token
from api.deps import AgentDep, SessionDep, SettingsDep, TurnSessionDep
from api.errors import ApiError
from api.schemas import ActionRequest, Message, NewSession, SessionCreated, SessionView, TurnReply
from api.streaming import event, turn_events
from prompts.texts import text
from tools.documents import is_supported

log = logging.getLogger("pathways.api")
router = APIRouter(prefix="/api/sessions", tags=["sessions"])
Stream = Annotated[bool, Query(description="Reply as Server-Sent Events (delta…, turn, done).")]
SAFE_NAME = re.compile(r"[^\w.\- ]+")
RETRY_AFTER_S = 5


def _storage_errors() -> tuple[type[BaseException], ...]:
    """What a session store raises when it cannot be read or written (locked, full, unreachable)."""
    errors: list[type[BaseException]] = [sqlite3.Error, OSError]
    try:
        import psycopg

        errors.append(psycopg.OperationalError)
    except ImportError:  # PostgreSQL support not installed
        pass
    return tuple(errors)


STORAGE_ERRORS = _storage_errors()


@router.post("", status_code=201, response_model=SessionCreated)
def create_session(
    request: Request, agent: AgentDep, settings: SettingsDep, tasks: BackgroundTasks, body: NewSession | None = None
) -> dict:
    language = body.language if body else None
    try:
        session_id, turn = agent.start(language=language)
    except STORAGE_ERRORS as exc:
        raise _unavailable(exc, "-", language) from exc
    # Retention, at most once an hour per process, after the response is sent (also `pathways sessions purge`).
    tasks.add_task(retention.purge_if_due, agent, settings.session_retention_days)
    return {"session_id": session_id, "token": session_token(request.app.state.signing_key, session_id), "turn": turn}


@router.get("/{session_id}", response_model=SessionView)
def get_session(session_id: SessionDep, agent: AgentDep) -> dict:
    return {"session_id": session_id, "turn": recovery.settled_state(agent, session_id)["output"]}


@router.delete("/{session_id}", status_code=204)
def delete_session(session_id: SessionDep, agent: AgentDep) -> Response:
    try:
        agent.delete(session_id)
    except STORAGE_ERRORS as exc:
        raise _unavailable(exc, session_id) from exc
    return Response(status_code=204)


@router.get("/{session_id}/export", responses={200: {"content": {"application/ld+json": {}, "text/html": {}}}})
def export_session(session_id: SessionDep, agent: AgentDep, format: Literal["jsonld", "html"] = "jsonld") -> Response:
    state = recovery.settled_state(agent, session_id)
    if format == "html":
        return HTMLResponse(html_report(agent.ctx, state))
    return JSONResponse(
        elm_export(agent.ctx, state, subject_id=session_id),
        media_type="application/ld+json",
        headers={"Content-Disposition": 'attachment; filename="lcamp-pathways-profile.jsonld"'},
    )


@router.post("/{session_id}/messages", response_model=TurnReply)
def send_message(session_id: TurnSessionDep, agent: AgentDep, body: Message, stream: Stream = False):
    return _reply(agent, session_id, {"text": body.text}, stream)


@router.post("/{session_id}/actions", response_model=TurnReply)
def send_action(session_id: TurnSessionDep, agent: AgentDep, body: ActionRequest, stream: Stream = False):
    message: dict = {"action": body.action.model_dump(exclude_none=True)}
    if body.language:
        message["language"] = body.language
    return _reply(agent, session_id, message, stream)


@router.post("/{session_id}/uploads", response_model=TurnReply)
async def upload(
    session_id: TurnSessionDep, agent: AgentDep, settings: SettingsDep, file: UploadFile, stream: Stream = False
):
    """PDF, DOCX, TXT, Europass XML or ELM JSON-LD; the type is sniffed from the content, not the name."""
    limit = settings.max_upload_mb * 2**20
    data = await file.read(limit + 1)
    if len(data) > limit:
        raise ApiError(413, "too_large", limit=settings.max_upload_mb)
    if data and not is_supported(data):
        raise ApiError(415, "unsupported_type")
    name = SAFE_NAME.sub("_", file.filename or "file")[:120]
    ref = uploads.put(data)  # the bytes stay in this process for this turn; the session store sees the ref
    message = {"action": {"type": "upload", "name": name, "ref": ref}}
    try:
        return await run_in_threadpool(_reply, agent, session_id, message, stream, ref)
    except BaseException:
        uploads.discard(ref)
        raise


def _send(agent, session_id: str, message: dict) -> dict:
    with recovery.turn(agent, session_id):
        return agent.send(session_id, message)


def _storage_failed(exc: BaseException, session_id: str) -> None:
    log.warning(json.dumps({"event": "session_store_error", "error": type(exc).__name__, "session": session_id[:6]}))


def _unavailable(exc: BaseException, session_id: str, language: str | None = None) -> ApiError:
    """503 + Retry-After, the message in the session language: nothing was lost, try again."""
    _storage_failed(exc, session_id)
    return ApiError(503, "internal_error", language=language, headers={"Retry-After": str(RETRY_AFTER_S)})


def _reply(agent, session_id: str, message: dict, stream: bool, ref: str | None = None):
    if not stream:
        try:
            return {"turn": _send(agent, session_id, message)}
        except STORAGE_ERRORS as exc:
            raise _unavailable(exc, session_id) from exc
        finally:
            uploads.discard(ref)
    return StreamingResponse(
        _stream(agent, session_id, message, ref),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


def _stream(agent, session_id: str, message: dict, ref: str | None = None) -> Iterator[str]:
    try:
        turn = _send(agent, session_id, message)
    except Exception as exc:  # the JSON path has the app's handler; a stream has started, so it reports in-band
        if isinstance(exc, STORAGE_ERRORS):
            _storage_failed(exc, session_id)
        else:
            log.exception("turn failed", extra={"session": session_id[:6]})
        message = text(_language(agent, session_id), "api.internal_error")
        yield event("error", {"code": "internal_error", "message": message})
        return
    finally:
        uploads.discard(ref)
    yield from turn_events(turn)


def _language(agent, session_id: str) -> str:
    try:
        return agent.language(session_id) or agent.ctx.settings.default_language
    except STORAGE_ERRORS:
        return agent.ctx.settings.default_language
