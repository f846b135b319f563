"""Small helpers for benchmark figures: percentiles, resident memory, cold query vectors."""

from __future__ import annotations

import resource
import statistics
from collections.abc import Sequence


def percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def spread(values: Sequence[float]) -> dict[str, float]:
    return {"min": min(values), "median": statistics.median(values), "max": max(values)}


def rss_mb() -> float:
    """Current resident set size in MB (Linux /proc), falling back to the peak."""
    try:
        with open("/proc/self/statm") as fh:
            pages = int(fh.read().split()[1])
        return pages * resource.getpagesize() / 2**20
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def forget_query_vectors(retrieval=None) -> None:
    """Empty the in-memory query-vector cache (vectorstore.embeddings.QueryCache), so that what follows is
    measured as for text seen for the first time; repeats within it are still served from the cache."""
    if retrieval is None:
        from vectorstore.retrieval import get_retrieval

        retrieval = get_retrieval()
    cache = getattr(retrieval.embedder, "query_cache", None)
    if cache is not None:
        cache.clear()
