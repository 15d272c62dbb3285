"""BM25 over a large index reads only the rarest query terms' postings (a cost bound, rag.corpus),
a bound the index policy sets."""

from __future__ import annotations

from pathlib import Path

from rag.index import Index
from rag.vectors import IndexPolicy
from tests.helpers import make_article


def _harbour_stories() -> list:
    articles = [make_article(f"Common words in story {i}. The harbour is busy.", f"Story {i}") for i in range(30)]
    return [*articles, make_article("A zeppelin landed in the harbour.", "Zeppelin")]


def test_frequent_terms_are_dropped_only_over_the_postings_budget(tmp_path: Path) -> None:
    query = '"harbour" OR "zeppelin"'
    with Index.create(tmp_path / "ix", embedder="hashing") as index:
        index.add(_harbour_stories())
        full = index.lexical(query, 50)
    assert len(full) == 31  # within the default budget: every term counts
    with Index.open(tmp_path / "ix", policy=IndexPolicy(lexical_postings=5)) as index:
        pruned = index.lexical(query, 50)
        assert [pid for pid, _ in pruned] == [full[0][0]]  # the zeppelin story, found by its rare word alone
        assert len(index.lexical('"harbour"', 50)) == 31  # a single term is kept, however frequent
        assert len(index.lexical("harbour NOT zeppelin", 50)) == 30  # other query shapes pass unchanged


def test_the_budget_is_the_policy_the_index_was_created_with(tmp_path: Path) -> None:
    with Index.create(tmp_path / "ix", embedder="hashing", policy=IndexPolicy(lexical_postings=5)) as index:
        index.add(_harbour_stories())
        assert len(index.lexical('"harbour" OR "zeppelin"', 50)) == 1
