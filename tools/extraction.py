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
COVERAGE_WEIGHT = 0.12  # bonus for a label the text contains word for word (stems)
ALIAS_BONUS = 0.06
THRESHOLD = 0.90
MAX_PER_SEGMENT = 3
MAX_CANDIDATES = 50

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
    def __init__(self, retrieval: Retrieval, *, threshold: float = THRESHOLD) -> None:
        self.retrieval = retrieval
        self.kb = retrieval.kb
        self.threshold = threshold

    def extract_text(self, text: str, *, lang: Lang | None = None, origin: str = "message") -> ExtractionResult:
        lang = lang or detect_language(text) or "en"
        segments = split_segments(text)
        kept = [s for s in segments if not is_boilerplate(s.text)]
        best: dict[str, float] = {}
        evidence: dict[str, list[EvidenceSpan]] = {}
        queries = [q for s in kept for q in (s.text, *s.clauses)]
        vectors = self.retrieval.embedder.queries(queries) if queries else []
        cursor = 0
        for segment in kept:
            group = [segment.text, *segment.clauses]
            scores = self._score_segment(segment.text, group, vectors[cursor : cursor + len(group)], lang)
            cursor += len(group)
            ranked = sorted(scores.items(), key=lambda kv: -kv[1])
            for rank, (uri, score) in enumerate(ranked):
                if score > best.get(uri, 0.0):
                    best[uri] = score
                if rank < MAX_PER_SEGMENT and score >= self.threshold:
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
            segments=len(segments),
            dropped_segments=len(segments) - len(kept),
        )

    def _score_segment(self, text: str, queries: list[str], vectors, lang: Lang) -> dict[str, float]:
        index = self.retrieval.skills
        scores: dict[str, float] = {}
        for vector in vectors:
            for uri, cosine, _ in index.vector_candidates("", n=VECTOR_CANDIDATES, query_vector=vector):
                scores[uri] = max(scores.get(uri, 0.0), cosine)
        for doc, _ in index.lexical.search(text, lang, k=LEXICAL_CANDIDATES):
            coverage = index.lexical.coverage(text, lang, doc)
            if coverage < 0.99 and doc.field != "alias":
                continue
            bonus = COVERAGE_WEIGHT * coverage + (ALIAS_BONUS if doc.field == "alias" else 0.0)
            base = scores.get(doc.key) or self._cosine(doc.key, vectors)
            scores[doc.key] = max(scores.get(doc.key, 0.0), base + bonus)
        return scores

    def _cosine(self, uri: str, vectors) -> float:
        return 0.0 if not len(vectors) else 0.8  # a lexical-only hit starts from a neutral similarity

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
