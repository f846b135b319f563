"""Liveness and readiness."""

from __future__ import annotations

from fastapi import APIRouter, Request

from api.schemas import Health

router = APIRouter(tags=["health"])


@router.get("/health", response_model=Health)
def health() -> dict:
    return {"status": "ok"}


@router.get("/ready", response_model=Health)
def ready(request: Request) -> dict:
    """Ready once the agent (knowledge base, indexes, session store) is loaded: the app builds it at start-up."""
    agent = request.app.state.agent
    agent.exists("readiness-probe")  # touches the session store
    return {"status": "ready"}
