"""`pathways bench all`: every performance figure in one run, each with its spread over repeats.

Knowledge-base load, index load (a fresh process each time; the build only with --with-build), skill
extraction per 1,000 characters, matching / gaps / planning (evals.benchmarks.tools), deterministic turns
(evals.benchmarks.turns), and the memory of one API process: after start, and after 100 and 200 sessions
created, taken through the whole journey and erased over HTTP (it should not grow with finished sessions).
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from pydantic import BaseModel

from domain.settings import PROJECT_ROOT, Settings, get_settings
from evals.benchmarks import retrieval as retrieval_bench
from evals.benchmarks import tools as tools_bench
from evals.benchmarks import turns as turns_bench
from evals.benchmarks.stats import forget_query_vectors

SKILL_TEXTS = PROJECT_ROOT / "evals" / "skills" / "multilingual_am.jsonl"


class Spread(BaseModel):
    min: float
    median: float
    max: float


def spread(values: list[float], digits: int = 2) -> Spread:
    return Spread(
        min=round(min(values), digits), median=round(statistics.median(values), digits), max=round(max(values), digits)
    )


class Memory(BaseModel):
    rss_mb_after_start: float
    rss_mb_after_100_sessions: float
    rss_mb_after_200_sessions: float
    kb_per_finished_session: float  # growth from 100 to 200 sessions, per session
    errors: int


class Suite(BaseModel):
    repeats: int
    figures: dict[str, Spread]  # name -> min / median / max over the repeats
    units: dict[str, str]
    index_rebuilt_on_load: bool  # the configured indexes were stale: the first "load" was a build
    memory: Memory | None
    seconds: float

    def flat(self) -> dict:
        """One JSON object: every figure's median under its name, the spreads and memory beside."""
        out: dict = {name: s.median for name, s in self.figures.items()}
        if self.memory:
            out |= self.memory.model_dump()
        return out | {
            "repeats": self.repeats,
            "index_rebuilt_on_load": self.index_rebuilt_on_load,
            "spread": {name: s.model_dump() for name, s in self.figures.items()},
            "seconds": self.seconds,
        }


UNITS = {
    "kb_load_s": "s",
    "index_load_s": "s",
    "index_build_s": "s",
    "extraction_ms_per_1k_chars": "ms",
    "match_ms_median": "ms",
    "match_ms_p95": "ms",
    "gaps_ms_median": "ms",
    "gaps_ms_p95": "ms",
    "plan_ms_median": "ms",
    "plan_ms_p95": "ms",
    "turn_ms_p50": "ms",
    "turn_ms_p95": "ms",
    "extraction_turn_ms_p50": "ms",
}


def _index_load_in_a_fresh_process() -> dict:
    """Time of opening the indexes in a new interpreter (as a worker's start does), the KB already loaded."""
    done = subprocess.run(
        [sys.executable, "-m", "evals.benchmarks.suite", "--index-load"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=900,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def _probe_index_load() -> None:
    from domain.catalogue import get_catalogue
    from domain.knowledge_base import get_knowledge_base
    from vectorstore.retrieval import Retrieval

    kb = get_knowledge_base()
    catalogue = get_catalogue(kb)
    started = time.perf_counter()
    loaded = Retrieval(kb=kb, catalogue=catalogue, settings=get_settings())
    seconds = time.perf_counter() - started
    print(json.dumps({"seconds": seconds, "rebuilt": any(r.rebuilt for r in loaded.reports)}))


def _skill_texts() -> list[tuple[str, str]]:
    items = [json.loads(line) for line in SKILL_TEXTS.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [(item["text"], item["lang"]) for item in items]


def _extraction_ms_per_1k(extractor, texts: list[tuple[str, str]]) -> float:
    forget_query_vectors(extractor.retrieval)  # every repeat embeds its texts as if seen for the first time
    started = time.perf_counter()
    for text, lang in texts:
        extractor.extract_text(text, lang=lang)
    elapsed_ms = (time.perf_counter() - started) * 1000
    return elapsed_ms / sum(len(text) for text, _ in texts) * 1000


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def memory(*, sessions: int = 100, concurrency: int = 4) -> Memory:
    """One API process (`pathways serve --workers 1`): RSS after start, after `sessions` and 2 x `sessions`."""
    from evals.load import local_server, run_level

    with local_server(workers=1) as server:
        start = _rss_mb(server.pid)
        first = run_level(server.url, concurrency=concurrency, sessions=sessions, turns=len(turns_bench.journey("en")))
        after_first = _rss_mb(server.pid)
        second = run_level(server.url, concurrency=concurrency, sessions=sessions, turns=len(turns_bench.journey("en")))
        after_second = _rss_mb(server.pid)
    return Memory(
        rss_mb_after_start=round(start, 1),
        rss_mb_after_100_sessions=round(after_first, 1),
        rss_mb_after_200_sessions=round(after_second, 1),
        kb_per_finished_session=round((after_second - after_first) * 1024 / sessions, 1),
        errors=first.errors + second.errors,
    )


def run(
    *,
    repeats: int = 3,
    with_build: bool = False,
    with_memory: bool = True,
    settings: Settings | None = None,
    progress: Callable[[str], None] = lambda _: None,
) -> Suite:
    from domain.knowledge_base import load_timed
    from tools.extraction import SkillExtractor
    from vectorstore.retrieval import get_retrieval

    settings = settings or get_settings()
    began = time.perf_counter()
    values: dict[str, list[float]] = {name: [] for name in UNITS}
    rebuilt = False
    if with_build:
        progress("index build in a fresh state dir")
        values["index_build_s"].append(retrieval_bench.run(settings=settings, n_queries=10).build_seconds)
    for n in range(repeats):
        progress(f"repeat {n + 1}/{repeats}: knowledge base, index load")
        values["kb_load_s"].append(load_timed(settings.kb_path).seconds)
        probe = _index_load_in_a_fresh_process()
        rebuilt = rebuilt or probe["rebuilt"]
        values["index_load_s"].append(probe["seconds"])
    extractor = SkillExtractor(get_retrieval())
    texts = _skill_texts()
    _extraction_ms_per_1k(extractor, texts[:12])  # first calls load lazily: not measured
    for n in range(repeats):
        progress(f"repeat {n + 1}/{repeats}: extraction, tools, turns")
        values["extraction_ms_per_1k_chars"].append(_extraction_ms_per_1k(extractor, texts))
        tools = tools_bench.run()
        values["match_ms_median"].append(tools.match_all_ms_p50)
        values["match_ms_p95"].append(tools.match_all_ms_p95)
        values["gaps_ms_median"].append(tools.gaps_ms_p50)
        values["gaps_ms_p95"].append(tools.gaps_ms_p95)
        values["plan_ms_median"].append(tools.plan_ms_p50)
        values["plan_ms_p95"].append(tools.plan_ms_p95)
        turns = turns_bench.run()
        values["turn_ms_p50"].append(turns.turn_ms_p50)
        values["turn_ms_p95"].append(turns.turn_ms_p95)
        values["extraction_turn_ms_p50"].append(turns.extraction_turn_ms_p50)
    measured = None
    if with_memory:
        progress("memory of one API process over 200 journeys")
        measured = memory()
    figures = {name: spread(v) for name, v in values.items() if v}
    return Suite(
        repeats=repeats,
        figures=figures,
        units={name: UNITS[name] for name in figures},
        index_rebuilt_on_load=rebuilt,
        memory=measured,
        seconds=round(time.perf_counter() - began, 1),
    )


LABELS = {
    "kb_load_s": "knowledge-base load",
    "index_load_s": "index load (fresh process)",
    "index_build_s": "index build (fresh state dir)",
    "extraction_ms_per_1k_chars": "skill extraction per 1,000 chars",
    "match_ms_median": "match all job profiles, median",
    "match_ms_p95": "match all job profiles, p95",
    "gaps_ms_median": "gap analysis, median",
    "gaps_ms_p95": "gap analysis, p95",
    "plan_ms_median": "pathway planning, median",
    "plan_ms_p95": "pathway planning, p95",
    "turn_ms_p50": "deterministic turn, p50",
    "turn_ms_p95": "deterministic turn, p95",
    "extraction_turn_ms_p50": "turn that extracts skills, p50",
}


def render(suite: Suite) -> str:
    lines = [f"LCAMP Pathways benchmarks: {suite.repeats} repeat(s), min / median / max ({suite.seconds:.0f} s)"]
    for name, s in suite.figures.items():
        unit = suite.units[name]
        lines.append(f"  {LABELS[name]:<36} {s.min:>9.2f} {s.median:>9.2f} {s.max:>9.2f} {unit}")
    if suite.index_rebuilt_on_load:
        lines.append("  (the configured indexes were stale: the first index load rebuilt them)")
    if suite.memory:
        m = suite.memory
        lines.append(
            f"  memory of one API process: {m.rss_mb_after_start:.0f} MB after start, "
            f"{m.rss_mb_after_100_sessions:.0f} MB after 100 sessions, {m.rss_mb_after_200_sessions:.0f} MB after 200 "
            f"({m.kb_per_finished_session:+.1f} KB per finished session; {m.errors} errors)"
        )
    return "\n".join(lines)


if __name__ == "__main__" and sys.argv[1:] == ["--index-load"]:
    _probe_index_load()
