"""The FAISS index is chosen by size: exact when small, IVF-SQ8 when large; adds, removals, filters
and recall keep working across the switch. A small threshold is forced so this runs in seconds."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from rag.index import Index
from rag.vectors import IndexPolicy, VectorIndex
from tests.helpers import make_article

DIM = 32
POLICY = IndexPolicy(exact_max=2_000, min_nlist=16, max_nlist=64, min_nprobe=8)


def _clustered(n: int, seed: int = 0) -> np.ndarray:
    """Unit vectors around 50 centres, like real embeddings (uniform random ones have no neighbours)."""
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((50, DIM))
    x = centres[rng.integers(0, 50, n)] + 0.5 * rng.standard_normal((n, DIM))
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)


def _recall_at_10(approx: VectorIndex, exact: VectorIndex, queries: np.ndarray) -> float:
    found = 0
    for q in queries:
        truth = set(exact.search(q, 10)[0].tolist())
        found += len(truth & set(approx.search(q, 10)[0].tolist()))
    return found / (10 * len(queries))


def test_policy_is_exact_below_the_threshold_and_sizes_lists_by_sqrt_n() -> None:
    policy = IndexPolicy()
    assert not policy.approximate(policy.exact_max) and policy.approximate(policy.exact_max + 1)
    assert policy.nlist(100_000) == 1024 and policy.nlist(1_000_000) == 4096 and policy.nlist(10**8) == 4096
    assert policy.nprobe(4096) == 128 and policy.nprobe(1024) == 128 and policy.nprobe(64) == 64


def test_small_index_is_exact_and_large_one_is_ivf() -> None:
    x = _clustered(4_000)
    ids = np.arange(10, 4_010, dtype=np.int64)
    assert VectorIndex.build(DIM, ids[:1_000], x[:1_000], POLICY).kind == "exact"
    ivf = VectorIndex.build(DIM, ids, x, POLICY)
    assert ivf.kind.startswith("IVF64,SQ8")
    assert len(ivf) == 4_000 and sorted(ivf.ids().tolist()) == ids.tolist()


def test_ivf_recall_at_10_against_exact_search() -> None:
    x = _clustered(4_000)
    ids = np.arange(4_000, dtype=np.int64)
    exact, ivf = VectorIndex.build(DIM, ids, x, IndexPolicy(exact_max=10**9)), VectorIndex.build(DIM, ids, x, POLICY)
    assert _recall_at_10(ivf, exact, _clustered(50, seed=1)) >= 0.95


def test_ivf_add_remove_reconstruct_and_filter(tmp_path: Path) -> None:
    x = _clustered(4_100)
    ivf = VectorIndex.build(DIM, np.arange(4_000, dtype=np.int64), x[:4_000], POLICY)
    ivf.add(np.arange(5_000, 5_100, dtype=np.int64), x[4_000:])
    assert ivf.search(x[4_050], 1)[0].tolist() == [5_050]
    assert ivf.remove(np.array([5_050, 3, 99_999], dtype=np.int64)) == 2
    assert 5_050 not in ivf.search(x[4_050], 10)[0].tolist() and len(ivf) == 4_098
    assert np.allclose(ivf.vectors([7]), x[7], atol=0.02)  # 8-bit codes: close, not equal
    # A narrow filter (searched exactly among the allowed ids; a removed id is skipped) and a wide one.
    ids, scores = ivf.search(x[10], 3, allowed=[10, 20, 30, 3])
    assert ids.tolist()[0] == 10 and set(ids.tolist()) == {10, 20, 30} and scores[0] >= scores[-1]
    wide = list(range(0, 4_000, 2))
    ids, _ = ivf.search(x[10], 10, allowed=wide)
    assert ids.tolist()[0] == 10 and set(ids.tolist()) <= set(wide) and len(ids) == 10
    assert ivf.search(x[10], 5, allowed=[])[0].size == 0
    # Saved and loaded, it is the same index (nprobe and the id map included).
    ivf.save(tmp_path / "v.faiss")
    loaded = VectorIndex.load(tmp_path / "v.faiss", POLICY)
    assert loaded.kind == ivf.kind and loaded.search(x[10], 5)[0].tolist() == ivf.search(x[10], 5)[0].tolist()
    assert np.allclose(loaded.vectors([11]), ivf.vectors([11]))


def test_fitted_switches_kind_by_size_with_hysteresis() -> None:
    x = _clustered(4_000)
    index = VectorIndex.build(DIM, np.arange(1_500, dtype=np.int64), x[:1_500], POLICY)
    assert index.fitted(POLICY) is index  # still small
    index.add(np.arange(1_500, 2_500, dtype=np.int64), x[1_500:2_500])
    ivf = index.fitted(POLICY)
    assert ivf.kind.startswith("IVF") and sorted(ivf.ids().tolist()) == list(range(2_500))
    assert ivf.search(x[123], 1)[0].tolist() == [123]
    ivf.remove(np.arange(1_200, 2_500, dtype=np.int64))  # 1,200 left: above half the threshold
    assert ivf.fitted(POLICY) is ivf
    ivf.remove(np.arange(600, 1_200, dtype=np.int64))  # 600 left: back to exact
    exact = ivf.fitted(POLICY)
    assert exact.kind == "exact" and sorted(exact.ids().tolist()) == list(range(600))
    assert exact.search(x[42], 1)[0].tolist() == [42]


def test_an_index_crossing_the_threshold_stays_consistent(tmp_path: Path) -> None:
    """Through Index: the write that crosses the threshold trains the IVF; search, filters, removal, check."""
    policy = IndexPolicy(exact_max=150, min_nlist=4, max_nlist=8, min_nprobe=8)
    words = "harbour bridge harvest library council station river market school hospital".split()
    articles = [make_article(f"Story {i}: the {words[i % 10]} and the {words[(i * 7) % 10]} number {i}.", f"Title {i}") for i in range(200)]
    with Index.create(tmp_path / "ix", embedder="hashing", policy=policy) as index:
        index.add(articles[:100])
        assert index.vector_index.kind == "exact"
        index.add(articles[100:])
        assert index.vector_index.kind.startswith("IVF")
        hit = index.search(articles[150].text, k=1)[0]
        assert hit.passage.article_id == articles[150].id
        index.remove([articles[150].id])
        assert all(h.passage.article_id != articles[150].id for h in index.search(articles[150].text, k=5))
        assert index.check() == []
    with Index.open(tmp_path / "ix", policy=policy) as reopened:
        assert reopened.vector_index.kind.startswith("IVF") and reopened.status().passages == 199
        assert reopened.check() == []
