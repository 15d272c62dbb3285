"""RSS and Atom feed files: one article per entry.

An entry's text is its full content when the feed carries it, else its summary, with the
HTML removed. Many feeds carry only a teaser; such entries are still read (a teaser is what
the user has), and entries with no text at all are reported by title.
"""

from __future__ import annotations

import io
import re
import time
from pathlib import Path
from typing import Any

from rag.readers.article import FileOutcome, SkipFile, make_article, normalise_date
from rag.readers.htmltext import html_to_text
from rag.types import Problem

# The root element of a feed, after any XML declaration, comments and doctype.
_FEED_ROOT = re.compile(rb"^(?:\s|<\?[^>]*\?>|<!--.*?-->|<!DOCTYPE[^>]*>)*<(?:[\w-]+:)?(rss|feed|RDF)\b", re.DOTALL)


def looks_like_feed(head: bytes) -> bool:
    """Whether a file starting with ``head`` is an RSS, Atom or RSS 1.0 (RDF) feed."""
    return _FEED_ROOT.match(head.removeprefix(b"\xef\xbb\xbf")) is not None


# An entry body longer than this is not one article's HTML; only its start is read (the article
# limit then applies to the text). Bounds the work one entry can cost.
MAX_ENTRY_HTML_CHARS = 2_000_000


def _entry_text(entry: Any) -> str:
    """The entry's longest body: full content (any of several) or else its summary."""
    bodies = [str(part.get("value") or "")[:MAX_ENTRY_HTML_CHARS] for part in entry.get("content") or []]
    text = max((html_to_text(body) for body in bodies), key=len, default="")
    return text or html_to_text(str(entry.get("summary") or "")[:MAX_ENTRY_HTML_CHARS])


def _entry_date(entry: Any) -> str | None:
    """The entry's date as written (local calendar day); feedparser's parsed form is UTC."""
    for key in ("published", "updated", "created"):
        date = normalise_date(entry.get(key))
        if date:
            return date
    for key in ("published_parsed", "updated_parsed"):
        parsed = entry.get(key)
        if parsed:
            return time.strftime("%Y-%m-%d", parsed)
    return None


def _entry_url(entry: Any) -> str | None:
    """The entry's link; failing that a URL-shaped guid (RSS permalinks often live there)."""
    link = entry.get("link")
    if link:
        return str(link)
    guid = entry.get("id") or ""
    return guid if guid.startswith(("http://", "https://")) else None


def read_feed(path: Path, data: bytes) -> FileOutcome:
    """Read every entry of an RSS or Atom feed file."""
    import feedparser  # lazy: only feed input needs it

    # A byte stream, never a str or bytes: feedparser treats a string as a URL or file
    # name to open, which must not happen with file content.
    parsed = feedparser.parse(io.BytesIO(data))
    if not parsed.get("version") and not parsed.entries:
        error = parsed.get("bozo_exception")
        detail = f" ({error})" if error else ""
        raise SkipFile(f"not a valid RSS or Atom feed{detail}; check that the file is the feed itself")
    if not parsed.entries:
        raise SkipFile("the feed has no entries; nothing to read")
    feed = parsed.get("feed", {})
    source = feed.get("title")
    feed_lang = feed.get("language")
    outcome = FileOutcome()
    textless: list[str] = []
    failed: list[str] = []
    for number, entry in enumerate(parsed.entries, 1):
        try:
            title = html_to_text(str(entry.get("title") or "")[:10_000]).replace("\n", " ")
            text = _entry_text(entry)
            if not text:
                textless.append(f"'{title[:80]}'" if title else f"entry {number}")
                continue
            content_lang = next((c.get("language") for c in entry.get("content") or [] if c.get("language")), None)
            outcome.articles.append(
                make_article(
                    text=text,
                    origin=str(path),
                    title=title,
                    source=source,
                    url=_entry_url(entry),
                    date=_entry_date(entry),
                    lang=content_lang or feed_lang,
                )
            )
        except SkipFile:  # its text was nothing but control characters
            textless.append(f"entry {number}")
        except Exception as exc:  # one entry's surprise must not cost the feed its other entries
            failed.append(f"entry {number} ({type(exc).__name__}: {str(exc)[:100]})")
    if failed:
        outcome.problems.append(
            Problem(str(path), f"{len(failed)} feed entr{'ies' if len(failed) != 1 else 'y'} could not be read "
                    f"(unexpected error): {', '.join(failed[:10])}; the other entries were read; please report this with the file")
        )
    if textless:
        count = f"{len(textless)} feed {'entries have' if len(textless) != 1 else 'entry has'}"
        outcome.problems.append(
            Problem(str(path), f"{count} no text (no content or summary): {', '.join(textless[:10])}")
        )
    return outcome
