"""Dates named in article text, resolved against the article's own date; publication timestamps with their zone."""

from __future__ import annotations

from datetime import date

import pytest

from rag.news.dates import sentence_dates, text_dates
from rag.readers.article import normalise_date, normalise_timestamp

THU = date(2024, 3, 21)  # the Gatra report's date, a Thursday


def dates(text: str, on: date = THU, lang: str = "id") -> list[str]:
    return [d.isoformat() for _, _, d, _ in text_dates(text, on, lang)]


def test_indonesian_weekdays_and_relative_days() -> None:
    assert dates("Blinken pada hari Kamis mengatakan bahwa serangan itu sebuah kesalahan.") == ["2024-03-21"]
    assert dates("Netanyahu pada hari Rabu berjanji mengabaikan peringatan.") == ["2024-03-20"]
    assert dates("Ia tiba kemarin di Kairo.") == ["2024-03-20"]
    assert dates("Perundingan akan dilanjutkan di Qatar pada hari Jumat.") == ["2024-03-22"]  # "akan": still to come
    assert dates("Minggu lalu ia berbicara di Riyadh.") == []  # "Minggu lalu" is last week, not a Sunday


def test_english_weekdays_and_relative_days() -> None:
    assert dates("A storm yesterday caused a crane to fall.", date(2015, 9, 12), "en") == ["2015-09-11"]
    assert dates("He said on Thursday that talks had stalled.", THU, "en") == ["2024-03-21"]
    assert dates("He spoke last Friday in Riyadh.", date(2024, 3, 22), "en") == ["2024-03-15"]  # "last Friday" on a Friday: a week ago
    assert dates("The minister will travel to Israel on Friday.", THU, "en") == ["2024-03-22"]


def test_written_dates() -> None:
    assert dates("Jakarta, Senin (13/04/2020) - Pemerintah mengumumkan.", date(2020, 4, 13)) == ["2020-04-13"]
    assert dates("Rapat digelar 21/3 di Jakarta.") == ["2024-03-21"]
    assert dates("Rapat digelar (28/12) di Jakarta.", date(2024, 1, 5)) == ["2023-12-28"]  # a December date in a January paper
    assert dates("Serangan 7 Oktober mengejutkan Israel.") == ["2023-10-07"]
    assert dates("Thursday, January 12, 2006", date(2006, 1, 12), "en")[0] == "2006-01-12"
    assert dates("No date here.") == []


def test_one_row_per_dated_sentence_the_most_explicit_date_first() -> None:
    text = "Pada hari Kamis (21/3) Blinken tiba. Cuaca cerah. Kemarin ia di Riyadh."
    rows = sentence_dates(text, "2024-03-21", "id")
    assert [(r.date, r.kind) for r in rows] == [("2024-03-21", "explicit"), ("2024-03-20", "relative")]
    assert text[rows[1].start : rows[1].end] == "Kemarin ia di Riyadh."
    assert text[rows[1].expr_start : rows[1].expr_end] == "Kemarin"
    assert sentence_dates("Kemarin ia di Riyadh.", None, "id") == []  # no article date: nothing to count from


@pytest.mark.parametrize(
    ("written", "timestamp"),
    [
        ("2024-03-21 14:05 WIB", "2024-03-21T14:05:00+07:00"),
        ("Kamis, 21 Maret 2024 14:05 WITA", "2024-03-21T14:05:00+08:00"),
        ("Kamis, 21 Maret 2024 | 9.30 WIT", "2024-03-21T09:30:00+09:00"),
        ("2024-03-21T02:00:00+07:00", "2024-03-21T02:00:00+07:00"),
        ("Thu, 21 Mar 2024 07:05:00 GMT", "2024-03-21T07:05:00+00:00"),
        ("2024-03-21 14:05", "2024-03-21T14:05:00"),  # no zone written: none guessed
        ("2024-03-21", None),
        ("21.03.2024", None),
    ],
)
def test_publication_timestamps_keep_their_zone_and_the_written_date(written: str, timestamp: str | None) -> None:
    assert normalise_timestamp(written) == timestamp
    assert normalise_date(written) == "2024-03-21"  # the calendar date as written, not converted to UTC
