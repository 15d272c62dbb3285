"""The store interface and the one place that picks a backend from a location.

``Store`` is what retrieval (``rag.retrieval.Retriever``), the answer pipeline, the CLI and the TUI
use of a store. Two backends implement it:

- ``rag.index.Index``: SQLite + FTS5 + FAISS in a directory (the embedded default);
- ``rag.stores.milvus.MilvusStore``: Milvus — Milvus Lite in a local file, or a Milvus
  standalone/cluster server by URI (``milvus_location``: locations and connecting;
  ``milvus_collections``: collections and rows; ``milvus_reading``: the reads).

Locations (``--store``, or ``NEWSRAG_STORE``):

- ``milvus://HOST:PORT/COLLECTION`` (``milvuss://`` for TLS): a Milvus server;
- ``PATH.db`` or ``PATH.db#COLLECTION``: a Milvus Lite file (collection ``newsrag`` by default);
- anything else: an index directory (the default backend).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

if TYPE_CHECKING:
    import numpy as np

    from rag.chunking import ChunkingParams
    from rag.embedding import Embedder
    from rag.index import AddReport, IndexStatus, ProgressFn, RemoveReport
    from rag.manifest import Manifest
    from rag.vectors import IndexPolicy
    from rag.types import Article, Filters, Hit

__all__ = ["Store", "is_milvus", "open_or_create_store", "open_store", "store_exists"]


@runtime_checkable
class Store(Protocol):
    """Articles, passages and their vectors, searchable densely and lexically. Ids are passage ids."""

    @property
    def manifest(self) -> Manifest: ...

    @property
    def embedder(self) -> Embedder: ...

    # reading (what retrieval and the answer pipeline use)
    def dense(self, query_vector: np.ndarray, n: int, allowed: Sequence[int] | None = None, *, one_per_group: bool = False) -> tuple[np.ndarray, np.ndarray]:
        """The ``n`` passages closest to ``query_vector``. ``one_per_group``: the best passage of each of the
        ``n`` best copy groups, where the store can group as it searches (Milvus ``group_by_field``); the
        default store ranks every passage and retrieval keeps one per report after fusion either way."""
        ...

    def lexical(self, match: str, n: int, allowed: Sequence[int] | None = None, *, stemmed: bool = False,
                one_per_group: bool = False) -> list[tuple[int, float]]:  # fmt: skip
        """BM25 over titles and passages; ``match`` is an OR of quoted terms (``rag.retrieval.fts_query``).
        ``stemmed``: over Indonesian passages as roots, ``match`` made of roots (``rag.stemming``);
        a store without such a table returns no hits. ``one_per_group`` as in ``dense``."""
        ...

    def copy_groups(self, article_ids: Iterable[str]) -> dict:
        """Each article's copy group: ``{article_id: (group id, members canonical first)}`` (``rag.news.copies``)."""
        ...

    def passage_vectors(self, ids: Sequence[int]) -> np.ndarray: ...

    def passage_ids_where(self, filters: Filters) -> Sequence[int]: ...

    def has_dates(self) -> bool:
        """Whether any article has a publication date."""
        ...

    def passage_ids_of(self, article_ids: Sequence[str]) -> Sequence[int]:
        """The passages of these articles (the ``allowed`` of a search among them: ``rag.other_copies``)."""
        ...

    def hits(self, ids: Sequence[int], scores: Sequence[float]) -> list[Hit]: ...

    def languages(self) -> dict[str, int]: ...

    # reading (what the CLI and the TUI use)
    def search(self, query: str, k: int = 5) -> list[Hit]: ...

    def articles(self, ids: Sequence[str] | None = None) -> list[Article]: ...

    def status(self) -> IndexStatus: ...

    def check(self) -> list[str]:
        """Disagreements between manifest, articles, passages and vectors; empty when consistent."""
        ...

    def refresh(self) -> None: ...

    # writing
    def add(self, articles: Iterable[Article], *, on_progress: ProgressFn | None = None) -> AddReport: ...

    def remove(self, ids_or_urls: Sequence[str]) -> RemoveReport: ...

    def rebuild(self, *, embedder: str | Embedder | None = None, on_progress: ProgressFn | None = None) -> AddReport:
        """Re-embed every stored article into a new generation; readers see the old one until it is whole."""
        ...

    def close(self) -> None: ...

    def __enter__(self) -> Any: ...

    def __exit__(self, *exc: object) -> None: ...


def is_milvus(location: str | Path) -> bool:
    text = str(location)
    return text.startswith(("milvus://", "milvuss://")) or text.partition("#")[0].endswith(".db")


def store_exists(location: str | Path) -> bool:
    if is_milvus(location):
        from rag.stores.milvus import MilvusStore

        return MilvusStore.exists(str(location))
    from rag.index import Index

    return Index.exists(location)


def open_store(location: str | Path, *, embedder: str | Embedder | None = None, policy: IndexPolicy | None = None) -> Store:
    """Open an existing store; ``embedder`` must match the one it was built with (``policy``: the FAISS index's)."""
    if is_milvus(location):
        from rag.stores.milvus import MilvusStore

        return MilvusStore.open(str(location), embedder=embedder)
    from rag.index import Index

    return Index.open(location, embedder=embedder, policy=policy)


def open_or_create_store(location: str | Path, *, embedder: str | None = None, chunking: ChunkingParams | None = None) -> Store:
    if is_milvus(location):
        from rag.stores.milvus import MilvusStore

        return MilvusStore.open_or_create(str(location), embedder=embedder, chunking=chunking)
    from rag.index import Index

    return Index.open_or_create(location, embedder=embedder, chunking=chunking)
