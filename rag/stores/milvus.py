"""``MilvusStore``: the store on Milvus — Milvus Lite in a local file, or a Milvus server by URI.

Three collections per store ``NAME``: ``NAME_passages`` (one row per passage: its text, the article
fields a hit needs, the dense vector and the BM25 sparse vector Milvus computes itself from title +
text), ``NAME_articles`` (the full articles, split into parts because a VARCHAR holds at most
65,535 bytes) and ``NAME_meta`` (one row: the manifest, as in the default store).

Milvus has no transactions, so a write is made invisible until one single-row upsert of the
manifest — the commit point — as in ``rag.index``: every row carries the generation that wrote it
(``born``); readers see only ``born <= generation``, minus the rows of articles that generation
replaced or removed (listed in the manifest row until they are deleted). A write that dies before
the commit leaves rows of a future generation that no reader sees and the next writer deletes;
one that dies after it leaves the replaced rows hidden, and the next writer deletes them.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import re
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from rag.chunking import ChunkingParams, chunk_article, text_for_embedding
from rag.embedding import DEFAULT_EMBEDDER, Embedder, create_embedder, embed_in_batches
from rag.fsutil import tree_size
from rag.errors import ConfigError, IndexLockedError, IndexMismatchError, IndexNotFoundError, RagError
from rag.index import AddReport, IndexStatus, ProgressFn, RemoveReport
from rag.manifest import Manifest
from rag.types import Article, Filters, Hit, Passage

if TYPE_CHECKING:
    import numpy as np
    from pymilvus import MilvusClient

DEFAULT_COLLECTION = "newsrag"
DEFAULT_PORT = 19530
TEXT_PART = 16_000
"""Characters per stored part of an article text (a VARCHAR holds 65,535 bytes, UTF-8 up to 4 a character)."""
_BATCH = 512
_PAGE = 16_384  # Milvus's largest query page
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,200}$")
_TERM = re.compile(r'"((?:[^"]|"")*)"')
_PASSAGE_FIELDS = ["id", "article_id", "ordinal", "start", "end", "text", "title", "source", "url", "date", "lang"]
_ARTICLE_FIELDS = ["article_id", "part", "title", "text", "source", "url", "date", "lang", "place", "origin", "content_hash"]


class StoreUnavailableError(RagError):
    """The Milvus server cannot be reached, or Milvus Lite cannot open its file."""


@dataclass(frozen=True)
class Location:
    shown: str  # as the user wrote it
    uri: str  # what MilvusClient connects to: a file path (Milvus Lite) or http(s)://host:port
    collection: str
    lite: bool


def parse_location(text: str) -> Location:
    """``milvus://HOST[:PORT]/COLLECTION`` (``milvuss://`` for TLS) or ``PATH.db[#COLLECTION]``."""
    if text.startswith(("milvus://", "milvuss://")):
        parts = urlsplit(text)
        if not parts.hostname:
            raise ConfigError(f"--store {text!r} names no host. Use milvus://HOST:{DEFAULT_PORT}/COLLECTION.")
        scheme = "https" if parts.scheme == "milvuss" else "http"
        uri, collection, lite = f"{scheme}://{parts.hostname}:{parts.port or DEFAULT_PORT}", parts.path.strip("/"), False
    else:
        path, _, collection = text.partition("#")
        uri, lite = str(Path(path).expanduser().resolve()), True
    collection = collection or DEFAULT_COLLECTION
    if not _NAME.match(collection):
        raise ConfigError(f"--store {text!r}: {collection!r} is not a Milvus collection name (letters, digits and _, not starting with a digit).")
    return Location(text, uri, collection, lite)


def _literal(values: Iterable[Any]) -> str:
    """A Milvus expression list literal (JSON quoting is Milvus's string quoting)."""
    return json.dumps(list(values), ensure_ascii=False)


class _Allowed(Sequence[int]):
    """The passages that pass some filters, as a Milvus expression; the ids are fetched only if asked for."""

    def __init__(self, store: MilvusStore, expr: str) -> None:
        self.store, self.expr = store, expr
        self._ids: list[int] | None = None

    def _list(self) -> list[int]:
        if self._ids is None:
            self._ids = [r["id"] for r in self.store._query(self.store._passages, self.expr, ["id"])]
        return self._ids

    def __len__(self) -> int:
        return len(self._list())

    def __getitem__(self, i: Any) -> Any:
        return self._list()[i]


@dataclass
class _State:
    """What the manifest row says besides the manifest: the articles whose older rows are hidden."""

    retired: list[str] = field(default_factory=list)
    retired_all: bool = False


class MilvusStore:
    """The ``rag.stores.Store`` interface on Milvus (see the module docs)."""

    backend = "milvus"

    def __init__(self, location: Location, client: MilvusClient, manifest: Manifest, state: _State, embedder: Embedder | None) -> None:
        self.location = location
        self.path = location.shown
        self._client = client
        self._manifest = manifest
        self._state = state
        self._embedder = embedder
        self._languages: tuple[int, dict[str, int]] | None = None
        c = location.collection
        self._meta, self._passages, self._articles = f"{c}_meta", f"{c}_passages", f"{c}_articles"

    # -- opening ------------------------------------------------------------------------------

    @staticmethod
    def _connect(location: Location) -> MilvusClient:
        # gRPC logs keep-alive complaints ("too_many_pings") to stderr while an ingest embeds.
        os.environ.setdefault("GRPC_VERBOSITY", "NONE")
        try:
            from pymilvus import MilvusClient
        except ImportError as e:
            raise ConfigError("The Milvus store needs pymilvus (and milvus-lite for a local file): pip install 'newsrag[milvus]'.") from e
        try:
            if location.lite:
                Path(location.uri).parent.mkdir(parents=True, exist_ok=True)
                return MilvusClient(location.uri)
            return MilvusClient(uri=location.uri, token=os.environ.get("NEWSRAG_MILVUS_TOKEN", ""), timeout=10)
        except Exception as e:  # noqa: BLE001 - pymilvus raises MilvusException or grpc errors for "cannot connect"
            if location.lite:
                raise StoreUnavailableError(f"Milvus Lite could not open {location.uri}: {e}. Is another process using it?") from e
            raise StoreUnavailableError(
                f"No Milvus server answered at {location.uri} (from --store {location.shown}): {e}. "
                "Start it (see the README: docker compose up -d), or check the host and port."
            ) from e

    @classmethod
    def exists(cls, text: str) -> bool:
        location = parse_location(text)
        if location.lite and not Path(location.uri).exists():
            return False
        client = cls._connect(location)
        try:
            return bool(client.has_collection(f"{location.collection}_meta"))
        finally:
            client.close()

    @classmethod
    def open(cls, text: str, *, embedder: str | Embedder | None = None) -> MilvusStore:
        location = parse_location(text)
        if location.lite and not Path(location.uri).exists():
            raise IndexNotFoundError(f"No Milvus Lite store at {location.uri}. Build one with: rag ingest PATH --store {text}")
        client = cls._connect(location)
        meta = f"{location.collection}_meta"
        if not client.has_collection(meta):
            client.close()
            raise IndexNotFoundError(f"No newsrag collection {location.collection!r} in {location.shown}. Build one with: rag ingest PATH --store {text}")
        for suffix in ("meta", "passages", "articles"):  # a collection opened by a new process must be loaded first
            client.load_collection(f"{location.collection}_{suffix}")
        manifest, state = cls._read_meta(client, meta, location)
        name = embedder if isinstance(embedder, str) or embedder is None else embedder.name
        if name is not None and name != manifest.embedder:
            client.close()
            raise IndexMismatchError(
                f"The Milvus store {text} was built with embedder {manifest.embedder!r} ({manifest.dim}-d), not {name!r}. "
                f"Use --embedder {manifest.embedder}, or ingest into a new collection."
            )
        return cls(location, client, manifest, state, None if embedder is None or isinstance(embedder, str) else embedder)

    @classmethod
    def create(cls, text: str, *, embedder: str | Embedder = DEFAULT_EMBEDDER, chunking: ChunkingParams | None = None) -> MilvusStore:
        location = parse_location(text)
        instance = create_embedder(embedder) if isinstance(embedder, str) else embedder
        client = cls._connect(location)
        if client.has_collection(f"{location.collection}_meta"):
            client.close()
            return cls.open(text, embedder=instance)
        manifest = Manifest(embedder=instance.name, dim=instance.dim, chunking=chunking or ChunkingParams())
        _create_collections(client, location.collection, manifest.dim)
        store = cls(location, client, manifest, _State(), instance)
        store._write_meta(manifest, _State())  # last: a store without its manifest row is no store yet
        return store

    @classmethod
    def open_or_create(cls, text: str, *, embedder: str | None = None, chunking: ChunkingParams | None = None) -> MilvusStore:
        if cls.exists(text):
            return cls.open(text, embedder=embedder)
        return cls.create(text, embedder=embedder or DEFAULT_EMBEDDER, chunking=chunking)

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> MilvusStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def manifest(self) -> Manifest:
        return self._manifest

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = create_embedder(self._manifest.embedder)
            if self._embedder.dim != self._manifest.dim:
                raise IndexMismatchError(
                    f"The Milvus store {self.path} holds {self._manifest.dim}-d vectors but embedder "
                    f"{self._manifest.embedder!r} now produces {self._embedder.dim}-d ones. Ingest into a new collection."
                )
        return self._embedder

    # -- reading ------------------------------------------------------------------------------

    def refresh(self) -> None:
        self._manifest, self._state = self._read_meta(self._client, self._meta, self.location)

    def _visible(self) -> str:
        """The expression that hides rows of uncommitted writes and of replaced articles."""
        g = self._manifest.generation
        if self._state.retired_all:
            return f"born == {g}"
        if self._state.retired:
            return f"born <= {g} and not (born < {g} and article_id in {_literal(self._state.retired)})"
        return f"born <= {g}"

    def _where(self, allowed: Sequence[int] | None) -> str:
        expr = self._visible()
        if isinstance(allowed, _Allowed):
            return f"{expr} and ({allowed.expr})"
        if allowed is not None:
            return f"{expr} and id in {_literal(int(i) for i in allowed)}"
        return expr

    def search(self, query: str, k: int = 5) -> list[Hit]:
        self.refresh()
        ids, scores = self.dense(self.embedder.embed_query(query), k)
        return self.hits(ids.tolist(), scores.tolist())

    def dense(self, query_vector: np.ndarray, n: int, allowed: Sequence[int] | None = None) -> tuple[np.ndarray, np.ndarray]:
        import numpy as np

        if allowed is not None and not isinstance(allowed, _Allowed) and not len(allowed):
            return np.empty(0, np.int64), np.empty(0, np.float32)
        rows = self._search([np.asarray(query_vector, dtype=np.float32).tolist()], "dense", n, self._where(allowed), {"metric_type": "IP"})
        return np.array([r["id"] for r in rows], dtype=np.int64), np.array([r["distance"] for r in rows], dtype=np.float32)

    def lexical(self, match: str, n: int, allowed: Sequence[int] | None = None, *, stemmed: bool = False) -> list[tuple[int, float]]:
        if stemmed:  # no stemmed BM25 field here: the plain one carries the keyword signal alone
            return []
        terms = [t.replace('""', '"') for t in _TERM.findall(match)] or match.split()
        text = " ".join(terms).strip()
        if not text or (allowed is not None and not isinstance(allowed, _Allowed) and not len(allowed)):
            return []
        rows = self._search([text], "sparse", n, self._where(allowed), {"metric_type": "BM25"})
        # Milvus Lite reports BM25 as a negated distance, a server as a score; both come best first.
        return [(int(r["id"]), abs(float(r["distance"]))) for r in rows]

    def _search(self, data: list, field_name: str, n: int, expr: str, params: dict) -> list[dict]:
        if n <= 0:
            return []
        result = self._call(
            self._client.search, self._passages, data=data, anns_field=field_name, limit=min(n, _PAGE), filter=expr,
            output_fields=["id"], search_params=params,
        )  # fmt: skip
        return list(result[0]) if result else []

    def passage_vectors(self, ids: Sequence[int]) -> np.ndarray:
        import numpy as np

        ids = [int(i) for i in ids]
        if not ids:
            return np.empty((0, self._manifest.dim), np.float32)
        rows = {r["id"]: r["dense"] for r in self._query(self._passages, f"id in {_literal(ids)}", ["id", "dense"])}
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
            clauses.append(f"source_lc in {_literal(s.lower() for s in filters.sources)}")
        return _Allowed(self, " and ".join(clauses))

    def hits(self, ids: Sequence[int], scores: Sequence[float]) -> list[Hit]:
        wanted = [int(i) for i in ids]
        if not wanted:
            return []
        rows = {r["id"]: r for r in self._query(self._passages, f"{self._visible()} and id in {_literal(wanted)}", _PASSAGE_FIELDS)}
        out = []
        for pid, score in zip(wanted, scores):
            if (r := rows.get(pid)) is not None:
                passage = Passage(r["article_id"], r["ordinal"], r["start"], r["end"], r["text"], id=pid)
                out.append(Hit(passage, float(score), title=r["title"], source=r["source"] or None, url=r["url"] or None,
                               date=r["date"] or None, lang=r["lang"] or None))  # fmt: skip
        return out

    def articles(self, ids: Sequence[str] | None = None) -> list[Article]:
        expr = self._visible() + (f" and article_id in {_literal(ids)}" if ids is not None else "")
        if ids is not None and not ids:
            return []
        parts: dict[str, list[dict]] = {}
        for r in self._query(self._articles, expr, _ARTICLE_FIELDS):
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
            self._languages = (generation, self._counts_by("lang"))
        return dict(self._languages[1])

    def _counts_by(self, column: str) -> dict[str, int]:
        counts: dict[str, int] = {}
        for r in self._query(self._articles, f"{self._visible()} and part == 0", [column]):
            key = r[column] or "?"
            counts[key] = counts.get(key, 0) + 1
        return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))

    def status(self) -> IndexStatus:
        self.refresh()
        m = self._manifest
        size = tree_size(Path(self.location.uri)) if self.location.lite else 0
        return IndexStatus(
            path=self.path, articles=m.articles, passages=m.passages, languages=self._counts_by("lang"),
            sources=self._counts_by("source"), embedder=m.embedder, dim=m.dim, size_bytes=size, generation=m.generation,
            created_at=m.created_at, updated_at=m.updated_at, format_version=m.format_version,
            backend=f"milvus-lite ({self.location.uri}, collection {self.location.collection})" if self.location.lite
            else f"milvus ({self.location.uri}, collection {self.location.collection})",
        )  # fmt: skip

    def _query(self, collection: str, expr: str, fields: list[str]) -> Iterator[dict]:
        """Every row matching ``expr``, page by page (a plain query stops at 16,384 rows)."""
        # Milvus Lite has no server timestamp for the iterator's snapshot and warns on every call.
        logging.getLogger("pymilvus").setLevel(logging.ERROR)
        iterator = self._call(self._client.query_iterator, collection, batch_size=_BATCH * 4, filter=expr, output_fields=fields)
        try:
            while page := self._call(iterator.next):
                yield from page
        finally:
            iterator.close()

    def _call(self, fn: Any, *args: Any, **kw: Any) -> Any:
        try:
            return fn(*args, **kw)
        except Exception as e:  # noqa: BLE001 - the server went away, or refused the request
            if isinstance(e, RagError):
                raise
            raise StoreUnavailableError(f"The Milvus store {self.path} failed: {e}. Is the server still running?") from e

    # -- writing ------------------------------------------------------------------------------

    def add(self, articles: Iterable[Article], *, on_progress: ProgressFn | None = None) -> AddReport:
        """Add new articles and replace edited ones; unchanged ones cost nothing (not re-embedded)."""
        started = time.perf_counter()
        report = AddReport()
        incoming: dict[str, Article] = {}
        for article in articles:
            report.duplicates += article.id in incoming
            incoming[article.id] = article
        with self._writing() as manifest:
            stored = self._content_hashes(list(incoming))
            todo = [a for a in incoming.values() if stored.get(a.id) != a.content_hash]
            report.updated = sum(a.id in stored for a in todo)
            report.new = len(todo) - report.updated
            report.unchanged = len(incoming) - len(todo)
            if todo:
                passages, texts = self._chunk(todo, manifest)
                vectors = embed_in_batches(self.embedder, texts, on_progress=on_progress)
                report.passages_embedded = len(vectors)
                self._commit(manifest, todo, passages, vectors, retire=[a.id for a in todo if a.id in stored])
        report.seconds = time.perf_counter() - started
        return report

    def remove(self, ids_or_urls: Sequence[str]) -> RemoveReport:
        """Remove articles by id (or by URL); unknown ones are reported, not an error."""
        report = RemoveReport()
        with self._writing() as manifest:
            keys = list(ids_or_urls)
            by_url = {r["url"]: r["article_id"] for r in self._query(self._articles, f"{self._visible()} and part == 0 and url in {_literal(keys)}", ["url", "article_id"])}
            wanted = {by_url.get(key, key): key for key in keys}
            known = set(self._content_hashes(list(wanted)))
            report.removed = sorted(known)
            report.not_found = [key for article_id, key in wanted.items() if article_id not in known]
            if known:
                self._commit(manifest, [], [], None, retire=sorted(known))
        return report

    def _content_hashes(self, ids: list[str]) -> dict[str, str]:
        if not ids:
            return {}
        expr = f"{self._visible()} and part == 0 and article_id in {_literal(ids)}"
        return {r["article_id"]: r["content_hash"] for r in self._query(self._articles, expr, ["article_id", "content_hash"])}

    @staticmethod
    def _chunk(articles: Sequence[Article], manifest: Manifest) -> tuple[list[tuple[Article, Passage]], list[str]]:
        next_id = manifest.next_passage_id
        passages, texts = [], []
        for article in articles:
            for p in chunk_article(article, manifest.chunking):
                passages.append((article, replace(p, id=next_id)))
                texts.append(text_for_embedding(article.title, p.text))
                next_id += 1
        return passages, texts

    @contextlib.contextmanager
    def _writing(self) -> Iterator[Manifest]:
        """One writer at a time (a file lock beside a Milvus Lite file; a server relies on one ingest
        at a time), then finish or undo whatever an earlier, interrupted write left."""
        with self._writer_lock():
            self.refresh()
            self._finish_retirement()
            g = self._manifest.generation
            for collection in (self._passages, self._articles):  # rows of a write that never committed
                self._call(self._client.delete, collection, filter=f"born > {g}")
            yield self._manifest

    @contextlib.contextmanager
    def _writer_lock(self) -> Iterator[None]:
        if not self.location.lite:
            yield
            return
        path = f"{self.location.uri}.writer.lock"
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise IndexLockedError(f"The Milvus Lite store {self.path} is being written by another process; try again when it is done.") from None
            yield
        finally:
            os.close(fd)

    def _commit(self, manifest: Manifest, articles: Sequence[Article], passages: Sequence[tuple[Article, Passage]], vectors: Any, *, retire: Sequence[str], replace_all: bool = False) -> None:
        born = manifest.generation + 1
        rows = [_passage_row(a, p, v, born) for (a, p), v in zip(passages, vectors.tolist() if vectors is not None else [])]
        for i in range(0, len(rows), _BATCH):
            self._call(self._client.insert, self._passages, rows[i : i + _BATCH])
        article_rows = [row for a in articles for row in _article_rows(a, born)]
        for i in range(0, len(article_rows), _BATCH):
            self._call(self._client.insert, self._articles, article_rows[i : i + _BATCH])
        gone_articles = len(self._content_hashes(list(retire))) if retire else 0
        gone_passages = self._count(self._passages, f"{self._visible()} and article_id in {_literal(retire)}") if retire else 0
        new_ids = [p.id for _, p in passages]
        next_manifest = manifest.next(
            articles=manifest.articles - gone_articles + len(articles),
            passages=manifest.passages - gone_passages + len(passages),
            next_passage_id=max([manifest.next_passage_id - 1, *new_ids]) + 1,
        )
        state = _State(retired=list(retire), retired_all=replace_all)
        self._write_meta(next_manifest, state)  # the commit point
        self._manifest, self._state = next_manifest, state
        self._finish_retirement()

    def _finish_retirement(self) -> None:
        """Delete the rows the committed generation hides, then stop hiding them."""
        if not (self._state.retired or self._state.retired_all):
            return
        g = self._manifest.generation
        expr = f"born < {g}" if self._state.retired_all else f"born < {g} and article_id in {_literal(self._state.retired)}"
        for collection in (self._passages, self._articles):
            self._call(self._client.delete, collection, filter=expr)
        self._state = _State()
        self._write_meta(self._manifest, self._state)

    def _count(self, collection: str, expr: str) -> int:
        return sum(1 for _ in self._query(collection, expr, ["id"] if collection == self._passages else ["key"]))

    def _write_meta(self, manifest: Manifest, state: _State) -> None:
        value = json.dumps({"manifest": json.loads(manifest.to_json()), "retired": state.retired, "retired_all": state.retired_all})
        self._call(self._client.upsert, self._meta, [{"key": "manifest", "value": value, "v": [0.0, 0.0]}])

    @staticmethod
    def _read_meta(client: MilvusClient, meta: str, location: Location) -> tuple[Manifest, _State]:
        try:
            rows = client.get(meta, ids=["manifest"], output_fields=["value"])
        except Exception as e:  # noqa: BLE001
            raise StoreUnavailableError(f"The Milvus store {location.shown} could not be read: {e}") from e
        if not rows:
            raise IndexNotFoundError(f"The Milvus collection {location.collection!r} in {location.shown} has no manifest: "
                                     f"it was never finished. Ingest again: rag ingest PATH --store {location.shown}")  # fmt: skip
        data = json.loads(rows[0]["value"])
        manifest = Manifest.from_json(json.dumps(data["manifest"]), Path(location.shown))
        return manifest, _State(retired=list(data.get("retired", [])), retired_all=bool(data.get("retired_all")))


def _passage_row(article: Article, p: Passage, vector: list[float], born: int) -> dict[str, Any]:
    return {
        "id": p.id, "article_id": article.id, "ordinal": p.ordinal, "start": p.start, "end": p.end, "text": p.text,
        "title": article.title[:2000], "source": article.source or "", "source_lc": (article.source or "").lower(),
        "url": article.url or "", "date": article.date or "", "lang": article.lang or "", "born": born,
        "search_text": text_for_embedding(article.title[:2000], p.text), "dense": vector,
    }  # fmt: skip


def _article_rows(article: Article, born: int) -> list[dict[str, Any]]:
    pieces = [article.text[i : i + TEXT_PART] for i in range(0, len(article.text), TEXT_PART)] or [""]
    return [
        {
            "key": f"{article.id}#{n}", "article_id": article.id, "part": n, "title": article.title[:2000], "text": piece,
            "source": article.source or "", "url": article.url or "", "date": article.date or "", "lang": article.lang or "",
            "place": article.place or "", "origin": (article.origin or "")[:2000], "content_hash": article.content_hash,
            "born": born, "v": [0.0, 0.0],
        }  # fmt: skip
        for n, piece in enumerate(pieces)
    ]


def _create_collections(client: MilvusClient, name: str, dim: int) -> None:
    from pymilvus import DataType, Function, FunctionType

    def varchar(schema: Any, field_name: str, length: int = 2048, **kw: Any) -> None:
        schema.add_field(field_name, DataType.VARCHAR, max_length=length, **kw)

    passages = client.create_schema(auto_id=False, enable_dynamic_field=False)
    passages.add_field("id", DataType.INT64, is_primary=True)
    for f in ("ordinal", "start", "end", "born"):
        passages.add_field(f, DataType.INT64)
    for f in ("article_id", "title", "source", "source_lc", "date", "lang"):
        varchar(passages, f, 8192 if f == "title" else 2048)
    varchar(passages, "url", 8192)
    varchar(passages, "text", 65535)
    # Milvus's own BM25: it tokenises search_text (title + passage, as the FTS5 table does) into a sparse vector.
    varchar(passages, "search_text", 65535, enable_analyzer=True, analyzer_params={"tokenizer": "standard", "filter": ["lowercase"]})
    passages.add_field("sparse", DataType.SPARSE_FLOAT_VECTOR)
    passages.add_field("dense", DataType.FLOAT_VECTOR, dim=dim)
    passages.add_function(Function(name="bm25", function_type=FunctionType.BM25, input_field_names=["search_text"], output_field_names=["sparse"]))
    index = client.prepare_index_params()
    index.add_index("dense", index_type="AUTOINDEX", metric_type="IP")
    index.add_index("sparse", index_type="SPARSE_INVERTED_INDEX", metric_type="BM25")
    client.create_collection(f"{name}_passages", schema=passages, index_params=index)

    articles = client.create_schema(auto_id=False, enable_dynamic_field=False)
    varchar(articles, "key", 2100, is_primary=True)
    articles.add_field("part", DataType.INT64)
    articles.add_field("born", DataType.INT64)
    for f in ("article_id", "source", "date", "lang", "place", "origin", "content_hash"):
        varchar(articles, f)
    varchar(articles, "title", 8192)
    varchar(articles, "url", 8192)
    varchar(articles, "text", 65535)
    articles.add_field("v", DataType.FLOAT_VECTOR, dim=2)  # Milvus wants a vector field in every collection
    _create_with_placeholder_vector(client, f"{name}_articles", articles)

    meta = client.create_schema(auto_id=False, enable_dynamic_field=False)
    varchar(meta, "key", 64, is_primary=True)
    varchar(meta, "value", 65535)
    meta.add_field("v", DataType.FLOAT_VECTOR, dim=2)
    _create_with_placeholder_vector(client, f"{name}_meta", meta)


def _create_with_placeholder_vector(client: MilvusClient, name: str, schema: Any) -> None:
    index = client.prepare_index_params()
    index.add_index("v", index_type="AUTOINDEX", metric_type="L2")
    client.create_collection(name, schema=schema, index_params=index)
