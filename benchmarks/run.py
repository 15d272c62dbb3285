"""newsrag benchmarks, each runnable on its own; RESULTS.md is assembled from every results/*.json.

    python benchmarks/run.py                       # all of them (long: the LLM part alone ~15 min)
    python benchmarks/run.py --only ingest,update  # some of them
    python benchmarks/run.py --quick               # small sizes and few repeats (a smoke run)
    python benchmarks/run.py --report              # only re-assemble RESULTS.md

Benchmarks (each in ``bench_<name>.py``, writing benchmarks/results/<name>.json; shared helpers in
``common.py``, RESULTS.md from ``report.py``):

- ``ingest``    passages/s of newsrag's ``Index.add``, LangChain's ``FAISS.from_documents`` and the
                bare embedder, on the same fixed subset of the FacQA + TyDi dev corpora, interleaved,
                repeated; plus newsrag's overhead over the bare embedder.
- ``update``    add one article / remove one in synthetic indexes of 10k, 100k, 1M passages
                (benchmarks/synthetic.py: real vectors perturbed, real text replicated — no embedding),
                versus a full rebuild extrapolated from the measured embedding rate.
- ``retrieval`` full hybrid retrieval (``Retriever.retrieve``, k=5, no LLM, no translation) p50/p95
                and peak RSS per size, each size in a fresh process; recall@10 of the approximate
                index against exact search per nprobe; LangChain FAISS ``similarity_search`` latency.
- ``stores``    the default store (SQLite + FAISS) and Milvus Lite on the same synthetic passages
                (default 1M) and queries: dense and hybrid p50/p95, recall@10 against exact, peak
                RSS, disk, build, add/remove one article (benchmarks/bench_stores.py).
- ``ttft``      time to first token of the local 1.5B model on dev questions, with the prompt as
                ``rag ask`` builds it (selected evidence sentences) and with whole passages; citation
                precision of both (rag.evaluate's definitions).
- ``coldstart`` process start → first result of ``rag search`` and ``rag ask --llm extractive``.
- ``copies``    copy-group and story precision/recall on the copy dev set (benchmarks/copies), the
                share of ``Index.add`` time spent detecting copies (goal ≤ 5%), distinct reports at k=5.

Optional (not in the default set; name it in ``--only``):

- ``ray_ingest`` (alias ``ray``) passages/s of a plain ``Index.add`` versus ``rag ingest --ray``'s
                pipeline on a local Ray cluster with 1 and 2 workers (~330 articles, a few minutes
                on 2 cores); the writer's commit time per batch and the interval between windows.

Run on its own, in pieces (each under the lock), and summarised into results/answer_latency.json:

- ``answer_latency`` (benchmarks/bench_answer_latency.py) where a local-model answer's total goes on
                the news dev questions: generation, translations and their retries, the YES/NO
                judge, the question's translation; with rag eval's answer metrics per variant.

CPU-heavy parts should run under ``flock /tmp/newsrag-heavy.lock`` on shared machines. No test
asserts a wall-clock figure; these are measurements.
"""


from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))  # the benchmark modules sit beside this file

from bench_coldstart import bench_coldstart  # noqa: E402
from bench_copies import bench_copies  # noqa: E402
from bench_ingest import bench_ingest  # noqa: E402
from bench_ray_ingest import bench_ray_ingest  # noqa: E402
from bench_retrieval import bench_retrieval, retrieval_one  # noqa: E402
from bench_stores import bench_stores, stores_one  # noqa: E402
from bench_ttft import bench_ttft  # noqa: E402
from bench_update import bench_update  # noqa: E402
from common import DATA, save_results  # noqa: E402
from report import write_markdown  # noqa: E402

BENCHMARKS = {
    "ingest": bench_ingest, "update": bench_update, "retrieval": bench_retrieval, "stores": bench_stores, "ttft": bench_ttft,
    "coldstart": bench_coldstart, "copies": bench_copies,
}  # fmt: skip
OPTIONAL = {"ray_ingest": bench_ray_ingest}  # a few minutes more: only when named in --only
ALIASES = {"ray": "ray_ingest"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", help=f"Comma-separated: {','.join(BENCHMARKS)}; optional: {','.join(OPTIONAL)} (alias ray).")
    parser.add_argument("--quick", action="store_true", help="Small sizes and few repeats: a smoke run in a few minutes.")
    parser.add_argument("--report", action="store_true", help="Only assemble RESULTS.md from results/*.json.")
    parser.add_argument("--repeats", type=int, help="Repeats per measurement (default 3, quick 1; update/coldstart 5, quick 2).")
    parser.add_argument("--passages", type=int, help="Ingest subset size in articles (default 600, quick 60; ray_ingest 330, quick 40).")
    parser.add_argument("--full", action="store_true", help="Ingest: also one newsrag run over the full corpus (~10 min).")
    parser.add_argument("--sizes", help="Index sizes for update/retrieval/stores, e.g. 10000,100000 (default 10k,100k,1M; stores 1M; quick 10k).")
    parser.add_argument("--queries", type=int, default=50, help="Retrieval: questions per size.")
    parser.add_argument("--llm-questions", type=int, default=20, help="ttft: questions.")
    parser.add_argument("--no-langchain", action="store_true", help="Retrieval: skip the LangChain baseline.")
    parser.add_argument("--milvus-cap", type=float, default=200.0, help="stores: most seconds to load Milvus Lite, then extrapolated (its RSS grows ~1.9 GB per 100k rows).")
    parser.add_argument("--retrieval-child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--stores-child", help=argparse.SUPPRESS)
    parser.add_argument("--langchain", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.retrieval_child:
        print(json.dumps(retrieval_one(args.retrieval_child, args.queries, args.langchain)))
        return
    if args.stores_child:
        print(json.dumps(stores_one(args.stores_child, args.queries, args.milvus_cap)))
        return
    if not args.report:
        if not (DATA / "dev").is_dir():
            raise SystemExit(f"No dev corpora at {DATA}/dev.")
        names = [ALIASES.get(n, n) for n in args.only.split(",")] if args.only else list(BENCHMARKS)
        known = {**BENCHMARKS, **OPTIONAL}
        if unknown := [n for n in names if n not in known]:
            raise SystemExit(f"Unknown benchmark {', '.join(unknown)}; choose from {', '.join(known)} (or ray).")
        for name in names:
            a = argparse.Namespace(**vars(args))
            if a.repeats is None:
                a.repeats = (2 if a.quick else 5) if name in {"update", "coldstart"} else (1 if a.quick else 3)
            a.passages = a.passages or ((40 if a.quick else 330) if name == "ray_ingest" else (60 if a.quick else 600))
            if a.quick:
                a.queries, a.llm_questions = min(a.queries, 10), min(a.llm_questions, 3)
            print(f"== {name}", flush=True)
            save_results(name, known[name](a), a)
    print(write_markdown())


if __name__ == "__main__":
    main()
