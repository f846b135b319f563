"""Sessions in PostgreSQL: a journey outlives the process that started it, and erasing it leaves no row."""

from __future__ import annotations

import dataclasses
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from agent.service import Agent, SessionNotFound
from evals.benchmarks.turns import journey

TABLES = ("checkpoints", "checkpoint_blobs", "checkpoint_writes")


def _rows(agent: Agent, session_id: str) -> dict[str, int]:
    with agent._pool.connection() as conn:
        return {
            table: conn.execute(f"SELECT count(*) AS n FROM {table} WHERE thread_id = %s", (session_id,)).fetchone()[
                "n"
            ]
            for table in TABLES
        }


def _step(step, turn):
    return step(turn) if callable(step) else step


def test_a_journey_continues_after_a_restart_and_is_erased_whole(ctx, postgres):
    url = postgres.create_database("sessions_restart")
    steps = journey("es")
    configured = dataclasses.replace(ctx, settings=ctx.settings.model_copy(update={"database_url": url}))
    first = Agent(configured)  # PATHWAYS_DATABASE_URL selects PostgreSQL
    assert first.backend == "postgres"
    sid, turn = first.start(language="es")
    for step in steps[:4]:
        turn = first.send(sid, _step(step, turn))
    other, _ = first.start(language="fr")  # a second person, who must be untouched by the erasure
    before = first.last_turn(sid)
    first.close()  # the process "ends": its connections go away

    second = Agent(ctx, database_url=url)  # a new process on the same database: setup() again is harmless
    assert second.exists(sid) and second.last_turn(sid) == before
    assert second.language(sid) == "es"
    turn = before
    for step in steps[4:]:
        turn = second.send(sid, _step(step, turn))
    assert turn["step"] == "done", turn["step"]
    assert second.state(sid)["language"] == "es"
    assert all(n > 0 for n in _rows(second, sid).values()), _rows(second, sid)

    second.delete(sid)
    assert _rows(second, sid) == dict.fromkeys(TABLES, 0)
    assert not second.exists(sid)
    with pytest.raises(SessionNotFound):
        second.send(sid, {"text": "hola"})
    with pytest.raises(SessionNotFound):
        second.last_turn(sid)
    assert second.exists(other) and second.language(other) == "fr"
    second.close()


def test_sqlite_stays_the_default(ctx, tmp_path):
    local = dataclasses.replace(
        ctx, settings=ctx.settings.model_copy(update={"database_url": None, "state_dir": tmp_path})
    )
    agent = Agent(local)
    assert agent.backend == "sqlite" and (tmp_path / "sessions.sqlite").exists()
    sid, _ = agent.start(language="en")
    agent.delete(sid)
    assert not agent.exists(sid)
    agent.close()


def test_processes_starting_together_create_the_tables_once(ctx, postgres):
    """Workers start at the same time: the setup (CREATE INDEX CONCURRENTLY among it) must neither fail nor hang."""
    url = postgres.create_database("sessions_setup_race")
    barrier = threading.Barrier(3)

    def start() -> Agent:
        barrier.wait(timeout=30)
        return Agent(ctx, database_url=url)

    with ThreadPoolExecutor(3) as pool:
        agents = [f.result(timeout=120) for f in [pool.submit(start) for _ in range(3)]]
    sid, _ = agents[0].start(language="tr")
    assert all(agent.exists(sid) for agent in agents)
    for agent in agents:
        agent.close()
