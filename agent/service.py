"""The agent as a service: start a session, send an input, read the last turn, erase a session.

Sessions persist in a LangGraph checkpointer, one thread per session, so a session survives a restart of
the process and may continue in another one: SQLite on disk by default, PostgreSQL when
PATHWAYS_DATABASE_URL is set (what several workers or machines share). A turn that finds the SQLite file
locked by another writer waits `sqlite_busy_timeout_s` (settings) once, then fails (the API answers 503
with Retry-After).
"""

from __future__ import annotations

import secrets
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.checkpoint.sqlite import SqliteSaver
from langgraph.types import Command

from agent.context import Context, get_context
from agent.graph import build_graph
from agent.llm import model_turn

# Any fixed 64-bit number: held while one process creates or migrates the checkpoint tables, so workers that
# start together do not race on CREATE TABLE / CREATE INDEX CONCURRENTLY.
_SETUP_LOCK = 7_236_512_901
SETUP_TIMEOUT_S = 120
# A turn after the first is stored once, when it ends (LangGraph's default stores every node's writes as it
# goes, three checkpoints a turn, most of a short turn's CPU). A turn that fails half-way stores the state it
# reached, or nothing; agent.recovery makes the last complete turn current again either way.
DURABILITY = "exit"


class SessionNotFound(KeyError):
    pass


@dataclass
class _TurnWrites:
    locked: bool = False  # a write of this turn found the SQLite file locked past the busy timeout


_turn_writes: ContextVar[_TurnWrites | None] = ContextVar("turn_writes", default=None)


def _is_lock_error(exc: sqlite3.OperationalError) -> bool:
    return (getattr(exc, "sqlite_errorcode", 0) & 0xFF) in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)


class _SqliteSaver(SqliteSaver):
    """LangGraph's SqliteSaver, except that a turn stops writing once the file has proved locked. A turn writes
    several times (its input, each node's writes, each checkpoint; in the background, one after another), and
    each write would wait out the busy timeout again before the turn fails; the first failure decides it."""

    @contextmanager
    def cursor(self, transaction: bool = True) -> Iterator[sqlite3.Cursor]:
        writes = _turn_writes.get() if transaction else None
        try:
            with super().cursor(transaction) as cur:
                if writes is not None and writes.locked:
                    raise sqlite3.OperationalError("database is locked (an earlier write of this turn found it so)")
                yield cur
        except sqlite3.OperationalError as exc:
            if writes is not None and _is_lock_error(exc):
                writes.locked = True
            raise


class Agent:
    def __init__(
        self,
        ctx: Context | None = None,
        *,
        db_path: Path | None = None,
        database_url: str | None = None,
        busy_timeout_s: float | None = None,
    ) -> None:
        """db_path: an SQLite file; database_url: a PostgreSQL URL; neither: PATHWAYS_DATABASE_URL if set,
        else `sessions.sqlite` in the state dir. busy_timeout_s: how long an SQLite write waits for a lock
        (default: the `sqlite_busy_timeout_s` setting)."""
        self.ctx = ctx or get_context()
        self.ctx.area_vectors  # noqa: B018 - warm up once here, not on a person's first message
        self.ctx.retrieval.skill_vectors  # noqa: B018 - likewise
        url = database_url or (None if db_path else self.ctx.settings.database_url)
        self._pool = None
        self._connection: sqlite3.Connection | None = None
        if url:
            self.checkpointer: BaseCheckpointSaver = self._postgres(url)
        else:
            self.checkpointer = self._sqlite(
                db_path or self.ctx.settings.state_dir / "sessions.sqlite",
                busy_timeout_s or self.ctx.settings.sqlite_busy_timeout_s,
            )
        self.graph = build_graph(self.ctx, self.checkpointer)
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    @property
    def backend(self) -> str:
        return "postgres" if self._pool is not None else "sqlite"

    def _sqlite(self, path: Path, busy_timeout_s: float) -> SqliteSaver:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._connection = sqlite3.connect(str(path), check_same_thread=False, timeout=busy_timeout_s)
        self._connection.execute("PRAGMA journal_mode=WAL")
        # In WAL mode NORMAL syncs at checkpoints, not at every commit: a killed process loses nothing (the OS
        # holds the writes), a power cut may lose the last turns but never corrupts the file. A sync at every
        # commit (each turn commits its checkpoint and its pending writes) costs turns per second.
        self._connection.execute("PRAGMA synchronous=NORMAL")
        self._connection.execute("PRAGMA secure_delete=ON")  # an erased session leaves no readable bytes behind
        return _SqliteSaver(self._connection)

    def _postgres(self, url: str) -> BaseCheckpointSaver:
        """A pooled PostgresSaver; its tables are created (or migrated) here, on first use, under a lock."""
        from langgraph.checkpoint.postgres import PostgresSaver
        from psycopg.rows import dict_row
        from psycopg_pool import ConnectionPool

        # The saver runs one statement at a time per process (its own lock), so a small pool is enough; the
        # pool replaces a connection the server dropped (checked before it is lent) instead of failing a turn.
        self._pool = ConnectionPool(
            url,
            min_size=1,
            max_size=4,
            kwargs={"autocommit": True, "prepare_threshold": 0, "row_factory": dict_row},
            check=ConnectionPool.check_connection,
            name="pathways-sessions",
            open=False,
        )
        self._pool.open(wait=True, timeout=30)
        saver = PostgresSaver(self._pool)
        with self._pool.connection() as conn:
            # Polled, not waited for in a statement: the migrations' CREATE INDEX CONCURRENTLY waits for every
            # open statement to end, and a worker blocked in pg_advisory_lock() would never end (a deadlock
            # the server cannot see, as the lock's holder is idle).
            deadline = time.monotonic() + SETUP_TIMEOUT_S
            while not conn.execute("SELECT pg_try_advisory_lock(%s) AS got", (_SETUP_LOCK,)).fetchone()["got"]:
                if time.monotonic() > deadline:
                    raise TimeoutError(f"another process held the session-store setup lock for {SETUP_TIMEOUT_S} s")
                time.sleep(0.1)
            try:
                saver.setup()
            finally:
                conn.execute("SELECT pg_advisory_unlock(%s)", (_SETUP_LOCK,))
        return saver

    def close(self) -> None:
        """Release the session store (the pool's connections or the SQLite file)."""
        if self._pool is not None:
            self._pool.close()
        if self._connection is not None:
            self._connection.close()

    def _lock(self, session_id: str) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(session_id, threading.Lock())

    @staticmethod
    def _config(session_id: str) -> dict:
        return {"configurable": {"thread_id": session_id}}

    @contextmanager
    def _running(self, session_id: str) -> Iterator[None]:
        """One turn of the session: alone, and with its model calls and its store writes scoped to it."""
        token = _turn_writes.set(_TurnWrites())
        try:
            with self._lock(session_id), model_turn():
                yield
        finally:
            _turn_writes.reset(token)

    def _turn(self, result: dict) -> dict[str, Any]:
        return result["__interrupt__"][0].value

    def start(self, *, language: str | None = None, session_id: str | None = None) -> tuple[str, dict]:
        session_id = session_id or secrets.token_urlsafe(24)
        with self._running(session_id):
            # LangGraph's own durability here: the first input's checkpoint (source "input") is how
            # agent.retention finds each session and when it started.
            result = self.graph.invoke({"input": {"start": True, "language": language}}, self._config(session_id))
        return session_id, self._turn(result)

    def exists(self, session_id: str) -> bool:
        return self.checkpointer.get_tuple(self._config(session_id)) is not None

    def send(self, session_id: str, message: dict) -> dict[str, Any]:
        """message: {"text": ...} or {"action": {...}} (optionally "language")."""
        if not self.exists(session_id):
            raise SessionNotFound(session_id)
        with self._running(session_id):
            result = self.graph.invoke(Command(resume=message), self._config(session_id), durability=DURABILITY)
        return self._turn(result)

    def last_turn(self, session_id: str) -> dict[str, Any]:
        return self.state(session_id)["output"]

    def state(self, session_id: str) -> dict[str, Any]:
        """The session's whole journey state (what the export and the report read)."""
        snapshot = self.graph.get_state(self._config(session_id))
        if not snapshot or not snapshot.values:
            raise SessionNotFound(session_id)
        return snapshot.values

    def language(self, session_id: str) -> str | None:
        try:
            return self.state(session_id).get("language")
        except SessionNotFound:
            return None

    def delete(self, session_id: str) -> None:
        """Erase every checkpoint, blob and pending write of the session."""
        with self._lock(session_id):
            if self._pool is not None:
                self._delete_postgres(session_id)
            else:
                self.checkpointer.delete_thread(session_id)
                # Under the saver's lock, and read to the end: on the connection the other threads share, a
                # statement left open makes their next commit fail ("SQL statements in progress").
                with self.checkpointer.lock:
                    self._connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        with self._guard:
            self._locks.pop(session_id, None)

    def _delete_postgres(self, session_id: str) -> None:
        # One transaction over the three tables (the saver's delete_thread commits statement by statement).
        with self._pool.connection() as conn, conn.transaction():
            for table in ("checkpoint_writes", "checkpoint_blobs", "checkpoints"):
                conn.execute(f"DELETE FROM {table} WHERE thread_id = %s", (session_id,))
