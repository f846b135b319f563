"""A PostgreSQL server of the tests' own (started once, stopped at the end; a missing server is a failure), and
the agent's context over the session-wide knowledge base and indexes (no second index build)."""

from __future__ import annotations

import pytest

from tests.scaleout.postgres import Cluster, PostgresUnavailable


@pytest.fixture(scope="session")
def postgres():
    cluster = None
    try:
        cluster = Cluster()
        cluster.start()
    except PostgresUnavailable as exc:
        if cluster is not None:
            cluster.stop()
        pytest.fail(f"could not start PostgreSQL: {exc}", pytrace=False)
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture(scope="session")
def ctx(kb, catalogue, retrieval, test_settings):
    from agent.context import Context
    from tools.quiz import load_bank

    return Context(
        settings=test_settings,
        kb=kb,
        catalogue=catalogue,
        retrieval=retrieval,
        bank=load_bank(test_settings.data_dir / "quiz"),
    )
