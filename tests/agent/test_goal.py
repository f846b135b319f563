import pytest

from agent.goal import wanted_part
from agent.steps.jobs import goal_affinity
from tools.matching import GOAL_SLOT

# (language, message naming the present job and the wanted one, a word of the present job, a word of the wanted)
CASES = [
    (
        "en",
        "Hi, I'm a maintenance electrician at a plant and I want to get into industrial automation.",
        "electrician",
        "automation",
    ),
    (
        "es",
        "Hola, soy electricista de mantenimiento y quiero meterme en automatización industrial, PLCs y eso.",
        "electricista",
        "PLCs",
    ),
    ("fr", "Bonjour, je suis soudeur depuis dix ans, j'aimerais devenir inspecteur qualité.", "soudeur", "inspecteur"),
    (
        "it",
        "Ciao, lavoro in linea di montaggio da otto anni e vorrei passare alla manutenzione dei robot.",
        "montaggio",
        "robot",
    ),
    ("tr", "Merhaba, depoda forklift kullanıyorum ama robot operatörü olmak istiyorum.", "forklift", "robot"),
    ("sl", "Pozdravljeni, delam na montažni liniji in bi rad prešel na vzdrževanje robotov.", "montažni", "robotov"),
    ("sl", "Delam kot varilec že 12 let, zdaj bi pa rad šel v kontrolo kakovosti zvarov.", "varilec", "kontrolo"),
]


@pytest.mark.parametrize(("lang", "text", "present", "wanted"), CASES, ids=[c[0] for c in CASES])
def test_the_wanted_part_leaves_out_the_present_job(lang, text, present, wanted):
    part = wanted_part(text, lang)
    assert wanted in part
    assert present not in part


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "Robots. I like fixing machines."),
        ("es", "Me encantan las máquinas CNC."),
        ("tr", "Kaynakçıyım, on yıldır çalışıyorum."),
    ],
)
def test_a_text_that_wishes_nothing_is_the_goal_itself(lang, text):
    assert wanted_part(text, lang) == text


def test_every_sentence_that_wishes_counts():
    text = "I run a press brake. I want to program robots. Later I would like to become a supervisor."
    assert wanted_part(text, "en") == "I want to program robots. Later I would like to become a supervisor."


AFFINITY_CASES = [
    ("en", "I'm a welder in a shipyard and I want to become a quality inspector.", "weld", "inspector"),
    ("es", "Soy electricista de mantenimiento y quiero pasarme a la robótica.", "electrician", "robot"),
    ("fr", "Je suis cariste dans un entrepôt et je voudrais devenir technicien de maintenance.", "forklift", "maint"),
    ("it", "Sono saldatore da dieci anni, vorrei diventare programmatore CNC.", "weld", "numerical-control"),
    ("tr", "Depoda forklift operatörüyüm ama robot teknisyeni olmak istiyorum.", "forklift", "robot"),
    ("sl", "Sem varilec, rad bi postal tehnik za robotiko.", "weld", "robot"),
]


@pytest.mark.parametrize(("lang", "text", "present", "wanted"), AFFINITY_CASES, ids=[c[0] for c in AFFINITY_CASES])
def test_job_suggestions_follow_the_job_wanted_not_the_job_held(agent, lang, text, present, wanted):
    affinity = goal_affinity(agent.ctx, {"goal": text, "language": lang})
    ranked = sorted(affinity, key=lambda job_id: -affinity[job_id])
    assert wanted in ranked[0]
    assert not any(present in job_id for job_id in ranked[:3])


def test_a_vague_wish_claims_no_place_among_the_jobs_shown(agent):
    affinity = goal_affinity(
        agent.ctx, {"goal": "I'm trying to figure out what my first job should be.", "language": "en"}
    )
    assert max(affinity.values()) < GOAL_SLOT


DEICTIC_WISHES = [  # the wish points back at the rest of the message ("this"), which names the goal
    ("en", "I've sold electronics for ten years, but I have a 3D printer at home and I want to make this my job."),
    ("es", "Llevo diez años vendiendo electrónica, pero tengo una impresora 3D en casa y quiero dedicarme a esto."),
    ("fr", "Je suis vendeuse depuis dix ans, mais j'ai une imprimante 3D chez moi et j'aimerais en faire mon métier."),
    ("it", "Faccio la commessa da dieci anni, ma a casa ho una stampante 3D e vorrei farne il mio lavoro."),
    ("tr", "Perakendede satış danışmanıyım ama evde bir 3D yazıcım var ve bu işi mesleğe dönüştürmek istiyorum."),
    ("sl", "Deset let delam v trgovini, doma pa imam 3D tiskalnik in bi rad to delal poklicno."),
]


@pytest.mark.parametrize(("lang", "text"), DEICTIC_WISHES, ids=[c[0] for c in DEICTIC_WISHES])
def test_a_wish_that_names_no_job_takes_its_goal_from_the_whole_message(agent, lang, text):
    """ "I want to make this my job" shares a word with some titles ("dönüştürmek" with a converting operator);
    followed alone, it put those first."""
    affinity = goal_affinity(agent.ctx, {"goal": text, "language": lang})
    assert "3d-printing" in max(affinity, key=affinity.get)
