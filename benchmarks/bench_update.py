"""``update``: add or remove one article in synthetic indexes of 10k, 100k, 1M passages."""

from __future__ import annotations

import argparse
import json
import statistics
import time

from common import RESULTS, index_sizes, spread, synthetic_index


def bench_update(args: argparse.Namespace) -> dict:
    from rag.index import Index
    from rag.types import Article

    prior = RESULTS / "ingest.json"
    rate = json.loads(prior.read_text())["passages_per_s"]["newsrag"]["median"] if prior.exists() else None
    per_size = {}
    for n in index_sizes(args):
        path = synthetic_index(n)
        started = time.perf_counter()
        index = Index.open(path)
        open_s = time.perf_counter() - started
        text = index.articles([index.hits([1], [0.0])[0].passage.article_id])[0].text
        index.embedder.embed_query("warm")
        adds, removes = [], []
        for i in range(args.repeats):
            article = Article(id=f"bench-{i}", title="Bench article", text=text, lang="id", content_hash=f"bench-{i}")
            report = index.add([article])
            adds.append(report.seconds)
            started = time.perf_counter()
            index.remove([article.id])
            removes.append(time.perf_counter() - started)
        kind = index.vector_index.kind
        vectors_bytes = (path / index.manifest.vectors_file).stat().st_size
        index.close()
        per_size[n] = {
            "kind": kind,
            "open_s": open_s,
            "vectors_file_mb": vectors_bytes / 1e6,
            "add_one_article_s": spread(adds),
            "remove_one_article_s": spread(removes),
            "full_rebuild_extrapolated_s": n / rate if rate else None,
        }
        print(f"update {n:,}: add {statistics.median(adds):.3f} s, remove {statistics.median(removes):.3f} s", flush=True)
    return {"embed_rate_passages_per_s": rate, "sizes": per_size}
