"""Skill extraction from free text and documents, in the six languages, without a language model.

Pipeline: split into segments (lines, sentences) and clauses; drop boilerplate that states no skill;
query the hybrid index (multilingual-e5 vectors over labels, alternative labels and descriptions, plus
BM25 over labels and curated aliases) with each segment and clause; score each candidate skill by its best
cosine similarity and how much of one of its labels the text contains; keep those above a threshold, with
the text span(s) they came from. The full ranked candidate list is returned too (for evaluation and for an
optional model re-ranking step, which may only reorder or drop candidates).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pydantic import BaseModel

from domain.language_id import detect_language
from domain.languages import Lang
from tools.documents import Document, ExperienceEntry
from vectorstore.retrieval import Retrieval

MAX_SEGMENT_WORDS = 30
MIN_CLAUSE_WORDS = 2
VECTOR_CANDIDATES = 30
LEXICAL_CANDIDATES = 30
MAX_CANDIDATES = 50
MAX_TEXT_CHARS = 20_000  # about eight CV pages: bounds the time of one extraction (~1 s per 1,000 characters)


class Weights(BaseModel):
    """How features become a score, and which scores are kept (tuned on the validation sets, see evals/)."""

    exact: float = 0.06  # a label or alternative label the text contains word for word (per matched word, up to 2)
    alias: float = 0.05  # a curated alias (acronym, product name) found in the text
    floor: float = 0.90  # minimum score of a kept skill
    margin: float = 0.03  # kept skills score within this of the unit's best
    per_segment: int = 2  # at most this many skills per unit (a segment or one of its clauses)


class Feature(BaseModel):
    uri: str
    cosine: float
    exact_words: int = 0
    alias: bool = False

    def score(self, weights: Weights) -> float:
        return self.cosine + weights.exact * min(self.exact_words, 2) + (weights.alias if self.alias else 0.0)


_SEGMENT = re.compile(r"(?<=[.!?;])\s+|\s*\n+\s*|\s+[•·▪►–—]\s+|\s+-\s+(?=[A-ZÀ-Ý])")
_CLAUSE = re.compile(
    r"\s*,\s*|\s*\(\s*|\s*\)\s*|\s*/\s*|\s+(?:and|or|as well as|y|e|o|et|ou|ed|ve|veya|ile|in|ali|ter|kot)\s+",
    re.IGNORECASE,
)
_BOILERPLATE = re.compile(
    r"[\w.+-]+@[\w-]+\.[\w.]+|https?://|www\.|\+?\d[\d\s().-]{7,}\d"
    r"|equal opportunit|all qualified applicants|diversity|we are an? (?:leading|global)|our company|apply now"
    r"|igualdad de oportunidades|nuestra empresa|égalité des chances|notre entreprise|pari opportunità"
    r"|la nostra azienda|fırsat eşitliği|şirketimiz|enake možnosti|naše podjetje",
    re.IGNORECASE,
)


class EvidenceSpan(BaseModel):
    text: str
    start: int
    end: int
    origin: str = "message"


class ExtractedSkill(BaseModel):
    uri: str
    label: str
    confidence: float
    evidence: list[EvidenceSpan]
    stated: bool = False  # referenced by the document itself (an ESCO URI in an ELM credential or CV)


class RankedCandidate(BaseModel):
    uri: str
    score: float


class ExtractionResult(BaseModel):
    language: Lang
    skills: list[ExtractedSkill]
    candidates: list[RankedCandidate]
    experiences: list[ExperienceEntry] = []
    segments: int = 0
    dropped_segments: int = 0


@dataclass
class _Segment:
    text: str
    start: int
    clauses: list[str] = field(default_factory=list)


def split_segments(text: str) -> list[_Segment]:
    segments = []
    position = 0
    for piece in _SEGMENT.split(text):
        start = text.find(piece, position) if piece else position
        position = max(position, start + len(piece))
        piece = piece.strip()
        if not piece:
            continue
        words = piece.split()
        windows = [" ".join(words[i : i + MAX_SEGMENT_WORDS]) for i in range(0, len(words), MAX_SEGMENT_WORDS)]
        for window in windows:
            clauses = [c.strip() for c in _CLAUSE.split(window) if c and len(c.split()) >= MIN_CLAUSE_WORDS]
            segments.append(_Segment(window, max(start, 0), [c for c in clauses if c != window]))
    return segments


def is_boilerplate(segment: str) -> bool:
    return bool(_BOILERPLATE.search(segment)) or not re.search(r"[^\W\d_]{3}", segment)


class SkillExtractor:
    def __init__(self, retrieval: Retrieval, *, weights: Weights | None = None) -> None:
        self.retrieval = retrieval
        self.kb = retrieval.kb
        self.weights = weights or Weights()

    def features(self, text: str, lang: Lang) -> list[tuple[_Segment, list[Feature]]]:
        """Per unit (each kept segment, and each of its clauses), the candidate skills with their features."""
        kept = [s for s in split_segments(text) if not is_boilerplate(s.text)]
        units = [(segment, unit) for segment in kept for unit in (segment.text, *segment.clauses)]
        vectors = self.retrieval.embedder.queries([u for _, u in units]) if units else []
        return [
            (segment, self._segment_features(unit, vectors[i : i + 1], lang)) for i, (segment, unit) in enumerate(units)
        ]

    def _segment_features(self, text: str, vectors, lang: Lang) -> list[Feature]:
        index = self.retrieval.skills
        found: dict[str, Feature] = {}
        for vector in vectors:
            for uri, cosine, _ in index.vector_candidates("", n=VECTOR_CANDIDATES, query_vector=vector):
                feature = found.setdefault(uri, Feature(uri=uri, cosine=cosine))
                feature.cosine = max(feature.cosine, cosine)
        text_stems = None
        for doc, _ in index.lexical.search(text, lang, k=LEXICAL_CANDIDATES):
            if text_stems is None:
                text_stems = index.lexical.stems(text, lang)
            doc_stems = index.lexical.stems(doc.text, doc.lang)
            if not doc_stems or not doc_stems <= text_stems:
                continue
            feature = found.setdefault(doc.key, Feature(uri=doc.key, cosine=-1.0))
            if doc.field == "alias":
                feature.alias = True
            else:
                feature.exact_words = max(feature.exact_words, len(doc_stems))
        missing = [f for f in found.values() if f.cosine < 0]
        if missing:
            label_vectors = index.label_vectors([f.uri for f in missing])
            for feature in missing:
                vec = label_vectors.get(feature.uri)
                feature.cosine = float(max(vectors @ vec)) if vec is not None and len(vectors) else 0.0
        return list(found.values())

    def extract_text(self, text: str, *, lang: Lang | None = None, origin: str = "message") -> ExtractionResult:
        text = text[:MAX_TEXT_CHARS]
        lang = lang or detect_language(text) or "en"
        segments = split_segments(text)
        per_segment = self.features(text, lang)
        return self.decide(per_segment, lang=lang, origin=origin, segments=len(segments))

    def decide(
        self, per_segment: list[tuple[_Segment, list[Feature]]], *, lang: Lang, origin: str, segments: int
    ) -> ExtractionResult:
        w = self.weights
        best: dict[str, float] = {}
        evidence: dict[str, list[EvidenceSpan]] = {}
        for segment, features in per_segment:
            scored = sorted(((f.score(w), f.uri) for f in features), reverse=True)
            top = scored[0][0] if scored else 0.0
            for rank, (score, uri) in enumerate(scored):
                best[uri] = max(best.get(uri, 0.0), score)
                if rank < w.per_segment and score >= max(w.floor, top - w.margin):
                    evidence.setdefault(uri, []).append(
                        EvidenceSpan(
                            text=segment.text, start=segment.start, end=segment.start + len(segment.text), origin=origin
                        )
                    )
        candidates = sorted(best.items(), key=lambda kv: (-kv[1], kv[0]))[:MAX_CANDIDATES]
        skills = [
            ExtractedSkill(
                uri=uri, label=self.kb.skills[uri].label(lang), confidence=round(best[uri], 4), evidence=spans
            )
            for uri, spans in sorted(evidence.items(), key=lambda kv: (-best[kv[0]], kv[0]))
        ]
        return ExtractionResult(
            language=lang,
            skills=skills,
            candidates=[RankedCandidate(uri=u, score=round(s, 4)) for u, s in candidates],
            segments=segments,
            dropped_segments=segments - len(per_segment),
        )

    def extract_document(
        self, document: Document, *, lang: Lang | None = None, origin: str = "upload"
    ) -> ExtractionResult:
        result = (
            self.extract_text(document.text, lang=lang, origin=origin)
            if document.text.strip()
            else ExtractionResult(language=lang or "en", skills=[], candidates=[])
        )
        stated = [u for u in document.esco_uris if u in self.kb.skills]
        known = {s.uri for s in result.skills}
        extra = [
            ExtractedSkill(
                uri=u,
                label=self.kb.skills[u].label(result.language),
                confidence=1.0,
                stated=True,
                evidence=[EvidenceSpan(text=u, start=0, end=0, origin=origin)],
            )
            for u in stated
            if u not in known
        ]
        return result.model_copy(
            update={
                "skills": extra + result.skills,
                "candidates": [RankedCandidate(uri=u, score=1.0) for u in stated]
                + [c for c in result.candidates if c.uri not in set(stated)],
                "experiences": document.experiences,
            }
        )
