"""Question time phrases read against an injected as-of date (never today's): English and Indonesian."""

from __future__ import annotations

from datetime import date

import pytest

from rag.errors import ConfigError
from rag.news.timeframe import find_timeframe, format_date, parse_as_of

WED = date(2024, 3, 27)  # a Wednesday


@pytest.mark.parametrize(
    ("question", "since", "until", "rest"),
    [
        ("What did Blinken say last week?", "2024-03-18", "2024-03-24", "What did Blinken say?"),
        ("Apa kata Blinken minggu lalu?", "2024-03-18", "2024-03-24", "Apa kata Blinken?"),
        ("Apa kata Blinken pekan lalu?", "2024-03-18", "2024-03-24", "Apa kata Blinken?"),
        ("What happened yesterday?", "2024-03-26", "2024-03-26", "What happened?"),
        ("Apa yang terjadi kemarin di Rafah?", "2024-03-26", "2024-03-26", "Apa yang terjadi di Rafah?"),
        ("What happened in Rafah in March 2024?", "2024-03-01", "2024-03-31", "What happened in Rafah?"),
        ("Apa kata Blinken pada Maret 2024?", "2024-03-01", "2024-03-31", "Apa kata Blinken?"),
        ("Berita bulan lalu tentang Gaza", "2024-02-01", "2024-02-29", "Berita tentang Gaza"),
        ("What was said last month?", "2024-02-01", "2024-02-29", "What was said?"),
        ("What did he say last Friday?", "2024-03-22", "2024-03-22", "What did he say?"),
        ("Apa kata Blinken pada hari Kamis?", "2024-03-21", "2024-03-21", "Apa kata Blinken?"),
        ("Jumat lalu apa kata dia?", "2024-03-22", "2024-03-22", "apa kata dia?"),
        ("What happened on 21/3?", "2024-03-21", "2024-03-21", "What happened?"),
        ("What happened in 2015?", "2015-01-01", "2015-12-31", "What happened?"),
        ("What happened in May?", "2023-05-01", "2023-05-31", "What happened?"),  # the last May before the as-of date
        ("Gaza news in the last 3 days", "2024-03-25", "2024-03-27", "Gaza news"),
        ("Berita Gaza 3 hari terakhir", "2024-03-25", "2024-03-27", "Berita Gaza"),
        ("What happened since 18 March?", "2024-03-18", "2024-03-27", "What happened?"),
        ("What has been said since two weeks ago?", "2024-03-13", "2024-03-27", "What has been said?"),  # dateparser
    ],
)
def test_question_windows(question: str, since: str, until: str, rest: str) -> None:
    frame, left = find_timeframe(question, WED)
    assert frame is not None
    assert frame.filters().since == since and frame.filters().until == until
    assert left == rest


def test_no_time_no_window() -> None:
    for question in ("What did Blinken say?", "What may happen in Rafah?", "How many of the 107 people died?"):
        assert find_timeframe(question, WED) == (None, question)


def test_an_event_is_left_for_the_corpus_to_date() -> None:
    frame, rest = find_timeframe("What did Blinken say since the ceasefire talks?", WED)
    assert frame is not None and frame.event == "the ceasefire talks" and frame.since is None
    assert rest == "What did Blinken say?"


def test_the_same_phrase_moves_with_the_as_of_date() -> None:
    a, _ = find_timeframe("last week", date(2024, 5, 1))
    b, _ = find_timeframe("last week", date(2024, 3, 27))
    assert (a.since, a.until) == (date(2024, 4, 22), date(2024, 4, 28))
    assert (b.since, b.until) == (date(2024, 3, 18), date(2024, 3, 24))


def test_windows_named_in_the_askers_language() -> None:
    week, _ = find_timeframe("last week", date(2024, 5, 1))
    assert week.span("en") == "from 22–28 April 2024" and week.span("id") == "dari 22–28 April 2024"
    month, _ = find_timeframe("in March 2024", WED)
    assert month.span("en") == "from March 2024" and month.span("id") == "dari Maret 2024"
    since, _ = find_timeframe("since 18 March", WED)
    assert since.span("en") == "since 18 March 2024"
    assert format_date(date(2024, 3, 22), "id") == "22 Maret 2024"


def test_as_of_dates() -> None:
    assert parse_as_of("2024-03-27") == WED
    assert parse_as_of(None, today=WED) == WED
    with pytest.raises(ConfigError, match="--as-of"):
        parse_as_of("27/03/2024")


def test_a_date_the_question_names_is_the_events_and_only_counted_windows_filter_reporting() -> None:
    named, _ = find_timeframe("Which tribe did Saddam Hussein massacre in 1983?", WED)
    day, _ = find_timeframe("Where was the memorandum signed on 15 August 2005?", WED)
    counted, _ = find_timeframe("What did Blinken say last week?", WED)
    since, _ = find_timeframe("What happened since 18 March?", WED)
    assert named.named and day.named  # stay in the question: when it happened, not when it was reported
    assert not counted.named and not since.named


class _Pipeline:
    """What ``question_timeframe`` reads of a pipeline: the as-of date and whether the corpus is dated."""

    def __init__(self, dated: bool) -> None:
        index = type("Index", (), {"has_dates": lambda self: dated})()
        self.retriever = type("Retriever", (), {"index": index})()
        self.settings = type("Settings", (), {"as_of": "2024-03-27"})()


def test_an_undated_corpus_is_not_asked_by_date() -> None:
    from rag.news.temporal import question_timeframe

    question = "How many research teams since 2003 have found evidence that the Muller Mountains meet the criteria?"
    assert question_timeframe(_Pipeline(dated=False), question, "en") == (None, question)  # not "nothing since 2003"
    frame, rest = question_timeframe(_Pipeline(dated=True), question, "en")
    assert frame is not None and frame.since == date(2003, 1, 1) and "since" not in rest


def test_this_year_of_a_question_naming_its_year_is_that_year() -> None:
    from rag.news.temporal import question_timeframe

    question = "Where was the 2005 World Badminton Championships held this year?"
    assert question_timeframe(_Pipeline(dated=True), question, "en") == (None, question)
    frame, _ = question_timeframe(_Pipeline(dated=True), "Who won the championships this year?", "en")
    assert frame is not None and frame.since == date(2024, 1, 1)


def test_a_lone_article_is_no_day() -> None:
    frame, _ = find_timeframe("After a two-month delay, when did the government raise toll road tariffs?", WED)
    assert frame is None or frame.since is None  # "a" is not "a day ago": at most an event for the corpus to date
