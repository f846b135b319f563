"""Sessions: create, resume, erase, export; messages, actions and uploads (JSON or streamed)."""

from __future__ import annotations

import base64
import logging
import re
from collections.abc import Iterator
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse, StreamingResponse

from agent.export import elm_export, html_report
from api.access import session_token
from api.deps import AgentDep, SessionDep, SettingsDep, TurnSessionDep
from api.errors import ApiError
from api.schemas import ActionRequest, Message, NewSession, SessionCreated, SessionView, TurnReply
from api.streaming import event, turn_events
from tools.documents import is_supported

log = logging.getLogger("pathways.api")
router = APIRouter(prefix="/api/sessions", tags=["sessions"])
Stream = Annotated[bool, Query(description="Reply as Server-Sent Events (delta…, turn, done).")]
SAFE_NAME = re.compile(r"[^\w.\- ]+")


@router.post("", status_code=201, response_model=SessionCreated)
def create_session(request: Request, agent: AgentDep, body: NewSession | None = None) -> dict:
    session_id, turn = agent.start(language=body.language if body else None)
    return {"session_id": session_id, "token": session_token(request.app.state.signing_key, session_id), "turn": turn}


@router.get("/{session_id}", response_model=SessionView)
def get_session(session_id: SessionDep, agent: AgentDep) -> dict:
    return {"session_id": session_id, "turn": agent.last_turn(session_id)}


@router.delete("/{session_id}", status_code=204)
def delete_session(session_id: SessionDep, agent: AgentDep) -> Response:
    agent.delete(session_id)
    return Response(status_code=204)


@router.get("/{session_id}/export", responses={200: {"content": {"application/ld+json": {}, "text/html": {}}}})
def export_session(session_id: SessionDep, agent: AgentDep, format: Literal["jsonld", "html"] = "jsonld") -> Response:
    state = agent.state(session_id)
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
    message = {"action": {"type": "upload", "name": name, "data_b64": base64.b64encode(data).decode()}}
    return await run_in_threadpool(_reply, agent, session_id, message, stream)


def _reply(agent, session_id: str, message: dict, stream: bool):
    if not stream:
        return {"turn": agent.send(session_id, message)}
    return StreamingResponse(
        _stream(agent, session_id, message),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


def _stream(agent, session_id: str, message: dict) -> Iterator[str]:
    try:
        turn = agent.send(session_id, message)
    except Exception:  # the JSON path has the app's handler; a stream has started, so it reports in-band
        log.exception("turn failed", extra={"session": session_id[:6]})
        yield event("error", {"code": "internal_error"})
        return
    yield from turn_events(turn)
