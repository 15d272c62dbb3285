"""Choosing the reader for one file, and the checks every file gets before a reader sees it.

Dispatch is by extension, because that is what the user controls and can fix; content is
sniffed only where the extension is ambiguous (``.xml`` may or may not be a feed; a file
with no extension may be a saved HTML page or feed rather than plain text).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from rag.readers import files
from rag.readers.article import FileOutcome, SkipFile
from rag.readers.feeds import looks_like_feed, read_feed
from rag.readers.html import read_html
from rag.readers.jsonfiles import read_json, read_json_prefix, read_jsonl
from rag.readers.text import read_text

Reader = Callable[[Path, bytes], FileOutcome]

# Extension → format. "" is a file without extension, read as plain text unless sniffed otherwise.
FORMATS: dict[str, str] = {
    ".txt": "text",
    ".text": "text",
    ".md": "text",
    ".markdown": "text",
    "": "text",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "json",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".rss": "feed",
    ".atom": "feed",
    ".xml": "xml",
}

_READERS: dict[str, Reader] = {
    "text": read_text,
    "json": read_json,
    "html": read_html,
    "feed": read_feed,
}


def supported_extensions() -> str:
    """The supported extensions, for messages: ``".atom, .htm, ..., and files without one"``."""
    compressed = "/".join(files.COMPRESSIONS)
    return ", ".join(sorted(ext for ext in FORMATS if ext)) + f", and files without an extension; each also as {compressed}"


def _format_of(path: Path) -> str:
    """The format for ``path`` by its extension, or :class:`SkipFile` if none is supported."""
    suffix = files.logical_path(path).suffix.lower()
    if suffix not in FORMATS:
        raise SkipFile(f"unsupported file type {suffix!r}; supported: {supported_extensions()}")
    return FORMATS[suffix]


def _sniff(fmt: str, data: bytes) -> str:
    """Refine an ambiguous format (``xml``, or ``text`` for a file without extension) by content."""
    head = data[: files.SNIFF_BYTES]
    if looks_like_feed(head):
        return "feed"
    start = head.removeprefix(b"\xef\xbb\xbf").lstrip().lower()
    if start.startswith((b"<!doctype html", b"<html")) or (fmt == "xml" and b"<html" in start[:1024]):
        return "html"  # a saved page without extension, or XHTML saved as .xml
    if fmt == "xml":
        raise SkipFile("an XML file that is not an RSS or Atom feed; only feeds are read from .xml files")
    return fmt


def read_file(path: Path, *, max_file_bytes: int, max_decompressed_bytes: int = files.DEFAULT_MAX_DECOMPRESSED_BYTES) -> FileOutcome:
    """Read one file with the reader for its format (decompressing ``.gz``/``.bz2``/``.xz``).

    Raises :class:`SkipFile` for a file that yields nothing usable, and lets OSError (e.g.
    permission denied) through for the caller to word; a reader's own bug surfaces as
    whatever it raised, which the caller reports per file.
    """
    fmt = _format_of(path)
    if fmt == "jsonl":
        # Streamed line by line, so exempt from the whole-file limit (a corpus dump may be
        # many gigabytes); each line is held to the limit instead.
        return read_jsonl(path, max_file_bytes, max_decompressed_bytes)
    data, truncated = files.read_limited(path, max_file_bytes)
    files.check_not_empty(data)
    files.check_not_binary(data[: files.SNIFF_BYTES])
    if fmt == "xml" or (fmt == "text" and files.logical_path(path).suffix == ""):
        fmt = _sniff(fmt, data)
    if truncated:
        if fmt == "json":
            return read_json_prefix(path, data)  # the complete records before the cut
        raise SkipFile(f"{files.TRUNCATED}; one {fmt} article cannot be read from part of it. {files.TRUNCATED_ADVICE}")
    return _READERS[fmt](path, data)
