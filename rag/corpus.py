"""``corpus.sqlite``: articles, passages and full-text (FTS5) tables, plus the authoritative manifest.

Two full-text tables: ``passages_fts`` (every passage, words as written) and
``passages_fts_stemmed`` (Indonesian passages as roots, ``rag.stemmed_fts``).

All changes of one ingest go through :meth:`Corpus.commit` in a single transaction, so the
database is always at one generation or the next. WAL mode lets readers go on during a write.
"""

from __future__ import annotations

import json
import re
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from rag import stemmed_fts
from rag.manifest import Manifest, utc_now
from rag.news import copies, date_store, store as quote_store
from rag.types import Article, CopyMember, Filters, Hit, Passage
from rag.vectors import DEFAULT_POLICY, IndexPolicy

if TYPE_CHECKING:
    import numpy as np

T = TypeVar("T")
CORPUS_FILE = "corpus.sqlite"
_TERM = re.compile(r'"((?:[^"]|"")*)"')
_OR_OF_TERMS = re.compile(r'"(?:[^"]|"")*"(?: OR "(?:[^"]|"")*")+')

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    text TEXT NOT NULL,
    source TEXT, url TEXT, date TEXT, lang TEXT, place TEXT, origin TEXT,
    content_hash TEXT NOT NULL,
    indexed_at TEXT NOT NULL,
    published TEXT                      -- the full timestamp with its offset, when the data gave a time
);
CREATE TABLE IF NOT EXISTS passages (
    id INTEGER PRIMARY KEY,            -- also the FAISS id
    article_id TEXT NOT NULL REFERENCES articles(id),
    ordinal INTEGER NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    text TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS passages_by_article ON passages(article_id);
CREATE INDEX IF NOT EXISTS articles_by_url ON articles(url);
-- The FTS table indexes titles with passages but stores no copy of either (external content).
CREATE VIEW IF NOT EXISTS passage_docs AS
    SELECT p.id AS id, p.article_id AS article_id, a.title AS title, p.text AS text
    FROM passages p JOIN articles a ON a.id = p.article_id;
CREATE VIRTUAL TABLE IF NOT EXISTS passages_fts USING fts5(
    title, text, content='passage_docs', content_rowid='id', tokenize='unicode61 remove_diacritics 2'
);
"""

_ARTICLE_COLUMNS = "id, title, text, source, url, date, lang, place, origin, content_hash, indexed_at, published"


def _in_chunks(query: str, values: list) -> Iterator[tuple[list, str]]:
    """``query`` with its ``IN ({})`` filled for slices of ``values`` (SQLite caps bound parameters)."""
    for i in range(0, len(values), 500):
        chunk = values[i : i + 500]
        yield chunk, query.format(",".join("?" * len(chunk)))


@dataclass(frozen=True)
class Change:
    """One article to store with its passages (ids already assigned)."""

    article: Article
    passages: Sequence[Passage]


class Corpus:
    """A connection to an index's SQLite database."""

    def __init__(self, index_dir: Path, policy: IndexPolicy = DEFAULT_POLICY) -> None:
        self.path = index_dir / CORPUS_FILE
        self.policy = policy
        """``policy.lexical_postings`` bounds the work of one BM25 query (``_rare_terms``)."""
        # isolation_level=None: we issue BEGIN/COMMIT ourselves, so a transaction spans exactly one commit().
        self._db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")  # a returned commit survives a power cut
        self._db.execute("PRAGMA busy_timeout=10000")
        # passages per FTS term and table, for _rare_terms (approximate: not refreshed)
        self._df: dict[str, dict[str, int]] = {"passages_fts": {}, stemmed_fts.TABLE: {}}
        self._lsh: copies.CopyLSH | None = None  # of the copies table, built on the first commit (rag.news.copies)
        self.copies_seconds = 0.0
        """Seconds this connection spent on copy groups and stories in commits (``make bench`` reports their share)."""
        self._add_published_column()

    def _add_published_column(self) -> None:
        """An index from before publication timestamps gets the (empty) column; nothing else changes."""
        columns = {r[1] for r in self._db.execute("PRAGMA table_info(articles)")}
        if columns and "published" not in columns:
            self._db.execute("ALTER TABLE articles ADD COLUMN published TEXT")

    def close(self) -> None:
        self._db.close()

    def initialise(self, manifest: Manifest) -> None:
        """Create the tables, then the manifest row: a database without that row is no index yet."""
        self._db.executescript(_SCHEMA)
        quote_store.ensure_tables(self._db, backfill=False)
        date_store.ensure_tables(self._db, backfill=False)
        stemmed_fts.ensure_table(self._db, backfill=False)
        copies.ensure_tables(self._db)
        self._set_manifest(manifest)

    # -- reading ------------------------------------------------------------------------------

    def manifest(self) -> Manifest | None:
        try:
            row = self._db.execute("SELECT value FROM meta WHERE key = 'manifest'").fetchone()
        except sqlite3.OperationalError:  # no meta table: not (yet) an index
            return None
        return Manifest.from_json(row[0], self.path.parent) if row else None

    def content_hashes(self, ids: Iterable[str]) -> dict[str, str]:
        return dict(self._select_in("SELECT id, content_hash FROM articles WHERE id IN ({})", list(ids)))

    def passage_ids(self, article_ids: Iterable[str]) -> list[int]:
        return [r[0] for r in self._select_in("SELECT id FROM passages WHERE article_id IN ({})", list(article_ids))]

    def article_ids_by_url(self, urls: Iterable[str]) -> dict[str, str]:
        return dict(self._select_in("SELECT url, id FROM articles WHERE url IN ({})", list(urls)))

    def articles(self, ids: Sequence[str] | None = None) -> list[Article]:
        query = f"SELECT {_ARTICLE_COLUMNS} FROM articles"
        rows = self._select_in(query + " WHERE id IN ({})", list(ids)) if ids is not None else self._db.execute(query + " ORDER BY id")
        return [Article(*row[:10], published=row[11]) for row in rows]

    def hits(self, ids: Sequence[int], scores: Sequence[float]) -> list[Hit]:
        """Hits for passage ids, in the given order; ids no longer stored are dropped."""
        rows = {
            r[0]: r
            for r in self._select_in(
                "SELECT p.id, p.article_id, p.ordinal, p.start, p.end, p.text, a.title, a.source, a.url, a.date, a.lang "
                "FROM passages p JOIN articles a ON a.id = p.article_id WHERE p.id IN ({})",
                [int(i) for i in ids],
            )
        }
        groups = self.copy_groups({r[1] for r in rows.values()})
        hits = []
        for pid, score in zip(ids, scores):
            if (r := rows.get(int(pid))) is not None:
                passage = Passage(article_id=r[1], ordinal=r[2], start=r[3], end=r[4], text=r[5], id=r[0])
                group, members = groups.get(r[1], (None, ()))
                also_in = tuple(m for m in members if m.article_id != r[1])
                hits.append(Hit(passage, float(score), title=r[6], source=r[7], url=r[8], date=r[9], lang=r[10], copy_group=group, also_in=also_in))
        return hits

    def copy_groups(self, article_ids: Iterable[str]) -> dict[str, tuple[str, tuple[CopyMember, ...]]]:
        """Each article's copy group id and members, canonical first (rag.news.copies); {} for an index without them."""
        try:
            return copies.groups_of(self._db, list(article_ids))
        except sqlite3.OperationalError:  # an index from before copy groups: none until its next write
            return {}

    def read(self, query: Callable[[sqlite3.Connection], T]) -> T:
        """``query(db)`` on one committed state: for the news layer's own tables (rag.news)."""
        with self.snapshot():
            return query(self._db)

    def copy_table(self) -> dict[str, list[str]]:
        """Every copy group's member ids, canonical first."""
        try:
            return copies.group_table(self._db)
        except sqlite3.OperationalError:
            return {}

    def lexical(self, match: str, k: int, allowed: Sequence[int] | None = None, *, stemmed: bool = False) -> list[tuple[int, float]]:
        """BM25 search of a full-text table: ``(passage id, score)`` best first, higher is better.

        ``match`` is an FTS5 query (see ``rag.retrieval.fts_query``); with ``stemmed`` it searches
        the stemmed table, and its terms must be roots (``rag.stemming.stem_text``).
        """
        if not match:
            return []
        table = stemmed_fts.TABLE if stemmed else "passages_fts"
        if stemmed:
            stemmed_fts.ensure_table(self._db)  # an index built before the table gets it on first use
        match = self._rare_terms(match, table)
        where = ""
        params: list = [match]
        if allowed is not None:
            where = f" AND rowid IN (SELECT value FROM json_each(?))"
            params.append(json.dumps([int(i) for i in allowed]))
        rows = self._db.execute(
            f"SELECT rowid, -bm25({table}) FROM {table} WHERE {table} MATCH ?{where} ORDER BY bm25({table}) LIMIT ?",
            [*params, k],
        ).fetchall()
        return [(int(r[0]), float(r[1])) for r in rows]

    def _rare_terms(self, match: str, table: str = "passages_fts") -> str:
        """``match`` (an OR of quoted terms) without its most frequent terms once their postings
        exceed ``policy.lexical_postings``: BM25 reads every posting of every term, and a word found in
        100k passages costs that many reads while adding the least (lowest IDF) to the score
        (300 ms → 30 ms per question at 1M passages, benchmarks/RESULTS.md). The rarest term always
        stays; small indexes are never affected. Other query shapes pass through unchanged."""
        if not _OR_OF_TERMS.fullmatch(match):
            return match
        budget, df = self.policy.lexical_postings, self._df[table]
        terms = [t.replace('""', '"') for t in _TERM.findall(match)]
        unknown = [t for t in terms if t not in df]
        if unknown:
            if len(df) > 100_000:
                df.clear()
            self._db.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.{table}_terms USING fts5vocab(main, {table}, row)")
            found = dict(self._select_in(f"SELECT term, doc FROM temp.{table}_terms WHERE term IN ({{}})", unknown))
            df.update({t: found.get(t, 0) for t in unknown})
        if sum(df[t] for t in terms) <= budget:
            return match
        kept, postings = set(), 0
        for term in sorted(terms, key=lambda t: df[t]):
            if kept and postings + df[term] > budget:
                break
            kept.add(term)
            postings += df[term]
        return " OR ".join('"' + t.replace('"', '""') + '"' for t in terms if t in kept)

    def passage_ids_where(self, filters: Filters) -> list[int]:
        """Passages of the articles that pass ``filters``."""
        clauses, params = [], []
        if filters.since:
            clauses.append("a.date >= ?")
            params.append(filters.since)
        if filters.until:
            clauses.append("a.date <= ?")
            params.append(filters.until)
        if filters.sources:
            clauses.append(f"lower(a.source) IN ({','.join('?' * len(filters.sources))})")
            params += [s.lower() for s in filters.sources]
        query = "SELECT p.id FROM passages p JOIN articles a ON a.id = p.article_id"
        return [r[0] for r in self._db.execute(query + (" WHERE " + " AND ".join(clauses) if clauses else ""), params)]

    def has_dates(self) -> bool:
        """Whether any article has a publication date (a corpus without any cannot be asked "last week")."""
        return self._db.execute("SELECT EXISTS(SELECT 1 FROM articles WHERE coalesce(date, '') != '')").fetchone()[0] == 1

    def all_passage_ids(self) -> list[int]:
        return [r[0] for r in self._db.execute("SELECT id FROM passages ORDER BY id")]

    def passage_texts(self) -> Iterator[tuple[int, str]]:
        yield from self._db.execute("SELECT id, text FROM passages ORDER BY id")

    def counts_by(self, column: str) -> dict[str, int]:
        assert column in {"lang", "source"}
        rows = self._db.execute(f"SELECT coalesce({column}, '?'), count(*) FROM articles GROUP BY 1 ORDER BY 2 DESC, 1")
        return dict(rows.fetchall())

    def integrity_problems(self) -> list[str]:
        problems = []
        if (result := self._db.execute("PRAGMA integrity_check").fetchone()[0]) != "ok":
            problems.append(f"{CORPUS_FILE} fails SQLite's integrity check: {result}")
        # FTS5 keeps one docsize row per indexed passage; a read-only way to see they agree.
        indexed = self._db.execute("SELECT count(*) FROM passages_fts_docsize").fetchone()[0]
        missing = self._db.execute("SELECT count(*) FROM passages WHERE id NOT IN (SELECT id FROM passages_fts_docsize)").fetchone()[0]
        stored = self._db.execute("SELECT count(*) FROM passages").fetchone()[0]
        if missing or indexed != stored:
            problems.append(f"the full-text index holds {indexed} passages, the database {stored} ({missing} not indexed)")
        if self._db.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (stemmed_fts.TABLE,)).fetchone():
            stemmed, expected = stemmed_fts.count(self._db)
            if stemmed != expected:
                problems.append(f"the stemmed full-text index holds {stemmed} passages, the database {expected} to stem")
        return problems

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """Read one committed state throughout (WAL readers see a stable snapshot)."""
        self._db.execute("BEGIN")
        try:
            yield
        finally:
            self._db.execute("COMMIT")

    def _select_in(self, query: str, values: list) -> list[tuple]:
        return [row for chunk, sql in _in_chunks(query, values) for row in self._db.execute(sql, chunk).fetchall()]

    # -- writing ------------------------------------------------------------------------------

    def commit(
        self,
        manifest: Manifest,
        changes: Sequence[Change],
        remove_ids: Sequence[str],
        replace_all: bool = False,
        vectors: Mapping[str, np.ndarray] | None = None,
    ) -> Manifest:
        """Store ``changes``, drop ``remove_ids`` (and replaced articles' old passages), set the
        manifest — all or nothing. ``replace_all`` drops every passage first (a rebuild).
        ``vectors`` are each changed article's passage vectors (for copies across languages and stories).
        Returns the manifest as stored, with its counts."""
        db = self._db
        previous = self.manifest()
        db.execute("BEGIN IMMEDIATE")
        try:
            stemmed_fts.ensure_table(db, backfill=not replace_all)
            if replace_all:
                db.execute("INSERT INTO passages_fts(passages_fts) VALUES ('delete-all')")
                stemmed_fts.delete_all(db)
                db.execute("DELETE FROM passages")
            else:
                stale = [c.article.id for c in changes] + list(remove_ids)
                stemmed_fts.delete_passages(db, self.passage_ids(stale))
                # FTS5 external content: a row is deleted by repeating its indexed values.
                self._executemany_in(
                    "INSERT INTO passages_fts(passages_fts, rowid, title, text) "
                    "SELECT 'delete', id, title, text FROM passage_docs WHERE article_id IN ({})",
                    stale,
                )
                self._executemany_in("DELETE FROM passages WHERE article_id IN ({})", stale)
            self._executemany_in("DELETE FROM articles WHERE id IN ({})", list(remove_ids))
            now = utc_now()
            db.executemany(
                f"INSERT OR REPLACE INTO articles ({_ARTICLE_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                [
                    (a.id, a.title, a.text, a.source, a.url, a.date, a.lang, a.place, a.origin, a.content_hash, now, a.published)
                    for a in (c.article for c in changes)
                ],
            )
            db.executemany(
                "INSERT INTO passages (id, article_id, ordinal, start, end, text) VALUES (?,?,?,?,?,?)",
                [(p.id, p.article_id, p.ordinal, p.start, p.end, p.text) for c in changes for p in c.passages],
            )
            if replace_all:
                db.execute("INSERT INTO passages_fts(passages_fts) VALUES ('rebuild')")
            else:
                self._executemany_in(
                    "INSERT INTO passages_fts(rowid, title, text) SELECT id, title, text FROM passage_docs WHERE article_id IN ({})",
                    [c.article.id for c in changes],
                )
            stemmed_fts.write(
                db, [row for c in changes for row in stemmed_fts.rows_to_stem(c.article.lang, c.article.title, ((p.id, p.text) for p in c.passages))]
            )
            self._commit_quotes(changes, remove_ids, replace_all)
            self._commit_copies(changes, remove_ids, replace_all, vectors or {}, previous)
            counts = db.execute("SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM passages)").fetchone()
            stored = replace(manifest, articles=counts[0], passages=counts[1])
            self._set_manifest(stored)
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            self._lsh = None  # it may hold this transaction's signatures: rebuilt from the table next time
            raise
        if self._lsh is not None:
            self._lsh.generation = stored.generation
        return stored

    def _commit_copies(
        self, changes: Sequence[Change], remove_ids: Sequence[str], replace_all: bool, vectors: Mapping[str, np.ndarray], previous: Manifest | None
    ) -> None:
        """Copy groups and stories of the committed articles, in the same transaction (see rag.news.copies)."""
        started = time.perf_counter()
        articles = [c.article for c in changes]
        if copies.ensure_tables(self._db) and not replace_all:  # an index from before copy groups: every article gets one now
            articles = self.articles()
            self._lsh = None
        generation = previous.generation if previous is not None else None
        if self._lsh is None or self._lsh.generation != generation:  # another process wrote since
            self._lsh = copies.CopyLSH.load(self._db, generation)
        if replace_all:
            self._lsh = copies.CopyLSH()
        copies.commit(self._db, self._lsh, articles, vectors, remove_ids, replace_all)
        self.copies_seconds += time.perf_counter() - started

    def _commit_quotes(self, changes: Sequence[Change], remove_ids: Sequence[str], replace_all: bool) -> None:
        """The quotes and sentence dates of the committed articles, in the same transaction (rag.news.store, rag.news.date_store)."""
        quote_store.ensure_tables(self._db, backfill=not replace_all)
        quote_store.delete(self._db, [c.article.id for c in changes] + list(remove_ids), everything=replace_all)
        quote_store.write(self._db, [c.article for c in changes], quote_store.passage_spans(p for c in changes for p in c.passages))
        # The sentences' dates likewise (rag.news.date_store).
        date_store.ensure_tables(self._db, backfill=not replace_all)
        date_store.delete(self._db, [c.article.id for c in changes] + list(remove_ids), everything=replace_all)
        date_store.write(self._db, [c.article for c in changes], quote_store.passage_spans(p for c in changes for p in c.passages))

    def sentence_dates(self, article_ids: Sequence[str]) -> list[date_store.StoredDate]:
        """The dated sentences of ``article_ids`` (rag.news.date_store.select)."""
        date_store.ensure_tables(self._db)
        return date_store.select(self._db, article_ids)

    def quotes(self, speaker_terms: Sequence[str] = (), **filters: object) -> list[quote_store.StoredQuote]:
        """Stored quotes whose speaker has all ``speaker_terms``, newest first (rag.news.store.select)."""
        quote_store.ensure_tables(self._db)
        return quote_store.select(self._db, speaker_terms, **filters)  # type: ignore[arg-type]

    def _executemany_in(self, query: str, values: list) -> None:
        for chunk, sql in _in_chunks(query, values):
            self._db.execute(sql, chunk)

    def _set_manifest(self, manifest: Manifest) -> None:
        self._db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('manifest', ?)", (manifest.to_json(),))
