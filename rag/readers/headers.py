"""Metadata written at the top of a text file: ``Key: value`` headers or ``---`` front matter.

Both are parsed by hand: the format is a handful of flat ``key: value`` lines, and a YAML
dependency (with its surprises, e.g. ``no`` meaning false) buys nothing here.
"""

from __future__ import annotations

import re

# Header names a user may write, mapped to the article field they set. Anything else
# means the top of the file is not a header block (a body may well open with "Note: ...").
FIELD_NAMES: dict[str, str] = {
    "title": "title",
    "headline": "title",
    "date": "date",
    "published": "date",
    "source": "source",
    "publisher": "source",
    "url": "url",
    "link": "url",
    "lang": "lang",
    "language": "lang",
    "place": "place",
    "id": "id",
    "author": "author",
}

_HEADER_LINE = re.compile(r"^([A-Za-z][A-Za-z _-]{0,30}):[ \t]*(.*?)\s*$")
_FRONT_MATTER_FENCE = "---"
_FRONT_MATTER_END = ("---", "...")


def _field(key: str) -> str | None:
    return FIELD_NAMES.get(key.strip().lower().replace(" ", "_"))


def _unquote(value: str) -> str:
    """``"A title"`` or ``'A title'`` → ``A title``, as YAML would read a quoted scalar."""
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


def split_header_block(lines: list[str]) -> tuple[dict[str, str], list[str]] | None:
    """Parse a ``Key: value`` block that opens ``lines`` and is ended by a blank line.

    Returns ``(fields, remaining_lines)``, or None when the file does not open with such a
    block: every line before the blank line must be a header with a known name, so that a
    body which merely starts with a colon ("Update: ...") is left alone.
    """
    fields: dict[str, str] = {}
    for index, line in enumerate(lines):
        if not line.strip():
            if not fields:
                return None
            return fields, lines[index + 1 :]
        match = _HEADER_LINE.match(line)
        if match is None:
            return None
        name = _field(match.group(1))
        if name is None:
            return None
        value = match.group(2).strip()
        if value:
            fields.setdefault(name, value)  # the first of repeated headers wins
    return None  # no blank line: a file of nothing but headers has no body to read


def split_front_matter(lines: list[str]) -> tuple[dict[str, str], list[str]] | None:
    """Parse Markdown front matter (``---`` … ``---``) that opens ``lines``.

    Only flat ``key: value`` lines are read; lists, nested keys and unknown keys are skipped.
    Returns ``(fields, remaining_lines)``, or None without a complete front-matter block.
    """
    if not lines or lines[0].strip() != _FRONT_MATTER_FENCE:
        return None
    fields: dict[str, str] = {}
    for index in range(1, len(lines)):
        line = lines[index]
        if line.strip() in _FRONT_MATTER_END:
            return fields, lines[index + 1 :]
        match = _HEADER_LINE.match(line)
        if match is None:
            continue  # list items, nested values, comments: not ours to understand
        name = _field(match.group(1))
        value = _unquote(match.group(2).strip())
        if name is not None and value:
            fields.setdefault(name, value)
    return None  # an opening fence without a closing one is a horizontal rule, not metadata
