"""One writer at a time per index, enforced with an OS file lock that dies with its process.

A kill -9 releases ``flock`` automatically, so a crashed ingest never leaves a stale lock behind.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from types import TracebackType

from rag.errors import IndexLockedError


class WriterLock:
    """Exclusive, non-blocking: a second writer is refused at once with a clear message."""

    def __init__(self, index_dir: Path) -> None:
        self._path = index_dir / ".writer.lock"
        self._fd: int | None = None

    def __enter__(self) -> WriterLock:
        fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 64).decode(errors="replace").strip() or "another process"
            os.close(fd)
            raise IndexLockedError(
                f"The index at {self._path.parent} is being written by process {holder} "
                "(an ingest or rebuild). Wait for it to finish, then try again."
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        self._fd = fd
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if self._fd is not None:
            os.ftruncate(self._fd, 0)
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
