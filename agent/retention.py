"""Session retention: erase the sessions nobody has touched for PATHWAYS_SESSION_RETENTION_DAYS days.

Written against the checkpointer API only (list, get_tuple), so it works for SQLite and PostgreSQL alike:

- every session starts with one checkpoint whose metadata source is "input" (LangGraph writes it for the
  first input of a thread; a resumed turn writes "loop" ones), so listing those, page by page, names each
  session once, with its creation time;
- a session created before the cutoff is idle if its latest checkpoint's "ts" is before the cutoff too;
- it is then erased with the agent's own delete (every checkpoint, blob and pending write).

Pages are small so that a saver that holds a lock while listing (SqliteSaver does) never blocks turns for
long. Run it from cron or a systemd timer (`pathways sessions purge`); the API also runs it at most once an
hour per process, after a session is created (`purge_if_due`).
"""

from __future__ import annotations

import json
import logging
import threading
import time
from datetime import UTC, datetime, timedelta

log = logging.getLogger("pathways.retention")

PAGE = 200
EVERY_S = 3600.0


def utcnow() -> datetime:
    """The clock purge_idle reads when not given one (tests replace it)."""
    return datetime.now(UTC)


def _utc(ts: str) -> datetime:
    moment = datetime.fromisoformat(ts)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _created_before(checkpointer, cutoff: datetime) -> list[str]:
    """Sessions whose first checkpoint is older than cutoff."""
    found: list[str] = []
    before = None
    while True:
        listing = checkpointer.list(None, filter={"source": "input"}, before=before, limit=PAGE)
        try:
            page = [(saved.config, saved.checkpoint.get("ts", "")) for saved in listing]
        finally:
            close = getattr(listing, "close", None)
            if close is not None:
                close()
        for config, ts in page:
            if (config["configurable"].get("checkpoint_ns") or "") == "" and ts and _utc(ts) < cutoff:
                found.append(config["configurable"]["thread_id"])
        if len(page) < PAGE:
            return list(dict.fromkeys(found))
        before = {"configurable": {"checkpoint_id": page[-1][0]["configurable"]["checkpoint_id"]}}


def last_active(checkpointer, session_id: str) -> datetime | None:
    """When the session's latest checkpoint was written (None: no such session)."""
    saved = checkpointer.get_tuple({"configurable": {"thread_id": session_id, "checkpoint_ns": ""}})
    return _utc(saved.checkpoint["ts"]) if saved is not None else None


def idle_sessions(checkpointer, days: float, *, now: datetime | None = None) -> list[str]:
    cutoff = (now or utcnow()) - timedelta(days=days)
    idle = []
    for session_id in _created_before(checkpointer, cutoff):
        active = last_active(checkpointer, session_id)
        if active is not None and active < cutoff:
            idle.append(session_id)
    return idle


def purge_idle(agent, days: float, now: datetime | None = None) -> list[str]:
    """Erase every session whose last checkpoint is older than `days` days; 0 keeps everything. Returns the
    erased session ids."""
    if days <= 0:
        return []
    started = time.perf_counter()
    purged = []
    for session_id in idle_sessions(agent.checkpointer, days, now=now):
        agent.delete(session_id)
        purged.append(session_id)
    log.info(
        json.dumps(
            {
                "event": "sessions_purged",
                "count": len(purged),
                "retention_days": days,
                "ms": round((time.perf_counter() - started) * 1000, 1),
            }
        )
    )
    return purged


_last_run: dict[int, float] = {}
_guard = threading.Lock()


def monotonic() -> float:
    """The clock purge_if_due reads (tests replace it)."""
    return time.monotonic()


def purge_if_due(agent, days: float, *, every_s: float = EVERY_S) -> list[str] | None:
    """purge_idle at most once every `every_s` seconds per agent in this process; None when not due (or
    another thread is at it). Failures are logged, never raised: this runs beside a person's request."""
    if days <= 0:
        return None
    now = monotonic()
    with _guard:
        last = _last_run.get(id(agent))
        if last is not None and now - last < every_s:
            return None
        _last_run[id(agent)] = now
    try:
        return purge_idle(agent, days)
    except Exception:
        log.exception("session purge failed")
        return None
