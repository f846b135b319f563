import pytest

from api.kb_browser import find_profiles, run_browser
from domain.knowledge_base import get_knowledge_base
from domain.languages import LANGS
from prompts.texts import text


def test_find_profiles_by_spanish_or_english_title():
    kb = get_knowledge_base()
    assert any("mecatr" in p.title("es") for p in find_profiles(kb, "mecatrónica", "es"))
    assert any("welder" in p.title("en") for p in find_profiles(kb, "WELDER", "en"))
    assert find_profiles(kb, "   ", "en") == []


@pytest.mark.parametrize("lang", LANGS)
def test_browser_session_in_each_language(lang):
    inputs = iter(["robot", "1", "99", "q"])
    out: list[str] = []
    assert run_browser(lang=lang, read=lambda _: next(inputs), write=out.append) == 0
    assert out[0] == text(lang, "browser.welcome", profiles=len(get_knowledge_base().job_profiles))
    assert "EQF" in out[2]
    assert text(lang, "browser.invalid_choice", number=99) in out
    assert out[-1] == text(lang, "browser.attribution")


def test_browser_ends_on_end_of_input():
    def read(_):
        raise EOFError

    out: list[str] = []
    assert run_browser(lang="en", read=read, write=out.append) == 0
