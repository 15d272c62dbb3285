"""BM25 over a large index reads only the rarest query terms' postings (a cost bound, rag.corpus)."""

from __future__ import annotations

from pathlib import Path

import pytest

import rag.corpus
from rag.index import Index
from tests.helpers import make_article


def test_frequent_terms_are_dropped_only_over_the_postings_budget(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    articles = [make_article(f"Common words in story {i}. The harbour is busy.", f"Story {i}") for i in range(30)]
    articles.append(make_article("A zeppelin landed in the harbour.", "Zeppelin"))
    with Index.create(tmp_path / "ix", embedder="hashing") as index:
        index.add(articles)
        query = '"harbour" OR "zeppelin"'
        full = index.lexical(query, 50)
        assert len(full) == 31  # within the default budget: every term counts
        monkeypatch.setattr(rag.corpus, "LEXICAL_POSTINGS", 5)
        assert index._corpus._rare_terms(query) == '"zeppelin"'
        pruned = index.lexical(query, 50)
        assert [pid for pid, _ in pruned] == [full[0][0]]  # the zeppelin story, found by its rare word
        assert index._corpus._rare_terms('"harbour"') == '"harbour"'  # a single term is kept
        assert index._corpus._rare_terms('harbour NOT zeppelin') == "harbour NOT zeppelin"  # other shapes pass
