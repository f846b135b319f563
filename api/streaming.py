"""Server-Sent Events: the reply's messages in small chunks, then the structured turn."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

CHUNK = re.compile(r"\S+\s*")
WORDS_PER_CHUNK = 3


def event(name: str, data: object) -> str:
    return f"event: {name}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


def turn_events(turn: dict) -> Iterator[str]:
    for index, message in enumerate(turn.get("messages", [])):
        words = CHUNK.findall(message)
        for start in range(0, len(words), WORDS_PER_CHUNK):
            yield event("delta", {"index": index, "text": "".join(words[start : start + WORDS_PER_CHUNK])})
    yield event("turn", turn)
    yield event("done", {})
