"""The stemmed full-text table: Indonesian passages as roots (``rag.stemming``), searched beside
the plain ``passages_fts`` table so "dibangun" in a question finds "pembangunan" in a passage.

It stores its own (stemmed) copy of titles and passages: the plain table reads its text from the
passages through a view, but the stemmed text exists nowhere else. It is written inside
``Corpus.commit``, in the same transaction, so it is always at the same generation as the passages.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence

from rag.stemming import STEMMED_LANGUAGES, stem_text
from rag.transactions import joined_transaction

TABLE = "passages_fts_stemmed"
VERSION = "1"
"""Stored in ``meta``; a change to ``rag.stemming`` that changes roots bumps it (and needs ``rag index rebuild``)."""

_SCHEMA = f"CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE} USING fts5(title, text, tokenize='unicode61 remove_diacritics 2')"
_LANGS = ",".join(f"'{lang}'" for lang in sorted(STEMMED_LANGUAGES))


def ensure_table(db: sqlite3.Connection, backfill: bool = True) -> None:
    """Create the table if missing; an index built before it gets its stored passages stemmed, once."""
    if db.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (TABLE,)).fetchone():
        return
    with joined_transaction(db):
        if not db.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (TABLE,)).fetchone():  # another process may have won
            db.execute(_SCHEMA)
            if backfill and db.execute("SELECT 1 FROM sqlite_master WHERE name = 'passages'").fetchone():
                rows = db.execute(
                    f"SELECT p.id, a.title, p.text FROM passages p JOIN articles a ON a.id = p.article_id WHERE a.lang IN ({_LANGS})"
                )
                write(db, rows.fetchall())
            db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('stemmed_fts', ?)", (VERSION,))


def rows_to_stem(lang: str | None, title: str | None, passages: Iterable[tuple[int, str]]) -> list[tuple[int, str | None, str]]:
    """``(passage id, title, text)`` rows for one article's passages, none when its language is not stemmed."""
    return [(pid, title, text) for pid, text in passages] if lang in STEMMED_LANGUAGES else []


def write(db: sqlite3.Connection, rows: Sequence[tuple[int, str | None, str]]) -> None:
    """Index ``(passage id, title, text)`` rows, stemmed (titles repeat per passage: one cache hit each)."""
    db.executemany(
        f"INSERT INTO {TABLE} (rowid, title, text) VALUES (?, ?, ?)",
        [(pid, stem_text(title or ""), stem_text(text)) for pid, title, text in rows],
    )


def delete_passages(db: sqlite3.Connection, passage_ids: Sequence[int]) -> None:
    for i in range(0, len(passage_ids), 500):
        chunk = list(passage_ids[i : i + 500])
        db.execute(f"DELETE FROM {TABLE} WHERE rowid IN ({','.join('?' * len(chunk))})", chunk)


def delete_all(db: sqlite3.Connection) -> None:
    db.execute(f"DELETE FROM {TABLE}")


def count(db: sqlite3.Connection) -> tuple[int, int]:
    """(rows indexed, passages that should be): a read-only consistency check."""
    indexed = db.execute(f"SELECT count(*) FROM {TABLE}_docsize").fetchone()[0]
    expected = db.execute(
        f"SELECT count(*) FROM passages p JOIN articles a ON a.id = p.article_id WHERE a.lang IN ({_LANGS})"
    ).fetchone()[0]
    return indexed, expected
