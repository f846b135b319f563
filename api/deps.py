"""Typed dependencies of the routes: the agent, the settings, an authorised session."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, Header, Path, Request

from agent.context import Context
from agent.service import Agent
from api.access import token_matches
from api.errors import ApiError
from domain.settings import Settings


def get_agent(request: Request) -> Agent:
    return request.app.state.agent


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_context(request: Request) -> Context:
    return request.app.state.agent.ctx


AgentDep = Annotated[Agent, Depends(get_agent)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
ContextDep = Annotated[Context, Depends(get_context)]
SessionId = Annotated[str, Path(min_length=8, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]


def authorised_session(
    request: Request,
    agent: AgentDep,
    session_id: SessionId,
    authorization: Annotated[str | None, Header(description="Bearer <session token>")] = None,
) -> str:
    """The session id, once its token is checked (before anything reveals whether the session exists)."""
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token_matches(request.app.state.signing_key, session_id, token.strip()):
        raise ApiError(401, "unauthorized", headers={"WWW-Authenticate": "Bearer"})
    language = agent.language(session_id)
    if language is None:
        raise ApiError(404, "session_not_found")
    request.state.language = language
    return session_id


def session_turn_budget(request: Request, session_id: Annotated[str, Depends(authorised_session)]) -> str:
    """An authorised session that is still within its per-minute turn limit."""
    wait = request.app.state.session_limiter.retry_after(session_id)
    if wait:
        raise ApiError(429, "rate_limited", headers={"Retry-After": str(wait)}, seconds=wait)
    return session_id


SessionDep = Annotated[str, Depends(authorised_session)]
TurnSessionDep = Annotated[str, Depends(session_turn_budget)]


def require_admin(request: Request, x_api_key: Annotated[str | None, Header()] = None) -> None:
    expected = request.app.state.settings.admin_api_key
    if expected is None or not hmac.compare_digest((x_api_key or "").encode(), expected.get_secret_value().encode()):
        raise ApiError(403, "admin_forbidden")


AdminDep = Annotated[None, Depends(require_admin)]
