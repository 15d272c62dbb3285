"""News datelines: the ``Cairo, Gatra.com -`` or ``CAIRO (AP) —`` that opens a story.

A dateline tells where the story was filed and, often, which outlet or agency wrote it.
Readers use it for ``Article.place`` and, when nothing else names one, ``Article.source``;
the text itself keeps its dateline, because citations are offsets into the text as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# One to four capitalised words, allowing the lower-case particles of place names
# ("Rio de Janeiro", "Bandar Seri Begawan"); ASCII and Latin-1 capitals.
_WORD = r"[A-ZÀ-Þ][\w'’.]*"
_PLACE = rf"(?P<place>{_WORD}(?:[ -](?:(?:de|da|di|del|la|el|al|of)\s)?{_WORD}){{0,3}})"
# "Gatra.com", "KOMPAS.com", "Liputan6.com", "tempo.co": a name with a top-level domain.
_DOMAIN = r"(?P<domain>[A-Za-z0-9][\w-]*(?:\.[A-Za-z]{2,})+)"
# A bare agency acronym after a comma: "JAKARTA, AFP -".
_ACRONYM = r"(?P<acronym>[A-Z]{2,10})"
# "(AP)", "(ANTARA)", "(Reuters)".
_AGENCY = r"\((?P<agency>[A-Z][^()\n]{0,30}?)\)"
# An optional date between place and agency: "CAIRO, March 21 (Reuters)", "Jakarta, 21/3 (ANTARA)".
_DATE = r"(?:,\s*(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2}|\d{1,2}/\d{1,2}(?:/\d{2,4})?|\d{1,2}\s+[A-Z][a-z]{2,8}(?:\s+\d{4})?))?"
_DASH = r"\s*[-–—]{1,2}\s+"

_FORMS = (
    re.compile(rf"{_PLACE}{_DATE}\s*{_AGENCY}{_DASH}"),  # CAIRO (AP) —
    re.compile(rf"{_PLACE},\s*{_DOMAIN}{_DASH}"),  # Cairo, Gatra.com -
    re.compile(rf"{_DOMAIN},\s*{_PLACE}{_DASH}"),  # Liputan6.com, Jakarta -
    re.compile(rf"{_PLACE},\s*{_ACRONYM}{_DASH}"),  # JAKARTA, AFP -
    re.compile(r"(?P<place>[A-Z][A-Z'.]+(?: [A-Z][A-Z'.]+){0,3})\s+[-–—]{1,2}\s+"),  # WASHINGTON —
)

# Datelines are short; looking further only invites false matches.
_MAX_DATELINE = 120


@dataclass(frozen=True)
class Dateline:
    """What a dateline says. ``end`` is the offset in the text where the story proper starts."""

    place: str | None
    source: str | None
    end: int


def parse_dateline(text: str) -> Dateline | None:
    """Parse the dateline that opens ``text``, or return None if it does not open with one."""
    stripped = text.lstrip()
    offset = len(text) - len(stripped)
    head = stripped[:_MAX_DATELINE]
    for form in _FORMS:
        match = form.match(head)
        if match is None:
            continue
        groups = match.groupdict()
        source = groups.get("agency") or groups.get("domain") or groups.get("acronym")
        return Dateline(place=_tidy_place(groups["place"]), source=source, end=offset + match.end())
    return None


def starts_with_dateline(text: str) -> bool:
    """Whether ``text`` opens with a news dateline."""
    return parse_dateline(text) is not None


def _tidy_place(place: str | None) -> str | None:
    """``"JAKARTA"`` → ``"Jakarta"``; mixed-case names are already as their writer meant."""
    if not place:
        return None
    place = place.strip()
    if place.isupper():
        return " ".join(part.capitalize() for part in place.split(" "))
    return place
