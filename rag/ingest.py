"""Ingest: read files and folders into articles, then add them to an index in one commit."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rag.chunking import ChunkingParams
from rag.errors import StrictModeError
from rag.index import AddReport, Index, ProgressFn
from rag.readers import DEFAULT_MAX_FILE_BYTES, read_paths
from rag.types import Problem


@dataclass
class IngestReport:
    files_read: int = 0
    problems: list[Problem] = field(default_factory=list)
    added: AddReport = field(default_factory=AddReport)


def ingest(
    paths: Sequence[str | os.PathLike],
    index_dir: str | Path,
    *,
    embedder: str | None = None,
    strict: bool = False,
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES,
    chunking: ChunkingParams | None = None,
    on_file: Callable[[Path], None] | None = None,
    on_progress: ProgressFn | None = None,
) -> IngestReport:
    """Read ``paths`` and add their articles to the index at ``index_dir`` (created if needed).

    Bad inputs are skipped and reported in ``IngestReport.problems``; with ``strict`` any such
    problem raises :class:`StrictModeError` before anything is written.
    """
    result = read_paths(paths, max_file_bytes=max_file_bytes, on_file=on_file)
    report = IngestReport(files_read=result.files_read, problems=result.problems)
    if strict and result.problems:
        listing = "\n".join(f"  {p}" for p in result.problems)
        raise StrictModeError(f"--strict: {len(result.problems)} input(s) could not be ingested, so nothing was written:\n{listing}")
    if not result.articles and not Index.exists(index_dir):
        return report  # nothing to add: do not create an empty index as a side effect
    with Index.open_or_create(index_dir, embedder=embedder, chunking=chunking) as index:
        report.added = index.add(result.articles, on_progress=on_progress)
    return report
