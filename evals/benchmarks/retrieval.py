"""`pathways index bench`: index build and load time, hybrid and lexical query latency, vector recall, memory."""

from __future__ import annotations

import random
import tempfile
import time
from pathlib import Path

import numpy as np
import yaml
from pydantic import BaseModel

from domain.catalogue import get_catalogue
from domain.knowledge_base import get_knowledge_base
from domain.settings import PROJECT_ROOT, Settings
from evals.benchmarks.stats import forget_query_vectors, percentile, rss_mb
from vectorstore.retrieval import Retrieval
from vectorstore.search import CANDIDATES, HybridIndex

QUERY_SET = PROJECT_ROOT / "evals" / "retrieval" / "cross_lingual_skills.yaml"
RECALL_QUERIES = 200


class RetrievalBench(BaseModel):
    build_seconds: float
    load_seconds: float
    entries: dict[str, int]
    queries: int
    hybrid_ms_p50: float
    hybrid_ms_p95: float
    lexical_ms_p50: float
    lexical_ms_p95: float
    vector_recall: dict[str, float]  # per collection: share of the exact nearest entries that Chroma returns
    rss_mb_after_load: float


def bench_queries(kb, n: int, seed: int = 7) -> list[tuple[str, str]]:
    """The person-phrased set, then skill labels in random languages, n in all."""
    cases = yaml.safe_load(QUERY_SET.read_text(encoding="utf-8"))
    queries = [(q, lang) for lang, pairs in cases.items() for q, _ in pairs]
    rng = random.Random(seed)
    skills = list(kb.skills.values())
    while len(queries) < n:
        skill = rng.choice(skills)
        lang = rng.choice(list(skill.labels))
        queries.append((skill.label(lang), lang))
    return queries[:n]


def vector_recall(index: HybridIndex, texts: list[str], *, n: int = CANDIDATES) -> float:
    """The share of the exact `n` nearest entries (by cosine over every entry's vector) that the collection's
    approximate query returns, over `texts`. Entries are counted by their text: entries with the same text have
    the same vector, so either one is a right answer."""
    docs = list(index.collection.docs.values())
    vectors = index.embedder.passages([d.text for d in docs])
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    found = wanted = 0
    for text in texts:
        query = index.embedder.query(text)
        nearest = np.argsort(-(vectors @ (query / np.linalg.norm(query))))[:n]
        exact = {docs[i].text for i in nearest}
        ids = index.collection.query(query_embeddings=[query], n_results=n)["ids"][0]
        found += len(exact & {index.collection.docs[i].text for i in ids})
        wanted += len(exact)
    return found / wanted


def run(*, settings: Settings, n_queries: int = 1000, fresh: bool = True) -> RetrievalBench:
    kb = get_knowledge_base()
    catalogue = get_catalogue(kb)
    with tempfile.TemporaryDirectory() as tmp:
        state = Settings(**(settings.model_dump() | {"state_dir": Path(tmp)})) if fresh else settings
        start = time.perf_counter()
        Retrieval(kb=kb, catalogue=catalogue, settings=state)
        build = time.perf_counter() - start
        start = time.perf_counter()
        retrieval = Retrieval(kb=kb, catalogue=catalogue, settings=state)
        load = time.perf_counter() - start
        queries = bench_queries(kb, n_queries)
        forget_query_vectors(retrieval)  # a query repeated in the set is served from the cache, as in use
        hybrid, lexical = [], []
        for text, lang in queries:
            t0 = time.perf_counter()
            retrieval.search_skills(text, lang, k=10)
            t1 = time.perf_counter()
            retrieval.skills.lexical.search(text, lang, k=10)
            t2 = time.perf_counter()
            hybrid.append((t1 - t0) * 1000)
            lexical.append((t2 - t1) * 1000)
        return RetrievalBench(
            build_seconds=round(build, 2),
            load_seconds=round(load, 2),
            entries={r.name: r.entries for r in retrieval.reports},
            queries=len(queries),
            hybrid_ms_p50=round(percentile(hybrid, 50), 2),
            hybrid_ms_p95=round(percentile(hybrid, 95), 2),
            lexical_ms_p50=round(percentile(lexical, 50), 2),
            lexical_ms_p95=round(percentile(lexical, 95), 2),
            vector_recall={
                name: round(vector_recall(index, [text for text, _ in queries[:RECALL_QUERIES]]), 4)
                for name, index in (("skills", retrieval.skills), ("jobs", retrieval.jobs))
            },
            rss_mb_after_load=round(rss_mb(), 1),
        )
