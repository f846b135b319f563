"""A turn that did not finish (storage error, full disk, a killed process) leaves no half-applied state behind.

The agent stores a turn when it ends (agent.service.DURABILITY): its checkpoint, then the interrupt that
waits for the next input. A turn that raises stores the checkpoint it reached (LangGraph saves on the way
out), and one whose store write fails may leave that checkpoint without its interrupt; either way the latest
checkpoint is mid-turn, and the next input would finish the failed turn with the old input and answer that,
while the new input would be dropped. (A session's first turn is stored node by node, LangGraph's default: the
latest checkpoint may then also be the last complete one with the failed turn's resume value pending on it;
handled alike.)

`rewind()` makes the last complete turn current again: it copies that turn's checkpoint (LangGraph's
`__copy__` fork: same values, no pending writes) so that it becomes the latest one. Everything confirmed
up to that turn is kept, the failed turn is not applied, and the next input is the one answered. It uses
only the checkpointer API (get_tuple, list) and the graph's update_state, so it works for any saver.

`turn()` wraps one turn: one turn at a time per session in this process, rewind before it if an earlier one
did not finish, and after it if it fails. `settled_state()` reads the last complete turn without writing
(the store may still be full or locked).
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from langgraph.checkpoint.base import CheckpointTuple

log = logging.getLogger("pathways.recovery")

INTERRUPT = "__interrupt__"  # LangGraph's channel for interrupt() values (its constant is private)
FORK = "fork"  # metadata "source" of a checkpoint copied by update_state(..., as_node="__copy__")


def _channels(saved: CheckpointTuple) -> set[str]:
    return {write[1] for write in saved.pending_writes or ()}


def _turn_boundary(saved: CheckpointTuple) -> bool:
    """A checkpoint where a complete turn waits for input (or a copy of one)."""
    return INTERRUPT in _channels(saved) or (saved.metadata or {}).get("source") == FORK


def _settled(saved: CheckpointTuple) -> bool:
    """A turn boundary with nothing of a later turn pending on it."""
    return _turn_boundary(saved) and _channels(saved) <= {INTERRUPT}


def _config(session_id: str) -> dict:
    return {"configurable": {"thread_id": session_id, "checkpoint_ns": ""}}


def _last_boundary(checkpointer, session_id: str) -> dict | None:
    """The config of the newest checkpoint where a complete turn waits for input."""
    listing = checkpointer.list(_config(session_id))  # newest first; a saver may hold a lock while listing
    try:
        for saved in listing:
            if _turn_boundary(saved):
                return saved.config
    finally:
        close = getattr(listing, "close", None)
        if close is not None:
            close()
    return None


def rewind(agent, session_id: str) -> bool:
    """Make the last complete turn current again if a later one did not finish; True if it did so."""
    latest = agent.checkpointer.get_tuple(_config(session_id))
    if latest is None or _settled(latest):
        return False
    target = _last_boundary(agent.checkpointer, session_id)
    if target is None:
        return False
    agent.graph.update_state(target, None, as_node="__copy__")
    log.warning(json.dumps({"event": "unfinished_turn_rewound", "session": session_id[:6]}))
    return True


def settled_state(agent, session_id: str) -> dict[str, Any]:
    """The session's state as its last complete turn left it, without writing anything: a turn that is running,
    or that stopped half-way, is not shown (what the person last received, and what the export reads)."""
    latest = agent.checkpointer.get_tuple(_config(session_id))
    if latest is None or _settled(latest):
        return agent.state(session_id)
    target = _last_boundary(agent.checkpointer, session_id)
    snapshot = agent.graph.get_state(target) if target is not None else None
    return snapshot.values if snapshot and snapshot.values else agent.state(session_id)


class _SessionLocks:
    """One lock per session in use (entries go when nobody holds or waits for them)."""

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._entries: dict[str, list] = {}

    @contextmanager
    def hold(self, session_id: str) -> Iterator[None]:
        with self._guard:
            entry = self._entries.setdefault(session_id, [threading.Lock(), 0])
            entry[1] += 1
        try:
            with entry[0]:
                yield
        finally:
            with self._guard:
                entry[1] -= 1
                if not entry[1]:
                    self._entries.pop(session_id, None)


_locks = _SessionLocks()


@contextmanager
def turn(agent, session_id: str) -> Iterator[None]:
    """Run one turn of a session: never two at once in this process, and never on top of an unfinished one."""
    with _locks.hold(session_id):
        rewind(agent, session_id)
        try:
            yield
        except Exception:
            try:  # at once if the store is writable again; else the next turn does it
                rewind(agent, session_id)
            except Exception as exc:
                log.warning(json.dumps({"event": "rewind_deferred", "error": type(exc).__name__}))
            raise
