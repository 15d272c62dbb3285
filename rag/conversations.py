"""Saved conversations: every answered turn, with its checked sentences and numbered sources.

One SQLite file in the user data dir (``NEWSRAG_DATA_DIR`` overrides the place). A turn is stored
as the JSON of its :class:`~rag.types.Answer` minus what only matters while answering (all the
retrieved hits, timings), so a reopened conversation shows the same answer and sources and can be
continued: :class:`rag.chat.Conversation` needs ``question``, ``text`` and ``standalone_question``
of earlier turns, and those are kept.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rag.errors import RagError
from rag.types import Answer, AnswerSentence, Hit, Passage, Source

DATA_DIR_ENV = "NEWSRAG_DATA_DIR"  # named in messages; read by rag.config.user_folders
STORE_FILE = "conversations.sqlite"
_SCHEMA_VERSION = 1
_TITLE_CHARS = 80

_SCHEMA = """
CREATE TABLE IF NOT EXISTS conversations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    title TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS turns (
    conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    ordinal INTEGER NOT NULL,
    answer_json TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (conversation_id, ordinal)
);
"""


class ConversationStoreError(RagError):
    """The conversation store cannot be opened, read or written."""


class ConversationNotFoundError(ConversationStoreError):
    """No saved conversation has the requested id (deleted, or from another data dir)."""


def default_data_dir() -> Path:
    """Where newsrag keeps user data: ``$NEWSRAG_DATA_DIR``, else the platform's user data dir (``rag.config``)."""
    from rag.config import user_folders

    return user_folders().data


@dataclass(frozen=True)
class ConversationSummary:
    id: int
    title: str
    created_at: str
    updated_at: str
    turns: int


@dataclass(frozen=True)
class SavedConversation:
    id: int
    title: str
    answers: tuple[Answer, ...]


class ConversationStore:
    """Conversations in ``DATA_DIR/conversations.sqlite``; created on first use."""

    def __init__(self, data_dir: str | Path) -> None:
        self.path = Path(data_dir) / STORE_FILE
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # The TUI writes from its UI thread and may read from a worker: one connection, serialised by SQLite.
            self._db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            self._db.execute("PRAGMA foreign_keys=ON")
            self._db.execute("PRAGMA busy_timeout=5000")
            version = self._db.execute("PRAGMA user_version").fetchone()[0]
            if version > _SCHEMA_VERSION:
                raise ConversationStoreError(
                    f"{self.path} was written by a newer newsrag (format {version}); upgrade newsrag or set {DATA_DIR_ENV} to another folder."
                )
            self._db.executescript(_SCHEMA)
            self._db.execute(f"PRAGMA user_version={_SCHEMA_VERSION}")
        except (OSError, sqlite3.Error) as e:
            raise ConversationStoreError(
                f"Cannot open the conversation store {self.path}: {e}. Set {DATA_DIR_ENV} to a writable folder."
            ) from e

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> ConversationStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def create(self, title: str) -> int:
        """A new, empty conversation; ``title`` is usually its first question."""
        now = _now()
        title = " ".join(title.split())
        title = title if len(title) <= _TITLE_CHARS else title[: _TITLE_CHARS - 1] + "…"
        with self._writing():
            cursor = self._db.execute("INSERT INTO conversations (title, created_at, updated_at) VALUES (?, ?, ?)", (title, now, now))
        return int(cursor.lastrowid)

    def append(self, conversation_id: int, answer: Answer) -> None:
        """Add one answered turn at the end of a conversation."""
        now = _now()
        with self._writing():
            if not self._exists(conversation_id):
                raise ConversationNotFoundError(f"No saved conversation {conversation_id} in {self.path}.")
            (ordinal,) = self._db.execute("SELECT COUNT(*) FROM turns WHERE conversation_id = ?", (conversation_id,)).fetchone()
            self._db.execute(
                "INSERT INTO turns (conversation_id, ordinal, answer_json, created_at) VALUES (?, ?, ?, ?)",
                (conversation_id, ordinal, json.dumps(answer_to_json(answer), ensure_ascii=False), now),
            )
            self._db.execute("UPDATE conversations SET updated_at = ? WHERE id = ?", (now, conversation_id))

    def list(self, limit: int = 200) -> list[ConversationSummary]:
        """Saved conversations, most recently continued first."""
        rows = self._read(
            "SELECT c.id, c.title, c.created_at, c.updated_at, COUNT(t.ordinal) FROM conversations c "
            "LEFT JOIN turns t ON t.conversation_id = c.id GROUP BY c.id ORDER BY c.updated_at DESC, c.id DESC LIMIT ?",
            (limit,),
        )
        return [ConversationSummary(*row) for row in rows]

    def load(self, conversation_id: int) -> SavedConversation:
        head = self._read("SELECT title FROM conversations WHERE id = ?", (conversation_id,))
        if not head:
            raise ConversationNotFoundError(f"No saved conversation {conversation_id} in {self.path}.")
        rows = self._read("SELECT ordinal, answer_json FROM turns WHERE conversation_id = ? ORDER BY ordinal", (conversation_id,))
        answers = []
        for ordinal, text in rows:
            try:
                answers.append(answer_from_json(json.loads(text)))
            except (ValueError, KeyError, TypeError) as e:
                raise ConversationStoreError(f"Turn {ordinal + 1} of conversation {conversation_id} in {self.path} is damaged: {e!r}.") from e
        return SavedConversation(conversation_id, head[0][0], tuple(answers))

    def delete(self, conversation_id: int) -> None:
        with self._writing():
            if not self._exists(conversation_id):
                raise ConversationNotFoundError(f"No saved conversation {conversation_id} in {self.path}.")
            self._db.execute("DELETE FROM conversations WHERE id = ?", (conversation_id,))

    # -- internals ---------------------------------------------------------------------------

    def _exists(self, conversation_id: int) -> bool:
        return self._db.execute("SELECT 1 FROM conversations WHERE id = ?", (conversation_id,)).fetchone() is not None

    def _read(self, query: str, params: Sequence[Any]) -> list[tuple]:
        try:
            return self._db.execute(query, params).fetchall()
        except sqlite3.Error as e:
            raise ConversationStoreError(f"Cannot read the conversation store {self.path}: {e}.") from e

    def _writing(self) -> _Transaction:
        return _Transaction(self._db, self.path)


class _Transaction:
    """BEGIN IMMEDIATE … COMMIT, rolled back on any error; SQLite errors become ConversationStoreError."""

    def __init__(self, db: sqlite3.Connection, path: Path) -> None:
        self._db, self._path = db, path

    def __enter__(self) -> None:
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as e:
            raise ConversationStoreError(f"Cannot write the conversation store {self._path}: {e}.") from e

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: object) -> None:
        if exc_type is None:
            try:
                self._db.execute("COMMIT")
                return
            except sqlite3.Error as e:
                self._db.execute("ROLLBACK")
                raise ConversationStoreError(f"Cannot write the conversation store {self._path}: {e}.") from e
        self._db.execute("ROLLBACK")
        if isinstance(exc, sqlite3.Error):
            raise ConversationStoreError(f"Cannot write the conversation store {self._path}: {exc}.") from exc


def _now() -> str:
    # Microseconds: the list is ordered by these, and a conversation can be continued within the same second.
    return datetime.now(UTC).isoformat(timespec="microseconds")


# -- Answer ⇄ JSON ----------------------------------------------------------------------------


def answer_to_json(answer: Answer) -> dict[str, Any]:
    """The parts of an answer worth keeping: the turn's text, checked sentences and numbered sources."""
    return {
        "question": answer.question,
        "standalone_question": answer.standalone_question,
        "text": answer.text,
        "refused": answer.refused,
        "fallback": answer.fallback,
        "backend": answer.backend,
        "sentences": [
            {"text": s.text, "citations": list(s.citations), "supported": s.supported, "notes": list(s.notes)} for s in answer.sentences
        ],
        "sources": [_source_to_json(s) for s in answer.sources],
        "as_of": answer.as_of,
        "stamp": answer.stamp,
    }


def answer_from_json(data: dict[str, Any]) -> Answer:
    return Answer(
        question=data["question"],
        standalone_question=data["standalone_question"],
        text=data["text"],
        sentences=tuple(
            AnswerSentence(s["text"], tuple(s["citations"]), bool(s["supported"]), tuple(s["notes"])) for s in data["sentences"]
        ),
        sources=tuple(_source_from_json(s) for s in data["sources"]),
        refused=bool(data["refused"]),
        backend=data["backend"],
        fallback=bool(data.get("fallback", False)),
        as_of=data.get("as_of"),
        stamp=data.get("stamp"),
    )


def _source_to_json(source: Source) -> dict[str, Any]:
    hit, passage = source.hit, source.hit.passage
    return {
        "number": source.number,
        "article_id": passage.article_id,
        "title": hit.title,
        "outlet": hit.source,
        "date": hit.date,
        "url": hit.url,
        "lang": hit.lang,
        "score": hit.score,
        "passage": {"id": passage.id, "ordinal": passage.ordinal, "start": passage.start, "end": passage.end, "text": passage.text},
        "support_start": source.support_start,
        "support_end": source.support_end,
    }


def _source_from_json(data: dict[str, Any]) -> Source:
    p = data["passage"]
    passage = Passage(data["article_id"], p["ordinal"], p["start"], p["end"], p["text"], p["id"])
    hit = Hit(passage, float(data["score"]), data["title"], data["outlet"], data["url"], data["date"], data["lang"])
    return Source(int(data["number"]), hit, data["support_start"], data["support_end"])
