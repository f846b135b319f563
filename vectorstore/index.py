"""Chroma collections (embedded on disk, or a Chroma server) and their lifecycle.

A collection is rebuilt only when its content hash (model + every entry) changes; the hash is kept in the
collection's metadata, so a restart with the same knowledge base and catalogue loads in seconds.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Sequence
from pathlib import Path

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
    return chromadb.PersistentClient(path=str(path), settings=settings)


def content_hash(docs: Sequence[IndexDoc]) -> str:
    digest = hashlib.sha256(MODEL_NAME.encode())
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


def ensure_collection(
    client: ClientAPI, name: str, docs: Sequence[IndexDoc], embedder: CachedEmbedder, *, force: bool = False
) -> tuple[Collection, BuildReport]:
    start = time.perf_counter()
    full_name = COLLECTION_PREFIX + name
    digest = content_hash(docs)
    function = PassageEmbeddingFunction(embedder)
    existing = {c.name for c in client.list_collections()}
    if full_name in existing and not force:
        collection = client.get_collection(full_name, embedding_function=function)
        if (collection.metadata or {}).get("content_hash") == digest and collection.count() == len(docs):
            return collection, BuildReport(
                name=name, entries=len(docs), rebuilt=False, seconds=time.perf_counter() - start
            )
        log.info("index %s is stale: rebuilding", name)
    if full_name in existing:
        client.delete_collection(full_name)
    collection = client.create_collection(
        full_name,
        embedding_function=function,
        configuration={"hnsw": {"space": "cosine"}},
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
    return collection, BuildReport(name=name, entries=len(docs), rebuilt=True, seconds=time.perf_counter() - start)
