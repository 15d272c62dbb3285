"""Quote extraction on small hand-written Indonesian and English news (not from any data set)."""

from __future__ import annotations

from datetime import date

from rag.news.dates import date_in, resolve_weekday
from rag.news.quotes import extract_quotes
from tests.helpers import make_article

ID_WEEKDAYS = ["senin", "selasa", "rabu", "kamis", "jumat", "sabtu", "minggu"]


def quotes(text: str, lang: str = "id", d: str | None = "2024-03-22"):
    article = make_article(text, "t", lang=lang, date=d)
    found = extract_quotes(article)
    for q in found:
        assert article.text[q.statement_start : q.statement_end] == q.statement  # offsets are into the text
    return found


def test_direct_quote_after_cue_resolves_surname_to_full_name_and_role() -> None:
    text = (
        "BANDUNG, KOMPAS — Kepala Dinas Perhubungan Kota Bandung Rudi Hartono meninjau terminal.\n\n"
        "”Kami menambah armada bus selama libur panjang ini,” kata Rudi di Bandung, Kamis (21/3/2024).\n\n"
    )
    (q,) = quotes(text)
    assert q.statement == "Kami menambah armada bus selama libur panjang ini"
    assert q.speaker == "Rudi Hartono" and q.cue == "kata" and q.direct and q.public_figure
    assert "Kepala Dinas Perhubungan" in (q.speaker_role or "")
    assert q.date == "2024-03-21" and q.place == "Bandung"


def test_split_quote_and_folded_cue_keep_the_speaker() -> None:
    text = (
        "Menteri Kesehatan Siti Aminah mengatakan, vaksin sudah tiba di semua provinsi.\n\n"
        "”Distribusi selesai minggu depan,” kata Siti. ”Kami juga menyiapkan tenaga kesehatan tambahan.”\n\n"
        "”Stok cukup sampai akhir tahun ini,” ujarnya."
    )
    found = quotes(text)
    direct = [q for q in found if q.direct]
    assert [q.statement for q in direct] == [
        "Distribusi selesai minggu depan", "Kami juga menyiapkan tenaga kesehatan tambahan.", "Stok cukup sampai akhir tahun ini",
    ]  # fmt: skip
    assert {q.speaker for q in direct} == {"Siti Aminah"}
    assert direct[2].speaker_mention == "ujarnya"
    indirect = [q for q in found if not q.direct]
    assert indirect and indirect[0].statement.startswith("vaksin sudah tiba") and indirect[0].speaker == "Siti Aminah"


def test_pronoun_and_menurut_resolve_to_the_last_speaker() -> None:
    text = (
        "Ketua Komisi Pemilihan Umum Daerah Andi Saputra menyatakan, rekapitulasi suara selesai tepat waktu.\n\n"
        "Menurut dia, partisipasi pemilih naik dibandingkan pemilu sebelumnya.\n\n"
        "Dia menambahkan, ”Semua kotak suara sudah kembali ke gudang dengan aman.”"
    )
    found = quotes(text)
    assert [q.speaker for q in found] == ["Andi Saputra"] * 3
    assert [q.direct for q in found] == [False, False, True]
    assert found[1].cue == "menurut" and found[1].statement.startswith("partisipasi pemilih naik")


def test_ordinary_people_are_not_public_figures() -> None:
    text = "Suminah (45), pedagang sayur di Pasar Baru, mengeluhkan harga cabai.\n\n”Harga cabai naik dua kali lipat sejak pekan lalu,” katanya."
    (q,) = [q for q in quotes(text) if q.direct]
    assert q.speaker == "Suminah" and not q.public_figure


def test_role_mention_resolves_to_the_named_person() -> None:
    text = (
        "Presiden Budi Santoso meresmikan jembatan baru di Palu.\n\n"
        "”Jembatan ini akan mempercepat distribusi barang ke desa-desa,” kata Presiden dalam sambutannya."
    )
    (q,) = quotes(text)
    assert q.speaker == "Budi Santoso" and q.speaker_mention == "Presiden"


def test_quoted_titles_and_fragments_are_not_statements() -> None:
    text = (
        "Warga menonton film ”Cinta di Ujung Senja” di alun-alun kota.\n\n"
        "Gubernur Rina Wulandari mengatakan bahwa pembangunan akan menjadi ”sebuah lompatan besar” bagi warga desa di wilayahnya."
    )
    found = quotes(text)
    assert [q.direct for q in found] == [False]  # the mixed form is one indirect statement with the fragment
    assert "”sebuah lompatan besar”" in found[0].statement and found[0].speaker == "Rina Wulandari"


def test_english_direct_indirect_and_according_to() -> None:
    text = (
        "GENEVA — Health Minister Laura Jensen said on Tuesday that the vaccine campaign would reach every region by June.\n"
        '"We have enough doses for everyone who wants one," Jensen told reporters in Geneva.\n'
        "According to Jensen, the supply contracts run until 2026.\n"
        "\"Nobody will be left behind,\" she said."
    )
    found = quotes(text, lang="en", d="2024-03-22")
    assert [(q.direct, q.speaker) for q in found] == [(False, "Laura Jensen")] * 1 + [(True, "Laura Jensen"), (False, "Laura Jensen"), (True, "Laura Jensen")]
    assert found[0].statement.startswith("the vaccine campaign") and found[0].date == "2024-03-19"
    assert found[1].statement == "We have enough doses for everyone who wants one" and found[1].cue == "told"
    assert found[1].place == "Geneva"
    assert found[2].cue == "according to"


def test_told_object_that_starts_the_statement_after_that() -> None:
    (q,) = quotes("Mayor Tom Reyes told the city council that the bridge would reopen next month.", lang="en", d=None)
    assert q.statement == "the bridge would reopen next month" and q.speaker == "Tom Reyes" and q.date is None


def test_weekday_resolves_to_the_latest_one_on_or_before_the_article_date() -> None:
    friday = date(2024, 3, 22)
    assert resolve_weekday(3, friday) == date(2024, 3, 21)  # Kamis = Thursday
    assert resolve_weekday(4, friday) == friday
    assert date_in("kata dia pada hari Kamis", friday, ID_WEEKDAYS) == date(2024, 3, 21)
    assert date_in("minggu ini harga naik", friday, ID_WEEKDAYS) is None  # "minggu" = week, not Sunday
    assert date_in("Senin (13/4/2020)", friday, ID_WEEKDAYS) == date(2020, 4, 13)
    assert date_in("(28/12)", date(2024, 1, 3), ID_WEEKDAYS) == date(2023, 12, 28)


def test_no_quotes_in_plain_reporting() -> None:
    assert quotes("Harga beras naik lima persen di pasar tradisional. Pasokan dari daerah berkurang.") == []
