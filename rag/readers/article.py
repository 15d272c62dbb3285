"""What every reader produces: articles built in one place, and a per-file outcome.

Articles are built only by :func:`make_article`, so that ids, content hashes, dates and
languages mean the same thing whatever format an article came from.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from rag import ids
from rag.language import detect_language
from rag.languages import ENGLISH, INDONESIAN
from rag.types import Article, Problem


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
    if not text:
        return None
    match = _ISO_DATE.match(text)
    if match:
        try:
            return dt.date(*map(int, match.groups())).isoformat()
        except ValueError:
            return None
    from dateutil import parser  # lazy: only needed for non-ISO dates

    text = _ID_WORD.sub(lambda m: _ID_WORDS[m.group(1).lower()], text)
    try:
        first = parser.parse(text, default=_DEFAULT_A)
        second = parser.parse(text, default=_DEFAULT_B)
    except (ValueError, OverflowError, TypeError):
        return None
    if first.date() != second.date():
        return None  # some of year/month/day came from the defaults, not the text
    return first.date().isoformat()


def normalise_lang(value: object) -> str | None:
    """A language tag's primary subtag in lower case (``"en-US"`` → ``"en"``); other text as is."""
    if value is None:
        return None
    text = str(value).strip()
    if not text:
        return None
    match = _LANG_TAG.match(text)
    return match.group(1).lower() if match else text.lower()


def _clean(value: object) -> str | None:
    """Optional string fields: strip whitespace, and treat empty as unknown."""
    if value is None:
        return None
    text = str(value).strip()
    return text or None


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

    ``text`` is stored exactly as given: citations are character offsets into it.
    ``lang`` is the data's own language when given, else detected from ``text``.
    """
    title_s = _clean(title) or ""
    source_s = _clean(source)
    url_s = _clean(url)
    date_s = normalise_date(date)
    explicit = _clean(explicit_id)
    return Article(
        id=ids.article_id(explicit=explicit, url=url_s, source=source_s, title=title_s, text=text),
        title=title_s,
        text=text,
        source=source_s,
        url=url_s,
        date=date_s,
        lang=normalise_lang(lang) or detect_language(text),
        place=_clean(place),
        origin=origin,
        content_hash=ids.content_hash(title=title_s, text=text, source=source_s, url=url_s, date=date_s),
    )
