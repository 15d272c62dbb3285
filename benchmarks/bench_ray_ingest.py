"""``ray_ingest``: passages/s of a plain ``Index.add`` and of the Ray pipeline (local cluster, 1 and 2 workers).

The same fixed subset of the FacQA + TyDi dev corpora is ingested three ways, each into a fresh index
with the same ``CommitPolicy`` (a commit once a batch reaches one embedding group's size, so the
writer's commits are measured the same way in all three). The timing wraps the pipeline handed to ``Index.add`` (public API, no
library change): the writer asks the pipeline for the next window, so

- the time from asking to getting a window is the writer *waiting* for Ray (embedding it cannot hide);
- the time from handing out a window to the next ask is the writer's own work on it (a commit when it
  fills the batch); the last batch's commit is the time from the pipeline's end to ``add`` returning.
  Per batch and per passage: that writer time summed, over the batches / passages committed.

With one worker the interval between windows is that worker's embed time per window; with N the
windows arrive N at a time. Cluster start-up (``ray.init``) is measured apart; the actors' model load
falls inside the run (the first window's wait), as it would in a real ingest.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import time
from collections.abc import Iterator, Sequence

from common import WORK, corpus_subset

GROUP = 64
"""Passages per Ray group and per commit: several windows and commits even on a few hundred passages."""


class TimedPipeline:
    """Wraps a :data:`rag.batches.Pipeline`, timestamping the writer's asks and the windows it gets."""

    def __init__(self, pipeline) -> None:  # noqa: ANN001
        self.pipeline = pipeline
        self.waits: list[float] = []
        self.writer: list[float] = []
        self.passages: list[int] = []
        self.ended = 0.0

    def __call__(self, todo: Sequence, chunking) -> Iterator:  # noqa: ANN001
        windows = iter(self.pipeline(todo, chunking))
        while True:
            asked = time.perf_counter()
            try:
                window = next(windows)
            except StopIteration:
                self.ended = time.perf_counter()
                return
            got = time.perf_counter()
            self.waits.append(got - asked)
            self.passages.append(window.passages)
            yield window
            self.writer.append(time.perf_counter() - got)  # the writer took this long before asking again


def _stats(values: list[float]) -> dict:
    return {"median": statistics.median(values), "max": max(values), "n": len(values)} if values else {"n": 0}


def _run(name: str, articles, make_pipeline) -> dict:  # noqa: ANN001
    """One ingest into a fresh index; ``make_pipeline(index)`` gives the chunk+embed stage to time."""
    from rag.embedding import E5Embedder
    from rag.index import CommitPolicy, Index

    path = WORK / f"ray-ingest-{name}"
    shutil.rmtree(path, ignore_errors=True)
    with Index.create(path, embedder=E5Embedder()) as index:
        timed = TimedPipeline(make_pipeline(index))
        started = time.perf_counter()
        report = index.add(articles, policy=CommitPolicy(passages=GROUP), pipeline=timed)
        seconds = time.perf_counter() - started
    # The writer's own time: after each window until it asks again (a commit when the batch is full),
    # plus the last batch, committed inside add after the pipeline has ended.
    writer = sum(timed.writer) + (started + seconds - timed.ended)
    passages = report.passages_embedded
    out = {
        "passages": passages, "batches": report.batches, "seconds": seconds, "passages_per_s": passages / seconds,
        "windows": len(timed.waits),
        "passages_per_window": _stats([float(p) for p in timed.passages]),
        "first_window_wait_s": timed.waits[0] if timed.waits else None,
        "wait_per_later_window_s": _stats(timed.waits[1:]),
        "interval_between_windows_s": _stats([w + c for w, c in zip(timed.waits[1:], timed.writer)]),
        "writer_s_per_window": _stats(timed.writer),
        "writer_commit_s_total": writer,
        "writer_commit_s_per_batch": writer / report.batches if report.batches else None,
        "writer_commit_s_per_passage": writer / passages if passages else None,
    }  # fmt: skip
    print(
        f"ray_ingest {name}: {passages} passages, {report.batches} batches in {seconds:.1f} s = {passages / seconds:.2f} passages/s; "
        f"writer {out['writer_commit_s_per_batch'] or 0:.3f} s/batch; interval between windows "
        f"{out['interval_between_windows_s'].get('median', 0):.2f} s",
        flush=True,
    )
    return out


def bench_ray_ingest(args: argparse.Namespace) -> dict:
    from rag.embedding import E5Embedder
    from rag.ingest_ray import RaySettings, ray_pipeline, ray_session

    from rag.batches import local_pipeline

    articles = corpus_subset(args.passages)
    E5Embedder().embed_passages(["warm"])  # the model files read once before the first timed run
    # The plain run's pipeline is the one Index.add makes by default for this policy, wrapped to be timed.
    runs = {"plain_index_add": _run("plain", articles, lambda index: local_pipeline(lambda: index.embedder, GROUP))}
    for workers in (1, 2):
        settings = RaySettings(workers=workers, group_passages=GROUP)
        started = time.perf_counter()
        with ray_session(settings):
            startup = time.perf_counter() - started
            run = _run(f"ray-{workers}", articles, lambda index, s=settings: ray_pipeline(index.manifest.embedder, s))
        run["cluster_start_s"] = startup
        runs[f"ray_{workers}_workers"] = run
    plain = runs["plain_index_add"]
    return {
        "subset": {"articles": len(articles), "passages": plain["passages"], "corpora": "FacQA + TyDi QA GoldP dev (Indonesian)"},
        "group_and_commit_passages": GROUP,
        "runs": runs,
        "note": "2-core machine shared with other jobs; one run each (no repeats), so ±10-20% is noise.",
    }
