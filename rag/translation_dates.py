"""Dates and clock times a translation rightly rewrites, so the digit check does not count them lost.

Indonesian news writes a dateline's day and month as "Selasa (18/10)" and a time as "pukul 08.06";
a good English translation writes "Tuesday (October 18)" or "18 October" and "8:06 AM". The digits
check (``rag.translation_terms.lost_fact``) compares digit strings, so it rejected those; on the
news dev questions they were the commonest false rejection for digits. A date or time is set aside
only when the translation has the same day and month (the same hour and minute), so a changed date
still fails.
"""

from __future__ import annotations

import functools
import re

_DAY_MONTH = re.compile(r"\((\d{1,2})\s*/\s*(\d{1,2})\)")
"""The dateline's "(18/10)", day first; only in parentheses: "9/2005" in a decree number is no date."""
_CLOCK = re.compile(r"\bpukul\s+(\d{1,2})[.:](\d{2})\b", re.IGNORECASE)
_TARGET_CLOCK = re.compile(r"\b(\d{1,2})[.:](\d{2})(?:\s*([ap])\.?\s?m\b\.?)?", re.IGNORECASE)


@functools.cache
def _written_date() -> re.Pattern[str]:
    """"October 18", "Oct. 18th", "18 October", "18th of October": month names from rag/languages.py."""
    from rag.languages import language

    en = language("en")
    names = "|".join(sorted([*en.months, *en.month_abbreviations], key=len, reverse=True))
    day = r"(\d{1,2})(?:st|nd|rd|th)?"
    return re.compile(rf"\b(?:({names})\.?\s+{day}|{day}\s+(?:of\s+)?({names}))\b", re.IGNORECASE)


def _month_number(name: str) -> int:
    from rag.languages import language

    en = language("en")
    return en.months.get(name.lower()) or en.month_abbreviations[name.lower()]


def rewritten_dates_removed(original: str, translation: str) -> tuple[str, str]:
    """``original`` and ``translation`` without the dates and clock times the translation kept in
    another form: what is left must keep its digits as they are."""
    written = {}
    for m in _written_date().finditer(translation):
        month, day = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
        written.setdefault((int(day), _month_number(month)), m)
    for m in list(_DAY_MONTH.finditer(original)):
        if (found := written.pop((int(m.group(1)), int(m.group(2))), None)) is not None:
            original, translation = _blanked(original, m), _blanked(translation, found)
    clocks = {}
    for m in _TARGET_CLOCK.finditer(translation):
        hour = int(m.group(1)) + (12 if (m.group(3) or "").lower() == "p" and int(m.group(1)) < 12 else 0)
        clocks.setdefault((hour, int(m.group(2))), m)
    for m in list(_CLOCK.finditer(original)):
        if (found := clocks.pop((int(m.group(1)), int(m.group(2))), None)) is not None:
            original, translation = _blanked(original, m), _blanked(translation, found)
    return original, translation


def _blanked(text: str, match: re.Match[str]) -> str:
    # same length, so the other matches' positions in this text stay right
    return text[: match.start()] + " " * (match.end() - match.start()) + text[match.end() :]
