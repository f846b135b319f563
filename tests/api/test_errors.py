"""Refused requests say why in the person's language: the session's, else Accept-Language's."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from domain.languages import LANGS
from prompts.texts import text


@pytest.fixture(scope="module")
def client(agent, test_settings):
    return TestClient(create_app(settings=test_settings, agent=agent))


def refused(response, status: int, lang: str, reason: str, where: str = "") -> None:
    why = text(lang, f"api.{reason}")
    assert response.status_code == status, response.text[:300]
    assert response.json()["error"] == {
        "code": "invalid_request",
        "message": text(lang, "api.invalid_request", detail=f"{where}: {why}" if where else why),
    }


@pytest.mark.parametrize("lang", LANGS)
def test_a_bad_message_is_refused_in_the_session_language(client, lang):
    body = client.post("/api/sessions", json={"language": lang}).json()
    url, auth = f"/api/sessions/{body['session_id']}/messages", {"Authorization": f"Bearer {body['token']}"}
    other = {"Accept-Language": "en" if lang != "en" else "sl"}  # the session's language wins

    refused(client.post(url, json={"text": ""}, headers=auth | other), 422, lang, "reason_empty", "text")
    raw = auth | other | {"Content-Type": "application/json"}
    refused(client.post(url, content=b'{"text": "CNC', headers=raw), 422, lang, "reason_json")
    plain = auth | other | {"Content-Type": "text/plain"}
    refused(client.post(url, content=b"CNC", headers=plain), 422, lang, "reason_not_object")
    extra = {"text": "CNC", "mood": "happy"}
    refused(client.post(url, json=extra, headers=auth | other), 422, lang, "reason_unknown_field", "mood")
    invalid_utf8 = b'{"text": "CNC \xff\xfe"}'
    refused(client.post(url, content=invalid_utf8, headers=raw), 400, lang, "reason_unreadable_body")


@pytest.mark.parametrize("lang", LANGS)
def test_a_request_without_a_session_is_refused_in_the_accept_language(client, lang):
    header = {"Accept-Language": f"{lang};q=0.9"}
    raw = header | {"Content-Type": "application/json"}
    refused(client.post("/api/sessions", content=b"{not json", headers=raw), 422, lang, "reason_json")
    refused(
        client.post("/api/sessions", json={"language": "de"}, headers=header),
        422,
        lang,
        "reason_not_allowed",
        "language",
    )
    refused(client.put("/api/sessions", headers=header), 405, lang, "reason_method")


@pytest.mark.parametrize("lang", LANGS)
def test_an_action_out_of_bounds_is_refused_and_the_session_kept(client, lang):
    body = client.post("/api/sessions", json={"language": lang}).json()
    url, auth = f"/api/sessions/{body['session_id']}", {"Authorization": f"Bearer {body['token']}"}
    before = client.get(url, headers=auth).json()

    def act(action: dict):
        return client.post(f"{url}/actions", json={"action": action}, headers=auth)

    # a number past 64 bits could not be stored with the session; a name of 100 KB would be
    refused(act({"type": "rate", "levels": {"x": 10**30}}), 422, lang, "reason_out_of_range", "action.levels.x")
    too_long = text(lang, "api.reason_too_long", limit=300)
    response = act({"type": "confirm", "add": ["x" * 100_000]})
    assert response.status_code == 422
    assert response.json()["error"]["message"] == text(lang, "api.invalid_request", detail=f"action.add.0: {too_long}")
    refused(act({"type": "answer_quiz", "answers": "maybe"}), 422, lang, "reason_not_object", "action.answers")
    assert client.get(url, headers=auth).json() == before
