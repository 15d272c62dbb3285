"""The sentence_dates table: written with the passages in Corpus.commit, replaced on edit, gone on remove,
backfilled for an index from before it (real SQLite, hashing embedder)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import replace

from rag.index import Index
from tests.helpers import make_article

TEXT = "Blinken tiba di Kairo pada hari Rabu. Ia bertemu Presiden Mesir. Kemarin ia di Riyadh."


def test_dates_are_stored_per_sentence_and_follow_their_article(hashing_index: Callable[..., Index]) -> None:
    article = make_article(TEXT, "Blinken di Kairo", id="a1", date="2024-03-21", lang="id")
    other = make_article("Nothing dated here.", "Other", id="a2", date="2024-03-21")
    index = hashing_index([article, other])
    rows = index.sentence_dates(["a1", "a2"])
    assert [(r.article_id, r.date, TEXT[r.expr_start : r.expr_end]) for r in rows] == [("a1", "2024-03-20", "pada hari Rabu"), ("a1", "2024-03-20", "Kemarin")]
    assert all(r.passage_id is not None for r in rows)
    index.add([replace(article, date="2024-03-28", content_hash="edited")])  # the article's date changed: its weekdays move
    assert [r.date for r in index.sentence_dates(["a1"])] == ["2024-03-27", "2024-03-27"]
    index.remove(["a1"])
    assert index.sentence_dates(["a1"]) == []


def test_an_index_from_before_the_table_gets_it_on_first_use(hashing_index: Callable[..., Index]) -> None:
    index = hashing_index([make_article(TEXT, "Blinken di Kairo", id="a1", date="2024-03-21", lang="id")])
    path = index.path
    index.close()
    db = sqlite3.connect(path / "corpus.sqlite")
    db.execute("DROP TABLE sentence_dates")
    db.commit()
    db.close()
    with Index.open(path) as reopened:
        assert [r.date for r in reopened.sentence_dates(["a1"])] == ["2024-03-20", "2024-03-20"]
