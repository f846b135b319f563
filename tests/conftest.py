"""Shared fixtures: the real knowledge base, catalogue and indexes, built once per test session."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from domain.settings import Settings


@pytest.fixture(scope="session")
def test_settings(tmp_path_factory) -> Settings:
    return Settings(state_dir=tmp_path_factory.mktemp("state"))


@pytest.fixture(scope="session")
def kb():
    from domain.knowledge_base import get_knowledge_base

    return get_knowledge_base()


@pytest.fixture(scope="session")
def skill_uri(kb) -> Callable[[str], str]:
    """Looks up a skill's URI by its English preferred label (the first such skill)."""
    by_label: dict[str, str] = {}
    for uri, skill in kb.skills.items():
        by_label.setdefault(skill.label("en"), uri)
    return by_label.__getitem__


@pytest.fixture(scope="session")
def catalogue(kb):
    from domain.catalogue import get_catalogue

    return get_catalogue(kb)


@pytest.fixture(scope="session")
def retrieval(kb, catalogue, test_settings):
    from vectorstore.retrieval import Retrieval

    return Retrieval(kb=kb, catalogue=catalogue, settings=test_settings)


@pytest.fixture(scope="session")
def agent(kb, catalogue, retrieval, test_settings, tmp_path_factory):
    from agent.context import Context
    from agent.service import Agent
    from tools.quiz import load_bank

    ctx = Context(
        settings=test_settings,
        kb=kb,
        catalogue=catalogue,
        retrieval=retrieval,
        bank=load_bank(test_settings.data_dir / "quiz"),
    )
    return Agent(ctx, db_path=tmp_path_factory.mktemp("sessions") / "sessions.sqlite")


@pytest.fixture(scope="session")
def model_context(agent):
    """make(url, *, model=..., timeout_s=..., **settings) -> a Context whose language model is the OpenAI-compatible
    test endpoint at url (a scripted or a faulty one), over the session's knowledge base, catalogue and indexes."""
    from pydantic import SecretStr

    from agent.context import Context

    def make(url: str, *, model: str = "scripted", timeout_s: float = 1.0, **overrides):
        base = agent.ctx
        settings = base.settings.model_copy(
            update={
                "llm_base_url": f"{url}/v1",
                "llm_api_key": SecretStr("test"),
                "llm_model": model,
                "llm_timeout_s": timeout_s,
                **overrides,
            }
        )
        return Context(
            settings=settings, kb=base.kb, catalogue=base.catalogue, retrieval=base.retrieval, bank=base.bank
        )

    return make


@pytest.fixture(scope="session")
def live_server(agent, test_settings):
    """The API on a real port (uvicorn in a thread), over the session's agent: what HTTP clients and browsers use."""
    from api.app import create_app
    from evals.local_server import serve_in_thread

    with serve_in_thread(create_app(settings=test_settings, agent=agent)) as url:
        yield url
