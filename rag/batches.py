"""``Index.add`` in batches: chunk, embed and commit a long ingest a piece at a time.

Each article is chunked on its own and embedded with its neighbours; whatever goes wrong with
one article (its text cannot be chunked, its vectors come out non-finite, it holds text SQLite
cannot store) becomes that article's :class:`~rag.types.Problem`, and the batch goes on without
it. Batches are committed every ``CommitPolicy.passages`` passages or ``CommitPolicy.seconds``
seconds, each commit one generation (see :mod:`rag.index`), so a kill keeps every batch
committed before it.

Chunking and embedding are one stage (a :data:`Pipeline`: articles in, :class:`Window` s out) and
committing another, so the work before the commit can run elsewhere: :func:`local_pipeline` does
it in this process, :mod:`rag.ingest_ray` on a Ray cluster; the single writer here commits both
alike.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rag.chunking import chunk_article, text_for_embedding
from rag.corpus import Change
from rag.embedding import embed_in_batches
from rag.errors import EmbedderError, RagError
from rag.types import Article, Passage, Problem

if TYPE_CHECKING:
    import numpy as np

    from rag.chunking import ChunkingParams
    from rag.embedding import Embedder
    from rag.index import AddReport, CommitPolicy, Index, ProgressFn

# Passages embedded together (sorted by length within, for less padding); the time trigger is
# checked between windows.
WINDOW_PASSAGES = 512


@dataclass
class Window:
    """Some articles chunked and embedded: what a pipeline hands the writer, in any order."""

    kept: list[tuple[Article, list[Passage], np.ndarray]] = field(default_factory=list)
    """Each article with its passages and their vectors (one row a passage)."""
    problems: list[Problem] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    """Ids of the articles that could not be chunked or embedded (each one a Problem)."""
    passages: int = 0
    """Passages this window covered (kept or not), for progress."""
    total: int | None = None
    """All the passages of the run, where the pipeline knows them (progress)."""


Pipeline = Callable[[Sequence[Article], "ChunkingParams"], Iterable[Window]]
"""Chunks and embeds the articles to add (with the index's chunking), yielding windows as they are done."""


@dataclass
class _Batch:
    changes: list[Change] = field(default_factory=list)
    vectors: list[np.ndarray] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    passages: int = 0
    started: float = field(default_factory=time.perf_counter)


def _where(article: Article) -> str:
    return article.origin or article.id


def _label(article: Article) -> str:
    return f"article {article.title[:60]!r} ({article.id})" if article.title else f"article {article.id}"


def _unstorable(article: Article, passages: Sequence[Passage]) -> str | None:
    """Why SQLite would refuse this article (text that is not valid Unicode), or None."""
    for name in ("id", "title", "text", "source", "url", "date", "lang", "place", "origin"):
        value = getattr(article, name)
        if value is not None:
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                return f"its {name} holds characters that cannot be stored (lone surrogates); build articles with rag.readers.make_article, which cleans them"
    return None


def prepare(article: Article, chunking: ChunkingParams, problems: list[Problem]) -> list[Passage] | None:
    """The passages of ``article``, or None (and a Problem) when it cannot be chunked or stored."""
    try:
        passages = chunk_article(article, chunking)
        why = _unstorable(article, passages)
    except Exception as exc:  # a chunker bug on one text must not cost the others
        why = f"could not be cut into passages (unexpected {type(exc).__name__}: {str(exc)[:200]}); please report this with the file"
    if why is not None:
        problems.append(Problem(_where(article), f"{_label(article)} was skipped: {why}"))
        return None
    return passages


def embed_window(window: list[tuple[Article, list[Passage]]], embedder: Embedder, out: Window) -> None:
    """Embed ``window`` into ``out``; an article whose embedding fails is a Problem.

    The window is embedded at once; if that fails, article by article, so only the articles at
    fault are lost. If every article fails alike, the embedder itself is broken: that is raised.
    """
    import numpy as np

    texts = [text_for_embedding(a.title, p.text) for a, passages in window for p in passages]
    out.passages += len(texts)
    try:
        vectors = embed_in_batches(embedder, texts)
        parts, at = [], 0
        for _, passages in window:
            parts.append(vectors[at : at + len(passages)])
            at += len(passages)
    except RagError:
        raise  # the embedder is unavailable: not one article's fault
    except Exception:
        parts, errors = [], []
        for article, passages in window:
            try:
                parts.append(embed_in_batches(embedder, [text_for_embedding(article.title, p.text) for p in passages]))
            except Exception as exc:
                errors.append(exc)
                parts.append(None)
        if len(errors) == len(window):
            raise
    for (article, passages), vectors in zip(window, parts):
        why = None
        if vectors is None:
            why = "its passages could not be embedded"
        elif len(vectors) and not np.isfinite(vectors).all():
            why = "the embedder gave it vectors that are not finite numbers"
        if why is not None:
            out.failed.append(article.id)
            out.problems.append(Problem(_where(article), f"{_label(article)} was skipped: {why}; please report this with the file"))
            continue
        out.kept.append((article, passages, vectors))


def windows_of(prepared: Sequence[tuple[Article, list[Passage]]], limit: int) -> Iterator[list[tuple[Article, list[Passage]]]]:
    """Consecutive runs of ``prepared`` of at most ``limit`` passages (an article longer than that alone)."""
    at = 0
    while at < len(prepared):
        window, size = [], 0
        while at < len(prepared) and (not window or size + len(prepared[at][1]) <= limit):
            window.append(prepared[at])
            size += len(prepared[at][1])
            at += 1
        yield window


def _chunk_all(articles: Sequence[Article], chunking: ChunkingParams, window: Window) -> list:
    """``(article, passages)`` of every article that chunks; the others go to ``window``'s problems and failed ids."""
    prepared = []
    for article in articles:
        passages = prepare(article, chunking, window.problems)
        if passages is None:
            window.failed.append(article.id)
        else:
            prepared.append((article, passages))
    return prepared


def chunk_and_embed(articles: Sequence[Article], chunking: ChunkingParams, embedder: Embedder) -> Window:
    """One window: chunk ``articles`` and embed them together (what a Ray actor does with its share)."""
    out = Window()
    prepared = _chunk_all(articles, chunking, out)
    if prepared:
        embed_window(prepared, embedder, out)
    return out


def local_pipeline(embedder: Callable[[], Embedder], window_passages: int = WINDOW_PASSAGES) -> Pipeline:
    """Chunk everything, then embed window by window in this process (``embedder()`` is asked on first use)."""

    def run(todo: Sequence[Article], chunking: ChunkingParams) -> Iterator[Window]:
        first = Window()
        prepared = _chunk_all(todo, chunking, first)
        total = sum(len(p) for _, p in prepared)
        first.total = total
        if first.failed:
            yield first
        model = embedder() if prepared else None
        for window in windows_of(prepared, window_passages):
            out = Window(total=total)
            embed_window(window, model, out)
            yield out

    return run


def add_in_batches(
    index: Index, todo: Sequence[Article], stored: set[str], report: AddReport, policy: CommitPolicy,
    on_progress: ProgressFn | None, pipeline: Pipeline | None = None,
) -> set[str]:  # fmt: skip
    """Chunk and embed ``todo`` (``pipeline``, default in this process) and commit it batch by batch; returns the ids not added.

    Runs under the writer lock: this is the single writer whatever did the embedding.
    """
    import numpy as np

    if pipeline is None:
        pipeline = local_pipeline(lambda: index.embedder, min(WINDOW_PASSAGES, policy.passages))
    failed: set[str] = set()
    done, total = 0, None
    batch = _Batch()

    def commit() -> None:
        vectors = np.concatenate(batch.vectors) if batch.vectors else np.empty((0, index.manifest.dim), np.float32)
        index._commit_batch(batch.changes, vectors, batch.replaced)
        report.batches += 1
        report.passages_embedded += batch.passages

    for window in pipeline(todo, index.manifest.chunking):
        report.problems.extend(window.problems)
        failed.update(window.failed)
        for article, passages, vectors in window.kept:
            if vectors.shape != (len(passages), index.manifest.dim):
                raise EmbedderError(
                    f"The embedder gave {_label(article)} vectors of shape {vectors.shape} for {len(passages)} passages of "
                    f"{index.manifest.dim} dimensions; was the index built with another embedder than {index.manifest.embedder!r}?"
                )
            batch.changes.append(Change(article, passages))
            batch.vectors.append(vectors)
            batch.passages += len(passages)
            if article.id in stored:
                batch.replaced.append(article.id)
        done += window.passages
        total = window.total if window.total is not None else total
        if on_progress is not None and window.passages:
            on_progress(done, max(done, total or 0))
        if batch.passages >= policy.passages or time.perf_counter() - batch.started >= policy.seconds:
            commit()
            batch = _Batch()
    if batch.changes:
        commit()
    return failed
