"""The reading half of ``rag.stores.milvus.MilvusStore``: what retrieval, the CLI and the TUI ask of a store.

Every read sees one committed generation: the rows ``born`` at or before it, minus the rows of the
articles that generation replaced or removed (``WriteState``), never the rows of a write in progress.
Searches asked for ``one_per_group`` return one passage per copy group, grouped by Milvus itself
(``group_by_field``, on dense and BM25 search alike).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from rag.errors import IndexNotFoundError
from rag.stores.milvus_collections import ARTICLE_FIELDS, PASSAGE_FIELDS, Collections, WriteState, literal
from rag.types import Article, CopyMember, Filters, Hit, Passage

if TYPE_CHECKING:
    import numpy as np

    from rag.manifest import Manifest
    from rag.stores.milvus_location import Location

_TERM = re.compile(r'"((?:[^"]|"")*)"')


class Allowed(Sequence[int]):
    """The passages that pass some filters, as a Milvus expression; the ids are fetched only if asked for."""

    def __init__(self, db: Collections, expr: str) -> None:
        self.db, self.expr = db, expr
        self._ids: list[int] | None = None

    def _list(self) -> list[int]:
        if self._ids is None:
            self._ids = [r["id"] for r in self.db.query(self.db.passages, self.expr, ["id"])]
        return self._ids

    def __len__(self) -> int:
        return len(self._list())

    def __getitem__(self, i: Any) -> Any:
        return self._list()[i]


def _nothing_allowed(allowed: Sequence[int] | None) -> bool:
    return allowed is not None and not isinstance(allowed, Allowed) and not len(allowed)


class MilvusReading:
    """Reads of one store's committed generation (``refresh`` moves to the latest one)."""

    def __init__(self, location: Location, db: Collections, manifest: Manifest, state: WriteState) -> None:
        self.location = location
        self.path = location.shown
        self._db = db
        self._manifest = manifest
        self._state = state
        self._languages: tuple[int, dict[str, int]] | None = None
        self._quotes: tuple[int, Any] | None = None  # (generation, its quote table)

    @property
    def manifest(self) -> Manifest:
        return self._manifest

    def refresh(self) -> None:
        self._manifest, self._state = self._db.read_meta()

    def _visible(self) -> str:
        """The expression that hides rows of uncommitted writes and of replaced articles."""
        g = self._manifest.generation
        hidden = self._state.hidden(g)
        return f"born <= {g} and not ({' or '.join(hidden)})" if hidden else f"born <= {g}"

    def _where(self, allowed: Sequence[int] | None) -> str:
        expr = self._visible()
        if isinstance(allowed, Allowed):
            return f"{expr} and ({allowed.expr})"
        if allowed is not None:
            return f"{expr} and id in {literal(int(i) for i in allowed)}"
        return expr

    def dense(self, query_vector: np.ndarray, n: int, allowed: Sequence[int] | None = None, *, one_per_group: bool = False) -> tuple[np.ndarray, np.ndarray]:
        import numpy as np

        if _nothing_allowed(allowed):
            return np.empty(0, np.int64), np.empty(0, np.float32)
        vector = [np.asarray(query_vector, dtype=np.float32).tolist()]
        rows = self._db.search(vector, "dense", n, self._where(allowed), {"metric_type": "IP"}, one_per_group=one_per_group)
        return np.array([r["id"] for r in rows], dtype=np.int64), np.array([r["distance"] for r in rows], dtype=np.float32)

    def lexical(self, match: str, n: int, allowed: Sequence[int] | None = None, *, stemmed: bool = False,
                one_per_group: bool = False) -> list[tuple[int, float]]:  # fmt: skip
        if stemmed:  # no stemmed BM25 field here: the plain one carries the keyword signal alone
            return []
        terms = [t.replace('""', '"') for t in _TERM.findall(match)] or match.split()
        text = " ".join(terms).strip()
        if not text or _nothing_allowed(allowed):
            return []
        rows = self._db.search([text], "sparse", n, self._where(allowed), {"metric_type": "BM25"}, one_per_group=one_per_group)
        # Milvus Lite reports BM25 as a negated distance, a server as a score; both come best first.
        return [(int(r["id"]), abs(float(r["distance"]))) for r in rows]

    def passage_vectors(self, ids: Sequence[int]) -> np.ndarray:
        import numpy as np

        ids = [int(i) for i in ids]
        if not ids:
            return np.empty((0, self._manifest.dim), np.float32)
        rows = {r["id"]: r["dense"] for r in self._db.query(self._db.passages, f"id in {literal(ids)}", ["id", "dense"])}
        missing = [i for i in ids if i not in rows]
        if missing:
            raise IndexNotFoundError(f"Passages {missing[:5]} are not in the Milvus store {self.path} (any more).")
        return np.asarray([rows[i] for i in ids], dtype=np.float32)

    def passage_ids_where(self, filters: Filters) -> Sequence[int]:
        self.refresh()
        clauses = [self._visible()]
        if filters.since or filters.until:
            clauses.append('date != ""')  # an unknown date passes no date filter (as in the default store)
        if filters.since:
            clauses.append(f"date >= {json.dumps(filters.since)}")
        if filters.until:
            clauses.append(f"date <= {json.dumps(filters.until)}")
        if filters.sources:
            clauses.append(f"source_lc in {literal(s.lower() for s in filters.sources)}")
        return Allowed(self._db, " and ".join(clauses))

    def has_dates(self) -> bool:
        self.refresh()
        return next(self._db.query(self._db.passages, f'{self._visible()} and date != ""', ["id"]), None) is not None

    def passage_ids_of(self, article_ids: Sequence[str]) -> Sequence[int]:
        return Allowed(self._db, f"article_id in {literal(article_ids)}")

    def hits(self, ids: Sequence[int], scores: Sequence[float]) -> list[Hit]:
        wanted = [int(i) for i in ids]
        if not wanted:
            return []
        rows = {r["id"]: r for r in self._db.query(self._db.passages, f"{self._visible()} and id in {literal(wanted)}", PASSAGE_FIELDS)}
        groups = self.copy_groups({r["article_id"] for r in rows.values()})
        out = []
        for pid, score in zip(wanted, scores):
            if (r := rows.get(pid)) is not None:
                passage = Passage(r["article_id"], r["ordinal"], r["start"], r["end"], r["text"], id=pid)
                group, members = groups.get(r["article_id"], (None, ()))
                out.append(Hit(passage, float(score), title=r["title"], source=r["source"] or None, url=r["url"] or None,
                               date=r["date"] or None, lang=r["lang"] or None, copy_group=group,
                               also_in=tuple(m for m in members if m.article_id != r["article_id"])))  # fmt: skip
        return out

    def copy_groups(self, article_ids: Iterable[str]) -> dict[str, tuple[str, tuple[CopyMember, ...]]]:
        """Each article's copy group id and every member of it (itself included), canonical first (``rag.news.copies``)."""
        ids = list(dict.fromkeys(article_ids))
        if not ids:
            return {}
        first_parts = f"{self._visible()} and part == 0"
        group_of = {r["article_id"]: r["copy_group"] for r in self._db.query(self._db.articles, f"{first_parts} and article_id in {literal(ids)}",
                                                                              ["article_id", "copy_group"])}  # fmt: skip
        members: dict[str, list[dict]] = {}
        expr = f"{first_parts} and copy_group in {literal(sorted(set(group_of.values())))}"
        for r in self._db.query(self._db.articles, expr, ["copy_group", "article_id", "title", "source", "url", "date", "lang", "agency"]):
            members.setdefault(r["copy_group"], []).append(r)
        out = {}
        for article_id, group in group_of.items():
            rows = sorted(members.get(group, ()), key=lambda r: (r["article_id"] != group, r["date"], r["article_id"]))  # as rag.news.copies.groups_of
            out[article_id] = (group, tuple(CopyMember(r["article_id"], r["title"], r["source"] or None, r["url"] or None, r["date"] or None,
                                                       r["lang"] or None, r["agency"] or None) for r in rows))  # fmt: skip
        return out

    def copy_table(self) -> dict[str, list[str]]:
        """Every copy group's member article ids, canonical first."""
        out: dict[str, list[str]] = {}
        for r in self._db.query(self._db.articles, f"{self._visible()} and part == 0", ["copy_group", "article_id"]):
            out.setdefault(r["copy_group"], []).append(r["article_id"])
        return {g: sorted(ids, key=lambda i: (i != g, i)) for g, ids in sorted(out.items())}

    def articles(self, ids: Sequence[str] | None = None) -> list[Article]:
        if ids is not None and not ids:
            return []
        expr = self._visible() + (f" and article_id in {literal(ids)}" if ids is not None else "")
        parts: dict[str, list[dict]] = {}
        for r in self._db.query(self._db.articles, expr, ARTICLE_FIELDS):
            parts.setdefault(r["article_id"], []).append(r)
        out = []
        for article_id in sorted(parts):
            rows = sorted(parts[article_id], key=lambda r: r["part"])
            first = rows[0]
            out.append(Article(
                id=article_id, title=first["title"], text="".join(r["text"] for r in rows), source=first["source"] or None,
                url=first["url"] or None, date=first["date"] or None, lang=first["lang"] or None, place=first["place"] or None,
                origin=first["origin"] or None, content_hash=first["content_hash"],
            ))  # fmt: skip
        return out

    def languages(self) -> dict[str, int]:
        generation = self._manifest.generation
        if self._languages is None or self._languages[0] != generation:
            self._languages = (generation, self.counts_by("lang"))
        return dict(self._languages[1])

    def quotes(self, speaker_terms: Sequence[str] = (), **filters: object) -> list:
        """Quotes (``rag.news.store.StoredQuote``) whose speaker has all ``speaker_terms``, newest first."""
        from rag.stores.milvus_quotes import quote_table, select

        self.refresh()
        generation = self._manifest.generation
        if self._quotes is None or self._quotes[0] != generation:
            spans: dict[str, list[tuple[int, int, int]]] = {}
            for r in self._db.query(self._db.passages, self._visible(), ["id", "article_id", "start", "end"]):
                spans.setdefault(r["article_id"], []).append((r["id"], r["start"], r["end"]))
            for rows in spans.values():
                rows.sort(key=lambda span: span[1])
            self._quotes = (generation, quote_table(self.articles(), spans))
        return select(self._quotes[1], speaker_terms, **filters)

    def counts_by(self, column: str) -> dict[str, int]:
        """Articles per value of ``column`` (``lang``, ``source``), most common first."""
        counts: dict[str, int] = {}
        for r in self._db.query(self._db.articles, f"{self._visible()} and part == 0", [column]):
            key = r[column] or "?"
            counts[key] = counts.get(key, 0) + 1
        return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
