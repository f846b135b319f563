"""Hybrid search: Chroma vector results fused with the lexical index (reciprocal rank fusion).

Every result key is a skill URI, job-profile id or credential id of the loaded knowledge base or
catalogue: entries come only from them, and curated aliases are resolved against the knowledge base.
"""

from __future__ import annotations

from collections.abc import Sequence

from chromadb.api.models.Collection import Collection
from pydantic import BaseModel

from domain.languages import Lang
from vectorstore.documents import IndexDoc
from vectorstore.embeddings import CachedEmbedder
from vectorstore.lexical import LexicalIndex

RRF_K = 60
VECTOR_WEIGHT = 1.0
LEXICAL_WEIGHT = 1.0
EXACT_WEIGHT = 2.0  # the query is exactly a label, alternative label or alias of the key
CONTAINED_WEIGHT = 1.0  # the query contains every word of one of the key's labels or aliases
CANDIDATES = 60


class SearchHit(BaseModel):
    key: str
    score: float  # fused, higher is better; comparable within one result list
    vector: float = 0.0  # best cosine similarity of the query to one of the key's entries
    lexical: float = 0.0  # best BM25 score, divided by the list's best
    coverage: float = 0.0  # share of the best lexical entry's words that occur in the query
    matched: str = ""  # the entry text that matched best


class HybridIndex:
    """One Chroma collection plus the lexical index over the same (and alias) entries."""

    def __init__(self, collection: Collection, lexical: LexicalIndex, embedder: CachedEmbedder) -> None:
        self.collection = collection
        self.lexical = lexical
        self.embedder = embedder

    def vector_candidates(
        self, text: str, *, n: int = CANDIDATES, where: dict | None = None
    ) -> list[tuple[str, float, str]]:
        found = self.collection.query(
            query_embeddings=[self.embedder.query(text)],
            n_results=n,
            where=where,
            include=["metadatas", "distances", "documents"],
        )
        return [
            (m["key"], 1.0 - d, doc)
            for m, d, doc in zip(found["metadatas"][0], found["distances"][0], found["documents"][0])
        ]

    def search(
        self,
        text: str,
        lang: Lang,
        *,
        k: int = 10,
        where: dict | None = None,
        allowed: set[str] | None = None,
    ) -> list[SearchHit]:
        hits: dict[str, SearchHit] = {}
        vector_ranks: dict[str, int] = {}
        for key, cosine, doc in self.vector_candidates(text, where=where):
            if allowed is not None and key not in allowed:
                continue
            hit = hits.setdefault(key, SearchHit(key=key, score=0.0))
            if cosine > hit.vector:
                hit.vector, hit.matched = cosine, doc
            vector_ranks.setdefault(key, len(vector_ranks))
        lexical_ranks: dict[str, int] = {}
        exact: set[str] = set()
        contained: set[str] = set()
        lexical = self.lexical.search(text, lang, k=CANDIDATES)
        best = lexical[0][1] if lexical else 1.0
        query_stems = self.lexical.stems(text, lang)
        for doc, score in lexical:
            if allowed is not None and doc.key not in allowed:
                continue
            doc_stems = self.lexical.stems(doc.text, doc.lang)
            if doc_stems == query_stems:
                exact.add(doc.key)
            elif doc_stems and doc_stems <= query_stems:
                contained.add(doc.key)
            hit = hits.setdefault(doc.key, SearchHit(key=doc.key, score=0.0))
            coverage = self.lexical.coverage(text, lang, doc)
            if score / best > hit.lexical:
                hit.lexical = score / best
            if coverage > hit.coverage:
                hit.coverage = coverage
                if not hit.matched:
                    hit.matched = doc.text
            lexical_ranks.setdefault(doc.key, len(lexical_ranks))
        for key, hit in hits.items():
            hit.score = sum(
                weight / (RRF_K + ranks[key] + 1)
                for weight, ranks in ((VECTOR_WEIGHT, vector_ranks), (LEXICAL_WEIGHT, lexical_ranks))
                if key in ranks
            ) + (
                EXACT_WEIGHT / (RRF_K + 1)
                if key in exact
                else CONTAINED_WEIGHT / (RRF_K + 1)
                if key in contained
                else 0.0
            )
        return sorted(hits.values(), key=lambda h: (-h.score, -h.vector, h.key))[:k]


def lexical_docs(docs: Sequence[IndexDoc], fields: tuple[str, ...]) -> list[IndexDoc]:
    return [d for d in docs if d.field in fields]
