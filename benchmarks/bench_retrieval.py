"""``retrieval``: hybrid retrieval latency and RSS per index size (each size in a fresh process), ANN recall, the LangChain baseline."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time

from common import HERE, RESULTS, dev_questions, index_sizes, peak_rss_mb, source_index, spread, synthetic_index


# -- retrieval -------------------------------------------------------------------------------


def retrieval_one(n: int, queries: int, langchain: bool) -> dict:
    """In a fresh process: latency of full hybrid retrieval, components, peak RSS, ANN recall."""
    import numpy as np

    from rag.index import Index
    from rag.retrieval import Retriever, fts_query

    before = peak_rss_mb()
    index = Index.open(synthetic_index(n))
    retriever = Retriever(index)  # no translator: translation excluded
    questions = dev_questions(queries)
    for q in questions[:3]:
        retriever.retrieve(q, k=5)
    total, embed, dense, lexical = [], [], [], []
    for q in questions:
        started = time.perf_counter()
        retriever.retrieve(q, k=5)
        total.append(time.perf_counter() - started)
    for q in questions:  # the parts, measured apart
        t0 = time.perf_counter()
        v = index.embedder.embed_query(q)
        t1 = time.perf_counter()
        index.dense(v, 50)
        t2 = time.perf_counter()
        queries = retriever.lexical_queries(q)
        for query in queries[0] if isinstance(queries, tuple) else queries:  # (queries, weight) in older versions
            index.lexical(fts_query(query), 50)
        t3 = time.perf_counter()
        embed.append(t1 - t0), dense.append(t2 - t1), lexical.append(t3 - t2)
    result = {
        "passages": len(index.vector_index),
        "kind": index.vector_index.kind,
        "queries": len(questions),
        "retrieve_s": spread(total),
        "embed_query_s": spread(embed),
        "dense_s": spread(dense),
        "lexical_s": spread(lexical),
        "lexical_id_questions_s": spread(lexical[: len(lexical) // 2]),
        "lexical_en_questions_s": spread(lexical[len(lexical) // 2 :]),
        "peak_rss_mb": peak_rss_mb(),
        "rss_before_open_mb": before,
        "vectors_file_mb": (index.path / index.manifest.vectors_file).stat().st_size / 1e6,
    }
    vectors = index.vector_index
    if vectors.nprobe is not None:  # recall@10 against exact search over the original float vectors
        import faiss
        from synthetic import synthetic_vectors

        original = synthetic_vectors(source_index(), n)  # row i = passage id i + 1
        exact = faiss.IndexFlatIP(vectors.dim)
        exact.add(original)
        qv = np.stack([index.embedder.embed_query(q) for q in questions])
        truth_scores, truth = exact.search(qv, 10)
        truth += 1
        default = vectors.nprobe
        sweep = {}
        for nprobe in (8, 16, 32, 64, 128, 256):
            vectors.nprobe = nprobe
            found, near, times = 0, 0, []
            for i, q in enumerate(qv):
                started = time.perf_counter()
                ids, _ = vectors.search(q, 10)
                times.append(time.perf_counter() - started)
                found += len(set(ids.tolist()) & set(truth[i].tolist()))
                # Ties: copies of one passage score almost alike; a returned id whose exact score is
                # within 0.005 of the exact 10th best is as good an answer as the one it displaced.
                near += int((original[ids - 1] @ q >= truth_scores[i][-1] - 0.005).sum())
            sweep[nprobe] = {"recall@10": found / (10 * len(qv)), "within_0.005_of_10th@10": near / (10 * len(qv)), "dense_s": spread(times)}
        vectors.nprobe = default
        result["nprobe_default"] = default
        result["nprobe_sweep"] = sweep
        del exact
    if langchain:
        result["langchain"] = _langchain_query(index, questions)
    index.close()
    return result


def _langchain_query(index, questions: list[str]) -> dict:  # noqa: ANN001
    """LangChain's FAISS store over the same passages and vectors (from_embeddings: no re-embedding)."""
    import warnings

    warnings.filterwarnings("ignore")
    from langchain_community.vectorstores import FAISS
    from synthetic import synthetic_vectors

    from rag.langchain import NewsragEmbeddings

    n = len(index.vector_index)
    texts = [text for _, text in index.passage_texts()]
    vectors = synthetic_vectors(source_index(), n)
    started = time.perf_counter()
    store = FAISS.from_embeddings(zip(texts, vectors), NewsragEmbeddings(index.embedder))  # rows, not lists: 1M lists of floats would take ~10 GB
    build_s = time.perf_counter() - started
    del vectors
    for q in questions[:3]:
        store.similarity_search(q, k=5)
    times = []
    for q in questions:
        started = time.perf_counter()
        store.similarity_search(q, k=5)
        times.append(time.perf_counter() - started)
    return {"similarity_search_s": spread(times), "from_embeddings_s": build_s, "peak_rss_mb_after": peak_rss_mb()}


def bench_retrieval(args: argparse.Namespace) -> dict:
    per_size = {}
    for n in index_sizes(args):
        synthetic_index(n)
        command = [sys.executable, str(HERE / "run.py"), "--retrieval-child", str(n), "--queries", str(args.queries)]
        if not args.no_langchain:
            command.append("--langchain")
        out = subprocess.run(command, check=True, capture_output=True, text=True, env=dict(os.environ)).stdout
        per_size[n] = json.loads(out.strip().splitlines()[-1])
        earlier = RESULTS / "retrieval.json"
        if args.no_langchain and earlier.exists():  # keep the baseline measured by an earlier run
            lc = json.loads(earlier.read_text())["sizes"].get(str(n), {}).get("langchain")
            if lc:
                per_size[n]["langchain"] = {**lc, "from_earlier_run": True}
        r = per_size[n]
        print(f"retrieval {n:,}: p50 {r['retrieve_s']['median'] * 1000:.1f} ms, peak RSS {r['peak_rss_mb']:.0f} MB", flush=True)
    return {"sizes": per_size}
