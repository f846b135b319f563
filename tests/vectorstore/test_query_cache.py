"""Query vectors: each distinct text embedded once (per call, and again only after it left the bounded cache)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from tests.vectorstore.test_index import CountingEmbedder
from vectorstore.embeddings import DIM, CachedEmbedder, E5Embedder, EmbeddingCache, QueryCache


class RecordingEmbedder(CountingEmbedder):
    def __init__(self):
        super().__init__()
        self.batches: list[list[str]] = []

    def queries(self, texts):
        self.batches.append(list(texts))
        rng = np.random.default_rng([ord(c) for t in texts for c in t] or [0])
        vecs = rng.normal(size=(len(texts), DIM)).astype(np.float32)
        return vecs / np.linalg.norm(vecs, axis=1, keepdims=True)


def _embedder(entries: int = 16) -> tuple[CachedEmbedder, RecordingEmbedder]:
    inner = RecordingEmbedder()
    return CachedEmbedder(inner, EmbeddingCache(Path("/nonexistent")), QueryCache(entries)), inner


def test_identical_texts_in_one_call_are_embedded_once():
    embedder, inner = _embedder()
    vectors = embedder.queries(["weld steel", "read drawings", "weld steel"])
    assert inner.batches == [["weld steel", "read drawings"]]
    assert vectors.shape == (3, DIM) and np.array_equal(vectors[0], vectors[2])
    assert not np.array_equal(vectors[0], vectors[1])


def test_a_text_seen_before_is_served_from_the_cache_bit_for_bit():
    embedder, inner = _embedder()
    first = embedder.queries(["What is EQF 5?", "weld steel"])
    again = embedder.query("What is EQF 5?")
    mixed = embedder.queries(["new text", "weld steel"])
    assert inner.batches == [["What is EQF 5?", "weld steel"], ["new text"]]  # only the unseen text
    assert np.array_equal(again, first[0]) and np.array_equal(mixed[1], first[1])
    assert embedder.query_cache.hits == 2
    assert embedder.queries([]).shape == (0, DIM)


def test_exact_text_is_the_key():
    embedder, inner = _embedder()
    embedder.queries(["What is EQF 5?", "what is eqf 5?", "What is EQF 5? ", "What is  EQF 5?"])
    assert len(inner.batches[0]) == 4  # the model sees case and spaces, so the cache does too


def test_the_cache_is_bounded_and_drops_the_least_recently_used():
    embedder, inner = _embedder(entries=2)
    embedder.query("a")
    embedder.query("b")
    embedder.query("a")  # "a" is now the most recent
    embedder.query("c")  # evicts "b"
    assert len(embedder.query_cache) == 2
    embedder.query("a")
    embedder.query("b")
    assert inner.batches == [["a"], ["b"], ["c"], ["b"]]
    assert embedder.query_cache.nbytes == 2 * DIM * 4


def test_a_cache_of_no_entries_keeps_nothing():
    embedder, inner = _embedder(entries=0)
    embedder.query("a")
    embedder.query("a")
    assert inner.batches == [["a"], ["a"]] and len(embedder.query_cache) == 0


def test_the_returned_vectors_are_copies():
    embedder, _ = _embedder()
    first = embedder.query("a")
    first[:] = 0
    assert np.linalg.norm(embedder.query("a")) > 0.99


def test_one_thread_or_two_give_the_same_vectors():
    texts = ["I assemble parts on a line, check quality and read drawings.", "Robotlar ilgimi çekiyor"]
    one = E5Embedder(query_threads=1).queries(texts)
    two = E5Embedder(query_threads=2).queries(texts)
    assert np.array_equal(one, two)
    assert np.allclose(np.linalg.norm(one, axis=1), 1.0, atol=1e-3)
