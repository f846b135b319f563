import pytest

from agent.understanding import Intent, best_option, edits_in, intent_of, is_question, level_in, statement_of


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("yes", Intent.CONFIRM),
        ("Sí", Intent.CONFIRM),
        ("oui", Intent.CONFIRM),
        ("sì", Intent.CONFIRM),
        ("evet", Intent.CONFIRM),
        ("da", Intent.CONFIRM),
        ("all of them", Intent.ALL),
        ("todas", Intent.ALL),
        ("tous", Intent.ALL),
        ("tutti", Intent.ALL),
        ("hepsi", Intent.ALL),
        ("vse", Intent.ALL),
        ("none of these", Intent.REJECT),
        ("ninguna de estas", Intent.REJECT),
        ("aucune", Intent.REJECT),
        ("nessuna", Intent.REJECT),
        ("hiçbiri", Intent.REJECT),
        ("nobena", Intent.REJECT),
        ("next", Intent.NEXT),
        ("siguiente", Intent.NEXT),
        ("suivant", Intent.NEXT),
        ("avanti", Intent.NEXT),
        ("devam", Intent.NEXT),
        ("naprej", Intent.NEXT),
        ("back", Intent.BACK),
        ("atrás", Intent.BACK),
        ("retour", Intent.BACK),
        ("indietro", Intent.BACK),
        ("geri", Intent.BACK),
        ("nazaj", Intent.BACK),
        ("help", Intent.HELP),
        ("ayuda", Intent.HELP),
        ("I weld steel frames every day", Intent.CONTENT),
    ],
)
def test_intents_in_six_languages(text, intent):
    assert intent_of(text, "en") == intent


@pytest.mark.parametrize(
    ("lang", "text", "intent"),
    [
        ("en", "sounds good", Intent.CONFIRM),
        ("es", "me parece bien", Intent.CONFIRM),
        ("fr", "ça me va", Intent.CONFIRM),
        ("it", "mi sta bene", Intent.CONFIRM),
        ("tr", "tmm devam", Intent.CONFIRM),
        ("sl", "velja", Intent.CONFIRM),
        ("sl", "dalje", Intent.NEXT),
        ("en", "wait, go back, I forgot something", Intent.BACK),
        ("es", "espera, vuelve atrás, me olvidé de algo", Intent.BACK),
        ("fr", "attends, revenir en arrière, j'ai oublié un truc", Intent.BACK),
        ("it", "aspetta, torna indietro, ho dimenticato una cosa", Intent.BACK),
        ("tr", "dur, geri dön, bir şeyi unuttum", Intent.BACK),
        ("sl", "počakaj, pojdi nazaj, nekaj sem pozabil", Intent.BACK),
        ("en", "I went back to school, then I worked as a welder", Intent.CONTENT),
        ("en", "Back office, then welding for five years, then back to school to study", Intent.CONTENT),
    ],
)
def test_everyday_replies_and_a_step_back_within_a_sentence(lang, text, intent):
    assert intent_of(text, lang) == intent


def test_question_words_are_read_in_the_session_language():
    # Turkish "ne" asks "what"; Slovenian "ne" says "no"
    assert is_question("ne iş yapar bir otomasyon teknisyeni", "tr")
    assert not is_question("ne, viličarja ne štejte, izpit mi je potekel", "sl")
    assert intent_of("ne, viličarja ne štejte, izpit mi je potekel", "sl") == Intent.CONTENT
    assert is_question("ali je to v redu za mene", "sl") and not is_question("ali forklift kullanırım", "tr")


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("2", 2),
        ("beginner", 1),
        ("principiante", 1),
        ("débutant", 1),
        ("başlangıç", 1),
        ("začetnik", 1),
        ("intermedio", 2),
        ("avancé", 3),
        ("ileri", 3),
        ("napreden", 3),
        ("expert", 4),
        ("esperto", 4),
        ("uzman", 4),
        ("strokovnjak", 4),
        ("2 or 3", None),
        ("nothing", None),
    ],
)
def test_levels_in_six_languages(text, level):
    assert level_in(text) == level


def test_questions_edits_and_options():
    assert is_question("What is EQF 5?", "en") and is_question("¿Qué hace un soldador", "es")
    assert not is_question("I operate CNC lathes", "en")
    assert edits_in("remove welding and add PLC programming") == (["welding"], ["PLC programming"])
    assert edits_in("çıkar kaynak, ekle PLC programlama") == (["kaynak"], ["PLC programlama"])
    options = [{"id": "a", "label": "read engineering drawings"}, {"id": "b", "label": "operate forklift"}]
    assert best_option("the forklift one", options)["id"] == "b"
    assert best_option("nothing similar", options) is None


@pytest.mark.parametrize(
    ("text", "lang", "statement"),
    [
        (
            "Soy soldador desde hace diez años y quiero ser inspector, ¿qué necesito?",
            "es",
            "Soy soldador desde hace diez años y quiero ser inspector,",
        ),
        (
            "I weld pipes for a living and want to inspect welds. What should I do?",
            "en",
            "I weld pipes for a living and want to inspect welds.",
        ),
        ("What does a welding inspector do?", "en", ""),  # only asks
        ("Hi, I have a question. What is EQF 5?", "en", ""),  # a preamble states nothing
        ("Kaj dela varilni inšpektor, ki pregleduje zvare?", "sl", ""),
    ],
)
def test_statement_of_keeps_what_a_message_states_besides_its_questions(text, lang, statement):
    assert statement_of(text, lang) == statement
