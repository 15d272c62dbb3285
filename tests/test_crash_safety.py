"""kill -9 at random moments of `rag ingest` and `rag index rebuild`: the index is always exactly
the state before or exactly the state after, loadable and consistent. Uses the instant `hashing`
embedder so that many trials fit in a few seconds; the commit protocol is the same for every embedder.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from rag.index import Index

TRIALS = 24


def _write_corpus(path: Path, ids: range, version: str) -> None:
    words = "harbour bridge council harvest election ferry library snow road market price rain".split()
    rng = random.Random(f"{path.name}{version}")
    with path.open("w", encoding="utf-8") as f:
        for i in ids:
            sentences = [" ".join(rng.choice(words) for _ in range(15)).capitalize() + "." for _ in range(25)]
            record = {"id": f"a{i}", "title": f"Story {i} {version}", "source": "Test Wire", "lang": "en", "text": " ".join(sentences)}
            f.write(json.dumps(record) + "\n")


def _state(index_dir: Path) -> dict[str, str]:
    with Index.open(index_dir) as index:
        assert index.check() == []
        return {a.id: a.content_hash for a in index.articles()}


def _rag(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "rag", *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _timed_run(*args: str) -> float:
    started = time.perf_counter()
    assert _rag(*args).wait() == 0
    return time.perf_counter() - started


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> dict:
    root = tmp_path_factory.mktemp("crash")
    first, second = root / "first.jsonl", root / "second.jsonl"
    _write_corpus(first, range(0, 300), "v1")
    _write_corpus(second, range(200, 600), "v2")  # 100 edits of existing articles, 300 new ones
    index = root / "base"
    assert _rag("ingest", str(first), "--index", str(index), "--embedder", "hashing").wait() == 0
    done = root / "done"
    shutil.copytree(index, done)
    seconds = _timed_run("ingest", str(second), "--index", str(done))
    return {"root": root, "index": index, "second": second, "before": _state(index), "after": _state(done), "seconds": seconds}


def _killed_copy(base: dict, trial: int, delay: float, *args: str) -> Path:
    target = base["root"] / f"trial-{trial}"
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(base["index"], target)
    proc = _rag(*args, "--index", str(target))
    time.sleep(delay)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    return target


def test_killed_ingest_leaves_before_or_after(base: dict) -> None:
    rng = random.Random(7)
    outcomes = {"before": 0, "after": 0}
    for trial in range(TRIALS):
        target = _killed_copy(base, trial, rng.uniform(0.2, 1.1) * base["seconds"], "ingest", str(base["second"]))
        state = _state(target)  # opens, checks vectors ↔ passages ↔ FTS ↔ manifest
        assert state in (base["before"], base["after"]), f"trial {trial}: a mixed state"
        outcomes["before" if state == base["before"] else "after"] += 1
        # the next writer recovers (no stale lock, orphans tidied) and finishes the job
        assert _rag("ingest", str(base["second"]), "--index", str(target)).wait() == 0
        assert _state(target) == base["after"]
        assert sorted(p.name for p in target.glob("vectors-*.faiss")) == [json.loads((target / "manifest.json").read_text())["vectors_file"]]
    # kills landed both before and after the commit point, so both branches were exercised
    assert outcomes["before"] > 0 and outcomes["after"] > 0, outcomes


def test_killed_rebuild_leaves_a_consistent_index(base: dict) -> None:
    seconds = _timed_run("index", "rebuild", "--index", str(base["root"] / "done"))
    rng = random.Random(11)
    for trial in range(TRIALS // 2):
        target = _killed_copy(base, 100 + trial, rng.uniform(0.2, 1.1) * seconds, "index", "rebuild")
        assert _state(target) == base["before"]
