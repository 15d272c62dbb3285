"""Ingest: read files and folders into articles, then add them to an index in per-batch commits."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from rag.chunking import ChunkingParams
from rag.errors import ConfigError, StrictModeError
from rag.hygiene import Repairs
from rag.index import AddReport, CommitPolicy, Index, ProgressFn
from rag.readers import DEFAULT_MAX_ARTICLE_CHARS, DEFAULT_MAX_DECOMPRESSED_BYTES, DEFAULT_MAX_FILE_BYTES, read_paths
from rag.types import Problem

if TYPE_CHECKING:
    from rag.ingest_ray import RaySettings


@dataclass
class IngestReport:
    files_read: int = 0
    problems: list[Problem] = field(default_factory=list)
    """Everything skipped (whole files, lines, feed entries, articles) and every warning, in order."""
    added: AddReport = field(default_factory=AddReport)
    repairs: Repairs = field(default_factory=Repairs)

    @property
    def skipped(self) -> list[Problem]:
        """The problems that lost something (not the warnings about inputs kept but cut)."""
        return [p for p in self.problems if not p.warning]

    def to_dict(self, index_dir: str | Path | None = None) -> dict:
        """The report as plain JSON-ready values (``rag ingest --json``)."""
        a = self.added
        return {
            "index": None if index_dir is None else str(index_dir),
            "files_read": self.files_read,
            "new": a.new,
            "updated": a.updated,
            "unchanged": a.unchanged,
            "duplicates": a.duplicates,
            "passages_embedded": a.passages_embedded,
            "batches": a.batches,
            "seconds": round(a.seconds, 3),
            "repaired": {"lone_surrogates": self.repairs.surrogates, "control_characters": self.repairs.controls},
            "skipped": len(self.skipped),
            "warnings": len(self.problems) - len(self.skipped),
            "problems": [
                {"path": p.path, "lines": list(p.lines), "reason": p.reason, "kind": "warning" if p.warning else "skipped"}
                for p in self.problems
            ],
        }


def ingest(
    paths: Sequence[str | os.PathLike],
    index_dir: str | Path,
    *,
    embedder: str | None = None,
    strict: bool = False,
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES,
    max_article_chars: int = DEFAULT_MAX_ARTICLE_CHARS,
    max_decompressed_bytes: int = DEFAULT_MAX_DECOMPRESSED_BYTES,
    chunking: ChunkingParams | None = None,
    policy: CommitPolicy = CommitPolicy(),
    on_file: Callable[[Path], None] | None = None,
    on_progress: ProgressFn | None = None,
    ray: RaySettings | None = None,
) -> IngestReport:
    """Read ``paths`` and add their articles to the index at ``index_dir``, or the store it names (created if needed).

    Bad inputs are skipped and reported in ``IngestReport.problems``; with ``strict`` any
    skipped input raises :class:`StrictModeError` before anything is written. Articles are
    committed in batches (``policy``): a kill keeps the batches committed before it, and the
    same ingest run again embeds only what is still missing.

    With ``ray`` the files are read and the articles chunked and embedded on a Ray cluster
    (:mod:`rag.ingest_ray`, the default store only); this process still commits every batch.
    """
    with contextlib.nullcontext() if ray is None else _ray_session(ray):
        return _ingest(paths, index_dir, embedder, strict, chunking, policy, on_file, on_progress, ray,
                       {"max_file_bytes": max_file_bytes, "max_article_chars": max_article_chars,
                        "max_decompressed_bytes": max_decompressed_bytes})  # fmt: skip


def _ray_session(ray: RaySettings):  # noqa: ANN202
    from rag.ingest_ray import ray_session

    return ray_session(ray)


def _ingest(
    paths: Sequence[str | os.PathLike], index_dir: str | Path, embedder: str | None, strict: bool, chunking: ChunkingParams | None,
    policy: CommitPolicy, on_file: Callable[[Path], None] | None, on_progress: ProgressFn | None, ray: RaySettings | None, limits: dict,
) -> IngestReport:  # fmt: skip
    if ray is None:
        result = read_paths(paths, on_file=on_file, **limits)
    else:
        from rag.ingest_ray import read_on_ray

        result = read_on_ray(paths, ray, on_file=on_file, **limits)
    report = IngestReport(files_read=result.files_read, problems=result.problems, repairs=result.repairs)
    if strict and report.skipped:
        listing = "\n".join(f"  {p}" for p in report.skipped)
        raise StrictModeError(f"--strict: {len(report.skipped)} input(s) could not be ingested, so nothing was written:\n{listing}")
    from rag.stores import open_or_create_store, store_exists

    if not result.articles and not store_exists(index_dir):
        return report  # nothing to add: do not create an empty index as a side effect
    with open_or_create_store(index_dir, embedder=embedder, chunking=chunking) as store:
        if isinstance(store, Index):
            pipeline = None
            if ray is not None:
                from rag.ingest_ray import ray_pipeline

                pipeline = ray_pipeline(store.manifest.embedder, ray)
            report.added = store.add(result.articles, on_progress=on_progress, policy=policy, pipeline=pipeline)
        elif ray is not None:
            raise ConfigError(f"--ray works with the default store (an index directory), not {index_dir}; ingest into it without --ray.")
        else:
            report.added = store.add(result.articles, on_progress=on_progress, policy=policy)
    report.problems.extend(report.added.problems)
    return report
