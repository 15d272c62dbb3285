"""Coreference and aliases of quote speakers, on small hand-written Indonesian news (not from any data set)."""

from __future__ import annotations

from rag.news.mentions import blends
from rag.news.quotes import extract_quotes
from tests.helpers import make_article


def direct_quotes(text: str):
    article = make_article(text, "t", lang="id", date="2024-03-22")
    return [q for q in extract_quotes(article) if q.direct]


def test_folded_cue_refers_to_the_person_last_made_subject_not_the_last_speaker() -> None:
    text = (
        "”Kapal cepat sudah kembali beroperasi sejak pekan lalu,” kata Kepala Dinas Perhubungan Andi Wijaya.\n\n"
        "Ketua Asosiasi Pemandu Wisata Indonesia Budi Santoso juga menyampaikan harapan serupa.\n\n"
        "”Harapan kami pariwisata segera pulih dan tamu kembali datang,” tuturnya."
    )
    first, second = direct_quotes(text)
    assert first.speaker == "Andi Wijaya"
    assert second.speaker == "Budi Santoso" and second.public_figure


def test_name_with_a_role_in_apposition_is_the_subject_of_a_later_katanya() -> None:
    text = (
        "”Harga beras naik dua kali dalam sebulan ini,” kata Menteri Perdagangan Siti Lestari.\n\n"
        "Rina Wulandari, peneliti dari Lembaga Riset Pangan Nusantara, meninjau gudang Bulog di Surabaya.\n\n"
        "”Stok beras di gudang ini cukup untuk tiga bulan ke depan,” ujarnya."
    )
    assert [q.speaker for q in direct_quotes(text)] == ["Siti Lestari", "Rina Wulandari"]


def test_object_mentions_and_people_inside_reported_speech_are_not_the_speaker() -> None:
    text = (
        "Kepala Badan Penanggulangan Bencana Daerah Doni Pratama mengapresiasi sikap Kiai Hasan Basri yang membuka masjid bagi pengungsi.\n\n"
        "”Keterbukaan seperti ini sangat membantu kami di lapangan,” katanya.\n\n"
        "Doni mengatakan, Gubernur Jawa Tengah Ganjar Wibisono memerintahkan agar dapur umum dibuka.\n\n"
        "”Dapur umum harus buka sampai air surut semuanya,” ujarnya."
    )
    assert [q.speaker for q in direct_quotes(text)] == ["Doni Pratama", "Doni Pratama"]


def test_nicknames_resolve_to_the_full_name() -> None:
    text = (
        "Presiden Joko Widodo meresmikan bendungan di Kabupaten Grobogan.\n\n"
        "”Bendungan ini mengairi lima ribu hektar sawah petani,” kata Jokowi.\n\n"
        "Wakil Gubernur Bali Tjokorda Oka Artha Sukawati, yang biasa disapa Tjok Ace, hadir di acara itu.\n\n"
        "”Kami siap mendukung program irigasi pemerintah pusat,” kata Tjok Ace."
    )
    assert [q.speaker for q in direct_quotes(text)] == ["Joko Widodo", "Tjokorda Oka Artha Sukawati"]


def test_place_words_of_a_role_are_not_part_of_the_name() -> None:
    text = (
        "Warga di Bekasi diminta membawa surat keterangan sehat.\n\n"
        "”Semua yang masuk kota wajib menunjukkan hasil tes,” kata Wali Kota Bekasi Rahmat Effendi."
    )
    (q,) = direct_quotes(text)
    assert q.speaker == "Rahmat Effendi" and "Wali Kota" in (q.speaker_role or "")


def test_a_person_introduced_as_one_of_the_public_is_no_public_figure() -> None:
    text = (
        "Mato, salah satu sopir angkutan kota, menunggu penumpang sejak pagi.\n\n"
        "”Sejak pagi baru dua penumpang yang naik angkot saya,” ujar Mato."
    )
    (q,) = direct_quotes(text)
    assert q.speaker == "Mato" and not q.public_figure


def test_blends_reads_indonesian_nicknames() -> None:
    assert blends("Jokowi", ["Joko", "Widodo"])
    assert blends("SBY", ["Susilo", "Bambang", "Yudhoyono"])
    assert not blends("Jokowi", ["Joko", "Santoso"])
    assert not blends("Joko", ["Joko", "Widodo"])  # a single name word is a surname match, not a blend


def test_a_titled_role_in_apposition_belongs_to_the_name_before_it() -> None:
    text = (
        "”Penumpang kapal naik dua kali lipat sejak Senin,” kata Kepala Syahbandar Lembar Made Arsana.\n\n"
        "Dewi Kartika, Koordinator Armada Samudra Biru untuk Gili, juga menyampaikan harapan serupa.\n\n"
        "”Kami berharap wisatawan mancanegara segera kembali ke Gili,” tuturnya."
    )
    first, second = direct_quotes(text)
    assert "Arsana" in (first.speaker or "") and second.speaker == "Dewi Kartika"
