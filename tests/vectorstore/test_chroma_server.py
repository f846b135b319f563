"""The same index code against a real Chroma server (`chroma run` on loopback), as PATHWAYS_CHROMA_URL selects."""

import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from evals.local_server import free_port
from tests.vectorstore.test_index import CountingEmbedder, _docs
from vectorstore.embeddings import CachedEmbedder, EmbeddingCache
from vectorstore.index import LeanCollection, chroma_client, ensure_collection
from vectorstore.lexical import LexicalIndex
from vectorstore.search import HybridIndex


@pytest.fixture(scope="module")
def chroma_url(tmp_path_factory):
    executable = shutil.which("chroma") or str(Path(sys.executable).parent / "chroma")
    port = free_port()
    process = subprocess.Popen(
        [
            executable,
            "run",
            "--path",
            str(tmp_path_factory.mktemp("chroma-server")),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/api/v2/heartbeat", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.3)
    else:
        process.kill()
        pytest.fail("chroma server did not start")
    yield url
    process.terminate()
    process.wait(timeout=20)


def test_collections_build_reuse_and_query_on_a_chroma_server(chroma_url, tmp_path):
    client = chroma_client(state_dir=tmp_path, chroma_url=chroma_url)
    inner = CountingEmbedder()
    embedder = CachedEmbedder(inner, EmbeddingCache(tmp_path / "cache.npz"))
    docs = _docs(["program PLCs", "weld steel frames", "read engineering drawings"])
    collection, first = ensure_collection(client, "server-test", docs, embedder)
    _, second = ensure_collection(
        chroma_client(state_dir=tmp_path, chroma_url=chroma_url), "server-test", docs, embedder
    )
    assert (first.rebuilt, second.rebuilt) == (True, False)
    assert not (tmp_path / "chroma").exists()  # nothing went to the embedded store
    index = HybridIndex(collection, LexicalIndex(docs), embedder)
    hits = index.search("weld steel", "en", k=3)
    assert hits[0].key == "k1"
    # as the retrieval serves it: ids and distances from the server, metadata and documents from memory
    lean = HybridIndex(LeanCollection(collection, docs), LexicalIndex(docs), embedder)
    assert lean.search("weld steel", "en", k=3) == hits
    assert lean.vector_candidates("weld steel") == index.vector_candidates("weld steel")
