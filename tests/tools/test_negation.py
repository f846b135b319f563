import pytest

from tools.negation import affirmed_parts, denies

MIXED = {
    "en": ("I weld MIG, but I have never done ultrasonic testing", "I weld MIG"),
    "es": ("Hago soldadura MIG pero nunca he hecho ultrasonidos", "Hago soldadura MIG"),
    "fr": ("Je soude en MIG mais je n'ai jamais fait de ressuage", "Je soude en MIG"),
    "it": ("Saldo a filo, ma non ho mai fatto controlli a ultrasuoni", "Saldo a filo"),
    "tr": ("MIG kaynağı yapıyorum ama ultrasonik test hiç yapmadım", "MIG kaynağı yapıyorum"),
    "sl": ("Varim MIG, ultrazvočnega testiranja pa nisem nikoli delal", "Varim MIG"),
}


@pytest.mark.parametrize("lang", sorted(MIXED))
def test_a_denied_experience_is_cut_out_and_the_rest_kept(lang):
    text, affirmed = MIXED[lang]
    assert denies(text, lang)
    assert affirmed_parts(text, lang) == [affirmed]


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "Parts must not leave the cell unchecked"),
        ("en", "I keep the line running so it never stops"),
        ("it", "ridotto le giacenze senza mai fermare la produzione"),
        ("tr", "Parçayı makineye takıyorum, düğmeye basıyorum"),
        ("fr", "Mai 2019 : soudeur chez Alstom"),
        ("sl", "Nimam težav z branjem risb"),
    ],
)
def test_a_not_that_denies_no_experience_keeps_the_text(lang, text):
    assert affirmed_parts(text, lang) == [text]
