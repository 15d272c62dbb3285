"""The values that cross module boundaries: articles in, passages stored, hits out."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Article:
    """One news article as read from a file, before chunking.

    ``id`` is stable across re-ingests (see :func:`rag.ids.article_id`), ``content_hash``
    changes whenever anything a reader would see changes, so an edited article is re-indexed.
    """

    id: str
    title: str
    text: str
    source: str | None = None
    url: str | None = None
    date: str | None = None  # ISO 8601 date (YYYY-MM-DD) when known
    lang: str | None = None
    place: str | None = None  # dateline place, e.g. "Cairo"
    origin: str | None = None  # the file it came from, for messages
    content_hash: str = ""


@dataclass(frozen=True)
class Passage:
    """A chunk of an article. ``text == article.text[start:end]`` so citations can highlight it."""

    article_id: str
    ordinal: int
    start: int
    end: int
    text: str
    id: int | None = None  # assigned by the store; also the FAISS id


@dataclass(frozen=True)
class Hit:
    """A retrieved passage with the article fields a citation needs."""

    passage: Passage
    score: float
    title: str
    source: str | None = None
    url: str | None = None
    date: str | None = None
    lang: str | None = None


@dataclass(frozen=True)
class Problem:
    """An input that was skipped (whole or in part), and why, in words a user can act on."""

    path: str
    reason: str
    lines: tuple[int, ...] = ()

    def __str__(self) -> str:
        if not self.lines:
            return f"{self.path}: {self.reason}"
        shown = ", ".join(map(str, self.lines[:10])) + (", …" if len(self.lines) > 10 else "")
        return f"{self.path} (line{'s' if len(self.lines) > 1 else ''} {shown}): {self.reason}"


@dataclass
class ReadResult:
    """What reading some paths produced: the articles, and every input that was skipped."""

    articles: list[Article] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    files_read: int = 0
