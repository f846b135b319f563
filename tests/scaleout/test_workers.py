"""`pathways serve --workers 2`: one person's journey, one new connection per request, spread over two worker
processes that share the session store, loses nothing (SQLite on one machine, PostgreSQL across machines)."""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from domain.settings import PROJECT_ROOT
from evals.benchmarks.turns import journey
from evals.http_client import PathwaysClient
from evals.local_server import free_port

WORKERS = 2
START_TIMEOUT = 240  # both workers load the knowledge base and the (copied, already built) indexes
READ_BURST = 4  # concurrent read-backs: a busy worker leaves the next connection to the other
REQUEST_LINE = re.compile(r"pathways\.api \[(\d+)\]: (\{.*\})$", re.MULTILINE)


@pytest.fixture(scope="module")
def built_state(retrieval, test_settings, tmp_path_factory) -> Path:
    """A copy of the session-wide state dir, whose indexes `retrieval` built: the workers only load them."""
    state = tmp_path_factory.mktemp("workers-state") / "state"
    shutil.copytree(test_settings.state_dir, state, ignore=shutil.ignore_patterns("sessions.sqlite*"))
    return state


def _serve(state: Path, log: Path, database_url: str | None):
    port = free_port()
    env = os.environ | {
        "PATHWAYS_STATE_DIR": str(state),
        "PATHWAYS_SECRET_KEY": secrets.token_hex(32),  # one key for every worker
        "PATHWAYS_LOG_LEVEL": "INFO",
    }
    env.pop("PATHWAYS_DATABASE_URL", None)
    if database_url:
        env["PATHWAYS_DATABASE_URL"] = database_url
    command = [sys.executable, "-m", "api.cli", "serve", "--workers", str(WORKERS), "--port", str(port)]
    process = subprocess.Popen(
        command, cwd=PROJECT_ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True
    )
    return process, f"http://127.0.0.1:{port}"


def _wait_until_every_worker_is_ready(process, log: Path) -> list[int]:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        text = log.read_text(errors="replace")
        if process.poll() is not None:
            pytest.fail(f"the server exited with {process.returncode}:\n{text[-3000:]}")
        if "Application startup failed" in text:
            pytest.fail(f"a worker failed to start:\n{text[-3000:]}")
        if text.count("Application startup complete") >= WORKERS:
            return [int(p) for p in re.findall(r"Started server process \[(\d+)\]", text)]
        time.sleep(0.5)
    pytest.fail(f"{WORKERS} workers were not ready in {START_TIMEOUT} s:\n{log.read_text(errors='replace')[-3000:]}")


def _session_requests_by_worker(log: Path) -> dict[int, int]:
    """Session requests each worker answered, from the request lines the workers log."""
    served: dict[int, int] = {}
    for pid, line in REQUEST_LINE.findall(log.read_text(errors="replace")):
        if json.loads(line)["route"].startswith("/api/sessions"):
            served[int(pid)] = served.get(int(pid), 0) + 1
    return served


def _stop(process) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


@pytest.mark.parametrize("store", ["sqlite", "postgres"])
def test_a_journey_spread_over_two_workers_loses_no_state(store, built_state, request, tmp_path):
    database_url = request.getfixturevalue("postgres").create_database("workers") if store == "postgres" else None
    log = tmp_path / "server.log"
    started = time.monotonic()
    process, url = _serve(built_state, log, database_url)
    try:
        pids = _wait_until_every_worker_is_ready(process, log)
        startup = time.monotonic() - started
        assert len(pids) == WORKERS, pids
        ready = httpx.get(f"{url}/ready", timeout=30)
        assert ready.status_code == 200, ready.text

        # a new TCP connection per request, so that the kernel hands each one to either worker
        http = httpx.Client(base_url=url, timeout=120, limits=httpx.Limits(max_keepalive_connections=0))
        client = PathwaysClient(url, http=http)
        turn = client.start("it")
        requests = 1
        for step in journey("it"):
            turn = client.send(step(turn) if callable(step) else step)
            resumed = client.resume()  # read back, perhaps by the other worker: the same turn
            requests += 2
            assert resumed == turn, (turn["step"], resumed["step"])
            assert turn["language"] == "it"
        assert turn["step"] == "done"
        assert requests >= 20
        print(
            f"{store}: {WORKERS} workers ready in {startup:.1f} s; session requests per worker over the journey: "
            f"{_session_requests_by_worker(log)}"
        )
        # The kernel may hand every sequential connection to the same idle worker; read the session back in
        # concurrent bursts until both have served (bounded in time): while one worker is busy with a read, the
        # other takes the next connection. Each read, whichever worker makes it, must see the same last turn.
        deadline = time.monotonic() + 60
        with ThreadPoolExecutor(max_workers=READ_BURST) as pool:
            while time.monotonic() < deadline:
                if set(_session_requests_by_worker(log)) == set(pids):
                    break
                reads = [pool.submit(client.resume) for _ in range(READ_BURST)]
                assert all(read.result() == turn for read in reads)
        served = _session_requests_by_worker(log)
        assert set(served) == set(pids), f"a worker served nothing: {served}"

        client.delete()
        gone = http.get(f"/api/sessions/{client.session_id}", headers=client._auth)
        assert gone.status_code == 404, gone.text
        http.close()
    finally:
        _stop(process)
