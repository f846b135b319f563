"""The optional model over real HTTP (a scripted OpenAI-compatible server): errors, timeouts, malformed JSON and
invented ids or URIs fall back to the deterministic path; nothing invented reaches the person; state survives."""

from __future__ import annotations

import pytest

from agent.service import Agent
from evals.dialogue_runner import shown_uris
from evals.local_server import serve_in_thread
from tests.agent.scripted_model import ScriptedModel

INVENTED = "http://data.europa.eu/esco/skill/00000000-0000-0000-0000-000000000000"
TIMEOUT_S = 1.0


@pytest.fixture(scope="module")
def model():
    return ScriptedModel(late_by_s=TIMEOUT_S * 3)


@pytest.fixture(scope="module")
def model_agent(model, model_context, tmp_path_factory):
    with serve_in_thread(model.app) as url:
        ctx = model_context(url, timeout_s=TIMEOUT_S)
        yield Agent(ctx, db_path=tmp_path_factory.mktemp("model-sessions") / "sessions.sqlite")


def assert_known(turn: dict, kb) -> None:
    occupations = {job.occupation_uri for job in kb.job_profiles.values()}
    for uri in shown_uris(turn):
        assert uri in kb.skills or uri in occupations, uri


def test_a_journey_completes_through_model_failures_and_nothing_invented_is_shown(model, model_agent, kb):
    sid, turn = model_agent.start(language="en")
    turns = [turn]

    def send(message):
        turns.append(model_agent.send(sid, message))
        return turns[-1]

    send({"text": "I want to work with industrial robots"})
    send({"action": {"type": "confirm"}})
    model.script("SkillRanking", "timeout")
    skills = send({"text": "I maintain industrial robots, troubleshoot faults and read engineering drawings."})
    assert skills["pending"]["kind"] == "confirm_skills" and skills["pending"]["options"]
    proficiency = send({"action": {"type": "confirm"}})
    assert proficiency["step"] == "proficiency"

    model.script("ReplyReading", "500", "malformed", {"intent": "choose", "choice": "invented-job"})
    for _ in range(3):
        unreadable = send({"text": "honestly I'd say I'm decent at all of that"})
        assert unreadable["step"] == "proficiency" and unreadable["profile"] == proficiency["profile"]
    model.script("ReplyReading", {"intent": "rate", "level": 3})
    quiz = send({"text": "honestly I'd say I'm decent at all of that"})
    assert quiz["step"] == "quiz"
    assert {s["level"] for s in quiz["profile"]["skills"]} == {3}

    model.script(
        "SourcedAnswer",
        {"answer": f"Robot technicians need {INVENTED} above all.", "sources": ["J1"]},
        {"answer": "They install and maintain robots.", "sources": ["Z9"]},
        {"answer": "A robotics technician installs, programs and maintains industrial robots.", "sources": ["J1"]},
    )
    for _ in range(2):
        rejected = send({"text": "What does an industrial robot controller do?"})
        assert rejected["step"] == "quiz" and INVENTED not in str(rejected)
        assert not any(m.startswith("They install") for m in rejected["messages"])
    answered = send({"text": "What does an industrial robot controller do?"})
    assert answered["messages"][0] == "A robotics technician installs, programs and maintains industrial robots."
    assert answered["messages"][1].startswith("Sources: ")

    send({"action": {"type": "answer_quiz", "answers": "correct"}})
    jobs = send({"action": {"type": "next"}})
    send({"action": {"type": "choose_job", "job_id": jobs["pending"]["options"][0]["id"]}})
    send({"action": {"type": "confirm"}})
    done = send({"action": {"type": "confirm"}})
    assert done["step"] == "done" and done["profile"]["pathway"]
    for turn in turns:
        assert_known(turn, kb)
    assert model_agent.state(sid)["llm_tokens"] > 0
    schemas = [schema for schema, _, _ in model.calls]
    assert schemas.count("ReplyReading") == 4 and schemas.count("SourcedAnswer") == 3


def test_the_model_may_only_reorder_or_drop_skill_candidates(model, model_agent):
    sid, _ = model_agent.start(language="en")
    model_agent.send(sid, {"text": "I want to work with industrial robots"})
    model_agent.send(sid, {"action": {"type": "confirm"}})
    model.script("SkillRanking", {"keep": ["c99", INVENTED, "c1", "c0", "c1"]})
    turn = model_agent.send(sid, {"text": "I maintain industrial robots, troubleshoot faults and read drawings."})
    facts = next(facts for schema, _, facts in reversed(model.calls) if schema == "SkillRanking")
    assert set(facts["candidates"]) >= {"c0", "c1"}
    options = [o["id"] for o in turn["pending"]["options"]]
    assert len(options) == 2 and INVENTED not in options
    labels = [o["label"] for o in turn["pending"]["options"]]
    assert labels == [facts["candidates"]["c1"], facts["candidates"]["c0"]]


def test_reworded_replies_keep_every_number_and_label_or_keep_the_template(model, model_agent):
    sid, _ = model_agent.start(language="es")
    template = model_agent.send(sid, {"action": {"type": "restate"}})["messages"]
    rest = template[1:]
    warmer = "¿Qué tipo de trabajo te gustaría hacer en la fábrica? Cuéntamelo con tus propias palabras."
    model.script("Wording", {"messages": ["Te ayudo a encontrar tu camino en 5 minutos, cuéntame.", *rest]})
    model.script("Wording", {"messages": [warmer, *rest]})
    model.script("Wording", {"messages": ["What kind of work in manufacturing would you like to do?", *rest]})
    turns = [model_agent.send(sid, {"action": {"type": "restate"}})["messages"] for _ in range(3)]
    assert turns[0] == template  # a number the template did not have: the template stays
    assert turns[1] == [warmer, *rest]
    assert turns[2] == template  # English in a Spanish session: the template stays
