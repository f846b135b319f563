"""Chroma collections (embedded on disk, or a Chroma server) and their lifecycle.

A collection is rebuilt only when its content hash (model, index settings and every entry) changes; the hash is
kept in the collection's metadata, so a restart with the same knowledge base and catalogue loads in seconds.

Builds are serialised across processes by an exclusive lock on a file in the state dir (`build_lock`): of
several workers that start together on an empty state dir, one builds and the others wait, then load what
it built. The lock is per machine: processes on several machines sharing one Chroma server are not
serialised by it (run `pathways index build` once before starting them).

Queries go through `LeanCollection`: Chroma is asked for ids and distances only, and the metadata and
documents of the hits come from the entries in memory (those the content hash covers), which saves Chroma
a metadata and document read per hit.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

try:
    import fcntl
except ImportError:  # not POSIX: no lock between processes (run `pathways index build` first)
    fcntl = None

import chromadb
from chromadb.api import ClientAPI
from chromadb.api.models.Collection import Collection
from chromadb.config import Settings as ChromaSettings
from pydantic import BaseModel
from tqdm import tqdm

from vectorstore.documents import IndexDoc
from vectorstore.embeddings import MODEL_NAME, CachedEmbedder, PassageEmbeddingFunction

log = logging.getLogger(__name__)

ADD_BATCH = 4000
COLLECTION_PREFIX = "lcamp-"
LOCK_FILE = "index.lock"  # in the state dir: serialises opening a new store and building indexes
# Chroma's HNSW defaults (ef_construction 100, ef_search 100) returned 93% of the exact 60 nearest entries, and
# which ones they missed changed from one build to the next: the same goal ranked jobs differently on two
# machines. With these, 99.9% (skills) and 100% (jobs), for about 3 ms more per query and 15% more build time
# (`pathways index bench`, one machine, the two settings one after the other).
HNSW = {"space": "cosine", "ef_construction": 200, "ef_search": 1000}


def chroma_client(*, state_dir: Path, chroma_url: str | None) -> ClientAPI:
    settings = ChromaSettings(anonymized_telemetry=False)
    if chroma_url:
        from urllib.parse import urlparse

        url = urlparse(chroma_url)
        return chromadb.HttpClient(
            host=url.hostname or "127.0.0.1", port=url.port or 8000, ssl=url.scheme == "https", settings=settings
        )
    path = state_dir / "chroma"
    path.mkdir(parents=True, exist_ok=True)
    # Chroma creates its tables when it first opens a folder; two processes doing so at once (workers starting
    # on an empty state dir) race, and one fails with "table collections already exists".
    with build_lock(state_dir / LOCK_FILE):
        return chromadb.PersistentClient(path=str(path), settings=settings)


def content_hash(docs: Sequence[IndexDoc]) -> str:
    digest = hashlib.sha256(MODEL_NAME.encode())
    digest.update(json.dumps(HNSW, sort_keys=True).encode())
    for doc in sorted(docs, key=lambda d: d.id):
        digest.update(
            json.dumps(
                [doc.id, doc.key, doc.lang, doc.field, doc.text, doc.meta], sort_keys=True, ensure_ascii=False
            ).encode()
        )
    return digest.hexdigest()


class BuildReport(BaseModel):
    name: str
    entries: int
    rebuilt: bool
    seconds: float


def _metadata(doc: IndexDoc) -> dict:
    return {"key": doc.key, "lang": doc.lang, "field": doc.field, **doc.meta}


@contextmanager
def build_lock(path: Path | None) -> Iterator[None]:
    """Exclusive across the processes of this machine (flock on `path`, released when the holder exits, even
    killed); None = no lock."""
    if path is None or fcntl is None:
        yield
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a+b") as handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            log.info("another process is building the indexes: waiting for it (%s)", path)
            start = time.perf_counter()
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
            log.info("waited %.1f s for the other build", time.perf_counter() - start)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _current(client: ClientAPI, full_name: str, digest: str, entries: int, function) -> Collection | None:
    """The collection, if it exists and holds exactly these entries."""
    if full_name not in {c.name for c in client.list_collections()}:
        return None
    collection = client.get_collection(full_name, embedding_function=function)
    if (collection.metadata or {}).get("content_hash") == digest and collection.count() == entries:
        return collection
    return None


def ensure_collection(
    client: ClientAPI,
    name: str,
    docs: Sequence[IndexDoc],
    embedder: CachedEmbedder,
    *,
    force: bool = False,
    lock: Path | None = None,
) -> tuple[Collection, BuildReport]:
    """The collection of `docs`, loaded when up to date, else (or with `force`) built under `lock`.

    A process that waited for the lock looks again first: what another process built meanwhile is loaded, not
    rebuilt (unless forced)."""
    start = time.perf_counter()
    full_name = COLLECTION_PREFIX + name
    digest = content_hash(docs)
    function = PassageEmbeddingFunction(embedder)

    def loaded(collection: Collection) -> tuple[Collection, BuildReport]:
        return collection, BuildReport(name=name, entries=len(docs), rebuilt=False, seconds=time.perf_counter() - start)

    if not force and (collection := _current(client, full_name, digest, len(docs), function)) is not None:
        return loaded(collection)
    with build_lock(lock):
        if not force and (collection := _current(client, full_name, digest, len(docs), function)) is not None:
            return loaded(collection)
        collection = _build(client, full_name, name, docs, embedder, digest, function)
    return collection, BuildReport(name=name, entries=len(docs), rebuilt=True, seconds=time.perf_counter() - start)


def _build(client, full_name, name, docs, embedder, digest, function) -> Collection:
    if full_name in {c.name for c in client.list_collections()}:
        log.info("index %s is stale: rebuilding", name)
        client.delete_collection(full_name)
    collection = client.create_collection(
        full_name,
        embedding_function=function,
        configuration={"hnsw": HNSW},
        metadata={"content_hash": "building", "model": MODEL_NAME},
    )
    vectors = embedder.passages([d.text for d in docs], progress=f"embedding {name}")
    with tqdm(total=len(docs), desc=f"indexing {name}", unit="entry") as bar:
        for i in range(0, len(docs), ADD_BATCH):
            batch = docs[i : i + ADD_BATCH]
            collection.add(
                ids=[d.id for d in batch],
                embeddings=vectors[i : i + len(batch)],
                documents=[d.text for d in batch],
                metadatas=[_metadata(d) for d in batch],
            )
            bar.update(len(batch))
    # The hash is written last: an interrupted build is seen as stale and redone on the next start.
    collection.modify(metadata={"content_hash": digest, "model": MODEL_NAME})
    return collection


class LeanCollection:
    """A Chroma collection whose `query` asks Chroma for ids and distances only and takes the metadata and
    documents of the hits from `docs` (the entries the collection was checked to hold). Everything else
    (`get`, `count`, `metadata`, ...) is the collection's own."""

    def __init__(self, collection: Collection, docs: Sequence[IndexDoc]) -> None:
        self.collection = collection
        self.docs = {d.id: d for d in docs}

    def __getattr__(self, attribute: str):
        return getattr(self.collection, attribute)

    def query(
        self,
        *,
        query_embeddings,
        n_results: int = 10,
        where: dict | None = None,
        include: Sequence[str] = ("metadatas", "documents", "distances"),
        **kwargs,
    ) -> dict:
        found = self.collection.query(
            query_embeddings=query_embeddings,
            n_results=n_results,
            where=where,
            include=["distances"] if "distances" in include else [],
            **kwargs,
        )
        ids = found["ids"]
        result = {"ids": ids, "distances": found.get("distances") if "distances" in include else None}
        rows = [[self.docs.get(i) for i in row] for row in ids]
        if any(d is None for row in rows for d in row):  # not one of ours (changed underneath): ask Chroma
            return self.collection.query(
                query_embeddings=query_embeddings, n_results=n_results, where=where, include=list(include), **kwargs
            )
        if "metadatas" in include:
            result["metadatas"] = [[_metadata(d) for d in row] for row in rows]
        if "documents" in include:
            result["documents"] = [[d.text for d in row] for row in rows]
        return result
