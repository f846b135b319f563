"""`pathways bench http`: time to the first streamed chunk and to the complete reply, per turn, over HTTP.

Whole journeys in the six languages go through the public API exactly as the widget sends them (SSE), and
again as plain JSON. Without --url the server runs in this process on a free port.
"""

from __future__ import annotations

import time
from contextlib import nullcontext

import httpx
from pydantic import BaseModel

from evals.benchmarks.stats import percentile
from evals.benchmarks.turns import JOURNEY_TEXT, journey
from evals.http_client import streamed_turn


class HttpBench(BaseModel):
    url: str
    journeys: int
    turns: int
    first_chunk_ms_p50: float
    first_chunk_ms_p95: float
    streamed_reply_ms_p50: float
    streamed_reply_ms_p95: float
    json_reply_ms_p50: float
    json_reply_ms_p95: float


def run(*, url: str | None = None, rounds: int = 1) -> HttpBench:
    server = nullcontext(url) if url else _local_server()
    with server as base, httpx.Client(base_url=base, timeout=120) as http:
        first, streamed, plain, journeys = [], [], [], 0
        for _ in range(rounds):
            for lang in JOURNEY_TEXT:
                for stream in (True, False):
                    created = http.post("/api/sessions", json={"language": lang}).raise_for_status().json()
                    sid, turn = created["session_id"], created["turn"]
                    auth = {"Authorization": f"Bearer {created['token']}"}
                    for step in journey(lang):
                        message = step(turn) if callable(step) else step
                        kind = "messages" if "text" in message else "actions"
                        path = f"/api/sessions/{sid}/{kind}"
                        started = time.perf_counter()
                        if stream:
                            turn, first_at = _streamed(http, path, message, auth)
                            first.append((first_at - started) * 1000)
                            streamed.append((time.perf_counter() - started) * 1000)
                        else:
                            turn = http.post(path, json=message, headers=auth).raise_for_status().json()["turn"]
                            plain.append((time.perf_counter() - started) * 1000)
                    journeys += 1
    return HttpBench(
        url=base,
        journeys=journeys,
        turns=len(streamed) + len(plain),
        first_chunk_ms_p50=round(percentile(first, 50), 1),
        first_chunk_ms_p95=round(percentile(first, 95), 1),
        streamed_reply_ms_p50=round(percentile(streamed, 50), 1),
        streamed_reply_ms_p95=round(percentile(streamed, 95), 1),
        json_reply_ms_p50=round(percentile(plain, 50), 1),
        json_reply_ms_p95=round(percentile(plain, 95), 1),
    )


def _streamed(http: httpx.Client, path: str, message: dict, auth: dict) -> tuple[dict, float]:
    first_at = 0.0
    lines = []
    with http.stream("POST", path, params={"stream": "true"}, json=message, headers=auth) as response:
        response.raise_for_status()
        for line in response.iter_lines():
            if not first_at and line.startswith("event: delta"):
                first_at = time.perf_counter()
            lines.append(line)
    return streamed_turn(iter(lines)), first_at or time.perf_counter()


def _local_server():
    from api.app import create_app
    from domain.settings import get_settings
    from evals.local_server import serve_in_thread

    return serve_in_thread(create_app(settings=get_settings().model_copy(update={"rate_limit_ip": 10**6})))
