"""Fault and privacy tests: agents over fresh session files, sharing the session-wide knowledge base and indexes."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient


@pytest.fixture
def fresh_agent(agent, tmp_path):
    """make(ctx=None) -> (Agent over a new SQLite file, its path); the shared context: no second index build."""
    from agent.service import Agent

    made = []

    def make(ctx=None, name: str = "sessions.sqlite"):
        path = tmp_path / name
        made.append(Agent(ctx or agent.ctx, db_path=path))
        return made[-1], path

    yield make
    for each in made:
        close = getattr(each, "close", None)
        if close is not None:
            close()


@pytest.fixture
def api_for(test_settings):
    """make(agent, **settings) -> a TestClient over an app that uses that agent."""
    from api.app import create_app

    def make(agent, **overrides):
        return TestClient(create_app(settings=test_settings.model_copy(update=overrides), agent=agent))

    return make
