import json

import numpy as np
import pytest

from tools.documents import read_document
from tools.extraction import TENTATIVE_MAX, SkillExtractor, default_scorer, is_boilerplate, split_segments
from tools.skill_scoring import FEATURES


def test_segments_clauses_and_boilerplate():
    segments = split_segments("I weld steel frames, read drawings and drive forklifts.\nContact: ana@example.com")
    assert segments[0].clauses and len(segments) == 2
    assert is_boilerplate("Contact: ana@example.com, +34 600 123 456")
    assert is_boilerplate("We are an equal opportunity employer.")
    assert not is_boilerplate("I program Siemens PLCs.")


def test_extracts_skills_with_evidence_in_the_text_language(retrieval, kb, skill_uri):
    extractor = SkillExtractor(retrieval)
    text = "Conduzco la carretilla elevadora en el almacén. Email: ana@example.com"
    result = extractor.extract_text(text)
    assert result.language == "es" and result.dropped_segments == 1
    forklift = skill_uri("operate forklift")
    found = {s.uri: s for s in result.skills}
    assert forklift in found and found[forklift].label == kb.skills[forklift].label("es")
    span = found[forklift].evidence[0]
    assert text[span.start : span.end] == span.text
    assert all(c.uri in kb.skills for c in result.candidates)
    assert [c.score for c in result.candidates] == sorted((c.score for c in result.candidates), reverse=True)


def test_word_match_features_measure_how_much_of_a_label_a_text_holds(retrieval, skill_uri):
    table = SkillExtractor(retrieval).candidates("Every day I operate the forklift in the warehouse.", "en")
    column = {name: n for n, name in enumerate(FEATURES)}
    forklift = skill_uri("operate forklift")
    whole = table.features[table.uris.index(forklift)]
    assert whole[column["word_share"]] == whole[column["word_share_idf"]] == 1 and whole[column["exact_words"]] >= 1
    assert table.features[:, column["lexical_score"]].max() == 1  # scores are relative to the piece's best entry
    partial = [row for row in table.features if 0 < row[column["word_share"]] < 1]
    assert partial  # a label only some of whose words are in the text still counts, in part
    # rare words weigh more than common ones, so the weighted share differs from the plain one
    assert any(row[column["word_share"]] != row[column["word_share_idf"]] for row in partial)


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "I repair hydraulic presses and weld frames."),
        ("sl", "Popravljam hidravlične stiskalnice in varim okvirje."),
    ],
)
def test_adapted_features_come_from_the_candidates_labels_and_the_scorers_adapter(retrieval, lang, text):
    table = SkillExtractor(retrieval).candidates(text, lang)
    column = {name: n for n, name in enumerate(FEATURES)}
    unadapted = table.scored_features(None, None)
    assert unadapted.shape == (len(table.uris), len(FEATURES))
    # with no adapter, the best cosine to the labels in English and the text's language is cos_label
    assert np.allclose(unadapted[:, column["cos_adapted"]], table.features[:, column["cos_label"]], atol=1e-5)
    adapted = table.scored_features(default_scorer().adapter, None)[:, column["cos_adapted"]]
    assert not np.allclose(adapted, unadapted[:, column["cos_adapted"]], atol=1e-3)  # the shipped map moves them


def test_stated_skill_features_come_from_the_scorers_counts(retrieval):
    table = SkillExtractor(retrieval).candidates("I weld frames and drive the forklift.", "en")
    column = {name: n for n, name in enumerate(FEATURES)}
    rates = table.scored_features(None, default_scorer().stated)[:, column["stated_rate"]]
    assert np.array_equal(rates, default_scorer().stated.features(table.uris)[:, 0])
    assert len(set(rates.tolist())) > 1  # the shipped counts tell the candidates apart
    assert not table.scored_features(None, None)[:, column["stated_rate"]].any()


def test_nothing_from_text_without_skills(retrieval):
    extractor = SkillExtractor(retrieval)
    for text in ("   ", "+34 600 123 456, www.example.com"):
        result = extractor.extract_text(text)
        assert result.skills == [] and result.tentative == []


def test_guesses_only_when_nothing_is_sure_enough(retrieval):
    text = "Trabajo en el almacén: conduzco la carretilla elevadora y preparo pedidos."
    sure = SkillExtractor(retrieval).extract_text(text)
    assert sure.skills and sure.tentative == []
    top = sure.candidates[0].score
    # A scorer demanding a little more than the best candidate: nothing is kept, the best are guesses.
    strict = SkillExtractor(retrieval, scorer=default_scorer().model_copy(update={"threshold": top * 1.2}))
    result = strict.extract_text(text)
    assert result.skills == []
    assert 1 <= len(result.tentative) <= TENTATIVE_MAX
    assert result.tentative[0].uri == sure.candidates[0].uri
    assert all(s.confidence >= top * 0.6 and s.evidence for s in result.tentative)
    # Far above every candidate: not even a guess.
    hopeless = SkillExtractor(retrieval, scorer=default_scorer().model_copy(update={"threshold": top * 3}))
    assert hopeless.extract_text(text).tentative == []


def test_credential_skill_references_are_taken_as_stated(retrieval, kb):
    uri = next(iter(kb.skills))
    document = read_document(
        json.dumps(
            {
                "type": "LearningAchievementSpecification",
                "learningOutcome": [{"relatedESCOSkill": [{"id": uri}], "title": {"en": "Weld pipes"}}],
            }
        ).encode()
    )
    result = SkillExtractor(retrieval).extract_document(document, lang="en")
    assert result.skills[0].uri == uri and result.skills[0].stated


FORKLIFT = {  # (stated, denied)
    "en": ("I drive the forklift in the warehouse.", "I have never driven a forklift."),
    "es": ("Conduzco la carretilla elevadora en el almacén.", "Nunca he conducido una carretilla elevadora."),
    "fr": ("Je conduis le chariot élévateur à l'entrepôt.", "Je n'ai jamais conduit de chariot élévateur."),
    "it": ("Guido il carrello elevatore in magazzino.", "Non ho mai guidato un carrello elevatore."),
    "tr": ("Depoda forklift kullanıyorum.", "Hiç forklift kullanmadım."),
    "sl": ("V skladišču vozim viličar.", "Nikoli nisem vozil viličarja."),
}


@pytest.mark.parametrize("lang", sorted(FORKLIFT))
def test_a_denied_experience_gives_no_skill(retrieval, skill_uri, lang):
    stated, denied = FORKLIFT[lang]
    extractor = SkillExtractor(retrieval)
    forklift = skill_uri("operate forklift")
    assert forklift in {s.uri for s in extractor.extract_text(stated, lang=lang).skills}
    result = extractor.extract_text(denied, lang=lang)
    assert result.skills == [] and result.tentative == [] and result.candidates == []
    mixed = extractor.extract_text(f"{stated} {denied}", lang=lang)
    assert forklift in {s.uri for s in mixed.skills}


NAMED_THEN_NEAR = {  # a sentence naming MIG welding, then one near to welding that does not name it
    "en": "Mostly MIG on structural steel. I read the drawings and the weld symbols myself.",
    "es": "Sobre todo MIG en acero estructural. Leo yo mismo los planos y los símbolos de soldadura.",
    "fr": "Surtout du MIG sur acier de construction. Je lis moi-même les plans et les symboles de soudure.",
    "it": "Soprattutto MIG su acciaio strutturale. Leggo da solo i disegni e i simboli di saldatura.",
    "tr": "Çoğunlukla yapı çeliği üzerinde MIG. Çizimleri ve kaynak sembollerini kendim okuyorum.",
    "sl": "Večinoma MIG na konstrukcijskem jeklu. Risbe in simbole za varjenje berem sam.",
}


@pytest.mark.parametrize("lang", sorted(NAMED_THEN_NEAR))
def test_a_skill_named_word_for_word_cites_where_it_is_named(retrieval, lang):
    text = NAMED_THEN_NEAR[lang]
    result = SkillExtractor(retrieval).extract_text(text, lang=lang)
    named = [s for s in result.skills if s.uri in retrieval.aliases.find("MIG")]
    assert named, [s.label for s in result.skills]
    assert all([span.text for span in s.evidence] == [text.split(". ")[0] + "."] for s in named)
