"""A date the question names, checked against the evidence's dates (rag/news/date_check.py) and read by
the coverage check (rag/coverage.py): the answer never asserts an event on a date its sources contradict."""

from __future__ import annotations

from datetime import date

from rag.coverage import CoverageSettings, coverage
from rag.news.date_check import check_date, named_question_date, written_months_and_years
from rag.news.date_store import StoredDate
from rag.types import Hit, Passage

AS_OF = date(2026, 1, 1)
CRANE = "A storm yesterday caused a crane to fall into Mecca's Grand Mosque on Friday, September 11, 2015, killing 107 people."
EXPO = "The 22nd Fan Expo Canada took place in Toronto in September 2016."


def hit(text: str, article_date: str | None, article_id: str = "a", title: str = "") -> Hit:
    return Hit(Passage(article_id, 0, 0, len(text), text, id=1), 1.0, title, date=article_date, lang="en")


def checked(question: str, hits: list[Hit], stored: list[StoredDate] = ()):  # noqa: ANN201
    from rag.coverage import question_entities

    asked = named_question_date(question, "en", AS_OF)
    assert asked is not None
    return check_date(asked, hits, list(stored), question_entities(question))


def test_written_months_and_years_are_read_with_their_year() -> None:
    assert written_months_and_years("dibantai pada tahun 1983 di utara") == [((date(1983, 1, 1), date(1983, 12, 31)), True)]
    assert written_months_and_years("pada Maret 2006, dan September 2015") == [((date(2006, 3, 1), date(2006, 3, 31)), True),
                                                                             ((date(2015, 9, 1), date(2015, 9, 30)), True)]  # fmt: skip
    assert written_months_and_years("diatur dalam Perpres No 55/2005") == [((date(2005, 1, 1), date(2005, 12, 31)), True)]
    assert written_months_and_years("12,000 people, 3.2015 tonnes, page 2015a") == []
    # A bare number may be a name or a count: it confirms an asked year, never contradicts one.
    assert written_months_and_years("Fawzi Ghazal dari Partai Mesir 2000") == [((date(2000, 1, 1), date(2000, 12, 31)), False)]


def test_an_event_the_sources_date_otherwise_is_contradicted_and_said_so() -> None:
    question = "How many were killed in the Mecca crane collapse in 2016?"
    result = checked(question, [hit(CRANE, "2015-09-12"), hit(EXPO, "2016-09-07", "expo")])
    assert result.contradicted  # the 2016 report is of another story: it proves nothing about Mecca
    cov = coverage(question, CRANE + " " + EXPO, CoverageSettings(), result)  # "2016" is in the sources' text
    assert not cov.enough(CoverageSettings())
    assert cov.partial_message("en") == "The sources report Mecca from September 2015, but nothing from 2016."
    assert cov.partial_message("id") == "Sumber memberitakan Mecca dari September 2015, tetapi tidak ada berita dari tahun 2016."


def test_two_dates_the_sources_give_instead_are_named_as_a_reader_writes_them() -> None:
    question = "How many pilgrims were killed in Mecca in 2016?"
    stampede = "Hundreds of pilgrims were killed in a stampede in Mecca on Thursday, January 12, 2006."
    result = checked(question, [hit(CRANE, "2015-09-12"), hit(stampede, "2006-01-12", "stampede")])
    assert result.contradicted
    cov = coverage(question, CRANE + " " + stampede, CoverageSettings(), result)
    assert cov.partial_message("en") == "The sources report Mecca from January 2006 and September 2015, but nothing from 2016."
    assert cov.partial_message("id") == "Sumber memberitakan Mecca dari Januari 2006 dan September 2015, tetapi tidak ada berita dari tahun 2016."


def test_a_date_the_evidence_gives_stands_for_its_digits() -> None:
    question = "How many were killed in the Mecca crane collapse in September 2015?"
    undated_text = "A crane fell into Mecca's Grand Mosque, killing 107 people."  # "2015" is nowhere in the text
    stored = [StoredDate("a", 1, 0, len(undated_text), "2015-09-11", 0, 5, "weekday")]
    for hits, sentence_dates in (([hit(undated_text, "2015-09-12")], []), ([hit(undated_text, None)], stored)):
        result = checked(question, hits, sentence_dates)
        assert result.matches and not result.contradicted
        cov = coverage(question, undated_text, CoverageSettings(), result)
        assert cov.enough(CoverageSettings()) and not cov.numbers_missing


def test_a_day_written_in_the_passage_matches_and_another_day_does_not() -> None:
    question = "What did Aceh's peace agreement say, signed on 15 August 2005?"
    signed = "Perjanjian damai Aceh ditandatangani di Helsinki pada 15 Agustus 2005."
    assert checked(question, [hit(signed, None)]).matches
    other = checked(question, [hit("Perjanjian damai Aceh ditandatangani di Helsinki pada 17 Juli 2005.", None)])
    assert other.contradicted
    assert other.message("en", ["Aceh"]) == "The sources report Aceh from 17 July 2005, but nothing from 15 August 2005."


def test_undated_evidence_leaves_the_digits_check_as_it_was() -> None:
    question = "What is the name of the Kurdish tribe that Saddam Hussein massacred in 1983?"
    text = "Saddam Hussein membantai suku Kurdi Barzani."
    result = checked(question, [hit(text, None)])
    assert not result.found and not result.contradicted
    cov = coverage(question, text, CoverageSettings(), result)
    assert cov.numbers_missing == ("1983",) and not cov.enough(CoverageSettings())


def test_a_bare_year_confirms_but_does_not_contradict_and_a_yearless_day_is_not_checked() -> None:
    question = "Who was the Wafd Party's candidate in Egypt's election in 2005?"
    party = "Noaman Gomaa dari Partai Wafd, Fawzi Ghazal dari Partai Mesir 2000."
    assert not checked(question, [hit(party, None)]).contradicted
    assert checked("Who was the Wafd Party's candidate in 2000?", [hit(party, None)]).matches
    assert named_question_date("Which song did the band play at the State Palace on 17 August?", "en", AS_OF) is None
