"""Skill extraction from free text and documents, in the six languages, without a language model.

Pipeline: split into segments (lines, sentences) and clauses; drop boilerplate that states no skill;
compare each remaining piece with every skill's labels, alternative labels and description
(multilingual-e5 vectors, exact search) and look up labels and curated aliases it contains word for word;
the nearest skills of each piece are the candidates. Each candidate is also weighed by whether the job
profiles whose titles are nearest the text require it. A second stage (tools/skill_scoring.py) weighs each
candidate's features into a probability; skills above the tuned threshold are kept, with the text span(s)
they came from. The full ranked candidate list is returned too (for evaluation and for an optional model
re-ranking step, which may only reorder or drop candidates).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
from pydantic import BaseModel

from domain.language_id import detect_language
from domain.languages import Lang
from domain.settings import get_settings
from tools.documents import Document, ExperienceEntry
from tools.negation import affirmed_parts, denies
from tools.skill_adapter import LabelAdapter
from tools.skill_scoring import (
    CANDIDATE_FEATURES,
    ScorerModel,
    adapted_features,
    load_scorer,
    skill_prior,
    stated_features,
)
from tools.stated_skills import StatedCounts
from vectorstore.documents import IndexDoc
from vectorstore.embeddings import DIM
from vectorstore.lexical import LexicalIndex
from vectorstore.retrieval import Retrieval
from vectorstore.skill_vectors import JobTitleVectors

MAX_SEGMENT_WORDS = 30
MIN_CLAUSE_WORDS = 2
NEAREST_PER_UNIT = 30  # candidates per piece of text and per way of measuring nearness
# The label adapter's nearest labels per piece are not candidates: adding them raised the share of stated skills
# among the candidates (held-out 0.85 -> 0.90) but not cross-validated RP@5 (ours 0.605 -> 0.604, house
# 0.594 -> 0.565, tech 0.760 -> 0.757), for 10% more extraction time and 30% more fitting time.
LEXICAL_CANDIDATES = 30  # entries sharing words with a piece of text whose word matches are weighed
MAX_CANDIDATES = 50
MAX_TEXT_CHARS = 20_000  # about eight CV pages: bounds the time of one extraction
TENTATIVE_MAX = 3
NEAREST_JOBS = 3  # a text naming a job (or near one) probably states skills that job requires
JOB_MARGIN_FLOOR = -0.1  # job_essential_margin of a skill no job requires as essential


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
    # When no skill is sure enough to keep: the best few that reach half the confidence required, as guesses
    # for a person to check (they are wrong more often than right; the person confirms or removes each).
    tentative: list[ExtractedSkill] = []
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


def _affirmed_units(segment: _Segment, lang: Lang) -> list[str]:
    """The pieces of text a segment contributes: itself and its clauses, or, when it denies an experience, only
    the parts that deny nothing (of at least MIN_CLAUSE_WORDS words)."""
    if not denies(segment.text, lang):
        return [segment.text, *segment.clauses]
    return [part for part in affirmed_parts(segment.text, lang) if len(part.split()) >= MIN_CLAUSE_WORDS]


def _span(segment: _Segment, origin: str) -> EvidenceSpan:
    return EvidenceSpan(text=segment.text, start=segment.start, end=segment.start + len(segment.text), origin=origin)


def _entry_stems(doc: IndexDoc) -> tuple[frozenset[str], ...]:
    """The stems of each label an index entry holds (an "alt" entry joins a skill's alternative labels with ";")."""
    return _label_stems(doc.text, doc.lang, doc.field == "alt")


@lru_cache(maxsize=20_000)  # the same entries come back at every extraction
def _label_stems(text: str, lang: Lang, joined: bool) -> tuple[frozenset[str], ...]:
    return tuple(frozenset(LexicalIndex.stems(label, lang)) for label in (text.split(";") if joined else [text]))


@lru_cache(maxsize=1)
def default_scorer() -> ScorerModel:
    return load_scorer(get_settings().extraction_scorer_path)


@dataclass(frozen=True)
class _JobRequirements:
    titles: JobTitleVectors
    required_by: dict[str, list[int]]  # skill URI -> jobs (indices in titles.keys) that require it
    essential_for: dict[str, list[int]]  # skill URI -> jobs that require it as essential


@lru_cache(maxsize=2)
def _job_requirements(retrieval: Retrieval) -> _JobRequirements:
    titles = JobTitleVectors.from_collection(retrieval.jobs.collection)
    required_by: dict[str, list[int]] = {}
    essential_for: dict[str, list[int]] = {}
    for job, key in enumerate(titles.keys):
        for requirement in retrieval.kb.job_profiles[key].requirements:
            required_by.setdefault(requirement.skill_uri, []).append(job)
            if requirement.essential:
                essential_for.setdefault(requirement.skill_uri, []).append(job)
    return _JobRequirements(titles, required_by, essential_for)


@dataclass
class CandidateTable:
    """The candidate skills of one text, their features (tools.skill_scoring.CANDIDATE_FEATURES) and evidence,
    and the vectors the scorer's adapted features come from."""

    uris: list[str]
    features: np.ndarray  # candidates x features
    evidence: list[list[int]]  # per candidate, the indices of the segments it came from
    homes: list[int]  # per candidate, the unit (piece of text) where it scores best
    segments: list[_Segment]  # those kept (not boilerplate)
    total_segments: int  # kept or not
    unit_vectors: np.ndarray  # pieces of text x dim
    label_vectors: np.ndarray  # candidates x 2 x dim: their labels in English and in the text's language

    def scored_features(self, adapter: LabelAdapter | None, stated: StatedCounts | None) -> np.ndarray:
        """Candidates x tools.skill_scoring.FEATURES: these features, the adapted ones (the scorer's adapter) and
        those of the scorer's counts of stated skills."""
        return np.hstack(
            [
                self.features,
                adapted_features(adapter, self.unit_vectors, self.label_vectors),
                stated_features(stated, self.uris),
            ]
        )


class SkillExtractor:
    def __init__(self, retrieval: Retrieval, *, scorer: ScorerModel | None = None) -> None:
        self.retrieval = retrieval
        self.kb = retrieval.kb
        self._scorer = scorer

    @property
    def scorer(self) -> ScorerModel:
        if self._scorer is None:
            self._scorer = default_scorer()
        return self._scorer

    def candidates(self, text: str, lang: Lang) -> CandidateTable:
        """First stage: the nearest skills of each unit (a kept segment or one of its clauses) and the lexical
        matches, each with the features the second stage weighs."""
        segments = split_segments(text)
        kept = [s for s in segments if not is_boilerplate(s.text)]
        unit_segments: dict[str, list[int]] = {}
        for n, segment in enumerate(kept):
            for unit in _affirmed_units(segment, lang):
                unit_segments.setdefault(unit, []).append(n)
        units = list(unit_segments)
        if not units:
            return CandidateTable(
                uris=[],
                features=np.zeros((0, len(CANDIDATE_FEATURES)), np.float32),
                evidence=[],
                homes=[],
                segments=kept,
                total_segments=len(segments),
                unit_vectors=np.zeros((0, DIM), np.float32),
                label_vectors=np.zeros((0, 2, DIM), np.float32),
            )
        vectors = self.retrieval.skill_vectors
        unit_vectors = self.retrieval.embedder.queries(units)
        cos = vectors.cosines(unit_vectors, lang)
        label = cos.label  # units x skills
        chosen: set[int] = set()
        for scores in {id(a): a for a in (cos.label_en, cos.label_lang)}.values():
            chosen.update(np.argpartition(-scores, NEAREST_PER_UNIT, axis=1)[:, :NEAREST_PER_UNIT].ravel().tolist())
        contained, lexical = self._lexical(units, lang, vectors.index)
        chosen.update(contained)
        columns = np.array(sorted(chosen), dtype=np.int64)
        # alternative labels in English or the text's language, as for labels: e5 puts a translation of the
        # preferred label close to it, so other languages' alternatives would only echo cos_label
        alt = vectors.field_cosines(unit_vectors, "alt", columns, langs=("en", lang))  # units x candidates
        description = vectors.field_cosines(unit_vectors, "description", columns)
        best = np.maximum.reduce([label[:, columns], alt, description])
        fifth = np.partition(label, -5, axis=1)[:, -5]
        near = label[:, columns] >= fifth[:, None]  # units x candidates: among the unit's five nearest labels
        home = best.argmax(axis=0)  # the unit where each candidate scores best
        home_best = best[home, np.arange(len(columns))]
        rank = (label[home] > home_best[:, None]).sum(axis=1)
        margin = home_best - np.maximum(label.max(axis=1)[home], home_best)
        job_features = self._job_features(unit_vectors, lang)
        usage = self.kb.skill_usage
        rows, evidence = [], []
        for j, column in enumerate(columns.tolist()):
            uri = vectors.keys[column]
            skill = self.kb.skills[uri]
            matched = lexical.get(column, {})
            rows.append(
                [
                    label[:, column].max(),
                    cos.label_en[:, column].max(),
                    cos.label_lang[:, column].max(),
                    alt[:, j].max(),
                    description[:, j].max(),
                    home_best[j],
                    1.0 / (1.0 + rank[j]),
                    margin[j],
                    float(near[:, j].sum()),
                    float(min(matched.get("label", 0), 2)),
                    float(min(matched.get("alt", 0), 2)),
                    matched.get("lexical_score", 0.0),
                    matched.get("word_share", 0.0),
                    matched.get("word_share_idf", 0.0),
                    float("alias" in matched),
                    float("alias_secondary" in matched and "alias" not in matched),
                    *skill_prior(
                        usage=usage.get(uri, 0),
                        knowledge=skill.type.value == "knowledge",
                        reuse_level=skill.reuse_level,
                        label=skill.label("en"),
                    ),
                    *job_features(uri),
                ]
            )
            # a skill named word for word cites where it is named; otherwise the pieces it is nearest to
            named_in = sorted(contained.get(column, ()))
            from_units = [units[u] for u in named_in or np.flatnonzero(near[:, j])] or [units[home[j]]]
            evidence.append(sorted({n for unit in from_units for n in unit_segments[unit]}))
        return CandidateTable(
            uris=[vectors.keys[c] for c in columns.tolist()],
            features=np.asarray(rows, dtype=np.float32),
            evidence=evidence,
            homes=home.tolist(),
            segments=kept,
            total_segments=len(segments),
            unit_vectors=unit_vectors,
            label_vectors=vectors.label_vectors(columns, lang),
        )

    def _job_features(self, unit_vectors: np.ndarray, lang: Lang) -> Callable[[str], list[float]]:
        """A function giving a skill's job features (tools.skill_scoring.FEATURES from `job_nearest`): whether one
        of the job profiles nearest the text requires it, and how near the text is the nearest job requiring it
        as essential, relative to the nearest job of all."""
        jobs = _job_requirements(self.retrieval)
        nearness = jobs.titles.nearness(unit_vectors, lang)
        nearest = set(np.argsort(-nearness)[:NEAREST_JOBS].tolist())
        best = float(nearness.max())

        def features(uri: str) -> list[float]:
            essential = [float(nearness[job]) - best for job in jobs.essential_for.get(uri, [])]
            return [
                float(any(job in nearest for job in jobs.required_by.get(uri, []))),
                max([JOB_MARGIN_FLOOR, *essential]),
            ]

        return features

    def _lexical(
        self, units: list[str], lang: Lang, index: dict[str, int]
    ) -> tuple[dict[int, set[int]], dict[int, dict[str, float]]]:
        """Word matches of each skill in the pieces of text: the skills to add as candidates (one of their labels,
        alternative labels or curated aliases found word for word), each with the pieces it was found in, and per
        skill its lexical features, each the
        best over pieces: the most words of a label ("label") or alternative label ("alt") found, "alias" (1) or
        "alias_secondary" (1: only found after another skill of an alias phrase), "lexical_score", "word_share"
        and "word_share_idf" (tools.skill_scoring.FEATURES)."""
        lexical_index = self.retrieval.skills.lexical
        idf = lexical_index.idf
        contained: dict[int, set[int]] = {}
        found: dict[int, dict[str, float]] = {}

        def keep_best(column: int, name: str, value: float) -> None:
            matched = found.setdefault(column, {})
            matched[name] = max(matched.get(name, 0.0), value)

        for n, (unit, hits) in enumerate(zip(units, lexical_index.search_many(units, lang, k=LEXICAL_CANDIDATES))):
            for uri, place in self.retrieval.aliases.find(unit).items():
                if uri in index:
                    contained.setdefault(index[uri], set()).add(n)
                    keep_best(index[uri], "alias" if place == 0 else "alias_secondary", 1.0)
            unit_stems = lexical_index.stems(unit, lang) if hits else set()
            for doc, score in hits:
                if doc.field == "alias" or doc.key not in index:  # aliases: found above, without a ranking cut-off
                    continue
                column = index[doc.key]
                keep_best(column, "lexical_score", score / hits[0][1])
                for stems in _entry_stems(doc):
                    if not stems:
                        continue
                    shared = stems & unit_stems
                    keep_best(column, "word_share", len(shared) / len(stems))
                    weight = sum(idf.get(t, 0.0) for t in stems) or 1.0
                    keep_best(column, "word_share_idf", sum(idf.get(t, 0.0) for t in shared) / weight)
                    if shared == stems:
                        contained.setdefault(column, set()).add(n)
                        keep_best(column, doc.field, len(stems))
        return contained, found

    def extract_text(self, text: str, *, lang: Lang | None = None, origin: str = "message") -> ExtractionResult:
        text = text[:MAX_TEXT_CHARS]
        lang = lang or detect_language(text) or "en"
        table = self.candidates(text, lang)
        probabilities = self.scorer.probabilities(table.scored_features(self.scorer.adapter, self.scorer.stated))
        order = sorted(range(len(table.uris)), key=lambda i: (-probabilities[i], table.uris[i]))

        def skill(i: int) -> ExtractedSkill:
            return ExtractedSkill(
                uri=table.uris[i],
                label=self.kb.skills[table.uris[i]].label(lang),
                confidence=round(float(probabilities[i]), 4),
                evidence=[_span(table.segments[n], origin) for n in table.evidence[i]],
            )

        kept = self.scorer.kept(probabilities, table.homes)
        guesses = [] if kept else self.scorer.kept(probabilities, table.homes, tentative=True)[:TENTATIVE_MAX]
        return ExtractionResult(
            language=lang,
            skills=[skill(i) for i in kept],
            candidates=[
                RankedCandidate(uri=table.uris[i], score=round(float(probabilities[i]), 4))
                for i in order[:MAX_CANDIDATES]
            ],
            tentative=[skill(i) for i in guesses],
            segments=table.total_segments,
            dropped_segments=table.total_segments - len(table.segments),
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
