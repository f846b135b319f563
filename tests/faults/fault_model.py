"""A local OpenAI-compatible chat endpoint that fails on demand, for fault tests over real HTTP.

One mode applies to every call until it is changed:

- "unhelpful": a well-formed reply whose JSON fits no answer schema (the model path falls back at once);
- "timeout": answers only after `late_by_s`;
- "500": a server error;
- "garbage": HTTP 200 with a body that is neither JSON nor a chat completion;
- "slow_stream": starts a well-formed reply, then pauses `late_by_s` mid-body (mid-stream for SSE requests);
- "dribble": a well-formed reply sent a few bytes at a time, each pause shorter than a read timeout, the whole
  taking `late_by_s`;
- "hang": holds the request until released (for killing the server mid-turn); `entered` is set on arrival.

Calls are counted per answer schema (the title in the system prompt), so a test can check that the fault
was really hit.
"""

from __future__ import annotations

import asyncio
import json
import re
import threading
import time
from collections import Counter

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, PlainTextResponse, StreamingResponse

from tests.agent.scripted_model import chat_completion

TITLE = re.compile(r'"title":\s*"(\w+)"')
MODES = ("unhelpful", "timeout", "500", "garbage", "slow_stream", "dribble", "hang")


class FaultyModel:
    def __init__(self, *, late_by_s: float) -> None:
        self.mode = "unhelpful"
        self.late_by_s = late_by_s
        self.calls: Counter[str] = Counter()
        self.faults: Counter[str] = Counter()
        self.entered = threading.Event()
        self.released = False
        self.app = FastAPI()
        self.app.post("/v1/chat/completions")(self.complete)

    def set(self, mode: str) -> None:
        assert mode in MODES, mode
        self.mode = mode
        self.entered.clear()

    def release(self) -> None:
        self.released = True

    async def _pause(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and not self.released:
            await asyncio.sleep(0.05)

    async def complete(self, request: Request):
        body = await request.json()
        system = body["messages"][0]["content"]
        titles = TITLE.findall(system)
        schema = titles[-1] if titles else "?"  # the answer schema's own title comes after its fields'
        mode = self.mode
        self.calls[schema] += 1
        if mode != "unhelpful":
            self.faults[mode] += 1
        self.entered.set()
        if mode == "hang":
            await self._pause(3600)
        if mode == "timeout":
            await self._pause(self.late_by_s)
        if mode == "500":
            return JSONResponse({"error": {"message": "boom", "type": "server_error"}}, status_code=500)
        if mode == "garbage":
            return PlainTextResponse("<html><body>502 Bad Gateway \x00\xff</body></html>", status_code=200)
        reply = json.dumps({"unexpected": True})
        completion = chat_completion(reply, model=body.get("model", "faulty"), completion_id="chatcmpl-fault")
        if mode == "dribble":
            text = json.dumps(completion)
            size = max(1, len(text) // 40)
            return StreamingResponse(
                self._dribble([text[i : i + size] for i in range(0, len(text), size)], pause=self.late_by_s / 40),
                media_type="application/json",
            )
        if mode != "slow_stream":
            return completion
        if body.get("stream"):
            return StreamingResponse(self._sse(completion, reply), media_type="text/event-stream")
        text = json.dumps(completion)
        return StreamingResponse(self._dribble([text[:40], text[40:]]), media_type="application/json")

    async def _dribble(self, parts: list[str], pause: float | None = None):
        for n, part in enumerate(parts):
            if n:
                await self._pause(self.late_by_s if pause is None else pause)
            yield part.encode()

    async def _sse(self, completion: dict, reply: str):
        base = {k: completion[k] for k in ("id", "created", "model")} | {"object": "chat.completion.chunk"}
        for n, piece in enumerate((reply[:5], reply[5:])):
            if n:
                await self._pause(self.late_by_s)
            delta = {"index": 0, "delta": {"role": "assistant", "content": piece}, "finish_reason": None}
            yield f"data: {json.dumps(base | {'choices': [delta]})}\n\n".encode()
        yield b"data: [DONE]\n\n"
