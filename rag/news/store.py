"""The ``quotes`` table of an index's ``corpus.sqlite``, and the speaker lookup beside it.

Quotes are written by :meth:`rag.corpus.Corpus.commit` in the same transaction as their article's
passages, so they are as crash-safe and as incremental as passages: an edited article's quotes are
replaced, a removed article's quotes go with it. ``quote_terms`` holds the name and role words of
each speaker (lower case, without diacritics), so "Blinken", "Antony Blinken" and "Menlu AS Antony
Blinken" all find the same person by index lookups. An index built before quotes existed gets the
tables and its quotes on first use, and one whose quotes an older extractor wrote gets them
extracted again (:func:`ensure_tables`, by ``EXTRACTOR_VERSION``): nothing stored is lost.
"""

from __future__ import annotations

import json
import re
import sqlite3
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rag.news.quotes import Quote, extract_quotes
from rag.transactions import joined_transaction
from rag.types import Article, Passage

EXTRACTOR_VERSION = "2"
"""Bump when extraction changes: an index whose quotes an older version extracted gets them
extracted again, from its stored articles, on first use (:func:`ensure_tables`)."""
# 2: folded cues resolve to the person last made a sentence's subject; nicknames; place words before names.

SCHEMA = """
CREATE TABLE IF NOT EXISTS quotes (
    id INTEGER PRIMARY KEY,
    article_id TEXT NOT NULL REFERENCES articles(id),
    passage_id INTEGER,                 -- the passage holding the statement's start (for citations)
    ordinal INTEGER NOT NULL,
    statement TEXT NOT NULL,
    statement_start INTEGER NOT NULL,
    statement_end INTEGER NOT NULL,
    speaker TEXT, speaker_mention TEXT, speaker_role TEXT, speaker_affiliation TEXT,
    cue TEXT, cue_start INTEGER, cue_end INTEGER,
    direct INTEGER NOT NULL, public_figure INTEGER NOT NULL,
    place TEXT, date TEXT
);
CREATE INDEX IF NOT EXISTS quotes_by_article ON quotes(article_id);
CREATE TABLE IF NOT EXISTS quote_terms (term TEXT NOT NULL, kind TEXT NOT NULL, quote_id INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS quote_terms_by_term ON quote_terms(term, quote_id);
CREATE INDEX IF NOT EXISTS quote_terms_by_quote ON quote_terms(quote_id);
"""

_COLUMNS = (
    "article_id, passage_id, ordinal, statement, statement_start, statement_end, speaker, speaker_mention, speaker_role, "
    "speaker_affiliation, cue, cue_start, cue_end, direct, public_figure, place, date"
)


def fold(text: str) -> str:
    """Lower case without diacritics: "Rizieq" = "rizieq", "Mu’ti" = "mu’ti"."""
    return "".join(c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c))


def terms(text: str | None) -> list[str]:
    return [t for t in re.findall(r"\w+", fold(text or "")) if len(t) > 1]


@dataclass(frozen=True)
class StoredQuote:
    """A stored quote with the article fields a citation needs."""

    id: int
    quote: Quote
    passage_id: int | None
    title: str
    source: str | None
    url: str | None
    lang: str | None
    article_date: str | None


def stored_version(db: sqlite3.Connection) -> str | None:
    """The extractor version that wrote this index's quotes; None when it has no quote tables."""
    if not db.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='quotes'").fetchone():
        return None
    row = db.execute("SELECT value FROM meta WHERE key = 'quotes_extractor'").fetchone()
    return row[0] if row else "1"  # issue 11's first indexes wrote "1"


def ensure_tables(db: sqlite3.Connection, backfill: bool = True) -> None:
    """Create the quote tables if missing, and make the stored quotes this extractor's: an index
    built before quotes existed gets them, one whose quotes an older extractor wrote gets them
    again (re-extraction reads only the stored articles: a few ms each, no embedding). One
    transaction: a crash keeps the old quotes. ``backfill=False`` when the caller writes every
    article's quotes itself (a new index, a rebuild)."""
    if stored_version(db) == EXTRACTOR_VERSION:
        return
    with joined_transaction(db):
        version = stored_version(db)  # another process may have done it meanwhile
        if version != EXTRACTOR_VERSION:
            if version is None:
                for statement in SCHEMA.split(";"):  # not executescript(): it would commit our transaction
                    if statement.strip():
                        db.execute(statement)
            else:
                delete(db, (), everything=True)
            if backfill and db.execute("SELECT 1 FROM sqlite_master WHERE name='articles'").fetchone():
                rows = db.execute("SELECT id, title, text, source, url, date, lang, place FROM articles").fetchall()
                articles = [Article(id=r[0], title=r[1], text=r[2], source=r[3], url=r[4], date=r[5], lang=r[6], place=r[7]) for r in rows]
                spans = stored_passage_spans(db)
                write(db, articles, spans)
            db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('quotes_extractor', ?)", (EXTRACTOR_VERSION,))


def stored_passage_spans(db: sqlite3.Connection) -> dict[str, list[tuple[int, int, int]]]:
    """Every stored passage as ``(id, start, end)`` per article, in text order: for backfills."""
    spans: dict[str, list[tuple[int, int, int]]] = {}
    for r in db.execute("SELECT article_id, id, start, end FROM passages ORDER BY article_id, start"):
        spans.setdefault(r[0], []).append((r[1], r[2], r[3]))
    return spans


def delete(db: sqlite3.Connection, article_ids: Sequence[str], everything: bool = False) -> None:
    if everything:
        db.execute("DELETE FROM quote_terms")
        db.execute("DELETE FROM quotes")
        return
    for i in range(0, len(article_ids), 500):
        chunk = list(article_ids[i : i + 500])
        marks = ",".join("?" * len(chunk))
        db.execute(f"DELETE FROM quote_terms WHERE quote_id IN (SELECT id FROM quotes WHERE article_id IN ({marks}))", chunk)
        db.execute(f"DELETE FROM quotes WHERE article_id IN ({marks})", chunk)


def write(db: sqlite3.Connection, articles: Iterable[Article], passages: dict[str, list[tuple[int, int, int]]]) -> int:
    """Extract and store the quotes of ``articles`` (whose old quotes are already deleted)."""
    n = 0
    for article in articles:
        spans = passages.get(article.id, [])
        for ordinal, q in enumerate(extract_quotes(article)):
            pid = next((p for p, s, e in spans if s <= q.statement_start < e), None)
            cur = db.execute(
                f"INSERT INTO quotes ({_COLUMNS}) VALUES ({','.join('?' * 17)})",
                (q.article_id, pid, ordinal, q.statement, q.statement_start, q.statement_end, q.speaker, q.speaker_mention,
                 q.speaker_role, q.speaker_affiliation, q.cue, q.cue_start, q.cue_end, int(q.direct), int(q.public_figure),
                 q.place, q.date),
            )  # fmt: skip
            rows = {(t, "n") for t in terms(q.speaker)} | {(t, "r") for t in terms(q.speaker_role)}
            db.executemany("INSERT INTO quote_terms (term, kind, quote_id) VALUES (?,?,?)", [(t, k, cur.lastrowid) for t, k in rows])
            n += 1
    return n


def passage_spans(passages: Iterable[Passage]) -> dict[str, list[tuple[int, int, int]]]:
    spans: dict[str, list[tuple[int, int, int]]] = {}
    for p in passages:
        if p.id is not None:
            spans.setdefault(p.article_id, []).append((p.id, p.start, p.end))
    return spans


def _row_to_stored(r: tuple) -> StoredQuote:
    q = Quote(
        article_id=r[1], statement=r[4], statement_start=r[5], statement_end=r[6], speaker=r[7], speaker_mention=r[8],
        speaker_role=r[9], speaker_affiliation=r[10], cue=r[11], direct=bool(r[14]), public_figure=bool(r[15]),
        place=r[16], date=r[17], cue_start=r[12], cue_end=r[13],
    )  # fmt: skip
    return StoredQuote(r[0], q, r[2], title=r[18], source=r[19], url=r[20], lang=r[21], article_date=r[22])


_SELECT = f"SELECT q.id, q.{_COLUMNS.replace(', ', ', q.')}, a.title, a.source, a.url, a.lang, a.date FROM quotes q JOIN articles a ON a.id = q.article_id"


def select(
    db: sqlite3.Connection,
    speaker_terms: Sequence[str] = (),
    *,
    since: str | None = None,
    until: str | None = None,
    sources: Sequence[str] = (),
    article_ids: Sequence[str] | None = None,
) -> list[StoredQuote]:
    """Quotes whose speaker has every one of ``speaker_terms`` (name or role words), newest first."""
    clauses, params = [], []
    for t in speaker_terms:
        clauses.append("q.id IN (SELECT quote_id FROM quote_terms WHERE term = ?)")
        params.append(t)
    if since:
        clauses.append("coalesce(q.date, a.date) >= ?")
        params.append(since)
    if until:
        clauses.append("coalesce(q.date, a.date) <= ?")
        params.append(until)
    if sources:
        clauses.append(f"lower(a.source) IN ({','.join('?' * len(sources))})")
        params += [s.lower() for s in sources]
    if article_ids is not None:
        clauses.append("q.article_id IN (SELECT value FROM json_each(?))")
        params.append(json.dumps(list(article_ids)))
    where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
    rows = db.execute(_SELECT + where + " ORDER BY coalesce(q.date, a.date) DESC, q.article_id, q.ordinal", params).fetchall()
    return [_row_to_stored(r) for r in rows]


def known_terms(db: sqlite3.Connection, candidates: Sequence[str]) -> set[str]:
    """Which of ``candidates`` are words of some stored speaker's name (kind 'n')."""
    if not candidates:
        return set()
    marks = ",".join("?" * len(candidates))
    return {r[0] for r in db.execute(f"SELECT DISTINCT term FROM quote_terms WHERE kind = 'n' AND term IN ({marks})", list(candidates))}
