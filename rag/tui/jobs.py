"""Index writes requested by screens (ingest, demo build, rebuild) and how their progress is shown.

Screens do not run writes themselves: they post ``RequestWrite`` and the app runs one write at a
time in a worker thread, reporting progress to the status bar and to every screen on the stack
that ``ShowsProgress`` (so closing the ingest dialog does not stop the ingest).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Protocol, runtime_checkable

from textual.message import Message


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


class RequestWrite(Message):
    def __init__(self, job: WriteJob) -> None:
        super().__init__()
        self.job = job


@runtime_checkable
class ShowsProgress(Protocol):
    def show_progress(self, done: int, total: int) -> None: ...

    def show_done(self, summary: str, *, failed: bool = False) -> None: ...
