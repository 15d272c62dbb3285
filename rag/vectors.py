"""The FAISS side of an index: passage id → unit vector, searched by inner product (= cosine).

The kind of FAISS index follows the number of vectors (see :class:`IndexPolicy`):

- up to ``exact_max`` vectors: exact search, ``IndexIDMap2(IndexFlatIP)`` — 1.5 KB a vector,
  a single query scans everything (≈8 ms at 50k vectors on one core);
- above it: ``IVF{nlist},SQ8`` with nlist ≈ 4·√n (a power of two, at most 4096) and nprobe =
  128, the IVF's own int64 ids and a hash-table direct map, so ``remove_ids``, ``reconstruct``
  and id filters (``IDSelectorBatch``) keep working — 384 bytes a vector plus ids.
  Measured on synthetic vectors (benchmarks/ivf_sweep.py → results/ivf_sweep.json, 50 dev
  questions, 50 candidates, one thread): at 1M, IVF4096 with 128 probes finds recall@10 0.978 of
  the exact top 10 in 8–12 ms, where the earlier √n lists (IVF1024, 128 probes) found 0.944 in
  19 ms — more, smaller lists put fewer far vectors in each probed one. Recall follows the number
  of lists probed rather than their share: 128 probes give 0.974 at 100k (IVF1024) and 0.978 at
  1M (IVF4096), 64 probes 0.896 and 0.842. The price is training: 4096 lists take ~100 s on 2
  cores (262k-vector sample, 10 k-means iterations) against ~10 s for 1024, paid by the write
  that crosses 524k vectors (retraining below).
  Not chosen: HNSW as the index (it cannot remove vectors, and an edited article must replace its
  passages); an HNSW coarse quantizer (``IVF4096_HNSW32,SQ8`` keeps remove, reconstruct and
  filters, but 4096 centroids are scanned in well under a millisecond, so it would only add
  memory); two OpenMP threads for one query (the same p50 as one thread in the sweep).

The kind is re-chosen after every write (:meth:`VectorIndex.fitted`): crossing ``exact_max``
trains the IVF on the stored vectors; growing to where ``nlist`` should be twice as large
retrains it; shrinking below half of ``exact_max`` goes back to exact search. Retraining starts
from the stored (8-bit) vectors, which are within quantisation error of the originals.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rag.fsutil import atomic_path

if TYPE_CHECKING:
    import faiss
    import numpy as np


@dataclass(frozen=True)
class IndexPolicy:
    """How an index searches: which FAISS index holds ``n`` vectors (measured in
    benchmarks/RESULTS.md, recall@10 vs exact), and how much one BM25 query may read."""

    exact_max: int = 50_000
    """Exact search up to this many vectors; approximate (IVF-SQ8) above."""
    lists_per_root: float = 4.0
    """``nlist`` ≈ this × √n, a power of two."""
    min_nlist: int = 64
    max_nlist: int = 4096
    probe_fraction: float = 1 / 32
    """Lists searched per query, as a share of ``nlist`` (at least ``min_nprobe``)."""
    min_nprobe: int = 128
    """Recall@10 ≥ 0.95 needs ~128 probes whatever ``nlist`` (module docs), so that is the floor."""
    train_per_list: int = 64
    """Training sample: this many vectors per list (k-means needs ~40+; more only costs time)."""
    lexical_postings: int = 20_000
    """Most postings one BM25 query reads: its most frequent terms are dropped beyond this
    (``rag.corpus.Corpus._rare_terms``; small indexes are never affected)."""

    def approximate(self, n: int) -> bool:
        return n > self.exact_max

    def nlist(self, n: int) -> int:
        """About ``lists_per_root`` × √n lists, a power of two."""
        target = 2 ** round(math.log2(max(self.lists_per_root * math.sqrt(max(n, 1)), 1)))
        return int(min(self.max_nlist, max(self.min_nlist, target)))

    def nprobe(self, nlist: int) -> int:
        return int(min(nlist, max(self.min_nprobe, round(nlist * self.probe_fraction))))


DEFAULT_POLICY = IndexPolicy()

_EXACT_FILTER_MAX = 20_000
"""An id filter allowing at most this many vectors is searched exactly (reconstruct + dot products)."""


@contextlib.contextmanager
def _one_thread() -> Iterator[None]:
    """One query is faster on one thread: OpenMP's fork/join costs more than it saves, and far more
    on shared, busy cores (measured 32 ms vs 0.6 ms for 10k exact vectors on 2 loaded cores)."""
    import faiss

    before = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(1)
    try:
        yield
    finally:
        faiss.omp_set_num_threads(before)


class VectorIndex:
    """Vectors keyed by passage id, searched exactly or approximately by size (see module docs)."""

    def __init__(self, index: faiss.Index) -> None:
        import faiss

        self._index = index  # not downcast_index(): a new wrapper would drop the one that keeps sub-indexes alive
        self._ivf = self._index if isinstance(self._index, faiss.IndexIVF) else None

    @classmethod
    def empty(cls, dim: int) -> VectorIndex:
        import faiss

        return cls(faiss.IndexIDMap2(faiss.IndexFlatIP(dim)))

    @classmethod
    def build(cls, dim: int, ids: np.ndarray, vectors: np.ndarray, policy: IndexPolicy | None = None) -> VectorIndex:
        """An index of the kind ``policy`` (default: ``DEFAULT_POLICY``) chooses for ``len(ids)`` vectors, holding them."""
        import numpy as np

        policy = policy or DEFAULT_POLICY
        ids = np.asarray(ids, dtype=np.int64)
        if not policy.approximate(len(ids)):
            index = cls.empty(dim)
            index.add(ids, vectors)
            return index
        return cls._ivf_of(dim, ids, vectors, policy.nlist(len(ids)), policy)

    @classmethod
    def _ivf_of(cls, dim: int, ids: np.ndarray, vectors: np.ndarray, nlist: int, policy: IndexPolicy) -> VectorIndex:
        import faiss
        import numpy as np

        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        ivf = faiss.index_factory(dim, f"IVF{nlist},SQ8", faiss.METRIC_INNER_PRODUCT)
        ivf.cp.niter = 10  # fewer k-means iterations than the default 25: training happens during a write
        sample = min(len(vectors), nlist * policy.train_per_list)
        rows = np.random.default_rng(0).choice(len(vectors), sample, replace=False) if sample < len(vectors) else slice(None)
        ivf.train(vectors[rows])
        ivf.set_direct_map_type(faiss.DirectMap.Hashtable)
        ivf.nprobe = policy.nprobe(nlist)
        ivf.add_with_ids(vectors, ids)
        return cls(ivf)

    def fitted(self, policy: IndexPolicy | None = None) -> VectorIndex:
        """This index, or a new one of the kind ``policy`` wants for its current size (after a write)."""
        policy = policy or DEFAULT_POLICY
        n = len(self)
        if self._ivf is None:
            if not policy.approximate(n):
                return self
        elif n >= policy.exact_max // 2 and policy.nlist(n) < 2 * self._ivf.nlist:
            return self  # hysteresis: no flapping around the threshold, no retraining for small growth
        ids = self.ids()
        return VectorIndex.build(self.dim, ids, self.vectors(ids), policy)

    @classmethod
    def load(cls, path: Path, policy: IndexPolicy | None = None) -> VectorIndex:
        import faiss

        index = cls(faiss.read_index(str(path)))
        if index._ivf is not None:  # a search-time setting: the current policy's, not the one at write time
            index._ivf.nprobe = (policy or DEFAULT_POLICY).nprobe(index._ivf.nlist)
        return index

    def save(self, path: Path) -> None:
        """Write atomically: readers and crashes only ever see a complete file."""
        import faiss

        with atomic_path(path) as tmp:
            faiss.write_index(self._index, str(tmp))

    @property
    def kind(self) -> str:
        """``exact`` or ``IVF{nlist},SQ8 nprobe={nprobe}``."""
        return "exact" if self._ivf is None else f"IVF{self._ivf.nlist},SQ8 nprobe={self._ivf.nprobe}"

    @property
    def nprobe(self) -> int | None:
        return None if self._ivf is None else int(self._ivf.nprobe)

    @nprobe.setter
    def nprobe(self, value: int) -> None:
        assert self._ivf is not None, "only an approximate index has nprobe"
        self._ivf.nprobe = int(value)

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
        query = np.asarray(query, dtype=np.float32).reshape(1, -1)
        params = None
        if allowed is not None:
            allowed = np.asarray(allowed, dtype=np.int64)
            if self._ivf is not None and len(allowed) <= _EXACT_FILTER_MAX:
                return self._search_among(query[0], k, allowed)
            selector = faiss.IDSelectorBatch(allowed)
            if self._ivf is None:
                params = faiss.SearchParameters(sel=selector)
            else:  # a wide filter: probe more lists in proportion, so k allowed vectors are still found
                share = len(allowed) / max(len(self), 1)
                nprobe = min(self._ivf.nlist, math.ceil(self._ivf.nprobe / max(share, 1e-9)))
                params = faiss.SearchParametersIVF(sel=selector, nprobe=nprobe)
        with _one_thread():
            scores, ids = self._index.search(query, k, params=params)
        keep = ids[0] >= 0
        return ids[0][keep], scores[0][keep]

    def _search_among(self, query: np.ndarray, k: int, allowed: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Exact search among a few allowed ids (those no longer stored are skipped)."""
        import numpy as np

        try:
            vectors = self.vectors(allowed)
        except RuntimeError:  # some allowed ids are not stored (any more): skip those
            allowed = allowed[np.fromiter((self._has(i) for i in allowed.tolist()), dtype=bool, count=len(allowed))]
            if not len(allowed):
                return np.empty(0, np.int64), np.empty(0, np.float32)
            vectors = self.vectors(allowed)
        scores = vectors @ query
        top = np.argsort(-scores, kind="stable")[:k]
        return allowed[top], scores[top].astype(np.float32)

    def _has(self, passage_id: int) -> bool:
        try:
            self._ivf.direct_map.get(passage_id)
        except RuntimeError:
            return False
        return True

    def vectors(self, ids: Sequence[int]) -> np.ndarray:
        """The stored vectors of ``ids`` (to score candidates that dense search did not return)."""
        import numpy as np

        if not len(ids):
            return np.empty((0, self.dim), np.float32)
        return self._index.reconstruct_batch(np.asarray(ids, dtype=np.int64))

    def ids(self) -> np.ndarray:
        """Every stored id (for consistency checks and retraining)."""
        import faiss
        import numpy as np

        if self._ivf is None:
            return faiss.vector_to_array(self._index.id_map).astype("int64")
        lists = self._ivf.invlists
        parts = [
            faiss.rev_swig_ptr(lists.get_ids(i), lists.list_size(i)).copy() for i in range(self._ivf.nlist) if lists.list_size(i)
        ]
        return np.concatenate(parts).astype("int64") if parts else np.empty(0, np.int64)
