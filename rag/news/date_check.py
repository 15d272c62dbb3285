"""A date the question names, checked against the dates of the evidence.

"How many were killed in the Mecca crane collapse in 2016?" names when the event happened, not
when it was reported, so it filters no publication dates (rag/news/temporal.py). It is checked
instead against what the evidence's passages say of the event's date: the sentence dates stored at
ingest (rag/news/date_store.py), the dates written in the passage (days, "September 2015", "tahun
1983") and the article's own date. Only sentences naming one of the question's names date the event
(every sentence, for a question that names none): a report of the Cairo talks that recalls "the
7 October 2023 attack" does not date the talks 2023. The coverage check (rag/coverage.py) reads the
verdict: a match stands in for the date's digits, a contradiction is not answered ("The sources
report Mecca from September 2015, but nothing from 2016."), and undated evidence leaves the digits
check as it was. A bare year in the text ("Partai Mesir 2000") may confirm, never contradict.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from rag.news.dates import parse_iso, text_dates
from rag.news.timeframe import Timeframe, dates_span, find_timeframe, named_date

if TYPE_CHECKING:
    from rag.index import Index
    from rag.stores import Store
    from rag.news.date_store import StoredDate
    from rag.types import Hit

DateRange = tuple[date, date]


@dataclass(frozen=True)
class DateCheck:
    asked: Timeframe
    """The date the question names (``Timeframe.named``)."""
    found: tuple[DateRange, ...]
    """The sure dates of the passages about the event, most often named first; empty when none is dated."""
    matches: bool
    """Some passage about the event is dated within the asked date (a bare year in its text counts)."""

    @property
    def contradicted(self) -> bool:
        """The passages about the event are dated, and never within the asked date."""
        return bool(self.found) and not self.matches

    def message(self, lang: str, about: Sequence[str]) -> str:
        """"The sources report Mecca from September 2015, but nothing from 2016." in ``lang``; without a
        name to report, "Nothing in the corpus from 2016 answers this." """
        from rag.news.timeframe import time_words

        w = time_words(lang)
        if not about:
            return w["nothing_about"].format(span=self.asked.span(lang))
        # The most precise dates only ("September 11, 2015" also yields the year 2015), a day told as its
        # month unless a day was asked: "from September 2015", not three days of it.
        precise = [r for r in self.found if not any(o != r and r[0] <= o[0] and o[1] <= r[1] for o in self.found)]
        shown = list(dict.fromkeys(r if self.asked.kind == "day" or r[0] != r[1] else _month_of(r[0]) for r in precise))[:2]
        found = dates_span(shown, lang)
        return w["dated_otherwise"].format(about=", ".join(about[:3]), found=found, asked=self.asked.span(lang))

    def decided(self) -> bool:
        """The evidence's dates, not the digits of its text, decide the asked date."""
        return bool(self.found) or self.matches

    def digits(self) -> set[str]:
        """The numbers of the date phrase ("15", "2005"): the verdict decides them, not the digits check."""
        return set(re.findall(r"\d+", self.asked.phrase))


def _month_of(d: date) -> DateRange:
    import calendar

    return d.replace(day=1), d.replace(day=calendar.monthrange(d.year, d.month)[1])


def named_question_date(question: str, lang: str, as_of: date) -> Timeframe | None:
    """The date ``question`` names outright with its year ("in 2016", "on 15 August 2005"), else None.

    "on 17 August" without a year is some year's: counted from the as-of date it would be this year's,
    which an event the sources report years ago always contradicts (its digits are checked as before)."""
    frame, _ = find_timeframe(question, as_of, lang)
    return frame if frame is not None and frame.named and re.search(r"\d{4}", frame.phrase) else None


def check_date(asked: Timeframe, hits: Sequence[Hit], stored: Sequence[StoredDate], about: Sequence[str]) -> DateCheck:
    """``asked`` against the dates the ``hits`` give what names one of ``about`` (everything, when it is empty)."""
    assert asked.since is not None and asked.until is not None
    counts: dict[DateRange, int] = {}
    matches = False
    for hit in hits:
        for (first, last), sure in passage_dates(hit, stored, about):
            matches = matches or (first <= asked.until and asked.since <= last)
            if sure:
                counts[(first, last)] = counts.get((first, last), 0) + 1
    return DateCheck(asked, tuple(sorted(counts, key=lambda r: (-counts[r], r))), matches)


def passage_dates(hit: Hit, stored: Sequence[StoredDate], about: Sequence[str] = ()) -> list[tuple[DateRange, bool]]:
    """The dates one passage gives what names one of ``about``: the stored dates and the written ones of
    its sentences that name it, and its article's date when the passage (or its title) names it at all;
    each with whether it surely is a date (``written_months_and_years``).

    Sentence by sentence, because a report of the Cairo talks also recalls "the 7 October 2023 attack":
    a date of another sentence is of another event.
    """
    from rag.chunking import split_sentences
    from rag.coverage import names_any

    p = hit.passage
    article_date = parse_iso(hit.date)
    naming = [(s.start, s.end) for s in split_sentences(p.text) if not about or names_any(p.text[s.start : s.end], about)]
    out: list[tuple[DateRange, bool]] = []
    for start, end in naming:
        sentence = p.text[start:end]
        out += [((d, d), True) for _, _, d, _ in text_dates(sentence, article_date, hit.lang)]
        out += written_months_and_years(sentence)
    for s in stored:
        inside = s.article_id == p.article_id and any(p.start + a <= s.start < p.start + b for a, b in naming)
        if inside and (d := parse_iso(s.date)):
            out.append(((d, d), True))
    if article_date is not None and (naming or names_any(hit.title or "", about)):
        out.append(((article_date, article_date), True))
    return out


_YEAR = re.compile(r"(?<![\w.,-])(?:1[89]|20)\d\d(?![\w/-]|[.,]\d)")
# Words (and "No 55/2005") before a year that make it a date: "tahun 1983", "in 2015", "sejak 2004".
_YEAR_CUE = re.compile(r"(?:(?<![\w-])(?:in|of|since|until|by|year|tahun|pada|sejak|hingga|sampai|awal|akhir|pertengahan)\s+|\d/)$", re.IGNORECASE)


def written_months_and_years(text: str) -> list[tuple[DateRange, bool]]:
    """"September 2015", "Maret 2006", "tahun 1983": months and years written with their year (a month
    without one, or a day, is read by ``text_dates`` against the article's date), each with whether
    it surely is a date. A bare "2000" may be a count or a name ("Partai Mesir 2000"): it can confirm
    an asked year, never contradict one."""
    out: list[tuple[DateRange, bool]] = []
    for m in _YEAR.finditer(text):
        head = text[max(0, m.start() - 14) : m.start()]
        month = re.search(r"(\w+)\.?,? $", head)
        named = named_date(f"{month.group(1)} {m.group()}", date.max) if month else None
        if named is not None and named[2] == "month":
            out.append(((named[0], named[1]), True))
        else:
            year = int(m.group())
            out.append(((date(year, 1, 1), date(year, 12, 31)), bool(_YEAR_CUE.search(head))))
    return out


def question_date_check(index: Index | Store, question: str, lang: str, hits: Sequence[Hit], as_of: str | None) -> DateCheck | None:
    """The check of the date ``question`` names against ``hits`` (None when it names none): what
    ``ChatPipeline`` hands the coverage check, for the passages of its evidence sentences (the ones the
    answer is written from; another source naming the event on another date is not what it asserts)."""
    from rag.coverage import question_entities
    from rag.news.timeframe import parse_as_of

    asked = named_question_date(question, lang, parse_as_of(as_of))
    if asked is None or not hits:
        return None
    # A Milvus store keeps no sentence dates (rag.stores.Store has no such read); written dates still count there.
    stored_dates = getattr(index, "sentence_dates", None)
    stored = stored_dates(list(dict.fromkeys(h.passage.article_id for h in hits))) if stored_dates else []
    return check_date(asked, hits, stored, question_entities(question))
