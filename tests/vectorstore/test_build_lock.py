"""Index builds across processes: workers that start together on an empty state dir build an index once."""

from __future__ import annotations

import multiprocessing
import time
from pathlib import Path

import numpy as np

from tests.vectorstore.test_index import CountingEmbedder, _docs
from vectorstore.embeddings import DIM, CachedEmbedder, EmbeddingCache
from vectorstore.index import LOCK_FILE, LeanCollection, build_lock, chroma_client, ensure_collection

TEXTS = ["program PLCs", "weld steel frames", "read engineering drawings", "maintain industrial robots"]
BUILD_SECONDS = 1.5  # long enough for the other process to arrive while the build runs


class SlowEmbedder(CountingEmbedder):
    def passages(self, texts, progress=None):
        time.sleep(BUILD_SECONDS)
        return super().passages(texts, progress)


def _start_together(state_dir: str, lock: bool, barrier, results) -> None:
    """One 'worker': wait for the other, open the new store and ensure the index at the same time, query it."""
    state = Path(state_dir)
    inner = SlowEmbedder()
    embedder = CachedEmbedder(inner, EmbeddingCache(state / "no-cache.npz"))
    barrier.wait(timeout=120)
    try:
        client = chroma_client(state_dir=state, chroma_url=None)  # both open an empty folder: Chroma creates tables
        collection, report = ensure_collection(
            client, "race", _docs(TEXTS), embedder, lock=state / LOCK_FILE if lock else None
        )
        found = collection.query(query_embeddings=[np.ones(DIM, np.float32)], n_results=2, include=["distances"])
        results.put((report.rebuilt, inner.calls, collection.count(), len(found["ids"][0]), None))
    except Exception as exc:  # reported to the test, which fails on it
        results.put((None, inner.calls, 0, 0, f"{type(exc).__name__}: {exc}"))


def _race(state: Path, *, lock: bool = True) -> list[tuple]:
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(2)
    results = context.Queue()
    workers = [context.Process(target=_start_together, args=(str(state), lock, barrier, results)) for _ in range(2)]
    for worker in workers:
        worker.start()
    try:
        outcome = [results.get(timeout=180) for _ in workers]
    finally:
        for worker in workers:
            worker.join(timeout=60)
            if worker.is_alive():
                worker.kill()
    assert [w.exitcode for w in workers] == [0, 0]
    return outcome


def test_two_processes_building_the_same_index_at_once_build_it_once(tmp_path):
    outcome = _race(tmp_path)
    assert [error for *_, error in outcome] == [None, None], outcome
    assert sorted(rebuilt for rebuilt, *_ in outcome) == [False, True], outcome  # one built, the other loaded
    assert sum(calls for _, calls, *_ in outcome) == len(TEXTS), outcome  # the entries were embedded once
    assert [(count, hits) for _, _, count, hits, _ in outcome] == [(len(TEXTS), 2)] * 2
    # and a third start finds it built
    client = chroma_client(state_dir=tmp_path, chroma_url=None)
    embedder = CachedEmbedder(CountingEmbedder(), EmbeddingCache(tmp_path / "no-cache.npz"))
    _, report = ensure_collection(client, "race", _docs(TEXTS), embedder, lock=tmp_path / "index.lock")
    assert not report.rebuilt


def test_the_build_lock_is_exclusive_and_released(tmp_path):
    lock = tmp_path / "sub" / "index.lock"
    with build_lock(lock):
        assert lock.exists()
    with build_lock(lock), build_lock(None):  # taken again once released; None locks nothing
        pass


def test_queries_answer_like_chroma_with_metadata_and_documents_from_memory(tmp_path):
    client = chroma_client(state_dir=tmp_path, chroma_url=None)
    docs = _docs(TEXTS)
    docs[1] = docs[1].model_copy(update={"meta": {"type": "skill/competence", "eqf": 4}})
    collection, _ = ensure_collection(
        client, "lean", docs, CachedEmbedder(CountingEmbedder(), EmbeddingCache(tmp_path / "c.npz"))
    )
    lean = LeanCollection(collection, docs)
    vector = collection.get(ids=["d1"], include=["embeddings"])["embeddings"][0]
    include = ["metadatas", "distances", "documents"]
    for where in (None, {"eqf": 4}):
        expected = collection.query(query_embeddings=[vector], n_results=3, where=where, include=include)
        got = lean.query(query_embeddings=[vector], n_results=3, where=where, include=include)
        assert got["ids"] == expected["ids"]
        assert np.allclose(got["distances"], expected["distances"])
        assert got["metadatas"] == expected["metadatas"]
        assert got["documents"] == expected["documents"]
    assert lean.count() == len(docs) and lean.name == collection.name  # the rest is the collection's own
