"""The search the agent, the API and `pathways search` share: skills, job profiles and credentials."""

from __future__ import annotations

import logging
import threading

from pydantic import BaseModel

from domain.catalogue import Catalogue
from domain.knowledge_base import KnowledgeBase
from domain.languages import Lang
from domain.settings import Settings
from vectorstore.aliases import AliasMatcher, load_aliases
from vectorstore.documents import (
    alias_documents,
    credential_documents,
    job_documents,
    skill_documents,
)
from vectorstore.embeddings import CachedEmbedder, E5Embedder, EmbeddingCache
from vectorstore.index import LOCK_FILE, BuildReport, LeanCollection, chroma_client, ensure_collection
from vectorstore.lexical import LexicalIndex
from vectorstore.search import HybridIndex, SearchHit, lexical_docs
from vectorstore.skill_vectors import SkillVectors

log = logging.getLogger(__name__)

LEXICAL_FIELDS = ("label", "alt", "alias", "title")


class Result(BaseModel):
    uri: str | None = None  # ESCO URI (skills and job profiles)
    id: str  # skill URI, job-profile id or credential id
    label: str
    score: float
    vector: float
    lexical: float
    coverage: float
    matched: str


class Retrieval:
    def __init__(self, *, kb: KnowledgeBase, catalogue: Catalogue, settings: Settings, force: bool = False) -> None:
        self.kb = kb
        self.catalogue = catalogue
        self.embedder = CachedEmbedder(E5Embedder(), EmbeddingCache(settings.embedding_cache_path))
        client = chroma_client(
            state_dir=settings.state_dir, chroma_url=str(settings.chroma_url) if settings.chroma_url else None
        )
        alias_table = load_aliases(settings.aliases_path, kb)
        self.aliases = AliasMatcher(alias_table)
        aliases = alias_documents(alias_table)
        self._lock_path = settings.state_dir / LOCK_FILE  # workers starting together build once
        self.reports: list[BuildReport] = []
        self._state_dir = settings.state_dir
        self._skill_vectors: SkillVectors | None = None
        self._vectors_lock = threading.Lock()
        self.skills = self._open(client, "skills", skill_documents(kb), aliases, force)
        self.jobs = self._open(client, "jobs", job_documents(kb), [], force)
        self.credentials = self._open(
            client, "credentials", credential_documents(catalogue.credentials.values()), [], force
        )

    def _open(self, client, name, docs, extra_lexical, force) -> HybridIndex:
        collection, report = ensure_collection(client, name, docs, self.embedder, force=force, lock=self._lock_path)
        self.reports.append(report)
        lexical = LexicalIndex(lexical_docs(docs, LEXICAL_FIELDS) + extra_lexical)
        return HybridIndex(LeanCollection(collection, docs), lexical, self.embedder)

    @property
    def skill_vectors(self) -> SkillVectors:
        """Every skill entry vector in memory (for extraction), read from the skills collection on first use."""
        with self._vectors_lock:
            if self._skill_vectors is None:
                self._skill_vectors = SkillVectors.load(self.skills.collection, cache_dir=self._state_dir)
            return self._skill_vectors

    def search_skills(self, text: str, lang: Lang, *, k: int = 10, skill_type: str | None = None) -> list[Result]:
        where = {"type": skill_type} if skill_type else None
        allowed = {u for u, s in self.kb.skills.items() if s.type.value == skill_type} if skill_type else None
        hits = self.skills.search(text, lang, k=k, where=where, allowed=allowed)
        return [self._result(h, self.kb.skills[h.key].label(lang), uri=h.key) for h in hits]

    def search_jobs(
        self, text: str, lang: Lang, *, k: int = 10, eqf: int | None = None, sector: str | None = None
    ) -> list[Result]:
        profiles = self.kb.job_profiles
        allowed = {
            pid
            for pid, p in profiles.items()
            if (eqf is None or p.eqf == eqf) and (sector is None or sector in p.sectors)
        }
        hits = self.jobs.search(text, lang, k=k, where={"eqf": eqf} if eqf else None, allowed=allowed)
        return [self._result(h, profiles[h.key].title(lang), uri=profiles[h.key].occupation_uri) for h in hits]

    def search_credentials(
        self,
        text: str,
        lang: Lang,
        *,
        k: int = 10,
        eqf: int | None = None,
        mode: str | None = None,
        country: str | None = None,
        language: Lang | None = None,
    ) -> list[Result]:
        creds = self.catalogue.credentials
        allowed = {
            cid
            for cid, c in creds.items()
            if (eqf is None or c.eqf == eqf)
            and (mode is None or c.mode.value == mode)
            and (country is None or c.country == country.upper())
            and (language is None or language in c.languages)
        }
        hits = self.credentials.search(text, lang, k=k, allowed=allowed)
        return [self._result(h, creds[h.key].titles.get(lang) or creds[h.key].titles["en"]) for h in hits]

    @staticmethod
    def _result(hit: SearchHit, label: str, uri: str | None = None) -> Result:
        return Result(
            uri=uri,
            id=hit.key,
            label=label,
            score=round(hit.score, 6),
            vector=round(hit.vector, 4),
            lexical=round(hit.lexical, 4),
            coverage=round(hit.coverage, 4),
            matched=hit.matched,
        )


_lock = threading.Lock()
_instance: Retrieval | None = None


def get_retrieval() -> Retrieval:
    """The process-wide retrieval (indexes built or loaded on first use)."""
    global _instance
    with _lock:
        if _instance is None:
            from domain.catalogue import get_catalogue
            from domain.knowledge_base import get_knowledge_base
            from domain.settings import get_settings

            kb = get_knowledge_base()
            _instance = Retrieval(kb=kb, catalogue=get_catalogue(kb), settings=get_settings())
        return _instance
