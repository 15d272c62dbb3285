from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import pytest

from rag.index import Index
from rag.types import Article
from tests.helpers import DATA, load_jsonl


@pytest.fixture
def mini_articles() -> list[Article]:
    """12 real articles: the Gatra seed story, five Wikinews stories, six FacQA passages."""
    return load_jsonl(DATA / "corpus" / "mini.jsonl")


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads or writes the user's index or data dirs."""
    monkeypatch.setenv("NEWSRAG_INDEX_DIR", str(tmp_path / "default-index"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("NEWSRAG_CACHE_DIR", str(tmp_path / "cache"))


@pytest.fixture(scope="session")
def _run_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("run-cache")


@pytest.fixture
def shared_translations(_run_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The local model's translations shared by the tests of one run, as a user's cache shares them
    between questions. The model decodes greedily, so the same request gives the same text; the seed
    question's four Blinken statements are then translated once a run, not in every test that asks it."""
    monkeypatch.setenv("NEWSRAG_CACHE_DIR", str(_run_cache))


@pytest.fixture
def hashing_index(tmp_path: Path) -> Iterator[Callable[..., Index]]:
    """``hashing_index(articles, path=None)``: a real index (FAISS + SQLite) with the model-free hashing embedder.

    Closed after the test. For tests of the logic around retrieval; real-embedder tests build their own.
    """
    opened: list[Index] = []

    def build(articles: Iterable[Article], path: Path | None = None) -> Index:
        index = Index.create(path or tmp_path / f"ix-{len(opened)}", embedder="hashing")
        index.add(list(articles))
        opened.append(index)
        return index

    yield build
    for index in opened:
        index.close()


@pytest.fixture
def mini_index_dir(hashing_index: Callable[..., Index], tmp_path: Path, mini_articles: list[Article]) -> Path:
    """The folder of a hashing-embedder index of the 12 mini articles (closed: the app under test opens it)."""
    hashing_index(mini_articles, tmp_path / "index").close()
    return tmp_path / "index"
