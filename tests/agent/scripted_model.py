"""A local OpenAI-compatible chat endpoint that answers from a script, per answer schema, for tests over HTTP.

Each schema (ReplyReading, SkillRanking, SourcedAnswer, Wording) has a queue of behaviours; a call takes the next one:
a dict is sent back as the JSON answer, "500" is a server error, "timeout" answers too late, "malformed" is
broken JSON. An empty queue answers "unclear"-like nonsense that fails validation.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections import defaultdict, deque

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

SCHEMA_TITLE = re.compile(r'"title":\s*"(ReplyReading|SkillRanking|SourcedAnswer|Wording)"')


def chat_completion(content: str, *, model: str, completion_id: str = "chatcmpl-test") -> dict:
    """An OpenAI chat-completion body whose one choice says `content` (what every test endpoint answers in)."""
    return {
        "id": completion_id,
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
    }


class ScriptedModel:
    def __init__(self, *, late_by_s: float) -> None:
        self.queues: dict[str, deque] = defaultdict(deque)
        self.calls: list[tuple[str, object, dict]] = []
        self.late_by_s = late_by_s
        self.app = FastAPI()
        self.app.post("/v1/chat/completions")(self.complete)

    def script(self, schema: str, *behaviours) -> None:
        self.queues[schema].extend(behaviours)

    async def complete(self, request: Request):
        body = await request.json()
        system, user = body["messages"][0]["content"], body["messages"][-1]["content"]
        match = SCHEMA_TITLE.search(system)
        schema = match.group(1) if match else "?"
        behaviour = self.queues[schema].popleft() if self.queues[schema] else {"nonsense": True}
        self.calls.append((schema, behaviour, json.loads(user)))
        if behaviour == "500":
            return JSONResponse({"error": {"message": "boom"}}, status_code=500)
        if behaviour == "timeout":
            await asyncio.sleep(self.late_by_s)
            behaviour = {"keep": []}
        content = "{not json at all" if behaviour == "malformed" else json.dumps(behaviour)
        return chat_completion(content, model=body.get("model", "scripted"))
