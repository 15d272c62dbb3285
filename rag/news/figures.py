"""Figures that change from report to report (a death toll, a price, a vote count): the newest given,
the older ones named with their dates, never silently mixed.

A figure is a number followed (within two words) by a measure word of the language
(``measures`` in ``time_words.toml``: "people", "killed", "orang", "tewas"). Two sources disagree
when they give the same measure with different numbers under different publication dates. The
answer then keeps the newest source's sentence and, after it, one sentence written by code:
"earlier reports: 30,000 people (18 March)", citing the older sources. Sentences of the older
sources that state the older figure leave the answer (they are what "earlier reports" names).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from rag.evidence import Evidence
from rag.languages import language
from rag.news.timeframe import _languages, format_date, time_words
from rag.types import AnswerSentence


@dataclass(frozen=True)
class Figure:
    value: float
    written: str
    """The number and measure as the source writes them ("30.000 orang")."""
    measure: str
    evidence: Evidence
    date: str


def _measure_pattern(lang: str) -> re.Pattern[str]:
    words = "|".join(sorted(map(re.escape, time_words(lang)["measures"]), key=len, reverse=True))
    return re.compile(rf"(?<![\w.,])(\d{{1,3}}(?:[.,]\d{{3}})+|\d+(?:[.,]\d+)?)(?:\s+(?:[\w-]+\s+){{0,2}}?)?\s*({words})(?![\w-])", re.IGNORECASE)


def _value(number: str, lang: str | None) -> float:
    lg = language(lang)
    if re.fullmatch(r"\d{1,3}(?:[.,]\d{3})+", number) and number[-4] == lg.thousands:
        return float(number.replace(lg.thousands, ""))
    return float(number.replace(lg.thousands, "").replace(lg.decimal, "."))


def figures(evidence: Evidence) -> list[Figure]:
    """The figures one sentence states, by its source's language (else every language's measures)."""
    hit = evidence.hit
    if hit is None or not hit.date:
        return []
    langs = [hit.lang] if hit.lang in _languages() else list(_languages())
    out = []
    for lang in langs:
        for m in _measure_pattern(lang).finditer(evidence.text):
            out.append(Figure(_value(m.group(1), hit.lang), m.group(0), m.group(2).lower(), evidence, hit.date[:10]))
    return out


def reconcile(sentences: Sequence[AnswerSentence], spans: dict[int, tuple[int, int]], bank: Sequence[Evidence],
              lang: str) -> tuple[list[AnswerSentence], dict[int, tuple[int, int]]]:  # fmt: skip
    """``sentences`` with changing figures put in date order (see the module's docstring).

    ``bank`` is every sentence of the numbered sources. Only measures the answer's own cited
    sentences state are looked at, so an answer about something else is never touched.
    """
    stated = [m.group(2).lower() for s in sentences for code in _languages() for m in _measure_pattern(code).finditer(s.text)]
    if not stated:
        return list(sentences), spans
    out, spans = list(sentences), dict(spans)
    for measure in dict.fromkeys(stated):
        same = [f for e in bank for f in figures(e) if f.measure == measure]
        if len({f.value for f in same}) < 2 or len({f.date for f in same}) < 2:
            continue
        newest = max(same, key=lambda f: (f.date, -f.evidence.source))
        older = [f for f in same if f.date < newest.date and f.value != newest.value]
        if not older:
            continue
        older_sources = {f.evidence.source for f in older}
        # Older sentences stating an older figure go; the newest source's sentence is given.
        out = [s for s in out if not (set(s.citations) <= older_sources and any(f.written in s.text for f in older))]
        if not any(newest.evidence.text in s.text or s.text in newest.evidence.text for s in out):
            out.insert(0, AnswerSentence(newest.evidence.text, (newest.evidence.source,)))
        spans.setdefault(newest.evidence.source, (newest.evidence.start, newest.evidence.end))
        w = time_words(lang)
        named, seen = [], set()
        for f in sorted(older, key=lambda f: f.date, reverse=True):
            if (f.value, f.date) in seen:
                continue
            seen.add((f.value, f.date))
            named.append(w["latest"].format(figure=f.written, date=format_date(date.fromisoformat(f.date), lang, year=False)))
            spans.setdefault(f.evidence.source, (f.evidence.start, f.evidence.end))
        text = w["earlier"].format(figures="; ".join(named))
        out.append(AnswerSentence(text[:1].upper() + text[1:] + ".", tuple(sorted(older_sources))))
    return out, spans
