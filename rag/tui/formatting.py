"""The TUI's highlighting: source snippets and article paragraphs as styled ``Content``.

Kept free of widgets so the layout rules (what is highlighted) can be tested without running an
app. The words themselves (answers as Markdown, source headings) are ``rag.render``'s.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from textual.content import Content

from rag.types import Article, Source

QUOTE_ATTRIBUTION_STYLE = "bold underline"
"""The cue and the speaker's name of a cited statement, in the article view."""
SUPPORT_STYLE = "bold on $warning 35%"
"""The sentence an answer cites: stands out in both the sources panel and the article view."""
PASSAGE_STYLE = "on $primary 25%"
"""The rest of the cited passage in the article view."""
SNIPPET_CONTEXT = 120
"""Characters of passage text shown on either side of the supporting sentence in the sources panel."""


def snippet(source: Source, context: int = SNIPPET_CONTEXT) -> Content:
    """The source's passage on one line, cut around the supporting sentence, with that sentence highlighted."""
    passage = source.hit.passage
    text = passage.text
    if source.support_start is None or source.support_end is None:
        cut = _one_line(text[: 2 * context])
        return Content(cut + ("…" if 2 * context < len(text) else ""))
    start = max(0, source.support_start - passage.start)
    end = min(len(text), source.support_end - passage.start)
    left, right = max(0, start - context), min(len(text), end + context)
    # Whitespace is collapsed in each part separately, so the highlight's offsets stay right.
    before = "…" + _one_line(text[left:start]) if left > 0 else _one_line(text[:start]).lstrip()
    cited = _one_line(text[start:end])
    after = _one_line(text[end:right]) + ("…" if right < len(text) else "")
    return Content(before + cited + after).stylize(SUPPORT_STYLE, len(before), len(before) + len(cited))


def _one_line(text: str) -> str:
    """Line breaks and runs of spaces as single spaces (keeping a leading/trailing one, which separates the parts)."""
    return re.sub(r"\s+", " ", text)


@dataclass(frozen=True)
class Paragraph:
    """One paragraph of an article, with highlights, and whether the view should scroll to it."""

    content: Content
    focus: bool


def article_paragraphs(article: Article, source: Source | None) -> list[Paragraph]:
    """The article's non-blank lines as paragraphs; the cited passage and its supporting sentence highlighted.

    The paragraph holding the supporting sentence (else the passage start) is the one to scroll to.
    """
    passage = (source.hit.passage.start, source.hit.passage.end) if source else None
    support = (source.support_start, source.support_end) if source and source.support_start is not None else None
    target = support[0] if support else (passage[0] if passage else None)
    marks = [(passage, PASSAGE_STYLE), (support, SUPPORT_STYLE)]
    if source is not None and source.quote is not None:  # a cited statement: its cue and speaker too
        from rag.tui.quotes import attribution_spans

        marks += [(span, QUOTE_ATTRIBUTION_STYLE) for span in attribution_spans(article.text, source.quote)]
    out = []
    for start, end in _paragraph_spans(article.text):
        content = Content(article.text[start:end])
        for span, style in marks:
            if span and span[0] < end and span[1] > start:
                content = content.stylize(style, max(span[0], start) - start, min(span[1], end) - start)
        out.append(Paragraph(content, target is not None and start <= target < max(end, start + 1)))
    if target is not None and out and not any(p.focus for p in out):
        out[-1] = Paragraph(out[-1].content, True)  # the target sits in whitespace between paragraphs
    return out


def _paragraph_spans(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each non-blank line; offsets stay those of the article text."""
    pos = 0
    for line in text.splitlines(keepends=True):
        stripped = line.rstrip("\r\n")
        if stripped.strip():
            yield pos, pos + len(stripped)
        pos += len(line)
