"""What ``Index`` writes report and how it batches them: plain values, shared with the other stores."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from rag.types import Problem

ProgressFn = Callable[[int, int], None]


@dataclass(frozen=True)
class CommitPolicy:
    """When ``Index.add`` commits a batch: after this many passages or seconds, whichever first.

    Each commit rewrites the generation's vectors file (all vectors, not only the new ones), so
    batches are sized to keep that well under 5% of the time spent embedding (benchmarks/)."""

    passages: int = 2_000
    seconds: float = 60.0


@dataclass
class AddReport:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicates: int = 0  # the same article id more than once in one input; the last one wins
    passages_embedded: int = 0
    seconds: float = 0.0
    batches: int = 0  # commits made (each one a generation a kill cannot undo)
    problems: list[Problem] = field(default_factory=list)  # articles that could not be chunked, embedded or stored


@dataclass
class RemoveReport:
    removed: list[str] = field(default_factory=list)
    not_found: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class IndexStatus:
    path: str
    articles: int
    passages: int
    languages: dict[str, int]
    sources: dict[str, int]
    embedder: str
    dim: int
    size_bytes: int
    generation: int
    created_at: str
    updated_at: str
    format_version: int
    backend: str = "sqlite+faiss"
