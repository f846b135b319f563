"""Faults, each followed by a check that the session resumes at its last complete turn with nothing confirmed lost:
the model endpoint timing out, failing, answering garbage or stalling mid-stream; the server killed mid-turn; the
session store locked by another writer; the disk full while a turn is saved."""

from __future__ import annotations

import errno
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time

import httpx
import pytest

from agent.context import Context
from agent.service import Agent
from domain.settings import PROJECT_ROOT
from evals.local_server import free_port, serve_in_thread, wait_until_ready
from prompts.texts import text
from tests.faults.fault_model import FaultyModel
from tests.faults.support import EXPERIENCE, confirmed, keeps, stored_bytes

TIMEOUT_S = 1.0
UNREADABLE = "honestly I'd say I'm decent at all of that"
LOCKED_SLACK_S = 5.0  # a turn on a locked store: one busy timeout, plus the turn's own work on a busy machine


@pytest.fixture
def model():
    model = FaultyModel(late_by_s=TIMEOUT_S * 3)
    with serve_in_thread(model.app) as url:
        model.url = url
        yield model
        model.release()


def assert_resumes(agent: Agent, ctx: Context, db, sid: str, turn: dict, before: dict) -> None:
    """The session reads back as this turn, in this process and in a new one over the same store, and keeps
    everything confirmed before."""
    assert agent.last_turn(sid) == turn
    restarted = Agent(ctx, db_path=db)
    try:
        assert restarted.last_turn(sid) == turn
    finally:
        close = getattr(restarted, "close", None)
        if close is not None:
            close()
    assert keeps(confirmed(turn), before)


def test_model_faults_fall_back_and_lose_nothing(model, model_context, fresh_agent):
    ctx = model_context(model.url, model="faulty", timeout_s=TIMEOUT_S)
    faulty, db = fresh_agent(ctx)
    sid, turn = faulty.start(language="en")
    faulty.send(sid, {"text": "I want to work with industrial robots"})
    interests = faulty.send(sid, {"action": {"type": "confirm"}})
    assert interests["step"] == "experience" and interests["profile"]["interests"]
    before = confirmed(interests)

    model.set("timeout")
    rankings, started = model.calls["SkillRanking"], time.monotonic()
    skills = faulty.send(sid, {"text": EXPERIENCE})
    assert skills["step"] == "skills" and skills["pending"]["options"]
    assert model.calls["SkillRanking"] == rankings + 1 and time.monotonic() - started < TIMEOUT_S * 8
    assert_resumes(faulty, ctx, db, sid, skills, before)

    model.set("unhelpful")
    rated = faulty.send(sid, {"action": {"type": "confirm"}})
    assert rated["step"] == "proficiency" and rated["profile"]["skills"]
    before = confirmed(rated)
    for mode in ("500", "garbage", "slow_stream"):
        model.set(mode)
        reads = model.calls["ReplyReading"]
        started = time.monotonic()
        unread = faulty.send(sid, {"text": UNREADABLE})
        assert model.calls["ReplyReading"] == reads + 1, mode  # the fault was hit ...
        assert unread["step"] == "proficiency" and confirmed(unread) == before, mode  # ... and changed nothing
        assert time.monotonic() - started < TIMEOUT_S * 8, mode
        assert_resumes(faulty, ctx, db, sid, unread, before)

    model.set("unhelpful")
    quiz = faulty.send(sid, {"action": {"type": "rate", "default": 3, "levels": {}}})
    faulty.send(sid, {"action": {"type": "answer_quiz", "answers": "correct"}})
    jobs = faulty.send(sid, {"action": {"type": "next"}})
    faulty.send(sid, {"action": {"type": "choose_job", "job_id": jobs["pending"]["options"][0]["id"]}})
    faulty.send(sid, {"action": {"type": "confirm"}})
    done = faulty.send(sid, {"action": {"type": "confirm"}})
    assert done["step"] == "done" and done["profile"]["pathway"]
    assert keeps(confirmed(done), confirmed(quiz)) and set(confirmed(done)["skills"]) == set(before["skills"])
    assert all(model.faults[mode] >= 1 for mode in ("timeout", "500", "garbage", "slow_stream")), model.faults


def test_a_model_reply_dribbled_byte_by_byte_is_cut_at_the_timeout(model, model_context, fresh_agent):
    ctx = model_context(model.url, model="faulty", timeout_s=TIMEOUT_S)
    faulty, _ = fresh_agent(ctx)
    sid, _ = faulty.start(language="en")
    faulty.send(sid, {"text": "I want to work with industrial robots"})
    faulty.send(sid, {"action": {"type": "confirm"}})
    model.set("dribble")
    started = time.monotonic()
    skills = faulty.send(sid, {"text": EXPERIENCE})
    assert skills["step"] == "skills" and skills["pending"]["options"]
    assert model.faults["dribble"] == 1  # the ranking, cut at its deadline; the turn then asks the model nothing more
    assert time.monotonic() - started < TIMEOUT_S * 2.5


# -- the session store --------------------------------------------------------------------------------------------


def api_session(client, language: str):
    body = client.post("/api/sessions", json={"language": language}).json()
    return body["session_id"], {"Authorization": f"Bearer {body['token']}"}


SAID = {  # (experience, a later message that fails), in the session language
    "es": (
        "Reparo robots industriales, soluciono averías y leo planos técnicos.",
        "También programo autómatas y sueldo estructuras de acero.",
    ),
    "fr": (
        "Je répare des robots industriels, je diagnostique les pannes et je lis les plans techniques.",
        "Je programme aussi des automates et je soude des structures en acier.",
    ),
}


def to_skills(client, sid: str, auth: dict, language: str) -> dict:
    client.post(f"/api/sessions/{sid}/actions", json={"action": {"type": "confirm"}}, headers=auth)
    said = {"text": SAID[language][0]}
    turn = client.post(f"/api/sessions/{sid}/messages", json=said, headers=auth).json()["turn"]
    assert turn["step"] == "skills" and turn["pending"]["kind"] == "confirm_skills"
    assert turn["language"] == language
    return turn


def assert_unavailable(response, language: str) -> None:
    assert response.status_code == 503, response.text
    assert response.json()["error"] == {"code": "internal_error", "message": text(language, "api.internal_error")}
    assert int(response.headers["Retry-After"]) >= 1


def assert_continues_with_the_new_input(client, sid: str, auth: dict, last: dict) -> None:
    """After the failed turn (new experience text), a confirm is what gets answered: the proposal the person saw
    is confirmed, and the failed input is not applied."""
    assert client.get(f"/api/sessions/{sid}", headers=auth).json()["turn"] == last
    turn = client.post(f"/api/sessions/{sid}/actions", json={"action": {"type": "confirm"}}, headers=auth)
    assert turn.status_code == 200, turn.text
    turn = turn.json()["turn"]
    assert turn["step"] == "proficiency"
    assert [s["uri"] for s in turn["profile"]["skills"]] == [o["id"] for o in last["pending"]["options"]]
    assert keeps(confirmed(turn), confirmed(last))


def test_a_locked_session_store_answers_503_in_the_session_language_and_the_session_continues(fresh_agent, api_for):
    agent, db = fresh_agent()  # the service's own busy timeout: a locked store fails the turn within seconds
    busy_timeout_s = agent.ctx.settings.sqlite_busy_timeout_s
    assert busy_timeout_s == 5 and agent.checkpointer.conn.execute("PRAGMA busy_timeout").fetchone()[0] == 5000
    client = api_for(agent)
    sid, auth = api_session(client, "es")
    last = to_skills(client, sid, auth, "es")
    failing = {"text": SAID["es"][1]}

    writer = sqlite3.connect(db, timeout=0, isolation_level=None)
    writer.execute("BEGIN EXCLUSIVE")  # another writer holds the store for longer than the busy timeout
    try:
        started = time.monotonic()
        locked = client.post(f"/api/sessions/{sid}/messages", json=failing, headers=auth)
        assert_unavailable(locked, "es")
        assert time.monotonic() - started < busy_timeout_s + LOCKED_SLACK_S
        started = time.monotonic()
        with client.stream("POST", f"/api/sessions/{sid}/messages?stream=true", json=failing, headers=auth) as streamed:
            body = streamed.read().decode()
        assert "event: error" in body and text("es", "api.internal_error") in body
        assert time.monotonic() - started < busy_timeout_s + LOCKED_SLACK_S
        assert client.get(f"/api/sessions/{sid}", headers=auth).json()["turn"] == last  # reads still work
    finally:
        writer.rollback()
        writer.close()
    assert_continues_with_the_new_input(client, sid, auth, last)


@pytest.mark.parametrize("failing_write", ["put", "put_writes"], ids=["checkpoint", "waiting-for-input"])
def test_a_full_disk_while_saving_answers_503_and_keeps_the_last_turn(fresh_agent, api_for, monkeypatch, failing_write):
    """A turn is stored when it ends: its checkpoint, then the interrupt that waits for the next input. The disk
    fills up at either write (the second leaves a checkpoint of a turn that never finished behind)."""
    agent, _ = fresh_agent()
    client = api_for(agent)
    sid, auth = api_session(client, "fr")
    last = to_skills(client, sid, auth, "fr")
    failing = {"text": SAID["fr"][1]}
    failed = []

    def full_disk(*args, **kwargs):
        failed.append(1)
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(agent.checkpointer, failing_write, full_disk)
    assert_unavailable(client.post(f"/api/sessions/{sid}/messages", json=failing, headers=auth), "fr")
    assert failed
    assert client.get(f"/api/sessions/{sid}", headers=auth).json()["turn"] == last
    assert_unavailable(client.post(f"/api/sessions/{sid}/messages", json=failing, headers=auth), "fr")
    monkeypatch.undo()  # space again
    assert_continues_with_the_new_input(client, sid, auth, last)


# -- the server process killed mid-turn ---------------------------------------------------------------------------


class Server:
    """`python -m api.cli serve` in its own process, over a state dir of its own."""

    def __init__(self, state_dir, log_path, **env: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        environ = {k: v for k, v in os.environ.items() if not k.startswith("PATHWAYS_")}
        environ |= {"PATHWAYS_STATE_DIR": str(state_dir), "PATHWAYS_LOG_LEVEL": "WARNING", **env}
        self.log = open(log_path, "ab")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "api.cli", "serve", "--port", str(self.port)],
            cwd=PROJECT_ROOT,
            env=environ,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def wait_ready(self, timeout_s: float = 180) -> None:
        wait_until_ready(self.url, self.process, deadline=time.monotonic() + timeout_s, request_timeout_s=2, poll_s=0.2)

    def kill(self) -> None:
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()
        self.log.close()


def cv(secret: str) -> bytes:
    lines = [EXPERIENCE, "I program PLCs, weld steel frames and measure parts with callipers.", f"Ref: {secret}"]
    return ("\n\n".join(lines) + "\n").encode()


def test_a_server_killed_mid_turn_restarts_with_every_confirmed_answer(model, retrieval, test_settings, tmp_path):
    state = tmp_path / "state"
    shutil.copytree(test_settings.state_dir / "chroma", state / "chroma")  # the indexes built once for the suite
    with_model = {
        "PATHWAYS_LLM_BASE_URL": f"{model.url}/v1",
        "PATHWAYS_LLM_API_KEY": "test",
        "PATHWAYS_LLM_MODEL": "faulty",
        "PATHWAYS_LLM_TIMEOUT_S": "120",
    }
    first = Server(state, tmp_path / "server.log", **with_model)
    second = None
    try:
        first.wait_ready()
        http = httpx.Client(base_url=first.url, timeout=60)
        body = http.post("/api/sessions", json={"language": "it"}).json()
        sid, auth = body["session_id"], {"Authorization": f"Bearer {body['token']}"}
        http.post(f"/api/sessions/{sid}/actions", json={"action": {"type": "confirm"}}, headers=auth)
        http.post(f"/api/sessions/{sid}/messages", json={"text": EXPERIENCE}, headers=auth)
        http.post(f"/api/sessions/{sid}/actions", json={"action": {"type": "confirm"}}, headers=auth)
        quiz = http.post(
            f"/api/sessions/{sid}/actions", json={"action": {"type": "rate", "default": 2, "levels": {}}}, headers=auth
        ).json()["turn"]
        assert quiz["step"] == "quiz" and quiz["profile"]["skills"]
        before = confirmed(quiz)
        exported = http.get(f"/api/sessions/{sid}/export?format=jsonld", headers=auth).json()

        model.set("hang")  # the next turn waits on the model: a slow turn, killed while it runs
        secret = "Zq" + os.urandom(8).hex()
        outcome = {}

        def slow_upload():
            try:
                outcome["response"] = http.post(
                    f"/api/sessions/{sid}/uploads", files={"file": ("cv.txt", cv(secret))}, headers=auth
                )
            except httpx.HTTPError as exc:
                outcome["error"] = exc

        uploader = threading.Thread(target=slow_upload)
        uploader.start()
        assert model.entered.wait(60), "the turn never reached the model"
        first.kill()
        uploader.join(30)
        assert "error" in outcome and "response" not in outcome  # the turn died with the server
        model.release()
        db = state / "sessions.sqlite"
        assert secret.encode() not in stored_bytes(db)  # killed mid-read: the file was never stored

        second = Server(state, tmp_path / "server.log")  # restarted, without the model this time
        second.wait_ready()
        http.close()
        http = httpx.Client(base_url=second.url, timeout=60)
        resumed = http.get(f"/api/sessions/{sid}", headers=auth)
        assert resumed.status_code == 200 and resumed.json()["turn"] == quiz
        assert (
            http.get(f"/api/sessions/{sid}/export?format=jsonld", headers=auth).json()["credentialSubject"]
            == (exported["credentialSubject"])
        )

        def send(path: str, action: dict) -> dict:
            reply = http.post(f"/api/sessions/{sid}/{path}", json=action, headers=auth)
            assert reply.status_code == 200, reply.text
            return reply.json()["turn"]

        report = send("actions", {"action": {"type": "answer_quiz", "answers": "correct"}})
        assert report["step"] in ("report", "jobs") and keeps(confirmed(report), before)
        jobs = send("actions", {"action": {"type": "next"}})
        send("actions", {"action": {"type": "choose_job", "job_id": jobs["pending"]["options"][0]["id"]}})
        send("actions", {"action": {"type": "confirm"}})
        done = send("actions", {"action": {"type": "confirm"}})
        assert done["step"] == "done" and done["profile"]["pathway"]
        assert keeps(confirmed(done), before) and set(confirmed(done)["skills"]) == set(before["skills"])
    finally:
        model.release()
        first.stop()
        if second is not None:
            second.stop()
