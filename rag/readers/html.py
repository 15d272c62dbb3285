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
from rag.readers.files import check_not_empty

# Fewer words than this after the title is not a story but navigation scraps.
MIN_ARTICLE_WORDS = 5

_HTML_LANG = re.compile(r"""<html\b[^>]*?\blang\s*=\s*["']?([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]+)*)""", re.IGNORECASE)


def _page_lang(page: str) -> str | None:
    """The language the page declares on its ``<html lang=...>`` element, if any."""
    match = _HTML_LANG.search(page[:4096])
    return match.group(1) if match else None


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
        lang=_field(document, "language") or _page_lang(page),
    )
    return FileOutcome(articles=[article])
