"""Spans of an article's text the quote rules work on: sentences, their ends, and the candidate
statement each rule finds (``Candidate``: where it is, its cue and the speaker mention)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rag.news.speakers import Mention

MIN_STATEMENT_CHARS = 20
MIN_STATEMENT_WORDS = 4
WORD = re.compile(r"\w[\w’'-]*")
_SENTENCE_END = re.compile(r"[.!?](?=\s|$)|\n")


@dataclass
class Candidate:
    """A statement found by a rule, before its speaker is resolved."""

    start: int
    end: int
    direct: bool
    cue: str | None = None
    cue_span: tuple[int, int] | None = None
    mention: Mention = field(default_factory=lambda: Mention("none"))
    mention_text: str | None = None
    anchor: int = 0  # where the speaker is mentioned (for pronouns: resolve to who came before)


def strip_end(sentence: str, end: int) -> int:
    while end > 0 and sentence[end - 1] in " \n\t.,;":
        end -= 1
    return end


def sentences(text: str) -> list[tuple[int, int]]:
    out, start = [], 0
    for m in re.finditer(r"(?<=[.!?])[”\"’]?\s+(?=[A-Z”“\"])|\n+", text):
        if not re.search(r"\b[A-Z][a-z]?\.$|\d\.$", text[start : m.start() + 1]) or "\n" in m.group(0):
            out.append((start, m.start() + (len(m.group(0)) - len(m.group(0).lstrip("”\"’")))))
            start = m.end()
    out.append((start, len(text)))
    return [(a, b) for a, b in out if text[a:b].strip()]


def sentence_start(text: str, pos: int) -> int:
    """Start of the sentence holding ``pos`` (within its paragraph)."""
    i = pos
    while i > 0 and text[i - 1] != "\n":
        if text[i - 1] in ".!?" and i < len(text) and text[i].isspace():
            return i
        i -= 1
    return i


def sentence_end(text: str, pos: int) -> int:
    m = _SENTENCE_END.search(text, pos)
    return m.end() if m else len(text)
