"""What every reader produces: articles built in one place, and a per-file outcome.

Articles are built only by :func:`make_article`, so that ids, content hashes, dates and
languages mean the same thing whatever format an article came from.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from rag import ids
from rag.hygiene import Repairs, clean_text, display_path
from rag.language import detect_language
from rag.languages import ENGLISH, INDONESIAN
from rag.limits import DEFAULT_MAX_ARTICLE_CHARS
from rag.types import Article, Problem

# Metadata fields are short by nature; a "title" of a megabyte is a broken record.
_MAX_FIELD_CHARS = 1_000
_MAX_DATE_CHARS = 100


class SkipFile(Exception):
    """Raised by a reader when a whole file yields nothing usable.

    The caller turns it into a :class:`~rag.types.Problem` for that file. It is an exception
    rather than a return value so that helpers deep inside a reader (decoding, size checks)
    can give up without every caller threading a result back.
    """

    def __init__(self, reason: str, lines: tuple[int, ...] = ()) -> None:
        super().__init__(reason)
        self.reason = reason
        self.lines = lines


@dataclass
class ReadSession:
    """The limits of one :func:`rag.readers.read_paths` call and what hygiene did during it.

    ``make_article`` finds it through a context variable, so the readers (which all build their
    articles with ``make_article``) need not thread it through every call.
    """

    max_article_chars: int = DEFAULT_MAX_ARTICLE_CHARS
    repairs: Repairs = field(default_factory=Repairs)
    warnings: list[Problem] = field(default_factory=list)


_SESSION: ContextVar[ReadSession | None] = ContextVar("rag_read_session", default=None)


@contextmanager
def reading(session: ReadSession) -> Iterator[ReadSession]:
    """Make ``session`` the one ``make_article`` reports to, for the duration of the block."""
    token = _SESSION.set(session)
    try:
        yield session
    finally:
        _SESSION.reset(token)


@dataclass
class FileOutcome:
    """The articles one file gave, and the parts of it (lines, entries) that were skipped."""

    articles: list[Article] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


_ISO_DATE = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})(?:$|[T\s])")
_LANG_TAG = re.compile(r"^([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]+)*$")

# Two defaults that differ in every field: a date component the text does not give comes
# out differently under each, which is how an incomplete date ("March 2024") is recognised.
_ENGLISH_MONTHS = {number: name.title() for name, number in ENGLISH.months.items()}  # what dateutil reads
_DEFAULT_A = dt.datetime(2001, 1, 1)
_DEFAULT_B = dt.datetime(2002, 2, 2)

# Indonesian month and day names, which dateutil does not know, for dates such as
# "Kamis, 21 Maret 2024" in Indonesian news (English names for the months, day names dropped).
_ID_WORDS = {
    **{name: _ENGLISH_MONTHS[number] for name, number in INDONESIAN.months.items()},
    **dict.fromkeys(INDONESIAN.days, ""),
    "wib": "", "wita": "", "wit": "",
}  # fmt: skip
_ID_WORD = re.compile(r"\b(" + "|".join(_ID_WORDS) + r")\b", re.IGNORECASE)


def normalise_date(value: object) -> str | None:
    """``value`` as an ISO ``YYYY-MM-DD`` date, or None when it is not a complete date.

    The calendar date is the one written (a timezone is not converted to UTC: a story dated
    "21 March, 02:00 +07:00" is a 21 March story).
    """
    if value is None:
        return None
    text = str(value).strip()
    if not text or len(text) > _MAX_DATE_CHARS:
        return None  # no date is written in a hundred characters or more
    match = _ISO_DATE.match(text)
    if match:
        try:
            return dt.date(*map(int, match.groups())).isoformat()
        except ValueError:
            return None
    from dateutil import parser  # lazy: only needed for non-ISO dates

    text = _ID_WORD.sub(lambda m: _ID_WORDS[m.group(1).lower()], text)
    # "Kamis, 21 Maret 2024 | 9.30 WIB": a separator bar and a dotted time, as Indonesian portals write them.
    text = re.sub(r"(?<=\s)(\d{1,2})\.(\d{2})(?=\s|$)", r"\1:\2", text.replace("|", " "))
    try:
        first = parser.parse(text, default=_DEFAULT_A)
        second = parser.parse(text, default=_DEFAULT_B)
    except (ValueError, OverflowError, TypeError):
        return None
    if first.date() != second.date():
        return None  # some of year/month/day came from the defaults, not the text
    return first.date().isoformat()


# Indonesian outlets write their time zone: WIB (western, UTC+7), WITA (central, +8), WIT (eastern, +9).
_ZONES = {"wib": "+07:00", "wita": "+08:00", "wit": "+09:00", "utc": "+00:00", "gmt": "+00:00", "z": "+00:00"}
_ZONE = re.compile(r"(?<![\w])(WIB|WITA|WIT|UTC|GMT)(?![\w])|(?<=\d)(Z)$", re.IGNORECASE)
_TIME = re.compile(r"(?<![\d.:/-])(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?(?![.:]?\d)")
_OFFSET = re.compile(r"([+-])(\d{2}):?(\d{2})$")


def normalise_timestamp(value: object) -> str | None:
    """``value`` as an ISO 8601 timestamp with its offset ("21 Maret 2024 14:05 WIB" →
    ``2024-03-21T14:05:00+07:00``), or None when it gives no time of day or no complete date.

    A time without a zone stays without an offset (local time of the outlet, unknown): nothing is guessed.
    """
    day = normalise_date(value)
    if day is None:
        return None
    text = str(value).strip()
    zone = _ZONE.search(text)
    offset = _ZONES[(zone.group(1) or zone.group(2)).lower()] if zone else None
    rest = text[: zone.start()].strip() if zone else text
    if offset is None and (m := _OFFSET.search(rest)):
        offset, rest = f"{m.group(1)}{m.group(2)}:{m.group(3)}", rest[: m.start()]
    times = [t for t in _TIME.finditer(rest[10:] if _ISO_DATE.match(rest) else rest)]
    if not times:
        return None
    hour, minute, second = int(times[-1].group(1)), int(times[-1].group(2)), int(times[-1].group(3) or 0)
    if hour > 23 or minute > 59 or second > 59:
        return None
    return f"{day}T{hour:02d}:{minute:02d}:{second:02d}{offset or ''}"


def normalise_lang(value: object) -> str | None:
    """A language tag's primary subtag in lower case (``"en-US"`` → ``"en"``); other text as is."""
    if value is None:
        return None
    text = str(value).strip()
    if not text:
        return None
    match = _LANG_TAG.match(text)
    return match.group(1).lower() if match else text.lower()


def _clean(value: object, repairs: Repairs | None = None) -> str | None:
    """Optional string fields: cleaned, bounded, stripped; empty means unknown."""
    if value is None:
        return None
    text = clean_text(str(value)[: _MAX_FIELD_CHARS * 2], repairs)[:_MAX_FIELD_CHARS].strip()
    return text or None


def _cut(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters, at a paragraph or sentence end when one is near."""
    head = text[:limit]
    floor = limit * 9 // 10  # look back at most 10% for a clean place to stop
    for mark in ("\n", ". ", " "):
        at = head.rfind(mark, floor)
        if at > 0:
            return head[: at + 1].rstrip()
    return head


def make_article(
    *,
    text: str,
    origin: str,
    title: object = "",
    source: object = None,
    url: object = None,
    date: object = None,
    lang: object = None,
    place: object = None,
    explicit_id: object = None,
) -> Article:
    """Build an article with a stable id, a content hash, an ISO date and a language.

    ``text`` is stored as given after text hygiene (:mod:`rag.hygiene`; citations are character
    offsets into the stored text), cut to the session's ``max_article_chars`` with a warning.
    ``lang`` is the data's own language when given, else detected from ``text``.
    """
    session = _SESSION.get() or ReadSession()
    repairs = session.repairs
    origin = display_path(origin)
    text = clean_text(text, repairs)
    if not text.strip():
        raise SkipFile("no article text once control characters are removed; add the article text")
    if len(text) > session.max_article_chars:
        kept = _cut(text, session.max_article_chars)
        session.warnings.append(
            Problem(
                origin,
                f"the article {_clean(title) or ''!r} is {len(text):,} characters long, over the limit of "
                f"{session.max_article_chars:,}; only its first {len(kept):,} characters were kept "
                "(raise --max-article-chars to keep more)",
                warning=True,
            )
        )
        text = kept
    title_s = _clean(title, repairs) or ""
    source_s = _clean(source, repairs)
    url_s = _clean(url, repairs)
    date_s = normalise_date(date)
    published = normalise_timestamp(date)
    explicit = _clean(explicit_id, repairs)
    return Article(
        id=ids.article_id(explicit=explicit, url=url_s, source=source_s, title=title_s, text=text),
        title=title_s,
        text=text,
        source=source_s,
        url=url_s,
        date=date_s,
        lang=normalise_lang(_clean(lang, repairs)) or detect_language(text),
        place=_clean(place, repairs),
        origin=origin,
        content_hash=ids.content_hash(title=title_s, text=text, source=source_s, url=url_s, date=date_s),
        published=published,
    )
