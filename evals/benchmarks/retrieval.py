"""`pathways index bench`: index build and load time, hybrid and lexical query latency, memory."""

from __future__ import annotations

import random
import tempfile
import time
from pathlib import Path

import yaml
from pydantic import BaseModel

from domain.catalogue import get_catalogue
from domain.knowledge_base import get_knowledge_base
from domain.settings import PROJECT_ROOT, Settings
from evals.benchmarks.stats import forget_query_vectors, percentile, rss_mb
from vectorstore.retrieval import Retrieval

QUERY_SET = PROJECT_ROOT / "evals" / "retrieval" / "cross_lingual_skills.yaml"


class RetrievalBench(BaseModel):
    build_seconds: float
    load_seconds: float
    entries: dict[str, int]
    queries: int
    hybrid_ms_p50: float
    hybrid_ms_p95: float
    lexical_ms_p50: float
    lexical_ms_p95: float
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
            rss_mb_after_load=round(rss_mb(), 1),
        )
