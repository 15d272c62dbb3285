"""Copy groups (one report run by many outlets) and stories (reports of one event), in ``corpus.sqlite``.

Written by :meth:`rag.corpus.Corpus.commit` in the same transaction as the articles (like the
quotes, rag/news/store.py), so they survive a crash, a remove and ``rag index rebuild`` exactly as
articles do. Each article's fingerprint (MinHash, shingle count, mean passage vector, names) is
stored, so the LSH is rebuilt on open from the table without re-reading any text.

Adding an article is one LSH query (plus, when it has a date, one look at the articles of the
same days for translations and stories). The groups are the connected components of "is a copy
of" (MinHash containment, or for two languages mean-vector cosine within a few days); a commit
recomputes only the components its articles touch, so a removed canonical member hands over to
the next one and a removed bridge splits its group.

**Canonical rule**: the earliest publication date (undated last), then the longest text without
boilerplate, then the smallest article id. A group's id is its canonical member's id.
A story's id is its first member by the same rule.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rag.news import fingerprint as fp
from rag.types import Article, CopyMember

if TYPE_CHECKING:
    import numpy as np

SCHEMA = """
CREATE TABLE IF NOT EXISTS copies (
    article_id TEXT PRIMARY KEY REFERENCES articles(id),
    minhash BLOB NOT NULL,            -- NUM_PERM uint32 MinHash values
    shingles INTEGER NOT NULL,
    length INTEGER NOT NULL,          -- characters without boilerplate
    vector BLOB,                      -- float32 mean passage vector, normalised (NULL: not embedded here)
    entities TEXT NOT NULL,           -- JSON list of folded names
    agency TEXT,
    copy_group TEXT NOT NULL,         -- the canonical member's article id
    story TEXT NOT NULL               -- the story's earliest member's article id
);
CREATE INDEX IF NOT EXISTS copies_by_group ON copies(copy_group);
CREATE INDEX IF NOT EXISTS copies_by_story ON copies(story)
"""


@dataclass
class _Row:
    id: str
    minhash: np.ndarray
    shingles: int
    length: int
    vector: np.ndarray | None
    entities: frozenset[str]
    date: str | None
    lang: str | None
    copy_group: str
    story: str


class CopyLSH:
    """The in-memory MinHash LSH over every stored article, built from the table on first use."""

    def __init__(self) -> None:
        from datasketch import MinHashLSH

        self._lsh = MinHashLSH(threshold=fp.LSH_THRESHOLD, num_perm=fp.NUM_PERM)
        self.generation: int | None = None

    @classmethod
    def load(cls, db: sqlite3.Connection, generation: int) -> CopyLSH:
        import numpy as np

        lsh = cls()
        for article_id, blob in db.execute("SELECT article_id, minhash FROM copies"):
            lsh.insert(article_id, np.frombuffer(blob, dtype=np.uint32))
        lsh.generation = generation
        return lsh

    def insert(self, key: str, minhash: np.ndarray) -> None:
        if key not in self._lsh:
            self._lsh.insert(key, _lean(minhash))

    def remove(self, key: str) -> None:
        if key in self._lsh:
            self._lsh.remove(key)

    def query(self, minhash: np.ndarray) -> list[str]:
        return list(self._lsh.query(_lean(minhash)))


def _lean(minhash: np.ndarray):  # noqa: ANN202
    from datasketch import LeanMinHash

    return LeanMinHash(seed=1, hashvalues=minhash, scheme=fp.MINHASH_SCHEME)


def ensure_tables(db: sqlite3.Connection) -> bool:
    """Create the tables if missing; True when they were created (an older index: backfill them)."""
    if db.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='copies'").fetchone():
        return False
    for statement in SCHEMA.split(";"):  # not executescript(): it would commit the caller's transaction
        if statement.strip():
            db.execute(statement)
    return True


def commit(
    db: sqlite3.Connection,
    lsh: CopyLSH,
    articles: Sequence[Article],
    vectors: Mapping[str, np.ndarray],
    remove_ids: Sequence[str],
    replace_all: bool = False,
    *,
    stories: bool = True,
) -> None:
    """Store the fingerprints of ``articles`` (their old rows and ``remove_ids``' go) and regroup what they touch.

    Runs inside the caller's transaction; ``lsh`` is updated as it goes (the caller drops it on rollback).
    ``stories=False``: copy groups only, for a store that keeps no stories (their links are most of the
    time a commit spends here when many articles share their days).
    """
    import numpy as np

    touched: set[str] = set()
    stale = [a.id for a in articles] + list(remove_ids)
    if replace_all:
        db.execute("DELETE FROM copies")
    else:
        for chunk in _chunks(stale):
            marks = ",".join("?" * len(chunk))
            for group, story in db.execute(f"SELECT copy_group, story FROM copies WHERE article_id IN ({marks})", chunk):
                touched |= {"g:" + group, "s:" + story}
            db.execute(f"DELETE FROM copies WHERE article_id IN ({marks})", chunk)
    for key in stale:
        lsh.remove(key)
    rows = []
    for a in articles:
        f = fp.fingerprint(a)
        vector = vectors.get(a.id)
        blob = None
        if vector is not None and len(vector):
            mean = np.asarray(vector, dtype=np.float32).mean(axis=0)
            blob = (mean / (np.linalg.norm(mean) or 1.0)).astype(np.float32).tobytes()
        rows.append((a.id, f.minhash.tobytes(), f.shingles, f.length, blob, json.dumps(sorted(f.entities)), f.agency, a.id, a.id))
        lsh.insert(a.id, f.minhash)
    db.executemany("INSERT OR REPLACE INTO copies VALUES (?,?,?,?,?,?,?,?,?)", rows)
    seeds = {a.id for a in articles}
    groups = {t[2:] for t in touched if t.startswith("g:")}
    old_stories = {t[2:] for t in touched if t.startswith("s:")}
    _regroup(db, lsh, seeds, groups, old_stories if stories else None)


def _regroup(db: sqlite3.Connection, lsh: CopyLSH, seeds: set[str], groups: set[str], stories: set[str] | None) -> None:
    """Recompute the copy groups, then (unless ``stories`` is None) the stories, of ``seeds`` and of the named old groups/stories."""
    members = seeds | _ids_where(db, "copy_group", groups)
    rows = _rows(db, members)
    parent = {i: i for i in rows}
    frontier = list(rows)
    while frontier:  # a node's copies join the component, and their own copies in turn
        row = rows[frontier.pop()]
        for other in _copies_of(db, lsh, row, rows):
            if other.id not in parent:
                parent[other.id] = other.id
                frontier.append(other.id)
            _union(parent, row.id, other.id)
    new_groups = _components(parent)
    for component in new_groups:
        canonical = min((rows[i] for i in component), key=_canonical_order).id
        db.executemany("UPDATE copies SET copy_group = ? WHERE article_id = ?", [(canonical, i) for i in component])
        for i in component:
            if stories is not None:
                stories.add(rows[i].story)
            rows[i].copy_group = canonical
    if stories is None:
        return
    # Stories: the touched articles, their old stories, and the articles of nearby days they link to.
    members = set(rows) | _ids_where(db, "story", stories)
    rows.update(_rows(db, members - set(rows)))
    parent = {i: i for i in rows}
    by_group: dict[str, str] = {}
    frontier = list(rows)
    while frontier:
        row = rows[frontier.pop()]
        first = by_group.setdefault(row.copy_group, row.id)
        _union(parent, row.id, first)
        for other in _story_links(db, row, rows):
            if other.id not in parent:  # a linked article brings its whole old story (its copies included)
                joined = {other.id} | _ids_where(db, "story", {other.story})
                _fetch(db, joined, rows)
                for i in joined - set(parent):
                    parent[i] = i
                    frontier.append(i)
            _union(parent, row.id, other.id)
    for component in _components(parent):
        first = min((rows[i] for i in component), key=_canonical_order).id
        db.executemany("UPDATE copies SET story = ? WHERE article_id = ?", [(first, i) for i in component])


def _canonical_order(row: _Row) -> tuple:
    """The canonical rule (module docstring): earliest date (undated last), then longest, then smallest id."""
    return (row.date or "9999", -row.length, row.id)


def _copies_of(db: sqlite3.Connection, lsh: CopyLSH, row: _Row, known: dict[str, _Row]) -> list[_Row]:
    """Stored articles that are copies of ``row``: one LSH query, then translations of nearby days."""
    candidates = [i for i in lsh.query(row.minhash) if i != row.id]
    found = _fetch(db, candidates, known)
    out = [r for r in found if fp.are_copies(row.minhash, row.shingles, r.minhash, r.shingles)]
    if row.vector is not None and row.date:
        for other in _nearby(db, row, fp.XLANG_DAYS, known):
            if other.lang != row.lang and other.vector is not None and float(row.vector @ other.vector) >= fp.XLANG_COSINE:
                out.append(other)
    return out


def _story_links(db: sqlite3.Connection, row: _Row, known: dict[str, _Row]) -> list[_Row]:
    if row.vector is None or not row.date:
        return []
    return [
        other
        for other in _nearby(db, row, fp.STORY_DAYS, known)
        if other.vector is not None
        and float(row.vector @ other.vector) >= fp.STORY_COSINE
        and len(row.entities & other.entities) >= fp.STORY_ENTITIES
    ]


def _nearby(db: sqlite3.Connection, row: _Row, days: int, known: dict[str, _Row]) -> list[_Row]:
    ids = [
        r[0]
        for r in db.execute(
            "SELECT c.article_id FROM copies c JOIN articles a ON a.id = c.article_id "
            "WHERE c.vector IS NOT NULL AND a.date BETWEEN date(?, ?) AND date(?, ?) AND c.article_id != ?",
            (row.date[:10], f"-{days} days", row.date[:10], f"+{days} days", row.id),
        )
    ]
    return _fetch(db, ids, known)


def _fetch(db: sqlite3.Connection, ids: Iterable[str], known: dict[str, _Row]) -> list[_Row]:
    ids = list(ids)
    missing = [i for i in ids if i not in known]
    if missing:
        known.update(_rows(db, missing))
    return [known[i] for i in ids if i in known]


def _rows(db: sqlite3.Connection, ids: Iterable[str]) -> dict[str, _Row]:
    import numpy as np

    out = {}
    for chunk in _chunks(list(ids)):
        sql = (
            "SELECT c.article_id, c.minhash, c.shingles, c.length, c.vector, c.entities, a.date, a.lang, c.copy_group, c.story "
            f"FROM copies c JOIN articles a ON a.id = c.article_id WHERE c.article_id IN ({','.join('?' * len(chunk))})"
        )
        for r in db.execute(sql, chunk):
            vector = np.frombuffer(r[4], dtype=np.float32) if r[4] is not None else None
            out[r[0]] = _Row(r[0], np.frombuffer(r[1], dtype=np.uint32), r[2], r[3], vector, frozenset(json.loads(r[5])), r[6], r[7], r[8], r[9])
    return out


def _ids_where(db: sqlite3.Connection, column: str, values: set[str]) -> set[str]:
    assert column in {"copy_group", "story"}
    out: set[str] = set()
    for chunk in _chunks(sorted(values)):
        out |= {r[0] for r in db.execute(f"SELECT article_id FROM copies WHERE {column} IN ({','.join('?' * len(chunk))})", chunk)}
    return out


def _union(parent: dict[str, str], a: str, b: str) -> None:
    ra, rb = _find(parent, a), _find(parent, b)
    if ra != rb:
        parent[max(ra, rb)] = min(ra, rb)


def _find(parent: dict[str, str], a: str) -> str:
    while parent[a] != a:
        parent[a] = parent[parent[a]]
        a = parent[a]
    return a


def _components(parent: dict[str, str]) -> list[set[str]]:
    out: dict[str, set[str]] = {}
    for node in parent:
        out.setdefault(_find(parent, node), set()).add(node)
    return list(out.values())


def _chunks(values: list, size: int = 500) -> Iterable[list]:
    for i in range(0, len(values), size):
        yield values[i : i + size]


# -- reading ----------------------------------------------------------------------------------------


def groups_of(db: sqlite3.Connection, article_ids: Sequence[str]) -> dict[str, tuple[str, tuple[CopyMember, ...]]]:
    """For each article: its copy group's id and every member of that group (itself included), canonical first."""
    ids = list(dict.fromkeys(article_ids))
    group_of: dict[str, str] = {}
    for chunk in _chunks(ids):
        group_of.update(db.execute(f"SELECT article_id, copy_group FROM copies WHERE article_id IN ({','.join('?' * len(chunk))})", chunk))
    members: dict[str, list[CopyMember]] = {}
    for chunk in _chunks(sorted(set(group_of.values()))):
        sql = (
            "SELECT c.copy_group, c.article_id, a.title, a.source, a.url, a.date, a.lang, c.agency FROM copies c "
            f"JOIN articles a ON a.id = c.article_id WHERE c.copy_group IN ({','.join('?' * len(chunk))}) "
            "ORDER BY c.copy_group, c.article_id != c.copy_group, a.date, a.id"
        )
        for r in db.execute(sql, chunk):
            members.setdefault(r[0], []).append(CopyMember(*r[1:]))
    return {a: (g, tuple(members.get(g, ()))) for a, g in group_of.items()}


def group_table(db: sqlite3.Connection) -> dict[str, list[str]]:
    """Every copy group with its member ids (canonical first): for tests, benchmarks and ``rag stories --json``."""
    out: dict[str, list[str]] = {}
    for group, article_id in db.execute("SELECT copy_group, article_id FROM copies ORDER BY copy_group, article_id != copy_group, article_id"):
        out.setdefault(group, []).append(article_id)
    return out
