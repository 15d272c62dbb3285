"""``Index``: the on-disk store of articles, passages and vectors, and the one way to change it.

Directory layout::

    manifest.json          what the index was built with, counts, generation (mirror of the DB's copy)
    corpus.sqlite          articles, passages, FTS5 table, the authoritative manifest
    vectors-NNNNNN.faiss   the passage vectors of generation NNNNNN (ids = passage ids)

A write (add, remove, rebuild) holds the writer lock, prepares everything, writes the next
generation's vectors to a new file, then commits the SQLite transaction that moves the
generation forward. That commit is the single moment the index changes: a kill before it
leaves the old generation (the new vectors file is an orphan, cleaned up later), a kill after
it leaves the new one (the old file and a stale manifest.json are tidied by the next writer).

``add`` commits in batches (:class:`CommitPolicy`: every N passages or T seconds), each batch a
generation of its own with the guarantee above, so a kill during a long ingest keeps every batch
committed before it, and the same ingest run again embeds only the articles still missing (the
stored content hashes say which). ``rebuild`` stays one commit: the old index serves readers,
whole and unchanged, until the new one is complete (vectors of two embedders cannot share one
index, so a half-rebuilt index would be worse than none).
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from rag.chunking import ChunkingParams, chunk_article, text_for_embedding
from rag.corpus import CORPUS_FILE, Change, Corpus
from rag.embedding import DEFAULT_EMBEDDER, Embedder, create_embedder, embed_in_batches, manifest_embedder, requested_embedder
from rag.errors import IndexCorruptError, IndexNotFoundError
from rag.fsutil import tree_size
from rag.locking import WriterLock
from rag.manifest import MANIFEST_FILE, Manifest
from rag.types import DEFAULT_K, Article, Filters, Hit, Passage, Problem
from rag.generations import load_consistent, load_vectors, tidy
from rag.index_reports import AddReport, CommitPolicy, IndexStatus, ProgressFn, RemoveReport
from rag.vectors import DEFAULT_POLICY, IndexPolicy, VectorIndex

if TYPE_CHECKING:
    import numpy as np

    from rag.batches import Pipeline


class Index:
    """A searchable news index on disk. Cheap to open; the embedder loads on first use."""

    def __init__(
        self, path: Path, corpus: Corpus, manifest: Manifest, vectors: VectorIndex, embedder: Embedder | None, policy: IndexPolicy = DEFAULT_POLICY
    ) -> None:
        self.path = path
        self.policy = policy
        """Which FAISS index this many vectors get (``rag.vectors.IndexPolicy``); ``Settings.vectors`` at the edges."""
        self._corpus = corpus
        self._manifest = manifest
        self._vectors = vectors
        self._embedder = embedder
        self._languages: tuple[int, dict[str, int]] | None = None  # (generation, counts): asked on every query

    # -- opening ------------------------------------------------------------------------------

    @classmethod
    def exists(cls, path: str | Path) -> bool:
        path = Path(path)
        if not (path / CORPUS_FILE).is_file():
            return False
        corpus = Corpus(path)
        try:
            return corpus.manifest() is not None
        finally:
            corpus.close()

    @classmethod
    def open(cls, path: str | Path, *, embedder: str | Embedder | None = None, policy: IndexPolicy | None = None) -> Index:
        """Open an existing index. ``embedder`` (a spec or an instance) must match the one it was built with."""
        path = Path(path)
        if not cls.exists(path):
            if (path / MANIFEST_FILE).exists():
                raise IndexCorruptError(f"{path} has a manifest.json but no usable {CORPUS_FILE}; rebuild it by ingesting your articles again.")
            raise IndexNotFoundError(f"No index at {path}. Build one with: rag ingest PATH --index {path}")
        policy = policy or DEFAULT_POLICY
        corpus = Corpus(path, policy)
        manifest, vectors = load_consistent(path, corpus, policy)
        instance = requested_embedder(manifest, embedder, f"The index at {path}", f"rag index rebuild --index {path}")
        return cls(path, corpus, manifest, vectors, instance, policy)

    @classmethod
    def create(
        cls, path: str | Path, *, embedder: str | Embedder = DEFAULT_EMBEDDER, chunking: ChunkingParams | None = None, policy: IndexPolicy | None = None
    ) -> Index:
        """Create an empty index (the embedder is loaded now, to learn its dimension)."""
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        instance = create_embedder(embedder) if isinstance(embedder, str) else embedder
        with WriterLock(path):
            corpus = Corpus(path, policy or DEFAULT_POLICY)
            existing = corpus.manifest()
            if existing is not None:
                corpus.close()
                return cls.open(path, embedder=instance, policy=policy)
            manifest = Manifest(embedder=instance.name, dim=instance.dim, chunking=chunking or ChunkingParams())
            VectorIndex.empty(manifest.dim).save(path / manifest.vectors_file)
            corpus.initialise(manifest)
            manifest.write(path)
        return cls(path, corpus, manifest, VectorIndex.empty(manifest.dim), instance, policy or DEFAULT_POLICY)

    @classmethod
    def open_or_create(
        cls, path: str | Path, *, embedder: str | None = None, chunking: ChunkingParams | None = None, policy: IndexPolicy | None = None
    ) -> Index:
        if cls.exists(path):
            return cls.open(path, embedder=embedder, policy=policy)
        return cls.create(path, embedder=embedder or DEFAULT_EMBEDDER, chunking=chunking, policy=policy)

    def close(self) -> None:
        self._corpus.close()

    def __enter__(self) -> Index:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def manifest(self) -> Manifest:
        return self._manifest

    @property
    def vector_index(self) -> VectorIndex:
        """The current generation's FAISS index, to inspect (``kind``, ``nprobe``, ``len``); change the index through ``Index``."""
        return self._vectors

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = manifest_embedder(self._manifest, f"The index at {self.path}", f"rag index rebuild --index {self.path}")
        return self._embedder

    # -- reading ------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Pick up a generation another process committed since this index was opened."""
        current = self._corpus.manifest()
        if current is not None and current.generation != self._manifest.generation:
            self._manifest, self._vectors = load_consistent(self.path, self._corpus, self.policy)

    def search(self, query: str, k: int = DEFAULT_K) -> list[Hit]:
        """The ``k`` passages closest in meaning to ``query`` (dense retrieval), best first."""
        self.refresh()
        ids, scores = self._vectors.search(self.embedder.embed_query(query), k)
        return self._corpus.hits(ids.tolist(), scores.tolist())

    def articles(self, ids: Sequence[str] | None = None) -> list[Article]:
        return self._corpus.articles(ids)

    # The building blocks of hybrid retrieval (rag.retrieval); ids are passage ids.

    def dense(self, query_vector: np.ndarray, n: int, allowed: Sequence[int] | None = None, *, one_per_group: bool = False) -> tuple[np.ndarray, np.ndarray]:
        """``one_per_group`` is not done here: FAISS ranks every passage, retrieval groups after fusion."""
        return self._vectors.search(query_vector, n, allowed)

    def passage_vectors(self, ids: Sequence[int]) -> np.ndarray:
        return self._vectors.vectors(ids)

    def lexical(self, match: str, n: int, allowed: Sequence[int] | None = None, *, stemmed: bool = False,
                one_per_group: bool = False) -> list[tuple[int, float]]:  # fmt: skip
        """BM25 over the plain full-text table, or with ``stemmed`` the stemmed one (``rag.stemmed_fts``);
        ``one_per_group`` is not done here (as in ``dense``)."""
        return self._corpus.lexical(match, n, allowed, stemmed=stemmed)

    def quotes(self, speaker_terms: Sequence[str] = (), **filters: object) -> list:
        """Stored quotes (``rag.news.store.StoredQuote``) whose speaker has all ``speaker_terms``, newest first."""
        return self._corpus.quotes(speaker_terms, **filters)

    def copy_groups(self, article_ids: Iterable[str]) -> dict:
        """Each article's copy group: ``{article_id: (group id, members canonical first)}`` (rag.news.copies)."""
        return self._corpus.copy_groups(article_ids)

    @property
    def copy_detection_seconds(self) -> float:
        """Seconds this index's writes spent on copy groups and stories (part of ``AddReport.seconds``)."""
        return self._corpus.copies_seconds

    def copy_table(self) -> dict[str, list[str]]:
        """Every copy group's member article ids, canonical first."""
        return self._corpus.copy_table()

    def stories(self, since: str | None = None) -> list:
        """The stories (``rag.news.stories.Story``) with an article from ``since`` on, newest first."""
        from rag.news.stories import list_stories

        return self._corpus.read(lambda db: list_stories(db, since))

    def stories_of(self, article_ids: Sequence[str]) -> dict[str, str]:
        """Each article's story id (rag.news.stories)."""
        from rag.news.stories import stories_of

        ids = list(dict.fromkeys(article_ids))
        return self._corpus.read(lambda db: stories_of(db, ids))

    def passage_ids_where(self, filters: Filters) -> list[int]:
        return self._corpus.passage_ids_where(filters)

    def has_dates(self) -> bool:
        return self._corpus.has_dates()

    def passage_ids_of(self, article_ids: Sequence[str]) -> list[int]:
        return self._corpus.passage_ids(article_ids)

    def sentence_dates(self, article_ids: Sequence[str]) -> list:
        """The dated sentences (``rag.news.date_store.StoredDate``) of ``article_ids``, in text order."""
        return self._corpus.sentence_dates(article_ids)

    def hits(self, ids: Sequence[int], scores: Sequence[float]) -> list[Hit]:
        return self._corpus.hits(ids, scores)

    def passage_texts(self) -> Iterator[tuple[int, str]]:
        """(passage id, text) of every stored passage in id order: for exports and baselines."""
        return self._corpus.passage_texts()

    def languages(self) -> dict[str, int]:
        """Articles per language, most common first (counted once per generation: a full scan at 1M articles)."""
        generation = self._manifest.generation
        if self._languages is None or self._languages[0] != generation:
            self._languages = (generation, self._corpus.counts_by("lang"))
        return dict(self._languages[1])

    def status(self) -> IndexStatus:
        self.refresh()
        m = self._manifest
        return IndexStatus(
            path=str(self.path),
            articles=m.articles,
            passages=m.passages,
            languages=self._corpus.counts_by("lang"),
            sources=self._corpus.counts_by("source"),
            embedder=m.embedder,
            dim=m.dim,
            size_bytes=tree_size(self.path),
            generation=m.generation,
            created_at=m.created_at,
            updated_at=m.updated_at,
            format_version=m.format_version,
        )

    def check(self) -> list[str]:
        """Disagreements between the files of this index; empty when it is consistent."""
        for _ in range(10):
            with self._corpus.snapshot():  # one committed generation, even while a writer commits
                manifest = self._corpus.manifest()
                vectors = load_vectors(self.path / manifest.vectors_file, self.policy)
                if vectors is not None:
                    problems = self._corpus.integrity_problems()
                    vector_ids, passage_ids = set(vectors.ids().tolist()), set(self._corpus.all_passage_ids())
                    break
            # The snapshot's vectors file is gone: either a writer moved on since (then look again)
            # or it is really missing, which load_consistent reports.
            load_consistent(self.path, self._corpus, self.policy)
        else:
            raise IndexCorruptError(f"The index at {self.path} kept changing while it was being checked; try again.")
        if vector_ids != passage_ids:
            problems.append(
                f"{len(vector_ids - passage_ids)} vectors without a passage, {len(passage_ids - vector_ids)} passages without a vector"
            )
        if len(passage_ids) != manifest.passages:
            problems.append(f"manifest counts {manifest.passages} passages, the database holds {len(passage_ids)}")
        return problems

    # -- writing ------------------------------------------------------------------------------

    def add(
        self, articles: Iterable[Article], *, on_progress: ProgressFn | None = None, policy: CommitPolicy = CommitPolicy(),
        pipeline: Pipeline | None = None,
    ) -> AddReport:  # fmt: skip
        """Add new articles and replace edited ones; unchanged ones cost nothing (not re-embedded).

        Commits in batches (see :class:`CommitPolicy`). An article that cannot be chunked,
        embedded or stored is a Problem in the report; the others are still added.
        ``pipeline`` chunks and embeds elsewhere (``rag.ingest_ray``); this process still writes,
        so its vectors must come from the index's own embedder (``manifest.embedder``).
        """
        from rag.batches import add_in_batches

        started = time.perf_counter()
        report = AddReport()
        incoming: dict[str, Article] = {}
        for article in articles:
            report.duplicates += article.id in incoming
            incoming[article.id] = article
        with self._writing():
            stored = self._corpus.content_hashes(incoming)
            todo = [a for a in incoming.values() if stored.get(a.id) != a.content_hash]
            failed = add_in_batches(self, todo, set(stored), report, policy, on_progress, pipeline) if todo else set()
            done = {a.id for a in todo} - failed
            report.updated = sum(a.id in stored for a in todo if a.id in done)
            report.new = sum(a.id not in stored for a in todo if a.id in done)
            report.unchanged = len(incoming) - len(todo)
        report.seconds = time.perf_counter() - started
        return report

    def _commit_batch(self, changes: Sequence[Change], vectors, replaced: Sequence[str]) -> None:
        """Commit one batch of prepared changes (ids assigned here) as the next generation."""
        next_id = self._manifest.next_passage_id
        numbered = []
        for change in changes:
            passages = [replace(p, id=next_id + i) for i, p in enumerate(change.passages)]
            next_id += len(passages)
            numbered.append(Change(change.article, passages))
        drop = self._corpus.passage_ids(replaced)
        self._commit(self._manifest, numbered, vectors, drop_passages=drop)

    def remove(self, ids_or_urls: Sequence[str]) -> RemoveReport:
        """Remove articles by id (or by URL); unknown ones are reported, not an error."""
        report = RemoveReport()
        with self._writing() as manifest:
            by_url = self._corpus.article_ids_by_url(ids_or_urls)
            wanted = {by_url.get(key, key): key for key in ids_or_urls}
            known = set(self._corpus.content_hashes(wanted))
            report.removed = sorted(known)
            report.not_found = [key for article_id, key in wanted.items() if article_id not in known]
            if known:
                self._commit(manifest, [], None, drop_passages=self._corpus.passage_ids(known), remove_ids=sorted(known))
        return report

    def rebuild(self, *, embedder: str | Embedder | None = None, on_progress: ProgressFn | None = None) -> AddReport:
        """Re-chunk and re-embed every stored article (optionally with another embedder)."""
        started = time.perf_counter()
        new = create_embedder(embedder) if isinstance(embedder, str) else embedder
        with self._writing() as manifest:
            if new is not None:
                manifest = replace(manifest, embedder=new.name, dim=new.dim)
            articles = self._corpus.articles()
            changes, vectors = self._embed(articles, manifest, on_progress, new or self.embedder)
            self._commit(manifest, changes, vectors, replace_all=True)
            self._embedder = new or self._embedder
        return AddReport(updated=len(articles), passages_embedded=len(vectors), seconds=time.perf_counter() - started)

    @contextlib.contextmanager
    def _writing(self) -> Iterator[Manifest]:
        """Hold the writer lock, tidy up after any earlier crash, yield the current manifest."""
        with WriterLock(self.path):
            current = self._corpus.manifest()
            if current is not None and current.generation == self._manifest.generation:
                self._manifest = current  # our vectors are this generation's: no need to read them again
            else:
                self._manifest, self._vectors = load_consistent(self.path, self._corpus, self.policy)
            tidy(self.path, self._manifest)
            yield self._manifest

    @staticmethod
    def _embed(articles: Sequence[Article], manifest: Manifest, on_progress: ProgressFn | None, embedder: Embedder):
        """Chunk ``articles`` and embed their passages; ids are assigned from the manifest's counter."""
        next_id = manifest.next_passage_id
        changes: list[Change] = []
        texts: list[str] = []
        for article in articles:
            passages = []
            for p in chunk_article(article, manifest.chunking):
                passages.append(Passage(p.article_id, p.ordinal, p.start, p.end, p.text, id=next_id))
                texts.append(text_for_embedding(article.title, p.text))
                next_id += 1
            changes.append(Change(article, passages))
        vectors = embed_in_batches(embedder, texts, on_progress=on_progress)
        return changes, vectors

    def _commit(self, manifest: Manifest, changes: Sequence[Change], vectors, *, drop_passages: Sequence[int] = (),
                remove_ids: Sequence[str] = (), replace_all: bool = False) -> None:  # fmt: skip
        import numpy as np

        new_ids = [p.id for c in changes for p in c.passages]
        try:
            if replace_all:
                index = VectorIndex.build(manifest.dim, np.asarray(new_ids, dtype=np.int64), vectors, self.policy)
            else:
                index = self._vectors
                index.remove(np.asarray(drop_passages, dtype=np.int64))
                if new_ids:
                    index.add(np.asarray(new_ids, dtype=np.int64), vectors)
                index = index.fitted(self.policy)  # exact or approximate search, by the new size (rag.vectors)
            next_manifest = manifest.next(next_passage_id=max([manifest.next_passage_id - 1, *new_ids]) + 1)
            index.save(self.path / next_manifest.vectors_file)
            per_article, at = {}, 0
            for c in changes:  # each article's passage vectors, for copies across languages and stories (rag.news.copies)
                per_article[c.article.id] = vectors[at : at + len(c.passages)]
                at += len(c.passages)
            stored = self._corpus.commit(next_manifest, changes, remove_ids, replace_all=replace_all, vectors=per_article)  # the commit point
        except BaseException:
            # Our in-memory copy may already have the changes; reload the committed generation.
            self._manifest, self._vectors = load_consistent(self.path, self._corpus, self.policy)
            raise
        self._manifest, self._vectors = stored, index
        tidy(self.path, stored)
