"""The agent as a service: start a session, send an input, read the last turn, erase a session.

Sessions persist in the LangGraph SQLite checkpointer (one thread per session), so a session survives a
restart of the process and may continue in another one.
"""

from __future__ import annotations

import secrets
import sqlite3
import threading
from pathlib import Path
from typing import Any

from langgraph.checkpoint.sqlite import SqliteSaver
from langgraph.types import Command

from agent.context import Context, get_context
from agent.graph import build_graph


class SessionNotFound(KeyError):
    pass


class Agent:
    def __init__(self, ctx: Context | None = None, *, db_path: Path | None = None) -> None:
        self.ctx = ctx or get_context()
        self.ctx.area_vectors  # noqa: B018 - warm up once here, not on a person's first message
        path = db_path or self.ctx.settings.state_dir / "sessions.sqlite"
        path.parent.mkdir(parents=True, exist_ok=True)
        self._connection = sqlite3.connect(str(path), check_same_thread=False, timeout=30)
        self._connection.execute("PRAGMA journal_mode=WAL")
        self._connection.execute("PRAGMA secure_delete=ON")  # an erased session leaves no readable bytes behind
        self.checkpointer = SqliteSaver(self._connection)
        self.graph = build_graph(self.ctx, self.checkpointer)
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def _lock(self, session_id: str) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(session_id, threading.Lock())

    @staticmethod
    def _config(session_id: str) -> dict:
        return {"configurable": {"thread_id": session_id}}

    def _turn(self, result: dict) -> dict[str, Any]:
        return result["__interrupt__"][0].value

    def start(self, *, language: str | None = None, session_id: str | None = None) -> tuple[str, dict]:
        session_id = session_id or secrets.token_urlsafe(24)
        with self._lock(session_id):
            result = self.graph.invoke({"input": {"start": True, "language": language}}, self._config(session_id))
        return session_id, self._turn(result)

    def exists(self, session_id: str) -> bool:
        return self.checkpointer.get_tuple(self._config(session_id)) is not None

    def send(self, session_id: str, message: dict) -> dict[str, Any]:
        """message: {"text": ...} or {"action": {...}} (optionally "language")."""
        if not self.exists(session_id):
            raise SessionNotFound(session_id)
        with self._lock(session_id):
            result = self.graph.invoke(Command(resume=message), self._config(session_id))
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
        self.checkpointer.delete_thread(session_id)
        self._connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        with self._guard:
            self._locks.pop(session_id, None)
