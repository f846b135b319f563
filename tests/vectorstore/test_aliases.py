import pytest

from vectorstore.aliases import AliasMatcher, load_aliases

CRIMP = "crimp wire"
FORKLIFT = "operate forklift"


@pytest.fixture(scope="module")
def curated(kb, test_settings) -> AliasMatcher:
    """The shipped alias table (data/aliases.yaml)."""
    return AliasMatcher(load_aliases(test_settings.aliases_path, kb))


def _write(tmp_path, text: str):
    path = tmp_path / "aliases.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_phrases_are_read_per_language_and_language_neutral(tmp_path, kb, skill_uri):
    path = _write(
        tmp_path,
        f"""
- skills: [{FORKLIFT}]
  aliases: [CACES]
  fr: [cariste]
  tr: [forklift operatörü]
- skills: [{CRIMP}]
  fr: [cariste]
""",
    )
    table = load_aliases(path, kb)
    assert table[("en", "CACES")] == (skill_uri(FORKLIFT),)
    assert table[("tr", "forklift operatörü")] == (skill_uri(FORKLIFT),)
    assert table[("fr", "cariste")] == (skill_uri(FORKLIFT), skill_uri(CRIMP))  # a phrase in two entries points at both


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("- skills: [no such skill label]\n  en: [foo]", "no skill labelled 'no such skill label'"),
        (f"- skills: [{CRIMP}]\n  de: [crimpen]", "unknown keys ['de']"),
        (f"- skills: [{CRIMP}]", "needs at least one phrase"),
    ],
)
def test_a_bad_entry_is_named(tmp_path, kb, text, problem):
    with pytest.raises(ValueError, match=problem.replace("[", r"\[").replace("]", r"\]")):
        load_aliases(_write(tmp_path, text), kb)


def test_a_phrase_matches_inflected_words_in_any_order_and_only_whole():
    matcher = AliasMatcher(
        {
            ("tr", "forklift operatörü"): ("s:forklift",),
            ("fr", "chariot élévateur"): ("s:forklift",),
            ("en", "TIG"): ("s:tig",),
            ("en", "wiring harness"): ("s:harness",),
        }
    )
    assert matcher.find("Depoda forklift operatörüyüm") == {"s:forklift": 0}  # Turkish suffixes
    assert matcher.find("conduite de chariots élévateurs") == {"s:forklift": 0}  # French plural
    assert matcher.find("soldadura tig y harness wiring") == {"s:tig": 0, "s:harness": 0}
    assert matcher.find("a harness for the horse") == {}  # one word of two is not the phrase
    assert matcher.find("") == {}


def test_a_skill_takes_its_best_place_among_the_phrases_found():
    matcher = AliasMatcher({("en", "TIG"): ("s:tig", "s:welding"), ("en", "welder"): ("s:welding", "s:metal")})
    assert matcher.find("welder") == {"s:welding": 0, "s:metal": 1}
    assert matcher.find("TIG welder") == {"s:tig": 0, "s:welding": 0, "s:metal": 1}
    assert matcher.find("TIG") == {"s:tig": 0, "s:welding": 1}


@pytest.mark.parametrize(
    "text",
    [
        "Fitting dashboards and door cards on the final assembly line.",
        "Montage des tableaux de bord et des garnitures de portes.",
        "Monto cuadros de mando y paneles de puerta en la línea final.",
    ],
)
def test_the_curated_table_reads_a_car_dashboard_as_no_business_intelligence(curated, skill_uri, text):
    """In a vehicle plant a dashboard is the part fitted to the car: only reporting phrases name the skill."""
    bi = skill_uri("business intelligence")
    assert bi not in curated.find(text)
    assert bi in curated.find("I built the KPI dashboards in Power BI for the plant manager.")


@pytest.mark.parametrize(
    ("text", "names_plc"),
    [
        ("Programación de autómatas Siemens y mantenimiento de líneas.", True),
        ("Programo y depuro autómatas en la línea de envasado.", True),
        ("Programmation d'automates et dépannage de lignes.", True),
        ("Alimento las máquinas automáticas de la línea de envasado.", False),
        ("Conduite de machines automatiques sur ligne d'emballage.", False),
    ],
)
def test_the_curated_table_reads_a_programmed_automate_as_a_plc_and_an_automatic_machine_not(
    curated, skill_uri, text, names_plc
):
    """Spanish "autómata" and French "automate" are the usual words for a PLC, but their stems are those of
    "automático"/"automatique": only with programming do they name the PLC."""
    plc = skill_uri("programmable logic controller")
    assert (plc in curated.find(text)) is names_plc


EVERYDAY_TERMS = {  # skill -> a sentence naming it by an everyday term, in each language
    "use barcode scanning equipment": [
        "I check pallets in with a barcode scanner.",
        "Registro las entradas con el lector de código de barras.",
        "Je scanne les colis avec le scanner code-barres.",
        "Registro i colli con il lettore di codici a barre.",
        "Depoda el terminaliyle barkod okutup rafları yerleştiriyorum.",
        "Palete skeniram s čitalnikom črtnih kod.",
    ],
    "read engineering drawings": [
        "I cut and fit the frames from the shop drawings.",
        "Corto y armo los bastidores según los planos de taller.",
        "Je découpe et j'assemble les cadres d'après les plans d'atelier.",
        "Taglio e assemblo i telai secondo i disegni d'officina.",
        "Çerçeveleri imalat resmine göre kesip birleştiriyorum.",
        "Okvirje razrežem in sestavim po delavniški risbi.",
    ],
    "tend weaving machines": [
        "I look after twelve looms in a towel mill.",
        "Llevo ocho telares en una fábrica de toallas.",
        "Je surveille douze métiers à tisser.",
        "Seguo otto telai tessili in un'azienda di Prato.",
        "Havlu fabrikasında dokuma tezgahlarına bakıyorum.",
        "V tkalnici skrbim za tkalske stroje.",
    ],
    "read assembly drawings": [
        "I build the gearboxes from the assembly drawings.",
        "Monto los reductores siguiendo el plano de conjunto.",
        "Je monte les sous-ensembles d'après le plan d'ensemble.",
        "Assemblo i gruppi seguendo il disegno d'assieme.",
        "Redüktörleri montaj resmine göre topluyorum.",
        "Reduktorje sestavljam po sestavni risbi.",
    ],
    "troubleshoot": [
        "When the line stops I track down the fault.",
        "Cuando la línea se para, busco el fallo.",
        "Quand la machine s'arrête, je recherche la panne.",
        "Quando la linea si ferma, cerco il guasto.",
        "Hat durunca arızayı bulmak benim işim.",
        "Ko se linija ustavi, poiščem napako.",
    ],
    "operate forklift": [
        "I was a forklift driver at a distribution centre.",
        "Manejo el montacargas en el almacén.",
        "Je suis conducteur de chariot dans un entrepôt.",
        "Guido i carrelli elevatori in magazzino.",
        "Depoda forklift sürücüsü olarak çalıştım.",
        "V skladišču delam kot viličarist.",
    ],
}


@pytest.mark.parametrize(
    ("skill", "text"), [(skill, text) for skill, texts in EVERYDAY_TERMS.items() for text in texts]
)
def test_the_curated_table_names_everyday_terms_in_six_languages(curated, skill_uri, skill, text):
    assert skill_uri(skill) in curated.find(text)


def test_the_curated_table_names_mig_and_mag_each_first(curated, skill_uri):
    """MIG (inert gas) and MAG (active gas) are two ESCO skills: each acronym names its own first."""
    mig, mag = skill_uri("perform metal inert gas welding"), skill_uri("perform metal active gas welding")
    both = curated.find("Je soude en MIG et MAG.")
    assert (both[mig], both[mag]) == (0, 0)
    only_mig = curated.find("I weld aluminium with MIG.")
    assert (only_mig[mig], only_mig[mag]) == (0, 1)
    only_mag = curated.find("Saldo con MAG sull'acciaio.")
    assert (only_mag[mag], only_mag[mig]) == (0, 1)


@pytest.mark.parametrize(
    ("skill", "text"),
    [
        ("train employees", "Opérateur de fabrication formes sèches en BPF."),  # formes: shapes
        ("train employees", "Los operarios trabajan de forma segura."),
        ("use spreadsheets software", "Excellent communication skills are a must."),
        ("tend weaving machines", "Döküm makinesinde çalışıyorum."),  # casting, not weaving (dokuma)
        ("tend weaving machines", "Corto la tela de los toldos."),  # cloth, not a loom (telar)
        ("pour molten metal into moulds", "I keep an eye on melt temperatures on the extruder."),
        ("tend knitting machine", "Hago la puesta a punto de máquinas nuevas."),  # tuning, not knitting (punto)
        ("use automotive diagnostic equipment", "Hago la diagnosis de equipos electrónicos."),
        ("handle delivery of raw materials", "You have good communication skills."),  # "goods-in" stemmed to "good"
    ],
)
def test_the_curated_table_does_not_read_a_shared_stem_as_the_skill(curated, skill_uri, skill, text):
    assert skill_uri(skill) not in curated.find(text)
