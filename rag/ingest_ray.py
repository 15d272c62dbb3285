"""``rag ingest --ray``: read, chunk and embed on a Ray cluster; this process stays the single writer.

- Reading: the files are split into groups, each read by a Ray task with :func:`rag.readers.read_paths`
  (the same readers, hygiene and limits as a plain ingest); the results are merged in file order.
- Chunking and embedding: Ray Data streams groups of articles through an actor pool
  (``map_batches`` with a callable class and ``concurrency=workers``). Each actor makes the index's
  embedder once and turns a group into a :class:`rag.batches.Window` with
  :func:`rag.batches.chunk_and_embed`, so one bad article is a Problem and costs only itself.
- Writing: the windows come back to this process in whatever order they finish and
  ``Index.add(pipeline=...)`` commits them in batches (``CommitPolicy``), under the writer lock,
  exactly as a plain ingest does: a kill keeps every committed batch, a rerun embeds only what is missing.

Ray is imported only here, and this module only when ``--ray`` is given. Windows travel as pickled
bytes: Ray Data moves them without knowing their shape.
"""

from __future__ import annotations

import contextlib
import logging
import os
import pickle
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from rag.batches import WINDOW_PASSAGES, Pipeline, Window, chunk_and_embed
from rag.chunking import ChunkingParams
from rag.errors import ConfigError
from rag.types import Article, Problem, ReadResult

LOCAL = "local"
"""``--ray`` with no address: start a local cluster in this process (``ray.init(address=None)``)."""


@dataclass(frozen=True)
class RaySettings:
    address: str | None = None
    """A running cluster (``ray://HOST:10001``, ``HOST:6379``, ``auto``); None starts a local one."""
    workers: int = 2
    """Embedding actors (each loads the model once); a local cluster gets this many CPUs."""
    group_passages: int = WINDOW_PASSAGES
    """About this many passages per group sent to an actor (one embedding window; size it to the device)."""
    cpus_per_worker: float = 1.0
    gpus_per_worker: float = 0.0


@contextlib.contextmanager
def ray_session(settings: RaySettings) -> Iterator[None]:
    """Connect to ``settings.address`` or start a local cluster; a cluster started here is shut down after."""
    try:
        import ray
    except ImportError as exc:
        raise ConfigError("--ray needs Ray: pip install 'newsrag[ray]' (ray==2.60.0)") from exc
    if settings.workers < 1:
        raise ConfigError(f"--ray-workers must be at least 1, not {settings.workers}")
    import ray.data

    logging.getLogger("ray.data").setLevel(logging.WARNING)  # its progress lines would drown ingest's own
    ray.data.DataContext.get_current().enable_progress_bars = False
    started = not ray.is_initialized()
    if started:
        kwargs: dict = {"include_dashboard": False, "log_to_driver": False, "logging_level": logging.WARNING}
        if settings.address is None:
            kwargs["num_cpus"] = max(1, int(settings.workers * settings.cpus_per_worker))
        try:
            ray.init(address=settings.address, **kwargs)
        except (ConnectionError, RuntimeError, ValueError) as exc:
            raise ConfigError(
                f"Could not reach the Ray cluster at {settings.address!r}: {exc}. "
                "Start one with `ray start --head`, or give --ray without an address to run locally."
            ) from exc
    try:
        yield
    finally:
        if started:
            ray.shutdown()


def read_on_ray(paths: Sequence[str | os.PathLike], settings: RaySettings, on_file: Callable[[Path], None] | None = None, **limits: int) -> ReadResult:
    """``read_paths(paths, **limits)``, the files read by Ray tasks in groups; the same result, in the same order."""
    import ray

    from rag.readers import read_paths
    from rag.readers.walk import iter_files

    result = ReadResult()
    files: list[Path] = []
    for item in iter_files(paths):
        if isinstance(item, Problem):
            result.problems.append(item)
        else:
            files.append(item)
    if not files:
        return result
    groups = max(1, min(len(files), settings.workers * 4))
    size = -(-len(files) // groups)
    split = [files[i : i + size] for i in range(0, len(files), size)]  # contiguous: concatenated, the order of read_paths
    read = ray.remote(num_cpus=settings.cpus_per_worker)(read_paths)
    pending = [read.remote(group, **limits) for group in split]
    for group, ref in zip(split, pending):
        part: ReadResult = ray.get(ref)
        for path in group:
            if on_file is not None:
                on_file(path)
        result.articles.extend(part.articles)
        result.problems.extend(part.problems)
        result.files_read += part.files_read
        result.repairs.add(part.repairs)
    return result


class _Embed:
    """One actor of the pool: the embedder made once, then one group of articles per call."""

    def __init__(self, embedder: str, chunking: ChunkingParams) -> None:
        from rag.embedding import create_embedder

        self.embedder = create_embedder(embedder)
        self.chunking = chunking

    def __call__(self, batch: dict) -> dict:
        import numpy as np

        windows = [pickle.dumps(chunk_and_embed(pickle.loads(blob), self.chunking, self.embedder)) for blob in batch["articles"]]
        return {"window": np.array(windows, dtype=object)}


def _groups(todo: Sequence[Article], chunking: ChunkingParams, passages: int) -> list[list[Article]]:
    """Consecutive groups of about ``passages`` passages, estimated from the words (chunking is the actors' job)."""
    per_passage = max(1, chunking.max_words - chunking.overlap_words // 2)
    groups, group, size = [], [], 0
    for article in todo:
        estimate = max(1, -(-len(article.text.split()) // per_passage))
        if group and size + estimate > passages:
            groups.append(group)
            group, size = [], 0
        group.append(article)
        size += estimate
    if group:
        groups.append(group)
    return groups


def ray_pipeline(embedder: str, settings: RaySettings) -> Pipeline:
    """A :data:`rag.batches.Pipeline` that chunks and embeds on Ray (inside :func:`ray_session`)."""

    def run(todo: Sequence[Article], chunking: ChunkingParams) -> Iterator[Window]:
        import ray.data

        groups = _groups(todo, chunking, settings.group_passages)
        items = [{"articles": pickle.dumps(group)} for group in groups]
        ds = ray.data.from_items(items, override_num_blocks=len(items))
        ds = ds.map_batches(
            _Embed, fn_constructor_kwargs={"embedder": embedder, "chunking": chunking}, batch_size=1,
            concurrency=settings.workers, num_cpus=settings.cpus_per_worker, num_gpus=settings.gpus_per_worker or None,
        )  # fmt: skip
        for row in ds.iter_rows():
            yield pickle.loads(row["window"])

    return run
