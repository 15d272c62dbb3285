from __future__ import annotations

from pathlib import Path

import pytest

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
