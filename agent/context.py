"""The services a journey uses (knowledge base, catalogue, retrieval, extractor, quiz bank), built once."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from agent.llm import LanguageModel
from domain.catalogue import Catalogue, get_catalogue
from domain.knowledge_base import KnowledgeBase, get_knowledge_base
from domain.languages import LANGS
from domain.settings import Settings, get_settings
from tools.extraction import SkillExtractor
from tools.quiz import QuestionBank, load_bank
from vectorstore.retrieval import Retrieval, get_retrieval


@dataclass
class Context:
    settings: Settings
    kb: KnowledgeBase
    catalogue: Catalogue
    retrieval: Retrieval
    bank: QuestionBank
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @cached_property
    def extractor(self) -> SkillExtractor:
        return SkillExtractor(self.retrieval)

    @cached_property
    def model(self) -> LanguageModel | None:
        """The optional language model (PATHWAYS_LLM_BASE_URL); None = the deterministic engine alone."""
        return LanguageModel(self.settings) if self.settings.llm_base_url else None

    @cached_property
    def area_vectors(self) -> dict[str, np.ndarray]:
        """One passage vector per interest area x language (name, description, examples)."""
        keys, texts = zip(*area_passages(self.kb), strict=True)
        vectors = self.retrieval.embedder.passages(list(texts))
        out: dict[str, list[np.ndarray]] = {}
        for key, vector in zip(keys, vectors):
            out.setdefault(key, []).append(vector)
        return {key: np.stack(vs) for key, vs in out.items()}


def area_passages(kb: KnowledgeBase) -> list[tuple[str, str]]:
    """(area id, text) for every interest area x language: what interests are matched against."""
    return [
        (area.id, f"{area.names[lang]}. {area.descriptions[lang]} {', '.join(area.examples[lang])}")
        for area in kb.interest_areas.values()
        for lang in LANGS
    ]


_context: Context | None = None
_lock = threading.Lock()


def get_context() -> Context:
    global _context
    with _lock:
        if _context is None:
            settings = get_settings()
            kb = get_knowledge_base()
            _context = Context(
                settings=settings,
                kb=kb,
                catalogue=get_catalogue(kb),
                retrieval=get_retrieval(),
                bank=load_bank(settings.data_dir / "quiz"),
            )
        return _context
