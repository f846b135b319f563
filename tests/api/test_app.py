"""The HTTP API in process: sessions and their tokens, turns as JSON and as SSE, uploads, exports, limits, errors."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from api.app import create_app
from evals.http_client import PathwaysClient, streamed_turn

SKILL = "http://data.europa.eu/esco/skill/334e3e49-fb02-4051-809a-f06adfdc1c40"


@pytest.fixture(scope="module")
def app_for(agent, test_settings):
    def make(**overrides):
        settings = test_settings.model_copy(update={"rate_limit_exempt": [], **overrides})
        return TestClient(create_app(settings=settings, agent=agent))

    return make


@pytest.fixture(scope="module")
def client(app_for):
    return app_for()


def new_session(client, language="es"):
    body = client.post("/api/sessions", json={"language": language}).json()
    return body["session_id"], {"Authorization": f"Bearer {body['token']}"}, body["turn"]


def test_a_session_is_reachable_only_with_its_token(client):
    sid, auth, turn = new_session(client)
    assert turn["step"] == "interests" and turn["language"] == "es"
    assert client.get(f"/api/sessions/{sid}").status_code == 401
    assert client.get(f"/api/sessions/{sid}", headers={"Authorization": "Bearer " + "0" * 64}).status_code == 401
    _, other_auth, _ = new_session(client)
    assert client.get(f"/api/sessions/{sid}", headers=other_auth).status_code == 401
    resumed = client.get(f"/api/sessions/{sid}", headers=auth).json()
    assert resumed["turn"] == turn


def test_errors_are_in_the_session_language(client):
    sid, _, _ = new_session(client, "tr")
    response = client.get(f"/api/sessions/{sid}", headers={"Accept-Language": "sl-SI,sl;q=0.9"})
    assert response.status_code == 401
    assert response.json()["error"] == {
        "code": "unauthorized",
        "message": "Ta pogovor je mogoče odpreti samo z njegovo dostopno kodo.",
    }


def test_a_message_gets_a_json_turn_and_the_same_turn_streamed(client):
    sid, auth, _ = new_session(client, "fr")
    turn = client.post(f"/api/sessions/{sid}/actions", json={"action": {"type": "confirm"}}, headers=auth).json()
    assert turn["turn"]["step"] == "experience"
    text = "Je suis technicien CNC : je règle les machines, je mesure les pièces et je lis les plans."
    with client.stream("POST", f"/api/sessions/{sid}/messages?stream=true", json={"text": text}, headers=auth) as r:
        assert r.headers["content-type"].startswith("text/event-stream")
        lines = list(r.iter_lines())
    events = [line[7:] for line in lines if line.startswith("event: ")]
    assert events[0] == "delta" and events[-2:] == ["turn", "done"]
    streamed = streamed_turn(iter(lines))
    assert streamed["step"] == "skills" and streamed["language"] == "fr"
    assert client.get(f"/api/sessions/{sid}", headers=auth).json()["turn"] == streamed


def test_restate_with_a_language_switches_the_reply_and_the_pending_labels(client):
    sid, auth, turn = new_session(client, "en")
    english = {o["id"]: o["label"] for o in turn["pending"]["options"]}
    reply = client.post(
        f"/api/sessions/{sid}/actions", json={"action": {"type": "restate"}, "language": "it"}, headers=auth
    ).json()["turn"]
    italian = {o["id"]: o["label"] for o in reply["pending"]["options"]}
    assert reply["language"] == "it" and reply["step"] == "interests"
    assert italian.keys() == english.keys() and italian != english


def test_an_upload_is_read_and_bad_files_are_refused_in_the_persons_language(app_for):
    client = app_for(max_upload_mb=1)
    sid, auth, _ = new_session(client, "es")
    client.post(f"/api/sessions/{sid}/actions", json={"action": {"type": "confirm"}}, headers=auth)
    junk = client.post(f"/api/sessions/{sid}/uploads", files={"file": ("cv.pdf", b"\x00\x01\x02" * 100)}, headers=auth)
    assert junk.status_code == 415 and "No puedo leer" in junk.json()["error"]["message"]
    huge = client.post(f"/api/sessions/{sid}/uploads", files={"file": ("cv.txt", b"a" * (2**20 + 1))}, headers=auth)
    assert huge.status_code == 413 and "1 MB" in huge.json()["error"]["message"]
    assert client.get(f"/api/sessions/{sid}", headers=auth).json()["turn"]["step"] == "experience"
    cv = "Operario de montaje. Leo planos técnicos, hago el mantenimiento de máquinas y controlo la calidad.".encode()
    turn = client.post(f"/api/sessions/{sid}/uploads", files={"file": ("../../cv.txt", cv)}, headers=auth).json()
    assert turn["turn"]["step"] == "skills" and turn["turn"]["pending"]["kind"] == "confirm_skills"


def test_a_finished_journey_exports_as_elm_json_ld_and_as_a_printable_report(client):
    api = PathwaysClient("", http=client)
    api.start("en")
    api.send({"action": {"type": "confirm"}})
    api.send({"text": "I repair industrial robots, troubleshoot faults and read engineering drawings."})
    api.send({"action": {"type": "confirm"}})
    api.send({"action": {"type": "rate", "default": 3, "levels": {}}})
    api.send({"action": {"type": "answer_quiz", "answers": "correct"}})
    jobs = api.send({"action": {"type": "next"}})
    api.send({"action": {"type": "choose_job", "job_id": jobs["pending"]["options"][0]["id"]}})
    api.send({"action": {"type": "confirm"}})
    done = api.send({"action": {"type": "confirm"}})
    assert done["step"] == "done"
    auth = api._auth
    elm = client.get(f"/api/sessions/{api.session_id}/export?format=jsonld", headers=auth)
    assert elm.headers["content-type"].startswith("application/ld+json")
    document = elm.json()
    assert len(document["credentialSubject"]["skillProfile"]) == len(done["profile"]["skills"])
    assert len(document["learningPathway"]["learningOpportunity"]) == len(done["profile"]["pathway"]["steps"])
    report = client.get(f"/api/sessions/{api.session_id}/export?format=html", headers=auth).text
    assert "<table>" in report and done["profile"]["skills"][0]["label"] in report
    assert done["profile"]["target_job"]["label"] in report


def test_erasing_a_session_leaves_nothing_to_reach(client):
    sid, auth, _ = new_session(client)
    assert client.delete(f"/api/sessions/{sid}", headers=auth).status_code == 204
    gone = client.get(f"/api/sessions/{sid}", headers=auth)
    assert gone.status_code == 404 and gone.json()["error"]["code"] == "session_not_found"
    assert client.post(f"/api/sessions/{sid}/messages", json={"text": "hola"}, headers=auth).status_code == 404


def test_turn_and_address_limits_answer_429_with_retry_after(app_for):
    client = app_for(rate_limit_session=2)
    sid, auth, _ = new_session(client, "sl")
    for _ in range(2):
        assert client.post(f"/api/sessions/{sid}/actions", json={"action": {"type": "help"}}, headers=auth).is_success
    limited = client.post(f"/api/sessions/{sid}/actions", json={"action": {"type": "help"}}, headers=auth)
    assert limited.status_code == 429 and int(limited.headers["Retry-After"]) >= 1
    assert "Preveč zahtev" in limited.json()["error"]["message"]
    busy = app_for(rate_limit_ip=3)
    codes = [busy.get("/api/catalogue/skills?q=welding").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    assert busy.get("/health").status_code == 200


def test_invalid_bodies_are_422_with_a_readable_message(client):
    sid, auth, _ = new_session(client, "it")
    bad = client.post(f"/api/sessions/{sid}/actions", json={"action": {"type": "explode"}}, headers=auth)
    assert bad.status_code == 422 and bad.json()["error"]["message"].startswith("Non è stato possibile")
    empty = client.post(f"/api/sessions/{sid}/messages", json={"text": ""}, headers=auth)
    assert empty.status_code == 422
    assert (
        client.post("/api/sessions", content=b"{not json", headers={"Content-Type": "application/json"}).status_code
        == 422
    )


def test_catalogue_search_and_job_detail(client):
    skills = client.get("/api/catalogue/skills", params={"q": "risoluzione dei problemi", "lang": "it"}).json()
    assert SKILL in [s["uri"] for s in skills["results"]]
    jobs = client.get("/api/catalogue/jobs", params={"q": "robot", "lang": "en", "eqf": 5}).json()["results"]
    assert jobs and all(j["eqf"] == 5 for j in jobs)
    detail = client.get(f"/api/catalogue/jobs/{jobs[0]['id']}", params={"lang": "es"}).json()
    assert detail["skills"] and detail["skills"][0]["essential"]
    assert detail["description"] and detail["description_language"] == "en"  # ESCO's descriptions are English
    creds = client.get("/api/catalogue/credentials", params={"q": "PLC", "mode": "online"}).json()["results"]
    assert creds and all(c["mode"] == "online" for c in creds)
    assert client.get("/api/catalogue/jobs/no-such-job").status_code == 404


def test_admin_import_needs_the_key_and_a_dry_run_changes_nothing(app_for, catalogue):
    client = app_for(admin_api_key=SecretStr("s3cret"))
    csv = (
        "id,title_en,provider,country,languages,mode,eqf,ects,workload_hours,skills\n"
        f"mc-api-test,Troubleshooting basics,Test Academy,IE,en,online,4,1,25,{SKILL}=2\n"
    )
    files = {"file": ("new.csv", csv.encode())}
    assert client.post("/api/admin/catalogue/import?format=csv", files=files).status_code == 403
    wrong = client.post("/api/admin/catalogue/import?format=csv", files=files, headers={"X-API-Key": "nope"})
    assert wrong.status_code == 403
    ok = client.post("/api/admin/catalogue/import?format=csv", files=files, headers={"X-API-Key": "s3cret"})
    assert ok.status_code == 200, ok.text
    assert ok.json()["imported"] == ["mc-api-test"] and ok.json()["dry_run"] is True
    bad = client.post(
        "/api/admin/catalogue/import?format=csv", files={"file": ("x.csv", b"id\n1\n")}, headers={"X-API-Key": "s3cret"}
    )
    assert bad.status_code == 422 and bad.json()["error"]["details"]
    assert "mc-api-test" not in catalogue.credentials


def test_health_ready_request_id_and_openapi(client):
    assert client.get("/health").json() == {"status": "ok"}
    assert client.get("/ready").json() == {"status": "ready"}
    response = client.get("/health", headers={"X-Request-ID": "abc-123"})
    assert response.headers["X-Request-ID"] == "abc-123"
    schema = client.get("/openapi.json").json()
    assert "/api/sessions/{session_id}/messages" in schema["paths"]
    assert json.dumps(schema)  # serialisable
