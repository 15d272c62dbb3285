"""Time in a question, as a date window: "last week", "in March 2024", "kemarin", "minggu lalu",
"since 18 March", "since the ceasefire talks".

Every phrase is read against an as-of date (today, or ``--as-of``), never the clock of the machine
running the code, so one question asked with one as-of date always means the same window. A week is
the calendar week, Monday to Sunday: "last week" on Wednesday 27 March 2024 is 18–24 March. The
phrase is removed from the question, so retrieval searches for what was asked, not for the words
"last week"; the window becomes a ``Filters`` on the articles' dates. A phrase after "since" that
is no date names an event: :func:`resolve_event` dates it by the earliest article retrieval finds
for it. The words of each language are data (``time_words.toml``).
"""

from __future__ import annotations

import calendar
import functools
import os
import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from rag.errors import ConfigError
from rag.languages import all_months
from rag.types import Filters

if TYPE_CHECKING:
    from rag.retrieval import Retriever

TIME_WORDS = Path(__file__).with_name("time_words.toml")


@functools.cache
def time_words(lang: str) -> dict:
    """The time words of ``lang`` (English for a language without an entry)."""
    data = tomllib.loads(TIME_WORDS.read_text(encoding="utf-8"))
    return data.get(lang) or data["en"]


@functools.cache
def _languages() -> tuple[str, ...]:
    return tuple(tomllib.loads(TIME_WORDS.read_text(encoding="utf-8")))


@dataclass(frozen=True)
class Timeframe:
    """A window of publication dates named by a question's ``phrase`` (offsets ``start``–``end``)."""

    since: date | None
    until: date | None
    phrase: str
    kind: str
    """day | range | month | year | since | before: how the window is named back to the asker."""
    start: int = 0
    end: int = 0
    event: str | None = None
    """For "since the ceasefire talks": the event's words, until :func:`resolve_event` dates it."""
    dated_event: str | None = None
    """The event's words once :func:`resolve_event` has dated it."""
    named: bool = False
    """A date the question names outright ("in 1983", "on 15 August 2005", "in March 2024"), not
    one counted from the as-of date ("last week", "kemarin", "since 18 March")."""

    def filters(self, base: Filters | None = None) -> Filters:
        """``base`` narrowed to this window (a date ``base`` already gives wins: it was asked for explicitly)."""
        base = base or Filters()
        return replace(base, since=base.since or _iso(self.since), until=base.until or _iso(self.until))

    def span(self, lang: str) -> str:
        """The window in words of ``lang``: "from 18–24 March 2024", "from March 2024", "since 18 March 2024"."""
        w = time_words(lang)
        if self.since is None and self.event:
            return w["span_since"].format(date=self.event)
        if self.kind == "since" and self.since:
            return w["span_since"].format(date=format_date(self.since, lang))
        if self.kind == "before" and self.until:
            return w["span_before"].format(date=format_date(self.until + timedelta(days=1), lang))
        assert self.since and self.until
        if self.kind == "year":
            return w["span_year"].format(year=self.since.year)
        if self.kind == "month":
            return w["span_month"].format(month=w["months"][self.since.month - 1], year=self.since.year)
        if self.since == self.until:
            return w["span_day"].format(date=format_date(self.since, lang))
        first = str(self.since.day) if (self.since.year, self.since.month) == (self.until.year, self.until.month) else (
            w["day_month"].format(day=self.since.day, month=w["months"][self.since.month - 1]) if self.since.year == self.until.year
            else format_date(self.since, lang))  # fmt: skip
        return w["span_range"].format(first=first, last=format_date(self.until, lang))


def dates_span(found: Sequence[tuple[date, date]], lang: str) -> str:
    """Several days, months or years in one phrase, oldest first, what they share said once, as a reader
    writes them: "from 21 and 22 March 2024", "from 21 March and 2 April 2024", "from September 2015
    and March 2016", "from 2006 and 2015". Windows of different shapes are each named in full: "from
    2008 and September 2015"."""
    w = time_words(lang)
    frames = [Timeframe(first, last, "", _kind(first, last)) for first, last in sorted(set(found))]
    kinds = {f.kind for f in frames}
    if len(frames) < 2 or len(kinds) > 1 or kinds <= {"range"}:  # each in full, the words before them said once
        spans = [f.span(lang) for f in frames]
        shared = os.path.commonprefix(spans)
        shared = shared[: shared.rfind(" ") + 1]
        return shared + f" {w['and']} ".join(span[len(shared) :] for span in spans)
    *head, last = [f.since for f in frames if f.since]
    joined = lambda names: f" {w['and']} ".join(names)  # noqa: E731
    month = lambda d: w["months"][d.month - 1]  # noqa: E731
    if kinds == {"year"}:
        return w["span_year"].format(year=joined(str(d.year) for d in (*head, last)))
    same_year = all(d.year == last.year for d in head)
    if kinds == {"month"}:
        names = [month(d) if same_year else f"{month(d)} {d.year}" for d in head]
        return w["span_month"].format(month=joined([*names, month(last)]), year=last.year)
    if same_year and all(d.month == last.month for d in head):
        days = joined([*(str(d.day) for d in head), str(last.day)])
        return w["span_day"].format(date=w["date_format"].format(day=days, month=month(last), year=last.year))
    names = [format_date(d, lang, year=not same_year) for d in head]
    return w["span_day"].format(date=joined([*names, format_date(last, lang, year=True)]))


def _kind(first: date, last: date) -> str:
    """day | month | year | range: the shape of the window ``first``–``last``."""
    if first == last:
        return "day"
    if (first.month, first.day, last.month, last.day) == (1, 1, 12, 31) and first.year == last.year:
        return "year"
    whole_month = first.day == 1 and last.day == calendar.monthrange(last.year, last.month)[1]
    if whole_month and (first.year, first.month) == (last.year, last.month):
        return "month"
    return "range"


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def format_date(d: date, lang: str, *, year: bool = True) -> str:
    """"22 March 2024" / "22 Maret 2024" (``year=False``: "22 March")."""
    w = time_words(lang)
    month = w["months"][d.month - 1]
    return w["date_format"].format(day=d.day, month=month, year=d.year) if year else w["day_month"].format(day=d.day, month=month)


def parse_as_of(value: str | date | None, today: date | None = None) -> date:
    """The as-of date: ``value`` (YYYY-MM-DD) or, when None, ``today`` (default: the local date)."""
    if isinstance(value, date):
        return value
    if not value:
        return today or date.today()
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise ConfigError(f"--as-of must be a date written YYYY-MM-DD (e.g. 2024-03-27), not {value!r}.") from None


# -- reading a question -------------------------------------------------------------------------

_MONTHS = all_months()
_MONTH = r"(?P<month>" + "|".join(sorted(map(re.escape, _MONTHS), key=len, reverse=True)) + r")\.?"
_DATE_FORMS = (
    re.compile(r"(?P<year>\d{4})-(?P<mon>\d{2})-(?P<day>\d{2})"),
    re.compile(r"(?P<day>\d{1,2})/(?P<mon>\d{1,2})(?:/(?P<year>\d{2,4}))?"),
    re.compile(rf"(?P<day>\d{{1,2}})(?:st|nd|rd|th)? (?:of )?{_MONTH}(?:,? (?P<year>\d{{4}}))?"),
    re.compile(rf"{_MONTH} (?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?:,? (?P<year>\d{{4}}))?"),
    re.compile(rf"{_MONTH}(?:,? (?P<year>\d{{4}}))?"),
    re.compile(r"(?P<year>(?:19|20)\d\d)"),
)
_DATE_FORMS = tuple(re.compile(f.pattern, re.IGNORECASE) for f in _DATE_FORMS)


def named_date(text: str, as_of: date) -> tuple[date, date, str, int] | None:
    """(first, last, kind, length) of a date, month or year that ``text`` starts with."""
    for form in _DATE_FORMS:
        m = form.match(text)
        if not m or (m.end() < len(text) and text[m.end()].isalnum()):
            continue
        g = m.groupdict()
        month = int(g["mon"]) if g.get("mon") else _MONTHS.get((g.get("month") or "").lower())
        year = int(g["year"]) if g.get("year") else None
        if year is not None and year < 100:
            year += 2000
        try:
            if g.get("day"):
                day = int(g["day"])
                found = date(year or as_of.year, month or 0, day)
                if year is None and found > as_of:  # "21 March" means the last one before the as-of date
                    found = found.replace(year=found.year - 1)
                return found, found, "day", m.end()
            if month:
                y = year or (as_of.year if month <= as_of.month else as_of.year - 1)
                return date(y, month, 1), date(y, month, calendar.monthrange(y, month)[1]), "month", m.end()
            if year:
                return date(year, 1, 1), date(year, 12, 31), "year", m.end()
        except ValueError:
            continue
    return None


def _words(options: list[str]) -> str:
    return "|".join(sorted(map(re.escape, options), key=len, reverse=True))


def _shift_month(d: date, months: int) -> date:
    y, m = divmod(d.year * 12 + d.month - 1 + months, 12)
    return date(y, m + 1, 1)


def _relative(unit: str, offset: int, as_of: date) -> tuple[date, date, str]:
    if unit == "day":
        d = as_of + timedelta(days=offset)
        return d, d, "day"
    if unit == "days":  # the last |offset| days, the as-of date included
        return as_of + timedelta(days=offset + 1), as_of, "range"
    if unit == "week":
        monday = as_of - timedelta(days=as_of.weekday()) + timedelta(weeks=offset)
        return monday, min(monday + timedelta(days=6), as_of) if offset == 0 else monday + timedelta(days=6), "range"
    if unit == "month":
        first = _shift_month(as_of, offset)
        return first, date(first.year, first.month, calendar.monthrange(first.year, first.month)[1]), "month"
    year = as_of.year + offset
    return date(year, 1, 1), date(year, 12, 31), "year"


def _candidates(question: str, as_of: date, lang: str) -> list[Timeframe]:
    w = time_words(lang)
    found: list[Timeframe] = []

    def add(m: re.Match[str], since: date | None, until: date | None, kind: str, event: str | None = None, end: int | None = None) -> None:
        e = m.end() if end is None else end
        found.append(Timeframe(since, until, question[m.start() : e].strip(), kind, m.start(), e, event))

    b = r"(?<![\w-])"
    for m in re.finditer(rf"{b}(?:{w['last_n']})(?![\w-])", question, re.IGNORECASE):
        n = int(m.group("n")) if m.group("n").isdigit() else w["numbers"][m.group("n").lower()]
        unit = w["units"][m.group("unit").lower()]
        days = n * {"day": 1, "week": 7, "month": 30}[unit]
        add(m, as_of - timedelta(days=days - 1), as_of, "range")  # "the last 3 days": the as-of date and the two before
    relative = w["relative"]
    for m in re.finditer(rf"{b}(?:(?:{_words(w['at'])}) )?({_words(list(relative))})(?![\w-])", question, re.IGNORECASE):
        unit, offset = relative[m.group(1).lower()]
        add(m, *_relative(unit, offset, as_of))
    # The phrase runs to the clause's end; a comma or full stop between digits is a number's ("31,000").
    clause = r"(?P<what>(?:[^?!.,;]|(?<=\d)[.,](?=\d))+)"
    for m in re.finditer(rf"{b}({_words(w['since'] + w['before'])}) {clause}", question, re.IGNORECASE):
        what, is_since = m.group("what"), m.group(1).lower() in w["since"]
        named = named_date(what, as_of) or _parsed_date(what, as_of, lang)
        if named is not None:
            first, last, _, length = named
            add(m, first if is_since else None, as_of if is_since else first - timedelta(days=1), "since" if is_since else "before",
                end=m.start("what") + length)  # fmt: skip
        elif is_since:
            add(m, None, as_of, "since", event=what.strip())
    at = _words(w["at"])
    for m in re.finditer(rf"{b}(?:(?:{at}) )?(?=[\w])", question, re.IGNORECASE):
        if m.start() > 0 and question[m.start() - 1].isalnum():
            continue
        named = named_date(question[m.end() :], as_of)
        bare = m.end() == m.start()
        if named is None or bare and (named[2] == "year" or named[2] == "month" and not re.search(r"\d{4}", question[m.end() : m.end() + named[3]])):
            continue  # a bare number is no year, a bare "may" no month: "in 2024", "in May", "May 2024" are
        first, last, kind, length = named
        found.append(Timeframe(first, last, question[m.start() : m.end() + length].strip(), kind, m.start(), m.end() + length, named=True))
    days = w["weekdays"]
    before, after = _words(w["weekday_before"]), _words(w["weekday_after"]) if w["weekday_after"] else None
    day_re = rf"{b}(?:(?:{before}) )({_words(days)})(?![\w-])" + (rf"|{b}({_words(days)}) (?:{after})(?![\w-])" if after else "")
    for m in re.finditer(day_re, question, re.IGNORECASE):
        name = (m.group(1) or m.group(2)).lower()
        d = as_of - timedelta(days=(as_of.weekday() - days.index(name)) % 7 or 7)  # "last Friday" on a Friday: a week ago
        add(m, d, d, "day")
    return found


def _parsed_date(text: str, as_of: date, lang: str) -> tuple[date, date, str, int] | None:
    """What ``dateparser`` reads in ``text`` ("two weeks ago", "2 minggu lalu"), for phrases our forms miss."""
    import dateparser

    words = text.split()
    for n in range(min(len(words), 5), 0, -1):  # the longest leading phrase that is a date
        head = " ".join(words[:n])
        if n == 1 and len(head) < 3:
            continue  # dateparser reads a lone "a" ("after a two-month delay") as a day ago
        parsed = dateparser.parse(head, languages=[lang, "en"] if lang != "en" else ["en"],
                                  settings={"RELATIVE_BASE": datetime(as_of.year, as_of.month, as_of.day), "PREFER_DATES_FROM": "past",
                                            "DATE_ORDER": "DMY", "REQUIRE_PARTS": ["day"]})  # fmt: skip
        if parsed is not None:
            return parsed.date(), parsed.date(), "day", text.find(words[n - 1]) + len(words[n - 1])
    return None


def find_timeframe(question: str, as_of: date, lang: str | None = None) -> tuple[Timeframe | None, str]:
    """The time phrase of ``question`` as a window, and the question without it.

    Every language's words are tried (a question's language is not always detected), ``lang``'s
    first; the longest phrase wins ("in the last 3 days" over "3 days"); None when the question
    names no time.
    """
    order = [lang] if lang in _languages() else []
    order += [code for code in _languages() if code not in order]
    candidates = [c for code in order for c in _candidates(question, as_of, code)]
    if not candidates:
        return None, question
    best = max(candidates, key=lambda c: c.end - c.start)  # ties: the first found, in ``lang``'s words
    rest = (question[: best.start] + " " + question[best.end :]).strip()
    rest = re.sub(r"\s+([?.!,])", r"\1", re.sub(r"\s{2,}", " ", rest))
    return best, rest


# Fused z-score by which the event's report must lead every other story's: below it the best passage
# is a guess. Asked in English of a corpus whose only report of the talks is Indonesian, "the ceasefire
# talks" found an interview on the peace process 0.76 ahead of the next story; the events of the temporal
# dev set led by 2.2 to 6.6 (benchmarks/temporal). The timeline (rag/news/timeline.py) uses the same
# 1.5 between a story and other news.
EVENT_LEAD = 1.5


def resolve_event(frame: Timeframe, retriever: Retriever, *, lead: float = EVENT_LEAD, top: int = 10) -> Timeframe | None:
    """"since the ceasefire talks": the window from the event's first report up to the as-of date.

    Retrieval searches the event's words among the articles up to the as-of date; the event is the
    story (rag/news/stories.py: the reports of one event) of the best passage, and its date the
    earliest of that story's reports among the hits, so a follow-up found first still dates the event
    by the earlier report of it, and an older report of other news close behind does not. None (the
    corpus cannot date it) when nothing dated is found or when a passage of another story scores
    within ``lead`` of the best."""
    if frame.event is None:
        return frame
    hits = [h for h in retriever.retrieve(frame.event, k=top, filters=Filters(until=_iso(frame.until))) if h.date]
    if not hits:
        return None
    stories_of = getattr(retriever.index, "stories_of", None)  # a Store without stories (Milvus): every article its own
    stories = stories_of([h.passage.article_id for h in hits]) if stories_of else {}
    story_of = lambda hit: stories.get(hit.passage.article_id, hit.passage.article_id)  # noqa: E731
    event = story_of(hits[0])
    runner_up = next((h for h in hits if story_of(h) != event), None)
    if runner_up is not None and hits[0].score - runner_up.score < lead:
        return None
    first = min(h.date[:10] for h in hits if story_of(h) == event)
    return replace(frame, since=date.fromisoformat(first), event=None, dated_event=frame.event)
