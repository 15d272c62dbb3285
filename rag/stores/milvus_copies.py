"""Copy groups on Milvus: ``rag.news.copies`` itself, run on an in-memory SQLite mirror of the stored fingerprints.

``rag.news.copies`` works on a SQLite connection (its ``copies`` table joined to ``articles``) and
Milvus has neither joins nor transactions, so the writer keeps a mirror: every visible article's
fingerprint (stored in its article rows, ``fingerprint`` and ``copy_group``) loaded into SQLite in
memory on the first write of a process and kept up to date by its later commits. A commit runs
``copies.commit`` on the mirror and learns each new article's group and the stored articles whose
group changed (an earlier copy arrived and is the new canonical member, or the canonical member was
removed and the next one takes over); the store rewrites those in the same generation, so readers
switch groups in the same commit as the articles. Stories (``copies``' other half) are not computed:
the Milvus store has no ``rag stories`` (nor the names stories link by).
"""

from __future__ import annotations

import base64
import json
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rag.news import copies

if TYPE_CHECKING:
    import numpy as np

    from rag.types import Article

FINGERPRINT_FIELDS = ["article_id", "title", "source", "url", "date", "lang", "copy_group", "agency", "fingerprint"]
"""What an article's part-0 row gives the mirror."""

# Records the first group of every article whose group an update changes (rag.news.copies regroups by UPDATE).
_MOVED = """
CREATE TEMP TABLE moved (article_id TEXT PRIMARY KEY, old_group TEXT);
CREATE TEMP TRIGGER record_moves AFTER UPDATE OF copy_group ON copies WHEN old.copy_group != new.copy_group
BEGIN INSERT OR IGNORE INTO moved VALUES (old.article_id, old.copy_group); END
"""


@dataclass
class Grouping:
    """What one commit's articles did to the copy groups."""

    groups: dict[str, str] = field(default_factory=dict)
    """Each committed article's copy group (its canonical member's id)."""
    fingerprints: dict[str, tuple[str, str]] = field(default_factory=dict)
    """Each committed article's (agency, fingerprint JSON) to store with its rows."""
    moved: dict[str, str] = field(default_factory=dict)
    """Stored articles (not committed now) whose copy group changed: their new group."""


class CopyMirror:
    """The fingerprints of one committed generation in SQLite, with the LSH over them."""

    def __init__(self, generation: int) -> None:
        # Used by whichever thread writes next; the store's writer lock keeps it to one at a time.
        self.db = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
        self.db.execute("CREATE TABLE articles (id TEXT PRIMARY KEY, title TEXT, source TEXT, url TEXT, date TEXT, lang TEXT)")
        copies.ensure_tables(self.db)
        self.db.executescript(_MOVED)
        self.lsh = copies.CopyLSH()
        self.generation = generation

    @classmethod
    def load(cls, rows: Iterable[dict], generation: int) -> CopyMirror:
        """The mirror of ``rows`` (``FINGERPRINT_FIELDS`` of every visible article's part 0)."""
        import numpy as np

        mirror = cls(generation)
        for r in rows:
            f = json.loads(r["fingerprint"])
            minhash = base64.b64decode(f["minhash"])
            vector = base64.b64decode(f["vector"]) if f.get("vector") else None
            mirror.db.execute("INSERT INTO articles VALUES (?,?,?,?,?,?)", [r["article_id"], *(r[k] or None for k in ("title", "source", "url", "date", "lang"))])
            mirror.db.execute("INSERT INTO copies VALUES (?,?,?,?,?,?,?,?,?)",
                              (r["article_id"], minhash, f["shingles"], f["length"], vector, "[]", r["agency"] or None,
                               r["copy_group"], r["copy_group"]))  # fmt: skip
            mirror.lsh.insert(r["article_id"], np.frombuffer(minhash, dtype=np.uint32))
        return mirror

    def commit(self, articles: Sequence[Article], vectors: Mapping[str, np.ndarray], remove_ids: Sequence[str], *, replace_all: bool = False) -> Grouping:
        """Group ``articles`` (``vectors``: each one's passage vectors) with the stored ones, ``remove_ids`` gone.

        The mirror then holds the state after the commit; if the commit does not happen, drop it."""
        db = self.db
        db.execute("DELETE FROM moved")
        if replace_all:
            db.execute("DELETE FROM articles")
        db.executemany("INSERT OR REPLACE INTO articles VALUES (?,?,?,?,?,?)", [(a.id, a.title, a.source, a.url, a.date, a.lang) for a in articles])
        copies.commit(db, self.lsh, articles, vectors, remove_ids, replace_all, stories=False)
        db.executemany("DELETE FROM articles WHERE id = ?", [(i,) for i in remove_ids])
        out = Grouping()
        ids = [a.id for a in articles]
        for at in range(0, len(ids), 500):  # SQLite's limit on bound parameters
            chunk = ids[at : at + 500]
            marks = ",".join("?" * len(chunk))
            for article_id, minhash, shingles, length, vector, agency, group in db.execute(
                f"SELECT article_id, minhash, shingles, length, vector, agency, copy_group FROM copies WHERE article_id IN ({marks})", chunk
            ):
                out.groups[article_id] = group
                out.fingerprints[article_id] = (agency or "", _fingerprint_json(minhash, shingles, length, vector))
        committed = set(ids) | set(remove_ids)
        for article_id, old_group, group in db.execute("SELECT m.article_id, m.old_group, c.copy_group FROM moved m JOIN copies c USING (article_id)"):
            if article_id not in committed and group != old_group:
                out.moved[article_id] = group
        return out


def _fingerprint_json(minhash: bytes, shingles: int, length: int, vector: bytes | None) -> str:
    """What copy detection needs of an article's ``copies`` row, as stored in its Milvus rows. Not its
    names: only stories use them, and a long article's names could overflow the field."""
    return json.dumps({"minhash": base64.b64encode(minhash).decode(), "shingles": shingles, "length": length,
                       "vector": base64.b64encode(vector).decode() if vector is not None else None})  # fmt: skip
