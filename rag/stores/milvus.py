"""``MilvusStore``: the store on Milvus — Milvus Lite in a local file, or a Milvus server by URI.

Its collections and rows are in ``rag.stores.milvus_collections``, its locations in
``rag.stores.milvus_location``.

Milvus has no transactions, so a write is made invisible until one single-row upsert of the
manifest — the commit point — as in ``rag.index``: every row carries the generation that wrote it
(``born``); readers see only ``born <= generation``, minus the rows of articles that generation
replaced or removed (listed in the manifest row until they are deleted). A write that dies before
the commit leaves rows of a future generation that no reader sees and the next writer deletes;
one that dies after it leaves the replaced rows hidden; they are deleted a commit later (readers of the
previous generation may still read them). ``add`` commits in batches (``CommitPolicy``, through
``rag.batches`` as the default store does), each batch one generation, so a killed add keeps the
batches committed before it and the same add run again embeds only what is missing.

Copy groups are computed at each commit by ``rag.news.copies`` (``rag.stores.milvus_copies``) and
stored in every row (``copy_group``); an article whose group a commit changes is rewritten in that
commit. Collections built before copy groups are refused with the way out (ingest into a new one).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from rag.chunking import ChunkingParams, chunk_article, text_for_embedding
from rag.embedding import DEFAULT_EMBEDDER, Embedder, create_embedder, embed_in_batches, manifest_embedder, requested_embedder
from rag.errors import ConfigError, IndexCorruptError, IndexLockedError, IndexMismatchError, IndexNotFoundError, StoreUnavailableError
from rag.fsutil import tree_size
from rag.index_reports import AddReport, CommitPolicy, IndexStatus, ProgressFn, RemoveReport
from rag.manifest import Manifest
from rag.stores.milvus_collections import STORED_ARTICLE_FIELDS, STORED_PASSAGE_FIELDS, Collections, WriteState, article_rows, literal, passage_row
from rag.stores.milvus_copies import FINGERPRINT_FIELDS, CopyMirror
from rag.stores.milvus_location import Location, connect, parse_location
from rag.stores.milvus_reading import MilvusReading
from rag.types import Article, Hit, Passage

if TYPE_CHECKING:
    from rag.batches import Pipeline
    from rag.corpus import Change

__all__ = ["MilvusStore", "StoreUnavailableError", "parse_location"]


class MilvusStore(MilvusReading):
    """The ``rag.stores.Store`` interface on Milvus (see the module docs); reading is in ``MilvusReading``."""

    backend = "milvus"

    def __init__(self, location: Location, db: Collections, manifest: Manifest, state: WriteState, embedder: Embedder | None) -> None:
        super().__init__(location, db, manifest, state)
        self._embedder = embedder
        self._mirror: CopyMirror | None = None  # the writer's copy-group state (rag.stores.milvus_copies)

    # -- opening ------------------------------------------------------------------------------

    @classmethod
    def exists(cls, text: str) -> bool:
        location = parse_location(text)
        if location.lite and not Path(location.uri).exists():
            return False
        db = Collections(connect(location), location)
        try:
            return db.exist() and not db.unfinished()  # a first ingest killed before it stored anything left no store
        finally:
            db.close()

    @classmethod
    def open(cls, text: str, *, embedder: str | Embedder | None = None) -> MilvusStore:
        location = parse_location(text)
        if location.lite and not Path(location.uri).exists():
            # Never create a file here: a mistyped --store would otherwise answer from an empty store.
            raise IndexNotFoundError(f"No Milvus Lite store at {location.uri}. Build one with: rag ingest PATH --store {text}")
        db = Collections(connect(location), location)
        try:
            if not db.exist():
                raise IndexNotFoundError(f"No newsrag collection {location.collection!r} in {location.shown}. Build one with: rag ingest PATH --store {text}")
            db.load()
            if not db.has_copy_groups():
                raise IndexMismatchError(
                    f"The Milvus store {text} was built before copy groups (one source per report) and cannot be read or written "
                    f"by this newsrag. Ingest your articles into a new collection, e.g. rag ingest PATH --store {_renamed(location, text)}"
                )
            manifest, state = db.read_meta()
            instance = requested_embedder(manifest, embedder, f"The Milvus store {text}", f"rag index rebuild --store {text}")
        except BaseException:
            db.close()
            raise
        return cls(location, db, manifest, state, instance)

    @classmethod
    def create(cls, text: str, *, embedder: str | Embedder = DEFAULT_EMBEDDER, chunking: ChunkingParams | None = None) -> MilvusStore:
        location = parse_location(text)
        instance = create_embedder(embedder) if isinstance(embedder, str) else embedder
        db = Collections(connect(location), location)
        if db.unfinished():
            db.drop()  # nothing of it was stored: start it again, as its error message says
        if db.exist():
            db.close()
            return cls.open(text, embedder=instance)
        manifest = Manifest(embedder=instance.name, dim=instance.dim, chunking=chunking or ChunkingParams())
        db.create(manifest.dim)
        db.write_meta(manifest, WriteState())  # last: a store without its manifest row is no store yet
        return cls(location, db, manifest, WriteState(), instance)

    @classmethod
    def open_or_create(cls, text: str, *, embedder: str | None = None, chunking: ChunkingParams | None = None) -> MilvusStore:
        if cls.exists(text):
            return cls.open(text, embedder=embedder)
        return cls.create(text, embedder=embedder or DEFAULT_EMBEDDER, chunking=chunking)

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> MilvusStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = manifest_embedder(self._manifest, f"The Milvus store {self.path}", f"rag index rebuild --store {self.path}")
        return self._embedder

    def search(self, query: str, k: int = 5) -> list[Hit]:
        self.refresh()
        ids, scores = self.dense(self.embedder.embed_query(query), k)
        return self.hits(ids.tolist(), scores.tolist())

    def status(self) -> IndexStatus:
        self.refresh()
        m = self._manifest
        size = tree_size(Path(self.location.uri)) if self.location.lite else 0
        return IndexStatus(
            path=self.path, articles=m.articles, passages=m.passages, languages=self.counts_by("lang"),
            sources=self.counts_by("source"), embedder=m.embedder, dim=m.dim, size_bytes=size, generation=m.generation,
            created_at=m.created_at, updated_at=m.updated_at, format_version=m.format_version, backend=self.location.describe(),
        )  # fmt: skip

    def check(self) -> list[str]:
        """Disagreements between the manifest, the article rows and the passage rows; empty when consistent.

        Rows of a write that never committed are not a problem (no reader sees them; the next write deletes them)."""
        for _ in range(10):
            self.refresh()
            generation = self._manifest.generation
            problems = self._problems()
            self.refresh()
            if self._manifest.generation == generation:  # no writer committed while we looked
                return problems
        raise IndexCorruptError(f"The Milvus store {self.path} kept changing while it was being checked; try again.")

    def _problems(self) -> list[str]:
        m, visible = self._manifest, self._visible()
        rows = list(self._db.query(self._db.passages, visible, ["id", "article_id", "copy_group"]))
        passages = [(r["id"], r["article_id"]) for r in rows]
        parts: dict[str, list[int]] = {}
        group_of: dict[str, str] = {}
        for r in self._db.query(self._db.articles, visible, ["article_id", "part", "copy_group"]):
            parts.setdefault(r["article_id"], []).append(r["part"])
            group_of[r["article_id"]] = r["copy_group"]
        problems = []
        if astray := sorted({r["article_id"] for r in rows if r["article_id"] in group_of and r["copy_group"] != group_of[r["article_id"]]}):
            problems.append(f"passages of {len(astray)} articles in another copy group than their article, e.g. {astray[0]!r}")
        if len(passages) != m.passages:
            problems.append(f"manifest counts {m.passages} passages, the store holds {len(passages)}")
        if len(parts) != m.articles:
            problems.append(f"manifest counts {m.articles} articles, the store holds {len(parts)}")
        if broken := sorted(a for a, ns in parts.items() if sorted(ns) != list(range(len(ns)))):
            problems.append(f"{len(broken)} articles with missing or repeated parts, e.g. {broken[0]!r}")
        if orphans := {a for _, a in passages if a not in parts}:
            problems.append(f"passages of {len(orphans)} articles that are not stored, e.g. {min(orphans)!r}")
        ids = [pid for pid, _ in passages]
        if len(set(ids)) != len(ids):
            problems.append(f"{len(ids) - len(set(ids))} passage ids appear twice")
        if ids and max(ids) >= m.next_passage_id:
            problems.append(f"passage id {max(ids)} is not below the manifest's next id {m.next_passage_id}")
        dim = _vector_dim(self._db.call(self._db.client.describe_collection, self._db.passages))
        if dim is not None and dim != m.dim:
            problems.append(f"manifest says {m.dim}-d vectors, the passages collection holds {dim}-d ones")
        return problems

    # -- writing ------------------------------------------------------------------------------

    def add(self, articles: Iterable[Article], *, on_progress: ProgressFn | None = None, policy: CommitPolicy = CommitPolicy(),
            pipeline: Pipeline | None = None) -> AddReport:  # fmt: skip
        """Add new articles and replace edited ones; unchanged ones cost nothing (not re-embedded).

        Commits in batches (``CommitPolicy``); an article that cannot be chunked or embedded is a
        Problem in the report, the others are still added (``rag.batches``, as in the default store)."""
        from rag.batches import add_in_batches

        started = time.perf_counter()
        report = AddReport()
        incoming: dict[str, Article] = {}
        for article in articles:
            report.duplicates += article.id in incoming
            incoming[article.id] = article
        with self._writing() as manifest:
            stored = self._content_hashes(list(incoming))
            todo = [a for a in incoming.values() if stored.get(a.id) != a.content_hash]
            failed = add_in_batches(self, todo, set(stored), report, policy, on_progress, pipeline) if todo else set()
            done = {a.id for a in todo} - failed
            report.updated = sum(a.id in stored for a in todo if a.id in done)
            report.new = sum(a.id not in stored for a in todo if a.id in done)
            report.unchanged = len(incoming) - len(todo)
        report.seconds = time.perf_counter() - started
        return report

    def _commit_batch(self, changes: Sequence[Change], vectors: Any, replaced: Sequence[str]) -> None:
        """Commit one batch of ``rag.batches`` (passage ids assigned here) as the next generation."""
        next_id = self._manifest.next_passage_id
        passages = []
        for change in changes:
            for p in change.passages:
                passages.append((change.article, replace(p, id=next_id)))
                next_id += 1
        self._commit(self._manifest, [c.article for c in changes], passages, vectors, retire=list(replaced))

    def remove(self, ids_or_urls: Sequence[str]) -> RemoveReport:
        """Remove articles by id (or by URL); unknown ones are reported, not an error."""
        report = RemoveReport()
        with self._writing() as manifest:
            keys = list(ids_or_urls)
            expr = f"{self._visible()} and part == 0 and url in {literal(keys)}"
            by_url = {r["url"]: r["article_id"] for r in self._db.query(self._db.articles, expr, ["url", "article_id"])}
            wanted = {by_url.get(key, key): key for key in keys}
            known = set(self._content_hashes(list(wanted)))
            report.removed = sorted(known)
            report.not_found = [key for article_id, key in wanted.items() if article_id not in known]
            if known:
                self._commit(manifest, [], [], None, retire=sorted(known))
        return report

    def rebuild(self, *, embedder: str | Embedder | None = None, on_progress: ProgressFn | None = None) -> AddReport:
        """Re-chunk and re-embed every stored article into a new generation, then switch to it in one commit.

        Readers keep the old generation, whole, until then. Another embedder must make vectors of the
        same dimension: a Milvus collection holds one."""
        started = time.perf_counter()
        new = create_embedder(embedder) if isinstance(embedder, str) else embedder
        with self._writing() as manifest:
            if new is not None and new.dim != manifest.dim:
                raise ConfigError(
                    f"Embedder {new.name!r} makes {new.dim}-d vectors; the Milvus store {self.path} holds {manifest.dim}-d ones and "
                    f"a Milvus collection has one dimension. Ingest your articles into another collection with it: "
                    f"rag ingest PATH --store {self._other_collection()} --embedder {new.name}"
                )
            if new is not None:
                manifest = replace(manifest, embedder=new.name, dim=new.dim)
            articles = self.articles()
            passages, texts = self._chunk(articles, manifest)
            vectors = embed_in_batches(new or self.embedder, texts, on_progress=on_progress)
            self._commit(manifest, articles, passages, vectors, retire=[], replace_all=True)
            self._embedder = new or self._embedder
        return AddReport(updated=len(articles), passages_embedded=len(vectors), batches=1, seconds=time.perf_counter() - started)

    def _other_collection(self) -> str:
        return _renamed(self.location, self.path)

    def _content_hashes(self, ids: list[str]) -> dict[str, str]:
        if not ids:
            return {}
        expr = f"{self._visible()} and part == 0 and article_id in {literal(ids)}"
        return {r["article_id"]: r["content_hash"] for r in self._db.query(self._db.articles, expr, ["article_id", "content_hash"])}

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
            self._db.delete(f"born > {self._manifest.generation}")  # rows of a write that never committed
            yield self._manifest

    @contextlib.contextmanager
    def _writer_lock(self) -> Iterator[None]:
        if not self.location.lite:
            yield
            return
        fd = os.open(f"{self.location.uri}.writer.lock", os.O_RDWR | os.O_CREAT, 0o644)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise IndexLockedError(f"The Milvus Lite store {self.path} is being written by another process; try again when it is done.") from None
            yield
        finally:
            os.close(fd)

    def _commit(self, manifest: Manifest, articles: Sequence[Article], passages: Sequence[tuple[Article, Passage]], vectors: Any,
                *, retire: Sequence[str], replace_all: bool = False) -> None:  # fmt: skip
        import numpy as np

        born = manifest.generation + 1
        vector_rows = vectors.tolist() if vectors is not None else []
        by_article: dict[str, list] = {}
        for (a, _), v in zip(passages, vector_rows):
            by_article.setdefault(a.id, []).append(v)
        mirror = CopyMirror(manifest.generation) if replace_all else self._copy_mirror()
        self._mirror = None  # until this commit is through: one that fails leaves the mirror ahead of the store
        committed = {a.id for a in articles}
        grouping = mirror.commit(articles, {i: np.asarray(v, dtype=np.float32) for i, v in by_article.items()},
                                 [i for i in retire if i not in committed], replace_all=replace_all)  # fmt: skip
        next_id = max([manifest.next_passage_id - 1, *(p.id for _, p in passages)]) + 1
        moved_articles, moved_passages = self._regrouped(grouping.moved, born, next_id)
        self._db.insert(self._db.passages, [passage_row(a, p, v, born, grouping.groups[a.id]) for (a, p), v in zip(passages, vector_rows)] + moved_passages)
        self._db.insert(self._db.articles, [row for a in articles for row in article_rows(a, born, grouping.groups[a.id], *grouping.fingerprints[a.id])]
                        + moved_articles)  # fmt: skip
        retire = [*retire, *sorted(grouping.moved)]  # an article whose group changed is rewritten: its old rows go like an edited one's
        written = {"articles": len(articles) + len(grouping.moved), "passages": len(passages) + len(moved_passages)}
        if replace_all:
            counts = written
        else:
            gone_articles = len(self._content_hashes(list(retire))) if retire else 0
            gone_passages = self._db.count(self._db.passages, f"{self._visible()} and article_id in {literal(retire)}") if retire else 0
            counts = {"articles": manifest.articles - gone_articles + written["articles"], "passages": manifest.passages - gone_passages + written["passages"]}
        next_manifest = manifest.next(**counts, next_passage_id=next_id + len(moved_passages))
        self._delete_earlier()
        previous = self._state
        earlier = (manifest.generation, previous.retired, previous.retired_all) if previous.retired or previous.retired_all else None
        state = WriteState(retired=list(retire), retired_all=replace_all, earlier=earlier)
        self._db.write_meta(next_manifest, state)  # the commit point
        self._manifest, self._state = next_manifest, state
        mirror.generation = next_manifest.generation
        self._mirror = mirror

    def _copy_mirror(self) -> CopyMirror:
        """The copy-group state of the committed generation: kept from this process's last commit, or loaded."""
        generation = self._manifest.generation
        if self._mirror is None or self._mirror.generation != generation:
            # Rows loaded in bulk without a fingerprint (benchmarks/bench_stores.py) are each their own group, nobody's copy.
            rows = self._db.query(self._db.articles, f'{self._visible()} and part == 0 and fingerprint != ""', FINGERPRINT_FIELDS)
            self._mirror = CopyMirror.load(rows, generation)
        return self._mirror

    def _regrouped(self, moved: dict[str, str], born: int, next_id: int) -> tuple[list[dict], list[dict]]:
        """The rows of the stored articles whose copy group changed, as generation ``born`` writes them
        (new keys and passage ids: an old row's key would let the new row shadow it before the commit)."""
        if not moved:
            return [], []
        expr = f"{self._visible()} and article_id in {literal(sorted(moved))}"
        articles = [{**r, "key": f"{r['article_id']}#{born}#{r['part']}", "born": born, "copy_group": moved[r["article_id"]], "v": [0.0, 0.0]}
                    for r in self._db.query(self._db.articles, expr, STORED_ARTICLE_FIELDS)]  # fmt: skip
        passages = []
        for r in sorted(self._db.query(self._db.passages, expr, STORED_PASSAGE_FIELDS), key=lambda r: r["id"]):
            passages.append({**r, "id": next_id + len(passages), "born": born, "copy_group": moved[r["article_id"]], "dense": list(r["dense"])})
        return articles, passages

    def _delete_earlier(self) -> None:
        """Delete the rows the generation before the committed one hid: readers of the committed
        generation hide them too, and readers of the one before do not read any more."""
        state = self._state
        if state.earlier is None:
            return
        self._db.delete(" or ".join(WriteState(earlier=state.earlier).hidden(self._manifest.generation)))
        self._state = WriteState(state.retired, state.retired_all)
        self._db.write_meta(self._manifest, self._state)


def _renamed(location: Location, text: str) -> str:
    """``text`` with another collection name: where a store that cannot be used as it is can be built anew."""
    name = f"{location.collection}_2"
    if location.lite:
        return f"{text.partition('#')[0]}#{name}"
    parts = urlsplit(text)
    return f"{parts.scheme}://{parts.netloc}/{name}"


def _vector_dim(description: dict) -> int | None:
    for f in description.get("fields", []):
        if f.get("name") == "dense":
            dim = (f.get("params") or {}).get("dim")
            return int(dim) if dim is not None else None
    return None
