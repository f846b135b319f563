"""`pathways load`: complete journeys by many people at once against the HTTP API, per concurrency level.

Bounded on purpose: loopback servers only, a fixed number of sessions and turns per level, a deadline per
level; it stops by itself. Each simulated person has their own HTTP connection (as a browser tab has), runs a
whole journey (evals.benchmarks.turns.journey, in the six languages in turn) and erases the session. They do
not pause between turns unless --think-ms says so; then the first ones arrive spread over one pause. Without
--url the server is started as a subprocess (`pathways serve --workers N`) on a free port over the
configured state dir, with the rate limits raised.

Every level records the machine's load average when it started and, for a server started here, the CPU time
its processes spent per turn: on a shared machine the latencies depend on the other jobs, the CPU per turn
hardly does. The scripted journeys repeat the same few texts, so after the warm-up the server's query-vector
cache (vectorstore.embeddings.QueryCache) serves every one of them: people writing their own text cost the
embedding of each sentence and clause of it on top (20-30 ms of CPU each, measured on the 2-core machine).
"""

from __future__ import annotations

import ipaddress
import os
import random
import secrets
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, nullcontext
from pathlib import Path
from urllib.parse import urlparse

import httpx
from pydantic import BaseModel

from domain.languages import LANGS
from domain.settings import PROJECT_ROOT
from evals.benchmarks.stats import percentile
from evals.benchmarks.turns import journey
from evals.http_client import PathwaysClient
from evals.local_server import cpu_seconds, free_port, wait_until_ready

DEFAULT_LEVELS = (1, 10, 50, 100)
LEVEL_DEADLINE_S = 600.0
QUESTION = {"text": "What is EQF 5?"}  # a turn that is valid at any step, for journeys longer than the script


class LevelResult(BaseModel):
    concurrency: int
    sessions: int
    sessions_completed: int
    turns: int  # the opening turn of each session included
    errors: int
    seconds: float
    turns_per_s: float
    turn_ms_p50: float
    turn_ms_p95: float
    turn_ms_p99: float
    turn_ms_max: float
    first_error: str | None = None
    load_average: float | None = None  # of the machine over the last minute, when the level started
    server_cpu_ms_per_turn: float | None = None  # CPU of the server's processes per turn (a server started here)


class LoadReport(BaseModel):
    url: str
    server: str
    turns_per_session: int
    think_ms: int
    levels: list[LevelResult]


def require_loopback(url: str) -> str:
    """The URL, if its host is this machine (127.0.0.0/8, ::1 or localhost); a load test never goes elsewhere."""
    host = urlparse(url).hostname or ""
    try:
        loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        raise ValueError(f"refusing to load {url!r}: only loopback servers (127.0.0.1, ::1, localhost) are allowed")
    return url.rstrip("/")


def session_inputs(lang: str, turns: int) -> list:
    """`turns` inputs: the journey's, cut short or followed by questions (answerable at any step)."""
    steps = journey(lang)
    return steps[:turns] + [QUESTION] * max(0, turns - len(steps))


def run_session(
    base_url: str, lang: str, turns: int, *, think_s: float = 0.0, seed: int = 0, timeout: float = 60.0
) -> list[float]:
    """One person's journey over HTTP, then its erasure; the latency of each turn (ms). Raises on any error.

    think_s: the mean pause before each turn (drawn uniformly between half and one and a half of it)."""
    rng = random.Random(seed)
    http = httpx.Client(base_url=base_url, timeout=timeout)
    client = PathwaysClient(base_url, stream=False, http=http)
    latencies = []
    try:
        started = time.perf_counter()
        turn = client.start(lang)
        latencies.append((time.perf_counter() - started) * 1000)
        for step in session_inputs(lang, turns):
            if think_s:
                time.sleep(think_s * rng.uniform(0.5, 1.5))
            message = step(turn) if callable(step) else step
            started = time.perf_counter()
            turn = client.send(message)
            latencies.append((time.perf_counter() - started) * 1000)
        if turns >= len(journey(lang)) and turn["step"] != "done":
            raise RuntimeError(f"the journey ended at step {turn['step']!r}, not 'done'")
        client.delete()
    finally:
        client.close()
    return latencies


def run_level(
    base_url: str,
    *,
    concurrency: int,
    sessions: int,
    turns: int,
    think_ms: int = 0,
    deadline_s: float = LEVEL_DEADLINE_S,
    server_pid: int | None = None,
) -> LevelResult:
    """`sessions` journeys, `concurrency` at a time; sessions not started by the deadline count as errors.

    server_pid: a server process of this machine (and its workers), whose CPU time per turn is measured."""
    load_average = _load_average()
    server_cpu = _server_cpu_seconds(server_pid) if server_pid else None
    latencies: list[float] = []
    errors: list[str] = []
    completed = 0
    lock = threading.Lock()
    stop_at = time.monotonic() + deadline_s

    def person(index: int) -> None:
        nonlocal completed
        if time.monotonic() > stop_at:
            with lock:
                errors.append("deadline passed before the session started")
            return
        if think_ms and index < concurrency:  # people arrive spread over one pause, not all in the same instant
            time.sleep(index * think_ms / 1000 / concurrency)
        try:
            measured = run_session(base_url, LANGS[index % len(LANGS)], turns, think_s=think_ms / 1000, seed=index)
        except Exception as exc:  # a failed journey is counted, and the others go on
            with lock:
                errors.append(f"{type(exc).__name__}: {exc}"[:300])
            return
        with lock:
            latencies.extend(measured)
            completed += 1

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="person") as pool:
        list(pool.map(person, range(sessions)))
    seconds = time.perf_counter() - started
    if server_cpu is not None:
        server_cpu = _server_cpu_seconds(server_pid) - server_cpu
    return LevelResult(
        concurrency=concurrency,
        sessions=sessions,
        sessions_completed=completed,
        turns=len(latencies),
        errors=len(errors),
        seconds=round(seconds, 2),
        turns_per_s=round(len(latencies) / seconds, 1) if seconds else 0.0,
        turn_ms_p50=round(percentile(latencies, 50), 1),
        turn_ms_p95=round(percentile(latencies, 95), 1),
        turn_ms_p99=round(percentile(latencies, 99), 1),
        turn_ms_max=round(max(latencies, default=0.0), 1),
        first_error=errors[0] if errors else None,
        load_average=load_average,
        server_cpu_ms_per_turn=round(server_cpu * 1000 / len(latencies), 1)
        if server_cpu is not None and latencies
        else None,
    )


def _load_average() -> float | None:
    try:
        return round(os.getloadavg()[0], 2)
    except OSError:
        return None


def _server_cpu_seconds(pid: int) -> float:
    """The process and its children (the workers of `pathways serve --workers N`)."""
    return cpu_seconds(pid) + sum(cpu_seconds(child) for child in _children(pid))


class LocalServer(BaseModel):
    url: str
    pid: int
    workers: int


@contextmanager
def local_server(
    *, workers: int = 2, env: dict[str, str] | None = None, start_timeout: float = 600.0, log: Path | None = None
) -> Iterator[LocalServer]:
    """`pathways serve --workers N` on a free loopback port, ready, with the rate limits raised; stopped after.

    With several workers the indexes are built or loaded first by `pathways index build`, so that no worker
    serves while another still builds (the build lock makes them build one at a time, and only once)."""
    environment = os.environ | {
        "PATHWAYS_RATE_LIMIT_SESSION": "100000",
        "PATHWAYS_RATE_LIMIT_IP": "1000000",
        "PATHWAYS_LOG_LEVEL": "WARNING",  # no line per request: logging is not what is measured
    }
    environment.setdefault("PATHWAYS_SECRET_KEY", secrets.token_hex(32))
    environment |= env or {}
    if workers > 1:
        subprocess.run(
            [sys.executable, "-m", "api.cli", "index", "build"],
            cwd=PROJECT_ROOT,
            env=environment,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=start_timeout,
        )
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    out = log.open("w") if log else subprocess.DEVNULL
    process = subprocess.Popen(
        [sys.executable, "-m", "api.cli", "serve", "--workers", str(workers), "--port", str(port)],
        cwd=PROJECT_ROOT,
        env=environment,
        stdout=out,
        stderr=subprocess.STDOUT,
    )
    try:
        _wait_ready(url, process, start_timeout, workers)
        yield LocalServer(url=url, pid=process.pid, workers=workers)
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        if log:
            out.close()


def _wait_ready(url: str, process: subprocess.Popen, timeout: float, workers: int) -> None:
    deadline = time.monotonic() + timeout
    wait_until_ready(url, process, deadline=deadline)
    # /ready answers once one worker is up; the others load in parallel, so give them their turn to finish
    # (a worker only accepts connections once it is ready) by waiting for the load to settle.
    if workers > 1:
        _wait_children_idle(process.pid, deadline)


def _children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _wait_children_idle(pid: int, deadline: float) -> None:
    """Until the server's processes use under a tenth of a core for a second (every worker has loaded)."""
    previous = sum(cpu_seconds(p) for p in _children(pid))
    while time.monotonic() < deadline:
        time.sleep(1.0)
        now = sum(cpu_seconds(p) for p in _children(pid))
        if now - previous < 0.1:
            return
        previous = now


def warm_up(base_url: str, workers: int, turns: int) -> None:
    """A few journeys first (each worker's first extraction loads what it loads lazily); not measured."""
    run_level(base_url, concurrency=max(2, workers * 2), sessions=max(6, workers * 3), turns=turns)


def run(
    *,
    url: str | None = None,
    levels: tuple[int, ...] = DEFAULT_LEVELS,
    turns: int | None = None,
    sessions: int | None = None,
    think_ms: int = 0,
    workers: int = 2,
) -> LoadReport:
    """Each level runs max(concurrency, 20) sessions (or `sessions`), so that low levels also have samples."""
    turns = turns if turns is not None else len(journey("en"))
    server = nullcontext(None) if url else local_server(workers=workers)
    with server as local:
        base = require_loopback(url) if url else local.url
        warm_up(base, workers, turns)
        results = [
            run_level(
                base,
                concurrency=level,
                sessions=sessions or max(level, 20),
                turns=turns,
                think_ms=think_ms,
                server_pid=local.pid if local else None,
            )
            for level in levels
        ]
    return LoadReport(
        url=base,
        server=f"given ({url})" if url else f"pathways serve --workers {workers} (subprocess)",
        turns_per_session=turns,
        think_ms=think_ms,
        levels=results,
    )
