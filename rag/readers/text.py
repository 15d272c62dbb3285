"""Plain-text and Markdown articles, with whatever metadata their top lines and name give.

How the title is chosen, in order: a ``Title:`` header or front-matter ``title``; a first-line
Markdown heading (``# ...`` or a line underlined with ``===``); a short first line followed
by more text; else the humanised file name. The title line, when taken from the text, is
removed from the article text (the title is stored separately); everything else is kept
exactly as written, including any dateline, because citations are offsets into the text.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from rag.readers.article import FileOutcome, SkipFile, make_article, normalise_date
from rag.readers.dateline import parse_dateline, starts_with_dateline
from rag.readers.decoding import decode_text
from rag.readers.files import check_not_empty, logical_path
from rag.readers.headers import split_front_matter, split_header_block

# A first line longer than this is a paragraph, not a headline.
MAX_TITLE_CHARS = 150

_ATX_H1 = re.compile(r"^#\s+(.+?)\s*#*\s*$")
_SETEXT_H1 = re.compile(r"^=+\s*$")

# Saved articles are often named like ``gatra-blinken-cairo-2024-03-21.txt``: the words make a
# usable title and the date is the publication date. The date may be written YYYY-MM-DD,
# YYYY_MM_DD, YYYY.MM.DD or YYYYMMDD, not glued to other digits.
_DATE_IN_NAME = re.compile(r"(?<!\d)(\d{4})([-_.]?)(\d{2})\2(\d{2})(?!\d)")
_SEPARATORS = re.compile(r"[\s_\-.+]+")


def _drop_leading_blank(lines: list[str]) -> list[str]:
    start = 0
    while start < len(lines) and not lines[start].strip():
        start += 1
    return lines[start:]


def _take_heading(lines: list[str]) -> tuple[str, list[str]] | None:
    """A Markdown level-1 heading opening ``lines``: ``(heading, lines after it)``."""
    if not lines:
        return None
    match = _ATX_H1.match(lines[0])
    if match:
        return match.group(1).strip(), lines[1:]
    if len(lines) > 1 and lines[0].strip() and _SETEXT_H1.match(lines[1]):
        return lines[0].strip(), lines[2:]
    return None


def _first_line_title(lines: list[str]) -> tuple[str, list[str]] | None:
    """The first line as a title, if it reads like one: short, not a dateline, more text after."""
    if not lines:
        return None
    first = lines[0].strip()
    if len(first) > MAX_TITLE_CHARS or starts_with_dateline(first):
        return None
    rest = lines[1:]
    if not any(line.strip() for line in rest):
        return None  # a one-line file is all body: there is nothing for a title to head
    return first, rest


def date_from_filename(path: Path) -> str | None:
    """The first valid calendar date in the file name, as ``YYYY-MM-DD``, else None."""
    for match in _DATE_IN_NAME.finditer(path.stem):
        year, _, month, day = match.groups()
        try:
            return dt.date(int(year), int(month), int(day)).isoformat()
        except ValueError:
            continue  # 20241399 is a number, not a date
    return None


def title_from_filename(path: Path) -> str:
    """A humanised file stem without its date: ``gatra-blinken-cairo-2024-03-21`` → ``Gatra blinken cairo``.

    The words' case is kept (an acronym stays an acronym); only the first letter is raised.
    Falls back to the bare stem when nothing but a date is left.
    """
    stem = path.stem
    without_date = _DATE_IN_NAME.sub(" ", stem)
    words = _SEPARATORS.sub(" ", without_date).strip()
    if not words:
        return stem
    return words[0].upper() + words[1:]


def parse_text(text: str) -> tuple[dict[str, str], str, str]:
    """Split a text file's content into ``(metadata fields, title or "", body)``.

    The body has ``\\n`` line endings and no leading or trailing blank lines.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = _drop_leading_blank(text.split("\n"))
    fields: dict[str, str] = {}
    parsed = split_front_matter(lines) or split_header_block(lines)
    if parsed is not None:
        fields, lines = parsed
        lines = _drop_leading_blank(lines)
    title = fields.get("title", "")
    heading = _take_heading(lines)
    if heading is not None and (not title or heading[0].casefold() == title.casefold()):
        # A heading repeating the header's title is dropped so the title is not stored twice.
        title, lines = heading[0], heading[1]
    elif not title:
        first = _first_line_title(lines)
        if first is not None:
            title, lines = first
    body = "\n".join(_drop_leading_blank(lines)).rstrip()
    return fields, title, body


def read_text(path: Path, data: bytes) -> FileOutcome:
    """Read one plain-text or Markdown article."""
    text = decode_text(data)
    check_not_empty(text)
    fields, title, body = parse_text(text)
    if not body.strip():
        raise SkipFile("no article text after the title and header lines; add the text below them")
    dateline = parse_dateline(body)
    named = logical_path(path)  # news.txt.gz is titled and dated like news.txt
    article = make_article(
        text=body,
        origin=str(path),
        title=title or title_from_filename(named),
        source=fields.get("source") or (dateline.source if dateline else None),
        url=fields.get("url"),
        date=normalise_date(fields.get("date")) or date_from_filename(named),
        lang=fields.get("lang"),
        place=fields.get("place") or (dateline.place if dateline else None),
        explicit_id=fields.get("id"),
    )
    return FileOutcome(articles=[article])
