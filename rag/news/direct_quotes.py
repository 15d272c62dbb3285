"""Direct quotes: the text between quote marks (several sentences, split quotes ``"…," kata X.
"…"``, quotations running over paragraphs) and the cue before or after the marks."""

from __future__ import annotations

import re

from rag.news.lexicon import Lexicon
from rag.news.speaker_words import speaker_words, subject_before
from rag.news.speakers import Mention, read_chain
from rag.news.text_spans import MIN_STATEMENT_CHARS, MIN_STATEMENT_WORDS, WORD, Candidate, sentence_end, sentence_start

_TITLE_CONTEXT = re.compile(r"(bertajuk|berjudul|bertema|tema|tagar|slogan|istilah|peribahasa|program|titled|called|dubbed|hashtag|slogan)\s*$", re.I)


def quoted_spans(text: str, lex: Lexicon) -> list[tuple[int, int]]:
    """``(open mark, close mark)`` offsets, paired left to right within a paragraph; a quote left
    open at a paragraph's end closes there (a quotation running over paragraphs reopens)."""
    spans = []
    open_at, closers = None, frozenset()
    for i, ch in enumerate(text):
        if ch == "\n" and open_at is not None:
            if text[open_at + 1 : i].strip():
                spans.append((open_at, i))
            open_at = None
        elif open_at is not None and ch in closers:
            spans.append((open_at, i))
            open_at = None
        elif open_at is None and ch in lex.openers:
            open_at, closers = i, lex.openers[ch]
    if open_at is not None:
        spans.append((open_at, len(text)))
    return spans


def find_direct(text: str, lex: Lexicon) -> list[Candidate]:
    found = []
    for open_at, close_at in quoted_spans(text, lex):
        start, end = open_at + 1, close_at
        while start < end and text[start].isspace():
            start += 1
        while end > start and (text[end - 1].isspace() or text[end - 1] == ","):
            end -= 1
        inner = text[start:end]
        if len(inner) < MIN_STATEMENT_CHARS or len(WORD.findall(inner)) < MIN_STATEMENT_WORDS:
            continue  # a term, a title or a quoted fragment of an indirect statement
        before = text[sentence_start(text, open_at) : open_at]
        if _TITLE_CONTEXT.search(before):
            continue
        f = Candidate(start, end, True)
        tail_end = sentence_end(text, close_at + 1)
        if not _cue_after(text, close_at + 1, tail_end, lex, f):
            if len(WORD.findall(text[close_at + 1 : tail_end])) >= 2:
                continue  # 'X said that "a ceasefire" with …': a quoted fragment of an indirect statement
            if not _cue_before(text, sentence_start(text, open_at), open_at, lex, f) and before.strip() and not before.rstrip().endswith((":", ",")):
                continue  # quoted words in the middle of a sentence of the writer's
        found.append(f)
    return found


def _cue_after(text: str, start: int, end: int, lex: Lexicon, f: Candidate) -> bool:
    """``,” kata X …`` / ``," X said`` / ``," said X`` right after the closing mark."""
    tail = text[start:end]
    m = re.match(r"[\s,.!?;:—–-]*", tail)
    offset = m.end() if m else 0
    words = list(WORD.finditer(tail, offset))
    for k, w in enumerate(words[:6]):
        cue = lex.cue_of(w.group(0))
        if cue is None:
            continue
        if k and (tail[offset : w.start()].count(",") or any(lex.cue_of(x.group(0)) for x in words[:k])):
            return False
        chain_before = tail[offset : w.start()]
        chain_after = speaker_words(tail[w.end() :], lex)
        _attach(f, text, cue, start + w.start(), start + w.end(), chain_before, chain_after, lex, start)
        return True
    return False


def _cue_before(text: str, start: int, end: int, lex: Lexicon, f: Candidate) -> bool:
    """``X mengatakan, ”…”`` / ``Menurut X, ”…”`` / ``Kata X, ”…”`` before the opening mark."""
    head = text[start:end]
    if not head.strip() or not head.rstrip().endswith((",", ":")) and not re.search(r"(bahwa|that)\s*$", head):
        return False
    for phrase in lex.according_to:
        m = re.search(rf"(?<!\w){re.escape(phrase)}\s+(.+?),\s*$", head, re.IGNORECASE)
        if m:
            f.cue, f.cue_span = phrase, (start + m.start(), start + m.start() + len(phrase))
            f.mention = read_chain(speaker_words(m.group(1), lex), lex)
            f.mention_text, f.anchor = m.group(1).strip(), start + m.start()
            return True
    words = list(WORD.finditer(head))
    for w in reversed(words):
        cue = lex.cue_of(w.group(0))
        if cue is not None:
            _attach(f, text, cue, start + w.start(), start + w.end(), subject_before(head[: w.start()], lex), speaker_words(head[w.end() :], lex), lex, start)
            return True
    return False


def _attach(f: Candidate, text: str, cue: tuple[str, bool], c0: int, c1: int, before: str, after: str, lex: Lexicon, anchor: int) -> None:
    f.cue, f.cue_span = text[c0:c1].lower(), (c0, c1)
    f.anchor = min(anchor, f.start)
    if cue[1]:  # "katanya": the speaker is the one last mentioned
        f.mention, f.mention_text = Mention("pronoun", text[c0:c1]), text[c0:c1]
        return
    for chain in (after, before):
        mention = read_chain(chain, lex)
        if mention.kind != "none":
            f.mention, f.mention_text = mention, chain.strip(" ,")
            return
