"""Uploaded files live in this process's memory for the one turn that reads them, never in a checkpoint.

The upload route puts the bytes here and sends the agent `{"type": "upload", "name", "ref"}`: LangGraph then
checkpoints only the ref (the resume value, the `input` and `action` channels and their history). The
experience step takes the bytes by ref; take() pops them, and anything left over (a turn that failed before
reading its file) is dropped after TTL_S. A ref that is gone (another process, a restart) reads as no file.

In-process callers (the dialogue runner, `pathways chat`) still send the bytes inline as `data_b64`. LangGraph
serialises that value several times per turn (the resume write, the `input` and `action` channels, every
checkpoint of the turn), so this module also makes the default checkpoint serializer drop inline file bytes
from upload actions before anything is written: `install()` runs when the experience step is imported, i.e.
before any checkpointer exists. A checkpointer built with a serializer of its own is covered by `protect()`.
"""

from __future__ import annotations

import secrets
import threading
import time
from typing import Any

from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.checkpoint.serde.base import SerializerProtocol
from langgraph.checkpoint.serde.jsonplus import JsonPlusSerializer

INLINE = "data_b64"
TTL_S = 600.0

_guard = threading.Lock()
_held: dict[str, tuple[float, bytes]] = {}


def put(data: bytes) -> str:
    """Hold a file for the turn that reads it; the random ref is what the agent's input carries."""
    ref = secrets.token_urlsafe(18)
    now = time.monotonic()
    with _guard:
        for stale in [r for r, (at, _) in _held.items() if now - at > TTL_S]:
            del _held[stale]
        _held[ref] = (now, bytes(data))
    return ref


def take(ref: object) -> bytes | None:
    """The file put under ref, removed from memory; None when there is none (taken, expired, other process)."""
    with _guard:
        entry = _held.pop(str(ref), None)
    return entry[1] if entry else None


def discard(ref: str | None) -> None:
    if ref:
        take(ref)


def held() -> int:
    """How many files are in memory now (for tests and diagnostics)."""
    with _guard:
        return len(_held)


def without_inline_files(value: Any) -> Any:
    """value with the inline bytes of every upload action left out (the same object when there are none)."""
    if isinstance(value, dict):
        if value.get("type") == "upload" and INLINE in value:
            value = {k: v for k, v in value.items() if k != INLINE}
        changed = {k: without_inline_files(v) for k, v in value.items()}
        return changed if any(changed[k] is not value[k] for k in value) else value
    if isinstance(value, list | tuple):
        items = [without_inline_files(v) for v in value]
        if all(a is b for a, b in zip(items, value)):
            return value
        return type(value)(items) if isinstance(value, list) else tuple(items)
    return value


def _dump_without_inline_files(dump, obj: Any) -> tuple[str, bytes]:
    type_, data = dump(obj)
    if type_ in ("msgpack", "json") and INLINE.encode() not in data:  # the common case: nothing to look for
        return type_, data
    cleaned = without_inline_files(obj)
    return (type_, data) if cleaned is obj else dump(cleaned)


class UploadSafeSerializer(JsonPlusSerializer):
    """LangGraph's default serializer, except that upload actions are written without their inline bytes."""

    def dumps_typed(self, obj: Any) -> tuple[str, bytes]:
        return _dump_without_inline_files(super().dumps_typed, obj)


class _UploadSafeWrapper:
    """Any serializer, made upload-safe the same way (see protect())."""

    def __init__(self, inner: SerializerProtocol) -> None:
        self.inner = inner

    def dumps_typed(self, obj: Any) -> tuple[str, bytes]:
        return _dump_without_inline_files(self.inner.dumps_typed, obj)

    def loads_typed(self, data: tuple[str, bytes]) -> Any:
        return self.inner.loads_typed(data)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def install() -> None:
    """Make the upload-safe serializer the default of every checkpointer created from now on (idempotent)."""
    if not isinstance(BaseCheckpointSaver.serde, UploadSafeSerializer):
        BaseCheckpointSaver.serde = UploadSafeSerializer()


def protect(checkpointer: BaseCheckpointSaver) -> BaseCheckpointSaver:
    """Make an existing checkpointer's own serializer upload-safe (idempotent); returns the checkpointer."""
    if not isinstance(checkpointer.serde, UploadSafeSerializer | _UploadSafeWrapper):
        checkpointer.serde = _UploadSafeWrapper(checkpointer.serde)
    return checkpointer
