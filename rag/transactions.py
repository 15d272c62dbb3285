"""One SQLite transaction for work that may run inside a caller's commit or on its own."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def joined_transaction(db: sqlite3.Connection) -> Iterator[None]:
    """Inside the caller's open transaction (``Corpus.commit``) join it: its commit or rollback is
    ours. Otherwise open one (``BEGIN IMMEDIATE``: the write lock first, so a check done inside
    sees no other writer's change) and commit it, or roll it back on any error."""
    if db.in_transaction:
        yield
        return
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise
