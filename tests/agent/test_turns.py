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


STATED_AND_ASKED = {  # a background and a wish, then a question about them
    "en": "I run a CNC lathe in a car parts plant and I'd like to work in quality control, can you guide me?",
    "es": "Trabajo en un torno CNC en una planta de autopartes y quisiera pasar a control de calidad, ¿me orientan?",
    "fr": "Je suis tourneur sur commande numérique et j'aimerais travailler au contrôle qualité, vous pouvez m'aider ?",
    "it": "Faccio il tornitore CNC in una fabbrica di componenti auto e vorrei passare al controllo qualità, idee?",
    "tr": "Otomotiv fabrikasında CNC torna operatörüyüm ve kalite kontrolde çalışmak istiyorum, ne yapmam lazım?",
    "sl": "Delam na CNC stružnici v tovarni avtodelov in bi rad delal v kontroli kakovosti, mi lahko svetujete?",
}


@pytest.mark.parametrize("lang", LANGS)
def test_a_message_that_states_a_wish_and_asks_is_read_for_the_wish(agent, lang):
    """Read as a question, the wish was lost: the areas were listed from scratch and no job followed the goal."""
    sid, _ = agent.start(language=lang)
    turn = agent.send(sid, {"text": STATED_AND_ASKED[lang]})
    pending = turn["pending"]
    assert pending["kind"] == "confirm_interests" and pending["select"] == "keep", turn["messages"]
    assert "quality-metrology" in [o["id"] for o in pending["options"]]
    assert STATED_AND_ASKED[lang] in agent.state(sid)["goal"]


def test_a_question_alone_is_still_answered_at_a_step_that_reads_content(agent):
    sid, _ = agent.start(language="en")
    turn = agent.send(sid, {"text": "Hello. What is EQF 5?"})
    assert "EQF" in turn["messages"][0] and "5" in turn["messages"][0] and not agent.state(sid).get("goal")
