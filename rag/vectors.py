"""The FAISS side of an index: passage id → unit vector, searched by inner product (= cosine)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from rag.fsutil import atomic_path

if TYPE_CHECKING:
    import faiss
    import numpy as np


class VectorIndex:
    """Exact inner-product search over vectors keyed by passage id.

    ``IndexIDMap2`` keeps our own int64 ids, so removing an article removes exactly its passages.
    """

    def __init__(self, index: faiss.Index) -> None:
        self._index = index

    @classmethod
    def empty(cls, dim: int) -> VectorIndex:
        import faiss

        return cls(faiss.IndexIDMap2(faiss.IndexFlatIP(dim)))

    @classmethod
    def load(cls, path: Path) -> VectorIndex:
        import faiss

        return cls(faiss.read_index(str(path)))

    def save(self, path: Path) -> None:
        """Write atomically: readers and crashes only ever see a complete file."""
        import faiss

        with atomic_path(path) as tmp:
            faiss.write_index(self._index, str(tmp))

    @property
    def dim(self) -> int:
        return int(self._index.d)

    def __len__(self) -> int:
        return int(self._index.ntotal)

    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        import numpy as np

        if len(ids):
            self._index.add_with_ids(np.ascontiguousarray(vectors, dtype=np.float32), np.asarray(ids, dtype=np.int64))

    def remove(self, ids: np.ndarray) -> int:
        import numpy as np

        if not len(ids):
            return 0
        return int(self._index.remove_ids(np.asarray(ids, dtype=np.int64)))

    def search(self, query: np.ndarray, k: int, allowed: Sequence[int] | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Ids and scores of the ``k`` nearest vectors, best first (fewer when the index is small).

        ``allowed`` restricts the search to those ids (e.g. passages within a date range).
        """
        import faiss
        import numpy as np

        k = min(k, len(self))
        if k <= 0 or (allowed is not None and not len(allowed)):
            return np.empty(0, np.int64), np.empty(0, np.float32)
        params = None
        if allowed is not None:
            params = faiss.SearchParameters(sel=faiss.IDSelectorBatch(np.asarray(allowed, dtype=np.int64)))
        scores, ids = self._index.search(np.asarray(query, dtype=np.float32).reshape(1, -1), k, params=params)
        keep = ids[0] >= 0
        return ids[0][keep], scores[0][keep]

    def vectors(self, ids: Sequence[int]) -> np.ndarray:
        """The stored vectors of ``ids`` (to score candidates that dense search did not return)."""
        import numpy as np

        if not len(ids):
            return np.empty((0, self.dim), np.float32)
        return self._index.reconstruct_batch(np.asarray(ids, dtype=np.int64))

    def ids(self) -> np.ndarray:
        """Every stored id (for consistency checks)."""
        import faiss

        return faiss.vector_to_array(self._index.id_map).astype("int64")
