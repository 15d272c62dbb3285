"""kill -9 at random moments of `rag ingest` and `rag index rebuild`: the index is always exactly
the state before, or after some whole number of committed batches, loadable and consistent, and
running the same ingest again finishes the rest. Uses the instant `hashing` embedder so that many
trials fit in a few seconds; the commit protocol is the same for every embedder.
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

TRIALS = 12
BATCH = ("--commit-every", "100")  # ~800 passages to add: about eight batches


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
    seconds = _timed_run("ingest", str(second), "--index", str(done), *BATCH)
    before, after = _state(index), _state(done)
    # The states a kill may leave: the first k articles of the input (the order they are
    # committed in) in their new version, the rest as before.
    order = [json.loads(line)["id"] for line in second.read_text(encoding="utf-8").splitlines()]
    prefixes, state = {}, dict(before)
    for k in range(len(order) + 1):
        prefixes[frozenset(state.items())] = k
        if k < len(order):
            state[order[k]] = after[order[k]]
    return {"root": root, "index": index, "second": second, "before": before, "after": after, "seconds": seconds, "prefixes": prefixes, "n": len(order)}


def _generation(index_dir: Path) -> int:
    import sqlite3

    db = sqlite3.connect(index_dir / "corpus.sqlite", timeout=10)
    try:
        return json.loads(db.execute("SELECT value FROM meta WHERE key = 'manifest'").fetchone()[0])["generation"]
    finally:
        db.close()


def _delays(trials: int, low: float, high: float, seed: int) -> list[float]:
    """One kill moment in each of ``trials`` equal slices of [low, high] (jittered inside it), so a
    few trials still reach before the first commit, inside later batches and after the last one."""
    rng = random.Random(seed)
    width = (high - low) / trials
    return [low + (i + rng.random()) * width for i in range(trials)]


def _killed_copy(base: dict, trial: int, delay: float, *args: str) -> Path:
    target = base["root"] / f"trial-{trial}"
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(base["index"], target)
    proc = _rag(*args, "--index", str(target))
    time.sleep(delay)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    return target


def _recovers(base: dict, target: Path) -> None:
    """The next writer recovers (no stale lock, orphans tidied), embeds only what is missing, finishes."""
    proc = subprocess.run(
        [sys.executable, "-m", "rag", "ingest", str(base["second"]), "--index", str(target), "--json", *BATCH],
        capture_output=True, text=True,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert _state(target) == base["after"]
    assert sorted(p.name for p in target.glob("vectors-*.faiss")) == [json.loads((target / "manifest.json").read_text())["vectors_file"]]
    return report


def test_killed_batched_ingest_keeps_the_committed_batches(base: dict) -> None:
    kept: list[int] = []
    for trial, share in enumerate(_delays(TRIALS, 0.2, 1.5, seed=7)):
        target = _killed_copy(base, trial, share * base["seconds"], "ingest", str(base["second"]), *BATCH)
        state = _state(target)  # opens, checks vectors ↔ passages ↔ FTS ↔ manifest
        k = base["prefixes"].get(frozenset(state.items()))
        assert k is not None, f"trial {trial}: not the state after a whole number of batches"
        kept.append(k)
        report = _recovers(base, target)
        assert report["new"] + report["updated"] == base["n"] - k  # only what the kill lost is embedded again
        assert report["unchanged"] == k
    # kills landed before the first commit, inside later batches, and after the last one
    assert min(kept) == 0 and max(kept) == base["n"] and any(0 < k < base["n"] for k in kept), kept


def test_kill_right_after_a_batch_commit(base: dict) -> None:
    """Between batches: the kill comes the moment a batch's commit is seen, and that batch stays."""
    for trial, batches in enumerate((1, 2, 4)):
        target = base["root"] / f"between-{trial}"
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(base["index"], target)
        start = _generation(target)
        proc = _rag("ingest", str(base["second"]), "--index", str(target), *BATCH)
        while _generation(target) < start + batches and proc.poll() is None:
            time.sleep(0.002)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        state = _state(target)
        k = base["prefixes"].get(frozenset(state.items()))
        assert k is not None and 0 < k < base["n"], (trial, k)
        assert _generation(target) >= start + batches
        _recovers(base, target)


def test_killed_rebuild_leaves_a_consistent_index(base: dict) -> None:
    seconds = _timed_run("index", "rebuild", "--index", str(base["root"] / "done"))
    for trial, share in enumerate(_delays(TRIALS // 2, 0.2, 1.1, seed=11)):
        target = _killed_copy(base, 100 + trial, share * seconds, "index", "rebuild")
        assert _state(target) == base["before"]
