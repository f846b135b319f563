import string

from domain.languages import LANGS
from prompts.texts import texts


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_key_exists_in_every_language_with_the_same_placeholders():
    reference = texts("en")
    assert reference
    for lang in LANGS:
        assert texts(lang).keys() == reference.keys(), lang
        for key, template in texts(lang).items():
            assert template.strip(), (lang, key)
            assert _fields(template) == _fields(reference[key]), (lang, key)
