"""Saved news article pages: the article's text and metadata, without the page around it.

trafilatura does the hard part (telling the story from navigation, footers, related links
and comments) and reads the title, date, canonical URL and site name from the page's
metadata. Pages with no story in them (index pages, pages that need JavaScript) are reported.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from rag.readers.article import FileOutcome, SkipFile, make_article
from rag.readers.decoding import declared_html_charset, decode_text
from rag.readers.files import check_not_empty, format_size
from rag.types import Problem

# Fewer words than this after the title is not a story but navigation scraps.
MIN_ARTICLE_WORDS = 5

MAX_EXTRACT_CHARS = 400_000
MAX_EXTRACT_TAGS = 15_000
"""The most markup (characters, and tags) handed to trafilatura, after scripts, styles, comments
and SVG are removed. trafilatura's time grows faster than linearly with the number of elements
(measured: 0.5 s for 250 KB of comment-list markup, 1.6 s for 500 KB, 7.6 s for 1 MB), while a
saved news page is 50–300 KB once its scripts are gone. A bigger page is searched from its
``<article>`` (else ``<main>``, else first ``<h1>``) on, its ``<head>`` kept for the metadata,
with a warning. This bounds the time one page can cost to about a second."""
FAST_EXTRACT_CHARS = 200_000
"""Above this much markup, trafilatura runs without its slower fallback extractors."""

# Elements whose content is never article text and often most of a page's bytes.
_BULK = ("script", "style", "svg", "noscript", "template")

_HTML_LANG = re.compile(r"""<html\b[^>]*?\blang\s*=\s*["']?([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]+)*)""", re.IGNORECASE)


def _page_lang(page: str) -> str | None:
    """The language the page declares on its ``<html lang=...>`` element, if any."""
    match = _HTML_LANG.search(page[:4096])
    return match.group(1) if match else None


def strip_bulk(page: str) -> str:
    """``page`` without comments and the elements in ``_BULK`` (content and all), in linear time.

    Done with ``str.find`` rather than a regex: ``<script.*?</script>`` rescans the rest of the
    page for every unclosed ``<script``, which is quadratic on a hostile page.
    """
    lower = page.lower()
    if not any(f"<{tag}" in lower for tag in _BULK) and "<!--" not in lower:
        return page
    out: list[str] = []
    pos, n = 0, len(page)
    openers = {f"<{tag}": f"</{tag}" for tag in _BULK} | {"<!--": "-->"}
    nexts = {opener: lower.find(opener) for opener in openers}
    while pos < n:
        for opener in openers:
            if 0 <= nexts[opener] < pos:
                nexts[opener] = lower.find(opener, pos)
        found = [(at, opener) for opener, at in nexts.items() if at >= 0]
        if not found:
            break
        at, opener = min(found)
        out.append(page[pos:at])
        close = lower.find(openers[opener], at + len(opener))
        if close < 0:
            pos = n  # unclosed: the rest of the page is inside it
            break
        end = lower.find(">", close) if opener != "<!--" else close + 2
        pos = n if end < 0 else end + 1
    out.append(page[pos:])
    return "".join(out)


def _window(page: str) -> str:
    """At most ``MAX_EXTRACT_CHARS`` and ``MAX_EXTRACT_TAGS`` of ``page``: its head, then the body from where the story starts."""
    if len(page) <= MAX_EXTRACT_CHARS and page.count("<") <= MAX_EXTRACT_TAGS:
        return page
    lower = page.lower()
    head_end = lower.find("</head>", 0, MAX_EXTRACT_CHARS // 4)
    head = page[: head_end + len("</head>")] if head_end >= 0 else ""
    start = next((at for tag in ("<article", "<main", "<h1") if (at := lower.find(tag, len(head))) >= 0), len(head))
    budget = MAX_EXTRACT_CHARS - len(head)
    end = min(len(page), start + budget)
    tags, at = 0, start
    while tags < MAX_EXTRACT_TAGS:
        at = page.find("<", at + 1, end)
        if at < 0:
            break
        tags += 1
    else:
        end = at
    return head + page[start:end]


def _extract(page: str) -> Any:
    """trafilatura's reading of the page (a ``Document``), or None when it finds no story."""
    import trafilatura  # lazy: a heavy import only HTML input needs

    return trafilatura.bare_extraction(
        page,
        with_metadata=True,
        include_comments=False,  # reader comments are not the article
        include_tables=True,
        include_images=False,
        include_links=False,
        fast=len(page) > FAST_EXTRACT_CHARS,
    )


def _field(document: Any, name: str) -> Any:
    """A field of trafilatura's result, which is a Document in 2.x and a dict in 1.x."""
    if isinstance(document, dict):
        return document.get(name)
    return getattr(document, name, None)


def _drop_repeated_title(text: str, title: str) -> str:
    """Remove a first line that just repeats the title (trafilatura keeps the ``<h1>``)."""
    first, _, rest = text.partition("\n")
    if title and first.strip().casefold() == title.strip().casefold():
        return rest.lstrip("\n")
    return text


def read_html(path: Path, data: bytes) -> FileOutcome:
    """Read one saved HTML article page."""
    page = decode_text(data, declared=declared_html_charset(data))
    check_not_empty(page)
    lang = _page_lang(page)
    page = strip_bulk(page)
    outcome = FileOutcome()
    window = _window(page)
    if len(window) < len(page):
        outcome.problems.append(
            Problem(
                str(path),
                f"the page holds {format_size(len(page))} of markup besides its scripts and styles; only "
                f"{format_size(len(window))} of it, from where the story starts, were searched for the article "
                "(a news page is rarely over 300 KB)",
                warning=True,
            )
        )
        page = window
    document = _extract(page)
    title = ((_field(document, "title") or "") if document is not None else "").strip()
    text = ((_field(document, "text") or "") if document is not None else "").strip()
    text = _drop_repeated_title(text, title)
    # On a page with no story, trafilatura's fallbacks return scraps such as a lone "Home"
    # link; a handful of words is never an article.
    if len(text.split()) < MIN_ARTICLE_WORDS:
        raise SkipFile(
            "no article text found in this HTML page (an index page, or one that needs JavaScript?); "
            "save the article page itself, or paste its text into a .txt file"
        )
    article = make_article(
        text=text,
        origin=str(path),
        title=title,
        source=_field(document, "sitename") or _field(document, "hostname"),
        url=_field(document, "url"),
        date=_field(document, "date"),
        lang=_field(document, "language") or lang,
    )
    outcome.articles.append(article)
    return outcome
