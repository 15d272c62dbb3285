"""``Index.add`` in batches: chunk, embed and commit a long ingest a piece at a time.

Each article is chunked on its own and embedded with its neighbours; whatever goes wrong with
one article (its text cannot be chunked, its vectors come out non-finite, it holds text SQLite
cannot store) becomes that article's :class:`~rag.types.Problem`, and the batch goes on without
it. Batches are committed every ``CommitPolicy.passages`` passages or ``CommitPolicy.seconds``
seconds, each commit one generation (see :mod:`rag.index`), so a kill keeps every batch
committed before it.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rag.chunking import chunk_article, text_for_embedding
from rag.corpus import Change
from rag.embedding import embed_in_batches
from rag.errors import RagError
from rag.types import Article, Passage, Problem

if TYPE_CHECKING:
    import numpy as np

    from rag.index import AddReport, CommitPolicy, Index, ProgressFn

# Passages embedded together (sorted by length within, for less padding); the time trigger is
# checked between windows.
WINDOW_PASSAGES = 512


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


def _prepare(article: Article, index: Index, report: AddReport) -> list[Passage] | None:
    try:
        passages = chunk_article(article, index.manifest.chunking)
        why = _unstorable(article, passages)
    except Exception as exc:  # a chunker bug on one text must not cost the others
        why = f"could not be cut into passages (unexpected {type(exc).__name__}: {str(exc)[:200]}); please report this with the file"
    if why is not None:
        report.problems.append(Problem(_where(article), f"{_label(article)} was skipped: {why}"))
        return None
    return passages


def _embed_window(window: list[tuple[Article, list[Passage]]], index: Index, report: AddReport, failed: set[str]):
    """Vectors for each article of ``window``; an article whose embedding fails is a Problem.

    The window is embedded at once; if that fails, article by article, so only the articles at
    fault are lost. If every article fails alike, the embedder itself is broken: that is raised.
    """
    import numpy as np

    embedder = index.embedder
    texts = [text_for_embedding(a.title, p.text) for a, passages in window for p in passages]
    try:
        vectors = embed_in_batches(embedder, texts)
        out, at = [], 0
        for _, passages in window:
            out.append(vectors[at : at + len(passages)])
            at += len(passages)
    except RagError:
        raise  # the embedder is unavailable: not one article's fault
    except Exception:
        out, errors = [], []
        for article, passages in window:
            try:
                out.append(embed_in_batches(embedder, [text_for_embedding(article.title, p.text) for p in passages]))
            except Exception as exc:
                errors.append(exc)
                out.append(None)
        if len(errors) == len(window):
            raise
    kept = []
    for (article, passages), vectors in zip(window, out):
        why = None
        if vectors is None:
            why = "its passages could not be embedded"
        elif len(vectors) and not np.isfinite(vectors).all():
            why = "the embedder gave it vectors that are not finite numbers"
        if why is not None:
            failed.add(article.id)
            report.problems.append(Problem(_where(article), f"{_label(article)} was skipped: {why}; please report this with the file"))
            continue
        kept.append((article, passages, vectors))
    return kept


def add_in_batches(
    index: Index, todo: Sequence[Article], stored: set[str], report: AddReport, policy: CommitPolicy, on_progress: ProgressFn | None
) -> set[str]:
    """Chunk, embed and commit ``todo`` batch by batch (under the writer lock); returns the ids not added."""
    import numpy as np

    failed: set[str] = set()
    prepared: list[tuple[Article, list[Passage]]] = []
    for article in todo:
        passages = _prepare(article, index, report)
        if passages is None:
            failed.add(article.id)
        else:
            prepared.append((article, passages))
    total = sum(len(p) for _, p in prepared)
    done = 0
    batch = _Batch()

    def commit() -> None:
        vectors = np.concatenate(batch.vectors) if batch.vectors else np.empty((0, index.manifest.dim), np.float32)
        index._commit_batch(batch.changes, vectors, batch.replaced)
        report.batches += 1
        report.passages_embedded += batch.passages

    at = 0
    while at < len(prepared):
        window, size = [], 0
        while at < len(prepared) and (not window or size + len(prepared[at][1]) <= min(WINDOW_PASSAGES, policy.passages)):
            window.append(prepared[at])
            size += len(prepared[at][1])
            at += 1
        for article, passages, vectors in _embed_window(window, index, report, failed):
            batch.changes.append(Change(article, passages))
            batch.vectors.append(vectors)
            batch.passages += len(passages)
            if article.id in stored:
                batch.replaced.append(article.id)
        done += size
        if on_progress is not None:
            on_progress(done, total)
        if batch.passages >= policy.passages or time.perf_counter() - batch.started >= policy.seconds:
            commit()
            batch = _Batch()
    if batch.changes:
        commit()
    return failed
