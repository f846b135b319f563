import json

from tools.documents import read_document
from tools.extraction import SkillExtractor, is_boilerplate, split_segments


def test_segments_clauses_and_boilerplate():
    segments = split_segments("I weld steel frames, read drawings and drive forklifts.\nContact: ana@example.com")
    assert segments[0].clauses and len(segments) == 2
    assert is_boilerplate("Contact: ana@example.com, +34 600 123 456")
    assert is_boilerplate("We are an equal opportunity employer.")
    assert not is_boilerplate("I program Siemens PLCs.")


def test_extracts_skills_with_evidence_in_the_text_language(retrieval, kb):
    extractor = SkillExtractor(retrieval)
    text = "Conduzco la carretilla elevadora en el almacén. Email: ana@example.com"
    result = extractor.extract_text(text)
    assert result.language == "es" and result.dropped_segments == 1
    forklift = next(u for u, s in kb.skills.items() if s.label("en") == "operate forklift")
    found = {s.uri: s for s in result.skills}
    assert forklift in found and found[forklift].label == kb.skills[forklift].label("es")
    span = found[forklift].evidence[0]
    assert text[span.start : span.end] == span.text
    assert all(c.uri in kb.skills for c in result.candidates)
    assert [c.score for c in result.candidates] == sorted((c.score for c in result.candidates), reverse=True)


def test_nothing_from_text_without_skills(retrieval):
    extractor = SkillExtractor(retrieval)
    assert extractor.extract_text("   ").skills == []
    assert extractor.extract_text("+34 600 123 456, www.example.com").skills == []


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
