"""The values that cross module boundaries: articles in, passages stored, hits out."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from rag.hygiene import Repairs, clean_text, display_path

DEFAULT_K = 5
"""Sources per answer, passages per search: the one default (``RetrievalSettings``, ``AnswerSettings``, ``Index.search``, ``-k``)."""


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
    published: str | None = None
    """The publication timestamp with its UTC offset (ISO 8601, e.g. ``2024-03-21T14:05:00+07:00``
    for "21 Maret 2024 14:05 WIB") when the data gives a time; ``date`` stays the calendar date written."""


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
class CopyMember:
    """One outlet's copy of a report (an article of a copy group, see rag.news.copies)."""

    article_id: str
    title: str
    source: str | None = None
    url: str | None = None
    date: str | None = None
    lang: str | None = None
    agency: str | None = None  # the wire agency its tag names ("AP"), when one does


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
    copy_group: str | None = None  # the canonical article of its copy group (rag.news.copies)
    also_in: tuple[CopyMember, ...] = ()
    """The other outlets' copies that hold this passage's text (empty for a report run once)."""


@dataclass(frozen=True)
class Filters:
    """Restrict retrieval to articles published in a date range and/or by some outlets."""

    since: str | None = None  # ISO date, inclusive
    until: str | None = None  # ISO date, inclusive
    sources: tuple[str, ...] = ()  # outlet names, matched case-insensitively

    def __bool__(self) -> bool:
        return bool(self.since or self.until or self.sources)


@dataclass(frozen=True)
class Problem:
    """An input that was skipped (whole or in part), and why, in words a user can act on.

    ``warning`` marks an input that was kept but changed (an over-long article cut to the
    limit), rather than skipped. The path is stored as shown (undecodable bytes escaped) and the
    reason cleaned, so a Problem is always safe to print, store or serialise.
    """

    path: str
    reason: str
    lines: tuple[int, ...] = ()
    warning: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "path", display_path(self.path))
        object.__setattr__(self, "reason", clean_text(self.reason))

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
    repairs: Repairs = field(default_factory=Repairs)
    """Characters the text hygiene replaced (lone surrogates) or dropped (control characters)."""


@dataclass(frozen=True)
class Source:
    """A numbered source of an answer: the passage shown as ``[number]``.

    ``support_start``/``support_end`` are offsets into the article text of the sentence that
    supports the answer (None when nothing in this passage was cited).
    """

    number: int
    hit: Hit
    support_start: int | None = None
    support_end: int | None = None
    quote: object | None = None  # the cited statement (rag.news.store.StoredQuote) of an attribution answer

    @property
    def article_id(self) -> str:
        return self.hit.passage.article_id


@dataclass(frozen=True)
class AnswerSentence:
    """One sentence of an answer with the sources it cites and whether they were checked to support it."""

    text: str
    citations: tuple[int, ...] = ()
    supported: bool = True
    notes: tuple[str, ...] = ()  # e.g. "citation [7] removed: no such source", "citation repaired: [2] → [1]"


@dataclass
class Timings:
    """Seconds from the question to each step of one answer (``Answer.timings`` holds them as a dict)."""

    retrieval_s: float = 0.0
    first_token_s: float | None = None
    total_s: float = 0.0
    # where a model's answer spends its total (seconds in each step, not from the question)
    generation_s: float | None = None
    """The model writing its answer."""
    checking_s: float | None = None
    """Checking the answer's citations (embeddings, the YES/NO judge)."""
    translation_s: float | None = None
    """Translating answer sentences the model left in another language, and fallback sentences."""

    def as_dict(self) -> dict[str, float]:
        return {name: value for name, value in vars(self).items() if value is not None}


@dataclass(frozen=True)
class Answer:
    question: str
    standalone_question: str
    text: str
    sentences: tuple[AnswerSentence, ...]
    sources: tuple[Source, ...]
    refused: bool
    backend: str
    retrieved: tuple[Hit, ...] = ()  # everything retrieval returned, best first (sources are the top ones)
    fallback: bool = False  # the model's answer could not be supported; the cited extractive one is shown
    timings: dict[str, float] = field(default_factory=dict)  # retrieval_s, first_token_s, total_s; a model's steps (generation_s, …)
    span: str | None = None
    """What the question asked for (a name, date, place, number), copied by code from the cited
    evidence and written as the asker reads it; the answer leads with it. None when the question
    asks for no such thing or no evidence sentence has one."""

    as_of: str | None = None
    """The publication date (ISO) of the newest cited source: what the answer is true as of."""
    stamp: str | None = None
    """``as_of`` as the asker reads it ("As of 21 March 2024"), written by code; ``text`` starts with it."""

    also_retrieved: tuple[int, ...] = ()
    """Numbers of the sources retrieved but far below the cited ones or naming none of the question's
    names (``AnswerSettings``): shown apart ("also retrieved"),
    one key away, not beside the answer."""

    def cited_sources(self) -> list[Source]:
        numbers = {n for s in self.sentences for n in s.citations}
        return [s for s in self.sources if s.number in numbers]

    def supporting_sources(self) -> list[Source]:
        """The sources the answer rests on (``supporting_citations``)."""
        numbers = supporting_citations(self.sentences)
        return [s for s in self.sources if s.number in numbers]

    def sources_in_order(self) -> list[Source]:
        """The cited sources first, then the uncited ones that are not far below them."""
        cited = self.cited_sources()
        return cited + [s for s in self.sources if s not in cited and s.number not in self.also_retrieved]


def supporting_citations(sentences: Iterable[AnswerSentence]) -> set[int]:
    """The source numbers cited by supported sentences (by every sentence when none is supported):
    what an answer rests on, unlike a source an unsupported sentence happened to cite."""
    sentences = list(sentences)
    return {n for s in sentences if s.supported for n in s.citations} or {n for s in sentences for n in s.citations}
