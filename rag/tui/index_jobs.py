"""Index writes (ingest, demo build, rebuild): what a screen asks for, and what the running write reports.

Screens do not run writes themselves: they post ``WriteRequested`` and the app runs one write at a
time in a worker thread (``run_write``). The write reports past-tense events — ``WriteStarted``,
``WriteProgressed``, ``WriteFinished``, or ``WriteRefused`` when another write is running — and
the app publishes each one as its ``index_write`` reactive. Any screen that shows progress (the
chat screen's status bar, the ingest dialog, the welcome screen) watches it::

    self.watch(self.app, "index_write", self.on_index_write, init=False)

so closing the ingest dialog does not stop the ingest, and a screen needs no knowledge of the
others.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from textual.message import Message

from rag.errors import RagError
from rag.index import Index, IndexStatus
from rag.render import ingest_summary, rebuild_summary
from rag.vectors import IndexPolicy


@dataclass(frozen=True)
class WriteJob:
    kind: Literal["ingest", "rebuild"]
    paths: tuple[Path, ...] = ()

    @property
    def label(self) -> str:
        if self.kind == "rebuild":
            return "rebuilding the index"
        names = ", ".join(p.name or str(p) for p in self.paths)
        return f"ingesting {names}"


@dataclass
class WriteRequested(Message):
    """A screen asks the app to run ``job`` (bubbles up to the app)."""

    job: WriteJob


@dataclass
class WriteStarted(Message):
    job: WriteJob


@dataclass
class WriteProgressed(Message):
    job: WriteJob
    done: int
    total: int


@dataclass
class WriteFinished(Message):
    """The write ended: ``summary`` says what it did or why it failed; ``status`` is the open index's new state."""

    job: WriteJob
    summary: str
    failed: bool = False
    status: IndexStatus | None = None


@dataclass
class WriteRefused(Message):
    """Not started: another write is still running."""

    job: WriteJob
    reason: str


WriteEvent = WriteStarted | WriteProgressed | WriteFinished | WriteRefused


class ShowsIndexWrites:
    """For a screen with ``show_progress(done, total)`` and ``show_done(text, failed=)``: follows every
    index write's progress and end through the App's ``index_write``, even one started elsewhere."""

    def on_mount(self) -> None:
        self.watch(self.app, "index_write", self.on_index_write, init=False)  # type: ignore[attr-defined]

    def on_index_write(self, event: WriteEvent) -> None:
        if isinstance(event, WriteProgressed):
            self.show_progress(event.done, event.total)  # type: ignore[attr-defined]
        elif isinstance(event, WriteFinished):
            self.show_done(event.summary, failed=event.failed)  # type: ignore[attr-defined]
        elif isinstance(event, WriteRefused):
            self.show_done(event.reason, failed=True)  # type: ignore[attr-defined]


def run_write(
    job: WriteJob,
    index_dir: Path,
    *,
    open_index: Index | None,
    new_index_embedder: str | None,
    policy: IndexPolicy | None,
    report: Callable[[WriteEvent], object],
) -> None:
    """Ingest or rebuild through a separate Index handle, then let ``open_index`` pick up the new generation.

    Runs in a worker thread; ``report`` gets each ``WriteProgressed`` and, last, one ``WriteFinished``.
    Unexpected errors are reported as a failed write too, so a bug cannot leave the app "writing" for ever.
    """

    def on_progress(done: int, total: int) -> None:
        report(WriteProgressed(job, done, total))

    try:
        if job.kind == "ingest":
            from rag.ingest import ingest

            embedder = None if Index.exists(index_dir) else new_index_embedder
            result = ingest(job.paths, index_dir, embedder=embedder, on_progress=on_progress)
            summary, failed = ingest_summary(result), not Index.exists(index_dir)
        else:
            with Index.open(index_dir, policy=policy) as index:
                added = index.rebuild(on_progress=on_progress)
            summary, failed = rebuild_summary(added), False
        status = None
        if open_index is not None:
            open_index.refresh()
            status = open_index.status()
    except (RagError, OSError) as e:
        report(WriteFinished(job, str(e), failed=True))
        return
    except Exception as e:  # noqa: BLE001 - a bug: say so, and keep the app running
        report(WriteFinished(job, f"Unexpected error ({type(e).__name__}): {e}", failed=True))
        return
    report(WriteFinished(job, summary, failed=failed, status=status))
