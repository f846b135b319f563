"""Replies at the skills, proficiency and quiz steps that are incomplete, out of range or refused: the step stays,
nothing in the profile changes, and the person is told what is missing in their language."""

import pytest

from agent.context import Context
from agent.service import Agent
from domain.languages import LANGS
from prompts.texts import text
from tests.agent.test_journey import EXPERIENCE, INTEREST

YES = {"en": "yes", "es": "sí", "fr": "oui", "it": "sì", "tr": "evet", "sl": "da"}
NO = {"en": "no", "es": "no", "fr": "non", "it": "no", "tr": "hayır", "sl": "ne"}
NOT_PROPOSED = {
    "en": "the pizza oven",
    "es": "el horno de pizza",
    "fr": "le four à pizza",
    "it": "il forno per la pizza",
    "tr": "pizza fırını",
    "sl": "peč za pico",
}


def _to_rating(agent: Agent, lang: str) -> tuple[str, dict]:
    """A session at the proficiency step, with confirmed interests and skills."""
    sid, _ = agent.start(language=lang)
    for message in (
        {"text": INTEREST[lang]},
        {"action": {"type": "confirm"}},
        {"text": EXPERIENCE[lang]},
        {"action": {"type": "confirm"}},
    ):
        turn = agent.send(sid, message)
    return sid, turn


@pytest.mark.parametrize("lang", LANGS)
def test_no_and_a_proposed_skill_removes_it_and_nothing_else(agent, lang):
    sid, _ = agent.start(language=lang)
    agent.send(sid, {"text": INTEREST[lang]})
    agent.send(sid, {"action": {"type": "confirm"}})
    proposed = agent.send(sid, {"text": EXPERIENCE[lang]})
    options = proposed["pending"]["options"]
    assert len(options) >= 2
    target = options[-1]
    removed = agent.send(sid, {"text": f"{NO[lang]}, {target['label']}"})
    assert removed["step"] == "skills" and removed["profile"] == proposed["profile"]
    assert [o["id"] for o in removed["pending"]["options"]] == [o["id"] for o in options[:-1]]
    unknown = agent.send(sid, {"text": f"{NO[lang]}, {NOT_PROPOSED[lang]}"})
    assert unknown["pending"] == removed["pending"] and unknown["profile"] == proposed["profile"]
    assert unknown["messages"][0] == text(lang, "agent.remove_not_found", names=NOT_PROPOSED[lang])


def _to_quiz(agent: Agent, lang: str) -> tuple[str, dict]:
    sid, _ = _to_rating(agent, lang)
    quiz = agent.send(sid, {"action": {"type": "rate", "default": 3}})
    assert quiz["step"] == "quiz" and quiz["pending"]["kind"] == "answer_quiz"
    return sid, quiz


@pytest.mark.parametrize("lang", LANGS)
def test_a_partial_quiz_is_not_scored(agent, lang):
    sid, quiz = _to_quiz(agent, lang)
    items = quiz["pending"]["options"]
    assert len(items) >= 2
    first_only = agent.send(sid, {"action": {"type": "answer_quiz", "answers": {items[0]["id"]: 0}}})
    missing = ", ".join(str(n) for n in range(2, len(items) + 1))
    assert first_only["step"] == "quiz" and first_only["pending"] == quiz["pending"]
    assert first_only["profile"] == quiz["profile"]
    assert first_only["messages"] == [text(lang, "agent.quiz_unanswered", questions=missing)]
    beyond = {i["id"]: len(i["options"]) for i in items}  # one past the last option of each question
    out_of_range = agent.send(sid, {"action": {"type": "answer_quiz", "answers": beyond}})
    assert out_of_range["step"] == "quiz" and out_of_range["profile"] == quiz["profile"]
    everything = ", ".join(str(n) for n in range(1, len(items) + 1))
    assert out_of_range["messages"] == [text(lang, "agent.quiz_unanswered", questions=everything)]
    answered = agent.send(sid, {"action": {"type": "answer_quiz", "answers": {i["id"]: 0 for i in items}}})
    assert answered["step"] == "report"


def test_scripted_answers_can_be_turned_off(agent, tmp_path):
    ctx = agent.ctx
    settings = ctx.settings.model_copy(update={"scripted_quiz_answers": False})
    strict = Agent(
        Context(settings=settings, kb=ctx.kb, catalogue=ctx.catalogue, retrieval=ctx.retrieval, bank=ctx.bank),
        db_path=tmp_path / "sessions.sqlite",
    )
    sid, quiz = _to_quiz(strict, "en")
    refused = strict.send(sid, {"action": {"type": "answer_quiz", "answers": "correct"}})
    assert refused["step"] == "quiz" and refused["profile"] == quiz["profile"]
    assert all(s["source"] == "self-assessed" for s in refused["profile"]["skills"])
    everything = ", ".join(str(n) for n in range(1, len(quiz["pending"]["options"]) + 1))
    assert refused["messages"] == [text("en", "agent.quiz_unanswered", questions=everything)]


@pytest.mark.parametrize("lang", LANGS)
def test_yes_at_the_proficiency_step_keeps_the_levels_it_has(agent, lang):
    sid, quiz = _to_quiz(agent, lang)
    levels = {s["uri"]: s["level"] for s in quiz["profile"]["skills"]}
    back = agent.send(sid, {"action": {"type": "back"}})
    assert back["step"] == "proficiency"
    kept = agent.send(sid, {"text": YES[lang]})
    assert kept["step"] == "quiz", kept["messages"]
    assert {s["uri"]: s["level"] for s in kept["profile"]["skills"]} == levels


@pytest.mark.parametrize("lang", LANGS)
def test_the_choices_offered_at_the_proficiency_step_are_ones_it_reads(agent, lang):
    sid, rating = _to_rating(agent, lang)
    assert rating["step"] == "proficiency" and not any(s.get("level") for s in rating["profile"]["skills"])
    agent.send(sid, {"text": YES[lang]})  # no levels yet: "yes" alone cannot rate them
    offered = agent.send(sid, {"text": YES[lang]})
    assert offered["step"] == "proficiency"
    hint = offered["messages"][-1]
    assert text(lang, "agent.choice_levels") in hint and text(lang, "agent.choice_confirm") not in hint
