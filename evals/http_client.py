"""A client of the public HTTP API, as the chat widget uses it: sessions with their token, turns streamed (SSE)."""

from __future__ import annotations

import base64
import json
import logging
from collections.abc import Iterator

import httpx

from evals.dialogue_runner import Failure

logging.getLogger("httpx").setLevel(logging.WARNING)


class ApiFailure(Failure):
    """The server answered with an error, or a stream that does not add up."""


class PathwaysClient:
    def __init__(
        self, base_url: str, *, timeout: float = 120.0, stream: bool = True, http: httpx.Client | None = None
    ) -> None:
        self.http = http or httpx.Client(base_url=base_url.rstrip("/"), timeout=timeout)
        self.stream = stream
        self.session_id = ""
        self._auth: dict[str, str] = {}

    def close(self) -> None:
        self.http.close()

    def start(self, language: str | None) -> dict:
        response = self._check(self.http.post("/api/sessions", json={"language": language}))
        body = response.json()
        self.session_id, self._auth = body["session_id"], {"Authorization": f"Bearer {body['token']}"}
        return body["turn"]

    def send(self, message: dict) -> dict:
        """message as the agent takes it: {"text"} or {"action"} (an upload action goes as a multipart file)."""
        action = message.get("action")
        if action and action.get("type") == "upload":
            files = {"file": (action["name"], base64.b64decode(action["data_b64"]))}
            return self._turn("uploads", files=files)
        if action:
            return self._turn("actions", json={k: v for k, v in message.items() if k in ("action", "language")})
        return self._turn("messages", json={"text": message["text"]})

    def resume(self) -> dict:
        return self._check(self.http.get(f"/api/sessions/{self.session_id}", headers=self._auth)).json()["turn"]

    def delete(self) -> None:
        self._check(self.http.delete(f"/api/sessions/{self.session_id}", headers=self._auth))

    def _turn(self, kind: str, **body) -> dict:
        url = f"/api/sessions/{self.session_id}/{kind}"
        if not self.stream:
            return self._check(self.http.post(url, headers=self._auth, **body)).json()["turn"]
        with self.http.stream("POST", url, params={"stream": "true"}, headers=self._auth, **body) as response:
            if response.status_code >= 400:
                response.read()
                self._check(response)
            return streamed_turn(response.iter_lines())

    @staticmethod
    def _check(response: httpx.Response) -> httpx.Response:
        if response.status_code >= 400:
            raise ApiFailure(f"HTTP {response.status_code}: {response.text[:300]}")
        return response


def streamed_turn(lines: Iterator[str]) -> dict:
    """The turn of an SSE reply, after checking that the streamed chunks add up to its messages."""
    chunks: dict[int, str] = {}
    turn = None
    name = ""
    for line in lines:
        if line.startswith("event:"):
            name = line[6:].strip()
        elif line.startswith("data:"):
            data = json.loads(line[5:])
            if name == "delta":
                chunks[data["index"]] = chunks.get(data["index"], "") + data["text"]
            elif name == "turn":
                turn = data
            elif name == "error":
                raise ApiFailure(f"stream error: {data}")
    if turn is None:
        raise ApiFailure("the stream ended without a turn")
    streamed = [chunks.get(i, "") for i in range(len(turn["messages"]))]
    if streamed != turn["messages"]:
        raise ApiFailure("the streamed text differs from the turn's messages")
    return turn
