"""How a typed message is read before any step sees it (agent/turns.py): cleaning, and the language switch."""

import pytest

from agent.turns import clean_text
from domain.languages import LANGS
from prompts.texts import text
from tests.agent.test_journey import EXPERIENCE


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("\x1b[1;31mCNC\x1b[0m operator", "CNC operator"),  # colours pasted from a terminal: no "[31m" left behind
        ("welder\x1b]0;window title\x07 at Fiat", "welder at Fiat"),
        ("tab\tand\nline\x00\x7f", "tab\tand\nline"),
        ("e\u0301lectricien", "électricien"),
        ("plain [31m text", "plain [31m text"),  # brackets without an escape are the person's own
    ],
)
def test_clean_text_drops_escapes_and_controls(raw, clean):
    assert clean_text(raw) == clean


UNSPOKEN = [
    "Ich arbeite als Schweißer und möchte in die additive Fertigung wechseln.",
    "Ik heb vijf jaar ervaring met lassen en het monteren van machines.",
    "Pracuję jako spawacz od dziesięciu lat w fabryce samochodów.",
    "Mam doświadczenie w kontroli jakości na linii produkcyjnej.",  # read as English, surely enough to switch
]


@pytest.mark.parametrize("lang", [lang for lang in LANGS if lang != "en"])
def test_a_message_in_a_language_it_does_not_speak_keeps_the_session_language(agent, lang):
    sid, _ = agent.start(language=lang)
    for message in UNSPOKEN:
        turn = agent.send(sid, {"text": message})
        assert turn["language"] == lang, (message, turn["messages"])
        assert text("en", "agent.language_switched") not in turn["messages"]
    switched = agent.send(sid, {"text": EXPERIENCE["en"]})  # one of the six still switches
    assert switched["language"] == "en"
