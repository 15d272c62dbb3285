"""Content-derived identities, so that ingesting the same input twice changes nothing."""

from __future__ import annotations

import hashlib


def _digest(*parts: str | None) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update((part or "").encode("utf-8"))
        h.update(b"\x1f")  # unit separator: ("ab", "c") and ("a", "bc") must differ
    return h.hexdigest()


def article_id(*, explicit: str | None, url: str | None, source: str | None, title: str, text: str) -> str:
    """The id an article keeps across re-ingests and edits.

    A corpus's own id wins (evaluation sets refer to it), then the URL (an edited page keeps its
    URL, so the edit replaces the old version), then a hash of source, title and text.
    """
    if explicit:
        return str(explicit)
    if url:
        return "u-" + _digest(url.strip())[:16]
    return "h-" + _digest(source, title, text)[:16]


def content_hash(*, title: str, text: str, source: str | None, url: str | None, date: str | None) -> str:
    """Changes whenever anything stored about the article changes."""
    return _digest(title, text, source, url, date)[:32]
