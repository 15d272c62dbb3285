"""Split article text into sentence-aligned passages that keep their character offsets.

Pure functions: no I/O, no model. ``passage.text == article.text[passage.start:passage.end]``
always holds, so a citation can highlight the exact span later.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rag.languages import all_abbreviations
from rag.types import Article, Passage


@dataclass(frozen=True)
class ChunkingParams:
    """How passages are cut. Stored in the index manifest so every passage of an index agrees."""

    min_words: int = 80
    """A passage grows past a sentence boundary until it has at least this many words..."""
    max_words: int = 200
    """...and stops before it would pass this many (a longer single sentence is split by words)."""
    overlap_words: int = 30
    """The last sentence of a passage is repeated at the start of the next when it is this short,
    so a fact that straddles a boundary stays retrievable from either side."""


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    words: int


# Tokens after which a full stop does not end a sentence (each language's news usage).
_ABBREVIATIONS = all_abbreviations()

# A sentence ends at . ! ? or … (plus closing quotes/brackets) followed by whitespace, or at a line break.
_BOUNDARY = re.compile(r"""[.!?…]+["'”’)\]]*(?=\s)|\n""")


def split_sentences(text: str) -> list[Span]:
    """Sentence spans of ``text`` (offsets exclude surrounding whitespace)."""
    spans: list[Span] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        end = match.end()
        if match.group() != "\n" and not _ends_sentence(text, match.start(), end):
            continue
        _append_span(text, start, end, spans)
        start = end
    _append_span(text, start, len(text), spans)
    return spans


# How far around a full stop the abbreviation check looks. Bounded, so that splitting is linear
# in the text: looking at all of ``text[:dot]`` made a 2M-character line take hours.
_LOOK = 32
_TOKEN_BEFORE = re.compile(r"[\w.]+$")
_FIRST_AFTER = re.compile(r"\s*(\S)")


def _ends_sentence(text: str, dot: int, end: int) -> bool:
    if text[dot] != ".":
        return True
    word = _TOKEN_BEFORE.search(text, max(0, dot - _LOOK), dot)
    token = word.group().lower() if word else ""
    if token in _ABBREVIATIONS or (len(token) == 1 and token.isalpha()):
        return False  # "Dr. Sameh", "J. Biden"
    following = _FIRST_AFTER.match(text, end)
    # "3.5 million" has no space; a lowercase continuation after "." is rarely a new sentence.
    return following is None or not following.group(1).islower()


def _append_span(text: str, start: int, end: int, spans: list[Span]) -> None:
    piece = text[start:end]
    stripped = piece.strip()
    if not stripped:
        return
    lead = len(piece) - len(piece.lstrip())
    s = start + lead
    spans.append(Span(s, s + len(stripped), len(stripped.split())))


def _split_long(text: str, span: Span, max_words: int) -> list[Span]:
    """Cut a sentence longer than ``max_words`` at word boundaries."""
    words = list(re.finditer(r"\S+", text[span.start : span.end]))
    pieces = []
    for i in range(0, len(words), max_words):
        group = words[i : i + max_words]
        pieces.append(Span(span.start + group[0].start(), span.start + group[-1].end(), len(group)))
    return pieces


MAX_PASSAGE_CHARS = 3_000
"""No passage is longer than this, whatever its word count: 200 real words are ~1,500 characters,
and the embedder reads at most 512 tokens anyway. Only text without spaces (a URL list, base64, a
line of symbols) ever reaches it; it bounds what one "word" can cost downstream."""


def _split_chars(text: str, span: Span, max_chars: int) -> list[Span]:
    """Cut a span longer than ``max_chars`` characters, at whitespace when there is some."""
    pieces = []
    start = span.start
    while start < span.end:
        end = min(start + max_chars, span.end)
        if end < span.end:
            space = max(text.rfind(" ", start + max_chars // 2, end), text.rfind("\n", start + max_chars // 2, end))
            end = space if space > start else end
        piece = text[start:end]
        lead = len(piece) - len(piece.lstrip())
        stripped = piece.strip()
        if stripped:
            pieces.append(Span(start + lead, start + lead + len(stripped), len(stripped.split())))
        start = end
    return pieces


def chunk_text(text: str, params: ChunkingParams = ChunkingParams()) -> list[Span]:
    """Group sentences into passages of roughly ``min_words``..``max_words`` words (and at most
    ``MAX_PASSAGE_CHARS`` characters). Linear in the length of ``text``."""
    sentences: list[Span] = []
    for span in split_sentences(text):
        for piece in _split_long(text, span, params.max_words) if span.words > params.max_words else [span]:
            sentences.extend(_split_chars(text, piece, MAX_PASSAGE_CHARS) if piece.end - piece.start > MAX_PASSAGE_CHARS else [piece])

    chunks: list[Span] = []
    current: list[Span] = []
    for sentence in sentences:
        words = sum(s.words for s in current)
        if current and sentence.end - current[0].start > MAX_PASSAGE_CHARS:
            chunks.append(_join(current))
            current = []
        elif current and words + sentence.words > params.max_words and words >= params.min_words:
            chunks.append(_join(current))
            tail = current[-1]
            current = [tail] if tail.words <= params.overlap_words and tail.words + sentence.words <= params.max_words else []
        elif current and words + sentence.words > params.max_words * 5 // 4:
            chunks.append(_join(current))  # even a short passage must not swallow a huge sentence
            current = []
        current.append(sentence)
    if current:
        last = _join(current)
        # A tiny remainder reads better as part of the previous passage than on its own.
        if (
            chunks
            and last.words < params.min_words // 2
            and chunks[-1].words + last.words <= params.max_words
            and last.end - chunks[-1].start <= MAX_PASSAGE_CHARS
        ):
            prev = chunks.pop()
            last = Span(prev.start, last.end, len(text[prev.start : last.end].split()))
        chunks.append(last)
    return chunks


def _join(spans: list[Span]) -> Span:
    return Span(spans[0].start, spans[-1].end, sum(s.words for s in spans))


def chunk_article(article: Article, params: ChunkingParams = ChunkingParams()) -> list[Passage]:
    """The passages of ``article``, in order, with offsets into ``article.text``."""
    return [
        Passage(article_id=article.id, ordinal=i, start=s.start, end=s.end, text=article.text[s.start : s.end])
        for i, s in enumerate(chunk_text(article.text, params))
    ]


def text_for_embedding(title: str, passage_text: str) -> str:
    """What the embedder sees: the title gives a passage the context its sentences assume."""
    return f"{title}\n{passage_text}" if title else passage_text
