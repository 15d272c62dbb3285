"""Stored quotes ("What did X say?", ``rag quotes``) for a Milvus store.

The default store keeps its quotes in SQLite beside the passages (``rag.news.store``). A Milvus
store has no such table yet: its quotes are extracted from its articles on first use, once per
committed generation, into an in-memory SQLite table of the same schema, so selection is the very
same code and the answers are the default store's. That costs one pass over the articles per
generation and process: fine for a newsroom's working set, slow for millions of articles (a quotes
collection in Milvus would be the next step).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import TYPE_CHECKING

from rag.news import store as quote_store

if TYPE_CHECKING:
    from rag.types import Article


def quote_table(articles: Sequence[Article], spans: dict[str, list[tuple[int, int, int]]]) -> sqlite3.Connection:
    """An in-memory database holding the quotes of ``articles``; ``spans``: (passage id, start, end) per article."""
    db = sqlite3.connect(":memory:", check_same_thread=False)
    db.execute("CREATE TABLE articles (id TEXT PRIMARY KEY, title TEXT, source TEXT, url TEXT, lang TEXT, date TEXT)")
    db.executemany("INSERT INTO articles VALUES (?,?,?,?,?,?)", [(a.id, a.title, a.source, a.url, a.lang, a.date) for a in articles])
    for statement in quote_store.SCHEMA.split(";"):
        if statement.strip():
            db.execute(statement)
    quote_store.write(db, articles, spans)
    db.commit()
    return db


def select(db: sqlite3.Connection, speaker_terms: Sequence[str] = (), **filters: object) -> list[quote_store.StoredQuote]:
    return quote_store.select(db, speaker_terms, **filters)  # type: ignore[arg-type]
