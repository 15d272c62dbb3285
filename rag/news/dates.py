"""Dates named in a sentence, resolved against the article's own date.

"pada hari Kamis" in an article of Friday 22 March 2024 is Thursday 21 March; "Senin (13/04/2020)"
and "(13/4)" are explicit. A weekday is taken as the most recent one on or before the article date:
news reports what happened, so "Thursday" in a Friday paper is yesterday, not next week.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

_NUMERIC = re.compile(r"\((\d{1,2})/(\d{1,2})(?:/(\d{2,4}))?\)")


def parse_iso(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def resolve_weekday(weekday: int, article_date: date) -> date:
    """The latest date on or before ``article_date`` falling on ``weekday`` (Monday = 0)."""
    return article_date - timedelta(days=(article_date.weekday() - weekday) % 7)


def date_in(sentence: str, article_date: date | None, weekdays: list[str]) -> date | None:
    """The date a sentence names, else None. ``weekdays`` are the language's names, Monday first."""
    if m := _NUMERIC.search(sentence):
        day, month = int(m.group(1)), int(m.group(2))
        year = int(m.group(3)) if m.group(3) else (article_date.year if article_date else None)
        if year is not None and year < 100:
            year += 2000
        if year is not None and 1 <= month <= 12:
            try:
                found = date(year, month, day)
            except ValueError:
                found = None
            if found is not None:
                if not m.group(3) and article_date and found > article_date:  # "(28/12)" in a January paper
                    found = found.replace(year=found.year - 1)
                return found
    if article_date is None:
        return None
    # Capitalised only: Indonesian "minggu" is also "week" ("minggu ini"), the day is "Minggu".
    words = set(re.findall(r"\w+", sentence))
    for i, name in enumerate(weekdays):
        if name.capitalize() in words:
            return resolve_weekday(i, article_date)
    return None


# -- every date an article's sentences name (stored per sentence: rag/news/date_store.py) --------------


@dataclass(frozen=True)
class SentenceDate:
    """The date one sentence of an article names, resolved against the article's date.

    ``start``/``end`` are the sentence's offsets in the article text, ``expr_start``/``expr_end``
    those of the words that gave the date ("pada hari Kamis", "(13/04/2020)", "kemarin")."""

    start: int
    end: int
    date: str
    expr_start: int
    expr_end: int
    kind: str
    """explicit | weekday | relative"""


def _weekday_pattern(lang: str) -> re.Pattern[str]:
    from rag.news.timeframe import time_words

    w = time_words(lang)
    names = "|".join(w["weekdays"])
    before = "|".join(map(re.escape, sorted(w["weekday_before"], key=len, reverse=True)))
    after = "|".join(map(re.escape, w["weekday_after"])) or "(?!x)x"
    # Capitalised day names only: Indonesian "minggu" is also "week" ("minggu ini"), the day is "Minggu".
    cap = "|".join(n.capitalize() for n in w["weekdays"])
    return re.compile(rf"(?<![\w-])(?:(?i:{before}) (?P<a>{cap})|(?P<b>{cap})(?: (?i:{after}))?)(?![\w-])|(?i:(?:last|on) (?P<c>{names}))(?![\w-])")


_EXPLICIT = re.compile(r"(?<![\w/.-])(?:\(\s*)?(\d{1,2})/(\d{1,2})(?:/(\d{2,4}))?(?:\s*\))?(?![\w/.-]|,\d)")


def _explicit(text: str, article_date: date | None) -> list[tuple[int, int, date]]:
    """Written dates: "(13/04/2020)", "21/3", "21 Maret 2024", "March 21", "2024-03-21"."""
    from rag.news.timeframe import named_date

    base = article_date or date.max.replace(year=9000)
    out: list[tuple[int, int, date]] = []
    for m in _EXPLICIT.finditer(text):
        day, month = int(m.group(1)), int(m.group(2))
        year = int(m.group(3)) if m.group(3) else (article_date.year if article_date else None)
        if year is None or not 1 <= month <= 12:
            continue
        year += 2000 if year < 100 else 0
        try:
            found = date(year, month, day)
        except ValueError:
            continue
        if not m.group(3) and article_date and found > article_date:  # "(28/12)" in a January paper
            found = found.replace(year=found.year - 1)
        out.append((m.start(), m.end(), found))
    for m in re.finditer(r"(?<![\w-])(?=\d|[A-Za-z])", text):
        if any(s <= m.start() < e for s, e, _ in out):
            continue
        named = named_date(text[m.start() : m.start() + 40], base)
        if named is not None and named[2] == "day" and (article_date is not None or re.search(r"\d{4}", text[m.start() : m.start() + named[3]])):
            out.append((m.start(), m.start() + named[3], named[0]))
    return out


def text_dates(text: str, article_date: date | None, lang: str | None) -> list[tuple[int, int, date, str]]:
    """Every date ``text`` names: (start, end, date, kind), in text order.

    Written dates first; a weekday ("pada hari Kamis", "on Thursday", "last Friday", "Jumat lalu")
    is the latest such day on or before the article's date (before it, for "last"); a relative day
    ("kemarin", "yesterday", "hari ini") is counted from the article's date. Without an article date
    only dates that carry their year are resolved.
    """
    from rag.news.timeframe import _languages, time_words

    found = [(s, e, d, "explicit") for s, e, d in _explicit(text, article_date)]
    taken = lambda s, e: any(s < fe and fs < e for fs, fe, _, _ in found)  # noqa: E731
    if article_date is not None:
        for code in dict.fromkeys([lang or "en", *_languages()]):
            w = time_words(code)
            for m in _weekday_pattern(code).finditer(text):
                name = (m.group("a") or m.group("b") or m.group("c")).lower()
                if taken(m.start(), m.end()):
                    continue
                if name == "minggu" and not m.group("a") and re.match(r"minggu\s+(ini|lalu|depan|kemarin|pertama|kedua)\b", text[m.start() :], re.IGNORECASE):
                    continue  # "Minggu lalu" at a sentence start is "last week"
                if any(0 <= fs - m.end() <= 3 for fs, _, _, k in found if k == "explicit"):
                    continue  # "Senin (13/04/2020)": the written date says it
                last = m.group(0).lower().startswith("last") or any(m.group(0).lower().endswith(" " + a) for a in w["weekday_after"])
                weekday = w["weekdays"].index(name)
                if not last and _future(text, m.start(), w["future"]):
                    d = article_date + timedelta(days=(weekday - article_date.weekday()) % 7)
                else:
                    d = resolve_weekday(weekday, article_date - timedelta(days=1) if last else article_date)
                found.append((m.start(), m.end(), d, "weekday"))
            words = "|".join(map(re.escape, sorted(w["text_relative"], key=len, reverse=True)))
            for m in re.finditer(rf"(?<![\w-])(?:{words})(?![\w-])", text, re.IGNORECASE):
                if not taken(m.start(), m.end()):
                    found.append((m.start(), m.end(), article_date + timedelta(days=w["text_relative"][m.group(0).lower()]), "relative"))
    return sorted(found, key=lambda f: f[0])


def _future(text: str, at: int, markers: list[str]) -> bool:
    """A future marker ("akan", "will") in the same sentence before ``at``: the day is still to come."""
    start = max(text.rfind(". ", 0, at), text.rfind("\n", 0, at), at - 200, 0)
    head = text[start:at].lower()
    return any(re.search(rf"(?<![\w-]){re.escape(marker)}(?![\w-])", head) for marker in markers)


_PRIORITY = {"explicit": 0, "weekday": 1, "relative": 2}


def sentence_dates(text: str, article_date: str | None, lang: str | None) -> list[SentenceDate]:
    """One row per sentence of ``text`` that names a date: the most explicit (then first) date it names."""
    from rag.chunking import split_sentences

    mentions = text_dates(text, parse_iso(article_date), lang)
    out: list[SentenceDate] = []
    i = 0
    for span in split_sentences(text):
        while i < len(mentions) and mentions[i][0] < span.start:
            i += 1
        inside = [m for m in mentions[i:] if m[0] < span.end]
        if inside:  # a written date says more than a weekday, a weekday more than "today"
            s, e, d, kind = min(inside, key=lambda m: (_PRIORITY[m[3]], m[0]))
            out.append(SentenceDate(span.start, span.end, d.isoformat(), s, e, kind))
    return out
