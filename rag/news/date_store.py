"""The ``sentence_dates`` table of ``corpus.sqlite``: the date each sentence of an article names.

Written by :meth:`rag.corpus.Corpus.commit` in the same transaction as the article's passages and
quotes (the same pattern as :mod:`rag.news.store`), so an edited article's dates are replaced and a
removed article's go with it. An index built before the table existed gets it, and the dates of its
stored articles, on first use. The timeline (:mod:`rag.news.timeline`) reads it.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rag.news.dates import sentence_dates
from rag.news.store import stored_passage_spans
from rag.transactions import joined_transaction
from rag.types import Article

SCHEMA = """
CREATE TABLE IF NOT EXISTS sentence_dates (
    article_id TEXT NOT NULL REFERENCES articles(id),
    passage_id INTEGER,                 -- the passage holding the sentence's start (for citations)
    start INTEGER NOT NULL, end INTEGER NOT NULL,
    date TEXT NOT NULL,                 -- ISO date the sentence names, resolved against the article's date
    expr_start INTEGER NOT NULL, expr_end INTEGER NOT NULL,
    kind TEXT NOT NULL                  -- explicit | weekday | relative
);
CREATE INDEX IF NOT EXISTS sentence_dates_by_article ON sentence_dates(article_id, start);
CREATE INDEX IF NOT EXISTS sentence_dates_by_passage ON sentence_dates(passage_id);
"""


@dataclass(frozen=True)
class StoredDate:
    article_id: str
    passage_id: int | None
    start: int
    end: int
    date: str
    expr_start: int
    expr_end: int
    kind: str


def ensure_tables(db: sqlite3.Connection, backfill: bool = True) -> None:
    """Create the table if missing; an older index gets the dates of its stored articles."""
    if db.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='sentence_dates'").fetchone():
        return
    with joined_transaction(db):
        if not db.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='sentence_dates'").fetchone():
            for statement in SCHEMA.split(";"):  # not executescript(): it would commit our transaction
                if statement.strip():
                    db.execute(statement)
            if backfill and db.execute("SELECT 1 FROM sqlite_master WHERE name='articles'").fetchone():
                rows = db.execute("SELECT id, title, text, date, lang FROM articles").fetchall()
                write(db, [Article(id=r[0], title=r[1], text=r[2], date=r[3], lang=r[4]) for r in rows], stored_passage_spans(db))


def delete(db: sqlite3.Connection, article_ids: Sequence[str], everything: bool = False) -> None:
    if everything:
        db.execute("DELETE FROM sentence_dates")
        return
    for i in range(0, len(article_ids), 500):
        chunk = list(article_ids[i : i + 500])
        db.execute(f"DELETE FROM sentence_dates WHERE article_id IN ({','.join('?' * len(chunk))})", chunk)


def write(db: sqlite3.Connection, articles: Iterable[Article], passages: dict[str, list[tuple[int, int, int]]]) -> int:
    """Resolve and store the sentence dates of ``articles`` (whose old rows are already deleted)."""
    rows = []
    for article in articles:
        spans = passages.get(article.id, [])
        for d in sentence_dates(article.text, article.date, article.lang):
            pid = next((p for p, s, e in spans if s <= d.start < e), None)
            rows.append((article.id, pid, d.start, d.end, d.date, d.expr_start, d.expr_end, d.kind))
    db.executemany("INSERT INTO sentence_dates (article_id, passage_id, start, end, date, expr_start, expr_end, kind) VALUES (?,?,?,?,?,?,?,?)", rows)
    return len(rows)


def select(db: sqlite3.Connection, article_ids: Sequence[str]) -> list[StoredDate]:
    """The dated sentences of ``article_ids``, in text order per article."""
    rows = db.execute(
        "SELECT article_id, passage_id, start, end, date, expr_start, expr_end, kind FROM sentence_dates "
        "WHERE article_id IN (SELECT value FROM json_each(?)) ORDER BY article_id, start",
        [json.dumps(list(article_ids))],
    ).fetchall()
    return [StoredDate(*r) for r in rows]
