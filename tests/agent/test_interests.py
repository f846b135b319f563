import pytest

from agent.steps.interests import infer_areas

# (language, a message naming the present work and the wish, the wished area, the present work's area)
CASES = [
    (
        "en",
        "Hi, I'm a quality inspector on a machining line and I'd like to become a quality engineer.",
        "quality",
        "machining",
    ),
    (
        "es",
        "Soy operario de torno CNC desde hace seis años y me gustaría trabajar en control de calidad.",
        "quality",
        "machining",
    ),
    ("fr", "Je suis soudeur depuis dix ans, j'aimerais devenir inspecteur qualité.", "quality", "welding"),
    ("it", "Faccio il saldatore da anni, vorrei passare al controllo qualità.", "quality", "welding"),
    ("tr", "Kaynakçıyım ama kalite kontrol alanında çalışmak istiyorum.", "quality", None),
    ("sl", "Delam kot varilec že 12 let, zdaj bi pa rad šel v kontrolo kakovosti zvarov.", "quality", "welding"),
]


@pytest.mark.parametrize(("lang", "text", "wished", "present"), CASES, ids=[c[0] for c in CASES])
def test_the_area_the_person_wishes_for_is_proposed_first(agent, lang, text, wished, present):
    areas = infer_areas(agent.ctx, text, lang)
    assert areas[0].startswith(wished), areas
    if present:  # the area of the work they do now stays on offer
        assert any(a.startswith(present) for a in areas), areas
