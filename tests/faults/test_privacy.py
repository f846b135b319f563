"""Privacy: an uploaded file is never stored, idle sessions are purged, an erased session leaves nothing behind
(session store, logs, vector store), and the export holds the confirmed profile.

"Nothing behind" is checked on the bytes on disk: the SQLite file and its -wal, searched for the session id and
for a marker only the person typed or uploaded."""

from __future__ import annotations

import base64
import html
import json
import logging
import re
import sqlite3
import uuid
from datetime import timedelta

from langgraph.checkpoint.serde.jsonplus import JsonPlusSerializer
from langgraph.checkpoint.sqlite import SqliteSaver
from langgraph.types import Command

from agent import retention, uploads
from agent.graph import build_graph
from api import cli
from evals.http_client import PathwaysClient
from tests.faults.support import EXPERIENCE, confirmed, stored_bytes, tree_bytes


def marker() -> str:
    return f"Zq{uuid.uuid4().hex[:16]}Xj"


def cv(secret: str) -> bytes:
    return (
        "Maintenance technician, ten years.\n\n"
        "I repair industrial robots, troubleshoot faults and read engineering drawings.\n\n"
        f"Ref: {secret}\n"
    ).encode()


def new_session(client, language="en"):
    body = client.post("/api/sessions", json={"language": language}).json()
    return body["session_id"], {"Authorization": f"Bearer {body['token']}"}


def stored_inputs(checkpointer, session_id: str) -> list:
    """The input each stored checkpoint of the session holds (a turn's checkpoint: what that turn received)."""
    saved = checkpointer.list({"configurable": {"thread_id": session_id}})
    return [s.checkpoint["channel_values"].get("input") for s in saved]


def test_an_uploaded_file_never_reaches_the_session_store(fresh_agent, api_for):
    agent, db = fresh_agent()
    client = api_for(agent)
    sid, auth = new_session(client)
    client.post(f"/api/sessions/{sid}/actions", json={"action": {"type": "confirm"}}, headers=auth)
    first, second = marker(), marker()
    reply = client.post(f"/api/sessions/{sid}/uploads", files={"file": ("cv.txt", cv(first))}, headers=auth)
    turn = reply.json()["turn"]
    assert turn["step"] == "skills" and turn["pending"]["options"], reply.text
    assert first not in json.dumps(turn)  # the evidence excerpts are the sentences that show a skill
    with client.stream(
        "POST", f"/api/sessions/{sid}/uploads?stream=true", files={"file": ("cv2.txt", cv(second))}, headers=auth
    ) as streamed:
        assert streamed.status_code == 200 and "event: turn" in streamed.read().decode()

    stored = stored_bytes(db)
    assert sid.encode() in stored  # the session is there ...
    for secret in (first, second, base64.b64encode(cv(first)).decode(), base64.b64encode(cv(second)).decode()):
        assert secret.encode() not in stored  # ... its files are not
    resumed = [v for v in stored_inputs(agent.checkpointer, sid) if "action" in json.dumps(v)]
    uploaded = [v for v in resumed if '"upload"' in json.dumps(v)]
    assert uploaded and all('"ref"' in json.dumps(v) and "data_b64" not in json.dumps(v) for v in uploaded)
    assert uploads.held() == 0  # and nothing is left in memory after the turns

    confirmed_turn = client.post(f"/api/sessions/{sid}/actions", json={"action": {"type": "confirm"}}, headers=auth)
    assert confirmed_turn.json()["turn"]["step"] == "proficiency"
    assert confirmed_turn.json()["turn"]["profile"]["skills"]


def test_inline_upload_bytes_are_left_out_of_every_checkpoint(fresh_agent, tmp_path):
    """The dialogue runner and `pathways chat` send the file inline (data_b64); the serializer leaves it out. The
    same turn through LangGraph's plain serializer shows what would be stored otherwise."""
    agent, db = fresh_agent()
    secret = marker()
    inline = base64.b64encode(cv(secret)).decode()
    upload = {"action": {"type": "upload", "name": "cv.txt", "data_b64": inline}}
    sid, _ = agent.start(language="en")
    agent.send(sid, {"action": {"type": "confirm"}})
    turn = agent.send(sid, upload)
    assert turn["step"] == "skills" and turn["pending"]["options"]
    stored = stored_bytes(db)
    assert inline.encode() not in stored and secret.encode() not in stored and b"data_b64" not in stored
    resumed = [v for v in stored_inputs(agent.checkpointer, sid) if '"upload"' in json.dumps(v)]
    assert resumed and all("data_b64" not in json.dumps(v) and '"cv.txt"' in json.dumps(v) for v in resumed)

    plain_db = tmp_path / "plain.sqlite"
    plain = SqliteSaver(sqlite3.connect(plain_db, check_same_thread=False), serde=JsonPlusSerializer())
    graph = build_graph(agent.ctx, plain)
    config = {"configurable": {"thread_id": "control"}}
    graph.invoke({"input": {"start": True, "language": "en"}}, config)
    graph.invoke(Command(resume={"action": {"type": "confirm"}}), config)
    graph.invoke(Command(resume=upload), config)
    plain.conn.close()
    assert stored_bytes(plain_db).count(inline.encode()) >= 3  # resume writes, input and action channels


def test_idle_sessions_are_purged_by_their_last_activity_not_their_creation(fresh_agent):
    agent, _ = fresh_agent()
    early, _ = agent.start(language="en")
    idle, _ = agent.start(language="es")
    agent.send(idle, {"action": {"type": "confirm"}})
    idle_since = retention.last_active(agent.checkpointer, idle)
    agent.send(early, {"action": {"type": "confirm"}})  # created first, active last
    assert retention.last_active(agent.checkpointer, early) > idle_since

    clock = idle_since + timedelta(days=30, milliseconds=1)  # a fake "now": 30 days and a moment later
    assert retention.idle_sessions(agent.checkpointer, 30, now=clock - timedelta(days=1)) == []
    assert retention.purge_idle(agent, 0, now=clock + timedelta(days=3650)) == []  # 0 = keep forever
    assert retention.purge_idle(agent, 30, now=clock) == [idle]
    assert not agent.exists(idle) and agent.exists(early)
    assert agent.last_turn(early)["step"] == "experience"
    assert retention.purge_idle(agent, 30, now=clock + timedelta(days=1)) == [early]
    assert not agent.exists(early)


def test_the_api_purges_at_most_once_an_hour_per_process(fresh_agent, api_for, monkeypatch):
    agent, _ = fresh_agent()
    client = api_for(agent, session_retention_days=30)
    clock = {"now": 1_000_000.0}
    runs = []
    monkeypatch.setattr(retention, "_last_run", {})
    monkeypatch.setattr(retention, "monotonic", lambda: clock["now"])
    monkeypatch.setattr(retention, "purge_idle", lambda agent, days, now=None: runs.append(days) or [])
    for minutes in (0, 1, 30, 59, 61, 62, 125):
        clock["now"] = 1_000_000.0 + minutes * 60
        assert client.post("/api/sessions", json={"language": "en"}).status_code == 201
    assert runs == [30, 30, 30]  # at 0, 61 and 125 minutes
    off = api_for(agent, session_retention_days=0)
    clock["now"] += 7200
    assert off.post("/api/sessions", json={}).status_code == 201 and len(runs) == 3


def test_pathways_sessions_purge_erases_idle_sessions(fresh_agent, monkeypatch, capsys):
    agent, _ = fresh_agent()
    sid, _ = agent.start(language="it")
    later = retention.last_active(agent.checkpointer, sid) + timedelta(days=8)
    monkeypatch.setattr(retention, "utcnow", lambda: later)
    monkeypatch.setattr("agent.service.Agent", lambda *a, **k: agent)
    monkeypatch.setattr(agent, "close", lambda: None, raising=False)
    assert cli.main(["sessions", "purge", "--days", "0"]) == 0 and agent.exists(sid)
    assert cli.main(["sessions", "purge", "--days", "10"]) == 0 and agent.exists(sid)
    assert cli.main(["sessions", "purge", "--days", "7"]) == 0 and not agent.exists(sid)
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines == [
        "retention is off (PATHWAYS_SESSION_RETENTION_DAYS=0): no session erased",
        "erased 0 session(s) idle for more than 10 day(s)",
        "erased 1 session(s) idle for more than 7 day(s)",
    ]


def journey(client, language: str, secret: str) -> tuple[PathwaysClient, list[dict], list[str]]:
    """A whole journey over the API (streamed turns), with the secret in what the person types."""
    api = PathwaysClient("", http=client)
    typed = [f"I want to work with industrial robots, friends call me {secret}", f"{EXPERIENCE} I am {secret}."]
    turns = [api.start(language)]
    turns.append(api.send({"text": typed[0]}))
    turns.append(api.send({"action": {"type": "confirm"}}))
    turns.append(api.send({"text": typed[1]}))
    turns.append(api.send({"action": {"type": "confirm"}}))
    turns.append(api.send({"action": {"type": "rate", "default": 3, "levels": {}}}))
    turns.append(api.send({"action": {"type": "answer_quiz", "answers": "correct"}}))
    turns.append(api.send({"action": {"type": "next"}}))
    turns.append(api.send({"action": {"type": "choose_job", "job_id": turns[-1]["pending"]["options"][0]["id"]}}))
    turns.append(api.send({"action": {"type": "confirm"}}))
    turns.append(api.send({"action": {"type": "confirm"}}))
    assert turns[-1]["step"] == "done", turns[-1]["messages"]
    return api, turns, typed


def test_the_export_holds_the_confirmed_profile_and_erasing_leaves_nothing_behind(
    fresh_agent, api_for, test_settings, caplog
):
    caplog.set_level(logging.DEBUG)
    agent, db = fresh_agent()
    client = api_for(agent)
    for _ in range(12):  # other people's sessions around it: the store's tables and indexes span many pages
        other, auth = new_session(client)
        client.post(f"/api/sessions/{other}/actions", json={"action": {"type": "confirm"}}, headers=auth)
    secret = marker()
    api, turns, typed = journey(client, "en", secret)
    sid, auth, done = api.session_id, api._auth, confirmed(turns[-1])
    assert done["skills"] and done["target_job"] and done["pathway"]["steps"]

    document = client.get(f"/api/sessions/{sid}/export?format=jsonld", headers=auth).json()
    exported = {
        outcome["relatedESCOSkill"][0]["id"]: outcome["proficiencyLevel"]
        for outcome in document["credentialSubject"]["skillProfile"]
    }
    assert exported == done["skills"]
    job = turns[-1]["profile"]["target_job"]
    assert document["targetOccupation"]["id"] == job["uri"]
    steps = [s["credential_id"] for s in done["pathway"]["steps"]]
    assert [o["id"].rsplit(":", 1)[1] for o in document["learningPathway"]["learningOpportunity"]] == steps
    report = client.get(f"/api/sessions/{sid}/export?format=html", headers=auth).text
    for skill in turns[-1]["profile"]["skills"]:
        row = re.search(rf"<tr><th scope='row'>{re.escape(html.escape(skill['label']))}</th>(.*?)</tr>", report)
        assert row and row.group(1).count("class='on'") == skill["level"], skill
    assert html.escape(job["label"]) in report
    for credential in steps:
        assert html.escape(agent.ctx.catalogue.credentials[credential].titles["en"]) in report

    before = stored_bytes(db)
    assert secret.encode() in before and sid.encode() in before  # what the erase has to remove
    assert client.delete(f"/api/sessions/{sid}", headers=auth).status_code == 204

    after = stored_bytes(db)
    assert sid.encode() not in after and secret.encode() not in after
    assert client.get(f"/api/sessions/{sid}", headers=auth).status_code == 404
    assert agent.exists(other)  # the others are still there

    logged = [r for r in caplog.records if r.name.startswith("pathways")]
    assert any('"route": "/api/sessions/{session_id}/messages"' in r.getMessage() for r in logged)
    client_side = ("httpx", "httpx2")  # the test's own HTTP client logs the URLs it calls; the server does not
    for record in (r for r in caplog.records if r.name.split(".")[0] not in client_side):
        line = record.getMessage() + repr(record.__dict__)
        assert secret not in line and sid not in line, record.name
        assert not any(message in line for message in typed), record.name
        assert not any(m in line for turn in turns for m in turn["messages"] if len(m) > 40), record.name

    chroma = test_settings.state_dir / "chroma"
    assert any(True for _ in tree_bytes(chroma))
    assert not [path for path, data in tree_bytes(chroma) if secret.encode() in data]
