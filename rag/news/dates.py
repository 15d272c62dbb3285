"""Dates named in a sentence, resolved against the article's own date.

"pada hari Kamis" in an article of Friday 22 March 2024 is Thursday 21 March; "Senin (13/04/2020)"
and "(13/4)" are explicit. A weekday is taken as the most recent one on or before the article date:
news reports what happened, so "Thursday" in a Friday paper is yesterday, not next week.
"""

from __future__ import annotations

import re
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
