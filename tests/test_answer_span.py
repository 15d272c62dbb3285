"""The answer span: the question's slot, and the phrase of an evidence sentence that fills it."""

from __future__ import annotations

from pathlib import Path

import pytest

from rag.answer_span import Span, find_span, question_slot
from rag.span_render import render_span
from rag.chat import AnswerSettings, ChatPipeline
from rag.citations import SupportSettings
from rag.evidence import Evidence, EvidenceSettings
from rag.index import Index
from rag.languages import ENGLISH, INDONESIAN
from rag.retrieval import Retriever
from tests.helpers import make_article


def evidence(*sentences: str) -> list[Evidence]:
    return [Evidence(1, 0, len(s), s, 1.0) for s in sentences]


def span_text(question: str, sentence: str, lang: str = "en") -> str | None:
    """The span ``question`` (English unless ``lang`` says) gets from ``sentence`` as the only evidence."""
    found = find_span(question, lang, evidence(sentence))
    return found.text if found is not None else None


@pytest.mark.parametrize(
    ("question", "sentence", "span"),
    [
        ("Who won the men's singles title in 1977?", "Gelar tunggal putra 1977 direbut oleh Christian Hadinata setelah final yang ketat.",
         "Christian Hadinata"),
        ("When was the referendum on Iraq's draft constitution held?", "Referendum konstitusi Irak digelar pada 15 Oktober 2005.",
         "15 Oktober 2005"),
        ("How long does the Tribute to Teguh Karya concert last?", "Konser Tribute to Teguh Karya berlangsung selama 90 menit.",
         "90 menit"),
        ("Where did the plane crash?", "Pesawat itu jatuh di Medan pada hari Senin.", "Medan"),
        # an amount ends at a preposition
        ("How far is the old fort from the city?", "Benteng itu berdiri sekitar 25 km sebelah selatan kota.", "sekitar 25 km"),
        ("How many people were evacuated?", "Sebanyak 300.000 orang hingga kemarin dievakuasi dari pantai.", "300.000 orang"),
        # a name that qualifies the noun after it is not the answer
        ("Where did the stampede happen?", "The stampede at Islam's most holy site happened at Jamarat Bridge.", "Jamarat Bridge"),
        ("Who won the flag referendum?", "the government will hold two referendums at a cost of NZ $ 26 million.", None),
    ],
)  # fmt: skip
def test_the_span_is_copied_from_the_sentence(question: str, sentence: str, span: str) -> None:
    assert span_text(question, sentence) == span


def test_the_question_s_own_names_and_numbers_are_not_the_answer() -> None:
    found = find_span("When did Christian Hadinata win in Jakarta?", "en", evidence("Christian Hadinata menang di Jakarta pada 1977."))
    assert found is not None and found.text == "1977"
    assert find_span("Who is Christian Hadinata?", "en", evidence("Christian Hadinata.")) is None


def test_questions_without_a_slot_have_no_span() -> None:
    assert question_slot("Why did the bridge close?", "en") is None
    assert find_span("Why did the bridge close?", "en", evidence("The bridge closed on 3 May 2024.")) is None


def test_the_span_is_written_as_the_asker_reads_it() -> None:
    found = find_span("How high is the Dieng Plateau?", "en", evidence("Dataran Tinggi Dieng berada 2.693 meter di atas permukaan laut."))
    assert found is not None and render_span(found, ENGLISH, "id") == "2,693 meters"
    found = find_span("When was the referendum held?", "en", evidence("Referendum digelar pada 15 Oktober 2005."))
    assert found is not None and render_span(found, ENGLISH, "id") == "15 October 2005"


@pytest.mark.parametrize(
    ("copied", "read"),
    [
        ("Korea Selatan", "South Korea"),  # a place by its English name
        ("Arab Saudi dan Kuwait", "Saudi Arabia and Kuwait"),  # a list of names joined in English
        ("Timika, Jayapura, Nabire dan Sorong", "Timika, Jayapura, Nabire and Sorong"),
        ("sekitar 70 juta jiwa", "about 70 million people"),  # an amount's unit
        ("lima hingga sepuluh", "five to ten"),  # a range
        ("10 derajat", "10 degrees"),
        # names stay: a place inside a party's name, "dan" inside an institution's or a long name
        ("Partai Demokratik Jepang", "Partai Demokratik Jepang"),
        ("Departemen Kebudayaan dan Pariwisata", "Departemen Kebudayaan dan Pariwisata"),
        ("Asosiasi Industri Permebelan dan Kerajinan Indonesia", "Asosiasi Industri Permebelan dan Kerajinan Indonesia"),
    ],
)
def test_an_indonesian_span_reads_as_english_where_it_is_no_name(copied: str, read: str) -> None:
    span = Span("which", copied, evidence(copied)[0])
    assert render_span(span, ENGLISH, "id") == read


def test_an_english_amount_reads_as_indonesian() -> None:
    span = Span("how_many", "over 345", evidence("over 345")[0])
    assert render_span(span, INDONESIAN, "en") == "lebih dari 345"


def test_extractive_answer_leads_with_the_span_and_quotes_the_source(tmp_path: Path) -> None:
    text = "Tim Indonesia meraih gelar juara pada tahun 1977. Gelar tunggal putra direbut oleh Christian Hadinata di Jakarta."
    with Index.create(tmp_path / "ix", embedder="hashing") as ix:
        ix.add([make_article(text, "Juara 1977", source="Kompas", lang="id")])
        low = AnswerSettings(k=1, evidence=EvidenceSettings(min_score_cross_lingual=0.0, max_sentences=2, margin=1.0),
                             support=SupportSettings(accept=0.05, reject=0.05))  # fmt: skip
        answer = ChatPipeline(Retriever(ix), settings=low).ask("Who won the men's singles title (tunggal putra) in Jakarta?")
    assert answer.span == "Christian Hadinata"
    context, sentence = text.split(". ")
    context += "."
    # the span's sentence first, then the other evidence sentence of its passage as context
    assert answer.text == f"Christian Hadinata [1] — from the Indonesian: “{sentence}” “{context}” [1]"
    assert [s.text for s in answer.sentences] == [sentence, context] and all(s.citations == (1,) for s in answer.sentences)


def test_extractive_answer_without_a_span_quotes_the_foreign_sentences(tmp_path: Path) -> None:
    text = "Ekonomi Indonesia tumbuh antara 3,4 persen dan 6,35 persen tahun ini."
    with Index.create(tmp_path / "ix", embedder="hashing") as ix:
        ix.add([make_article(text, "Ekonomi", source="Kompas", lang="id")])
        low = AnswerSettings(k=1, evidence=EvidenceSettings(min_score_cross_lingual=0.0), support=SupportSettings(accept=0.05, reject=0.05))
        answer = ChatPipeline(Retriever(ix), settings=low).ask("Why is the economy of Indonesia growing?")
    assert answer.span is None and answer.text == f"From the Indonesian: “{text}” [1]"


def test_the_asked_person_with_a_title_is_not_who_they_met() -> None:
    sentences = evidence(
        "Menteri Luar Negeri Amerika Serikat Antony Blinken pada hari Kamis mengatakan bahwa serangan ke Rafah sebuah kesalahan.",
        "Hal itu dikatakan Blinken dalam konferensi pers di Kairo bersama Menteri Luar Negeri Mesir Sameh Shoukry.",
    )
    found = find_span("Who did Blinken meet in Cairo?", "en", sentences)
    assert found is not None and found.text == "Sameh Shoukry" and found.evidence is sentences[1]


def test_who_asks_for_the_person_not_their_title_in_the_sources_language() -> None:
    found = find_span("Who is the president of the United States?", "en", evidence("Presiden Amerika Serikat Joe Biden tiba di Jakarta."))
    assert found is not None and found.text == "Joe Biden"
    whole = find_span("Who spoke first?", "en", evidence("Yang pertama berbicara adalah Kepala Dinas Pertanian."))
    assert whole is not None and whole.text == "Kepala Dinas Pertanian"  # only a title: kept whole


def test_whom_someone_met_is_the_person_named_after_a_companion_word() -> None:
    sentence = "Presiden Joko Widodo, yang dikritik Amien Rais kemarin, bertemu dengan Perdana Menteri Lee Hsien Loong di Singapura."
    found = find_span("Who did Joko Widodo meet in Singapore?", "en", evidence(sentence))
    assert found is not None and found.text == "Lee Hsien Loong"


def test_an_amount_is_not_the_day_of_a_date() -> None:
    found = find_span("How many contract workers does the company have?", "en",
                      evidence("Pabrik itu berhenti beroperasi sejak 8 September 2005, Senin (12/9), dengan karyawan kontrak 2.000 orang."))  # fmt: skip
    assert found is not None and found.text.startswith("2.000")


def test_how_many_prefers_the_asked_for_unit() -> None:
    found = find_span("How many bombs exploded in Srinagar?", "en", evidence("Lima orang terluka ketika tiga bom meledak di Srinagar."))
    assert found is not None and "bom" in found.text and found.text.startswith("tiga")


def test_a_day_and_month_outrank_a_year_inside_a_name() -> None:
    found = find_span("When did the bankers meet in Singapore?", "en",
                      evidence("Hal itu diungkapkan dalam Seminar Islamic Banking Outlook 2006 di Singapura, Selasa (30/8)."))  # fmt: skip
    assert found is not None and found.text == "30/8"


def test_questions_for_a_quantity_or_a_country_ask_for_an_amount_or_a_place() -> None:
    assert question_slot("What is the current population of Jiangsu province?", "en") == "how_many"
    assert question_slot("What is Indonesia's economic growth rate?", "en") == "how_many"
    assert question_slot("Which country is John Hall from?", "en") == "where"


def test_slot_fit_tells_a_sentence_that_holds_the_asked_for_kind() -> None:
    from rag.answer_span import slot_fit

    fits = slot_fit("How many hectares of potato crops died?", "en")
    assert fits is not None and fits("Sedikitnya 90 hektar tanaman kentang mati akibat serangan itu.")
    assert not fits("Nematoda itu kini mengancam budidaya kentang di Dataran Tinggi Dieng.")
    assert slot_fit("Why did the crops die?", "en") is None


def test_evidence_prefers_a_near_equal_sentence_that_holds_the_answer() -> None:
    import numpy as np

    from rag.evidence import SentenceBank, rank_sentences

    class Fixed:  # an embedder whose question vector is given: the scores are the bank's own
        dim = 2

        def embed_query(self, text: str) -> np.ndarray:
            return np.array([1.0, 0.0], dtype=np.float32)

    sentences = [Evidence(1, 0, 10, "Nematoda itu kini mengancam budidaya kentang di Dieng.", 0.0),
                 Evidence(2, 0, 10, "Sedikitnya 90 hektar tanaman kentang mati.", 0.0)]  # fmt: skip
    vectors = np.array([[0.90, 0.43], [0.89, 0.45]], dtype=np.float32)
    bank = SentenceBank([], sentences, vectors)
    question = "How many hectares of potato crops died?"
    from rag.answer_span import slot_fit

    assert rank_sentences(question, bank, Fixed())[0].source == 1  # type: ignore[arg-type]
    assert rank_sentences(question, bank, Fixed(), fits=slot_fit(question, "en"))[0].source == 2  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("question", "sentence", "span"),
    [
        # the asked kind's word marks the answer, not the sentence's capitalised first word
        ("Which river flows past the old fort?", "Sebuah benteng tua berdiri di tepi Sungai Musi sejak abad ke-17.", "Sungai Musi"),
        ("What is the name of the dam that floods the valley?", "Lembah itu kini tergenang oleh Waduk Jatiluhur milik negara.",
         "Waduk Jatiluhur"),
        # a question's own name inside a run leaves its office as the answer
        ("At which body does Hendra Wijaya serve as a director?", "Menurut Direktur BPPT Hendra Wijaya, sistem itu siap dipakai.",
         "BPPT"),
        # a person, not the office beside them
        ("Who was appointed as the agency's envoy for Aceh?",
         "Nota itu ditandatangani utusan badan itu untuk Aceh, Marco Bellini, dan Ketua Badan Rehabilitasi dan Rekonstruksi.",
         "Marco Bellini"),
        # a numbered name as tokenised news text writes it keeps its number
        ("What is the name of the satellite launched last week?", "Satelit Palapa - 4 diluncurkan dari Guyana pekan lalu.",
         "Satelit Palapa - 4"),
    ],
)  # fmt: skip
def test_the_span_is_of_the_kind_the_question_asks_for(question: str, sentence: str, span: str) -> None:
    assert span_text(question, sentence) == span


def test_a_sentence_a_little_lower_that_holds_the_asked_kind_gives_the_span() -> None:
    top = Evidence(1, 0, 10, "Sebuah kompleks megalit ditemukan di situs itu.", 0.90)
    lower = Evidence(2, 0, 10, "Bagian tengahnya dipotong oleh Sungai Lematang.", 0.88)
    far = Evidence(3, 0, 10, "Di hilir ada Sungai Enim yang lebar.", 0.70)
    found = find_span("Which river cuts through the site?", "en", [top, lower, far])
    assert found is not None and found.text == "Sungai Lematang" and found.evidence is lower


def test_a_span_of_news_words_is_rendered_in_the_askers_words() -> None:
    from rag.languages import language

    def rendered(text: str) -> str:
        return render_span(_span(text), language("en"), "id")

    assert rendered("Kamis") == "Thursday"
    assert rendered("satu perunggu") == "one bronze"
    assert rendered("Sungai Lematang") == "Sungai Lematang"  # a name keeps its words


def _span(text: str, slot: str = "which"):  # noqa: ANN202
    from rag.answer_span import Span

    return Span(slot, text, evidence(text)[0])


@pytest.mark.parametrize(
    ("question", "slot"),
    [
        ("How old was Theodor Haensch when he received the Nobel Prize?", "how_many"),
        ("How old was the patient who was treated at the hospital?", "how_many"),
        ("In which species of mosquito did the parasite fail to mature when the gene was switched off?", "which"),
        ("When did the minister who resigned return?", "when"),
    ],
)  # fmt: skip
def test_the_first_question_word_decides_the_slot(question: str, slot: str) -> None:
    assert question_slot(question, "en") == slot  # a later "when" or "who" opens a clause


def test_a_number_inside_a_code_is_not_an_amount() -> None:
    sentence = "Restorasi candi itu memerlukan dana Rp 500 juta, sementara BP3 tidak mempunyai uang sebanyak itu."
    found = find_span("How much money is needed to restore the temple?", "en", evidence(sentence))
    assert found is not None and found.text == "Rp 500 juta"


def test_a_date_sharing_one_number_with_the_question_is_still_an_answer() -> None:
    sentence = "Ketua umum itu diterima Sekretaris Jenderal KONI di Jakarta, Kamis (13/10), seusai kejuaraan 10-11 Oktober."
    found = find_span("When did the chairman report to KONI after the championships on 10-11 October?", "en", evidence(sentence))
    assert found is not None and found.text == "13/10"
    assert find_span("When did it start, on 10-11 October?", "en", evidence("Kejuaraan itu digelar 10-11 Oktober.")) is None


def test_any_year_after_tahun_is_a_date() -> None:
    found = find_span("In what year was Basel University founded?", "en",
                      evidence("Ia belajar di Basel University, universitas tertua yang didirikan tahun 1459 di Swiss."))  # fmt: skip
    assert found is not None and found.text == "1459"


def test_the_asked_unit_is_known_by_the_news_glossary() -> None:
    found = find_span("How many silver medals did the team win?", "en",
                      evidence("Tim Indonesia meraih dua medali emas, tiga perak, dan satu perunggu pada kejuaraan itu."))  # fmt: skip
    assert found is not None and found.text == "tiga perak"


@pytest.mark.parametrize(
    ("question", "sentence", "span"),
    [
        # title, office, person in one run: the office is what the person heads
        ("What is the name of the agency headed by Rudi Hartono?",
         "Hadir pula Menteri Luar Negeri Hassan Wirajuda, Kepala BPPT Rudi Hartono, Sekretaris Kabinet Sudi Silalahi dan Ketua Kadin MS Hidayat.",
         "BPPT"),
        # and the person beside the office a question names
        ("Who is the Secretary-General of IFRC?",
         "Laporan itu disusun Jan Egeland dan disampaikan Sekretaris Jenderal IFRC Markku Niskala kepada para anggota.",
         "Markku Niskala"),
        # a bracketed acronym between the body and its head
        ("Maria Ortega is currently director of which organisation?",
         "Hal itu dikemukakan Direktur Jenderal International Potato Center (CIP) Maria Ortega dalam World Potato Congress di Lima.",
         "International Potato Center"),
        # "dari": the candidate of the party the question names
        ("Who was the Likud Party's candidate in the election?",
         "Pemilu diikuti lima kandidat, yaitu Ahmed Karim dari Partai Likud, Mohammed Abdullah Rahman dari Partai Nasional, dan Samir Haddad.",
         "Ahmed Karim"),
    ],
)  # fmt: skip
def test_what_is_asked_of_a_named_person_or_body_stands_beside_the_name(question: str, sentence: str, span: str) -> None:
    text = span_text(question, sentence)
    assert text is not None and span in text


def test_the_rest_of_a_name_beside_the_question_s_words_is_not_said_of_them() -> None:
    sentence = "Ia memecahkan rekor dunia di Kejuaraan Atletik Brussels Golden League 2005, Jumat (26/8) di Stadion King Baudoin, Brussels."
    found = find_span("Where was the Brussels Golden League athletics meeting held?", "en", evidence(sentence))
    assert found is not None and found.text == "Stadion King Baudoin"


def test_a_bracketed_acronym_is_the_name_before_it_not_something_said_of_it() -> None:
    from rag.answer_span import _beside

    def beside(sentence: str, candidate: str, name: str) -> bool:
        start, at = sentence.index(candidate), sentence.index(name)
        return _beside(sentence, start, start + len(candidate), (at, at + len(name)))

    assert beside("Dua pasien meninggal, yakni Riska Adianti (5) dan Karwati (27).", "5", "Adianti")
    assert beside("Juara dunia Kenenisa Bekele (Etiopia) mempertajam rekor.", "Etiopia", "Bekele")
    sentence = "Ketua Komisi Penanggulangan Malaria Daerah (KPMD) Aceh mengatakan, kasus terbanyak ada di Kabupaten Pidie."
    assert not beside(sentence, "KPMD", "Malaria") and not beside(sentence, "KPMD", "Aceh")


@pytest.mark.parametrize(
    ("question", "sentence", "span"),
    [
        # an amount of years does not say how large something is; the new figure of a change does
        ("How large is the country's coffee harvest?",
         "Menurut dia, panen kopi nasional yang turun sejak tiga tahun ini, dari 700.000 ton menjadi 650.000 ton, menaikkan harga kopi 20 persen.",
         "650.000 ton"),
        # an age after a name and a comma is not how long someone stayed …
        ("How long did the champion Kim Clijsters stay at the top of the rankings?",
         "Henin, 23 tahun, menggeser petenis Belgia, Kim Clijsters, yang bertahan selama 19 pekan di peringkat teratas.",
         "19 pekan"),
        # … but answers how old they are
        ("How old is Justine Henin?", "Henin, 23 tahun, menggeser petenis Belgia, Kim Clijsters, dari peringkat teratas.", "23 tahun"),
        # a range is one amount, both ends
        ("What is the inflation rate in the province?", "Inflasi di provinsi itu berkisar antara 4,5 persen dan 5,2 persen tahun ini.",
         "4,5 persen dan 5,2 persen"),
        # tokenised news text splits a decimal at its comma
        ("What is the value of the unreturned cars?", "Nilai mobil yang belum dikembalikan mencapai Rp 2, 45 miliar.", "Rp 2, 45 miliar"),
    ],
)  # fmt: skip
def test_amounts_of_the_asked_sort(question: str, sentence: str, span: str) -> None:
    text = span_text(question, sentence)
    assert text is not None and text.startswith(span)


def test_amount_spans_are_rendered_with_their_units() -> None:
    from rag.languages import language

    def rendered(text: str) -> str:
        return render_span(_span(text, "how_many"), language("en"), "id")

    assert rendered("19 pekan") == "19 weeks"
    assert rendered("hampir 3.000 hektar") == "nearly 3,000 hectares"
    assert rendered("Rp 2, 45 miliar") == "Rp 2.45 billion"
    assert rendered("4,5 persen dan 5,2 persen") == "4.5 percent and 5.2 percent"


@pytest.mark.parametrize(
    ("question", "sentence", "span"),
    [
        # "yakni" after the question's noun names it
        ("What is the name of the state-owned bank (BUMN) that raised its lending rate?",
         "Menurut Hendra, penyebabnya adalah kebijakan bank milik negara (BUMN), yakni Mandiri, yang menaikkan suku bunga KPR dan BRI yang menaikkan bunga kredit.",
         "Mandiri"),
        # the asked noun is the head before "of": a publisher ("terbitan"), not a book
        ("What is the name of the publisher of the book Katalog Film Indonesia, written by JB Kristanto?",
         "Darah dan Doa produksi 1950 dan Lewat Djam Malam keluaran 1954 telah dicatat dalam buku Katalog Film Indonesia karya JB Kristanto terbitan Nalar Pustaka (2005).",
         "Nalar Pustaka"),
        # a "kelompok" is an organisation
        ("What is the name of the farmers' organisation that planted mangroves in Demak?",
         "Kegiatan itu dirintis para petani Kelompok Tani Sido Makmur, Desa Bedono, Kecamatan Sayung, Kabupaten Demak.",
         "Kelompok Tani Sido Makmur"),
    ],
)  # fmt: skip
def test_the_question_s_noun_points_at_its_answer(question: str, sentence: str, span: str) -> None:
    assert span_text(question, sentence) == span


def test_the_asked_noun_is_the_head_of_its_phrase() -> None:
    from rag.answer_kinds import asked_kind

    assert asked_kind("What is the name of the publisher of the book?").noun == "publisher"
    assert asked_kind("Which river in the province floods every year?").noun == "river"


@pytest.mark.parametrize(
    ("question", "slot"),
    [
        ("What was the name of the mission that reached the comet?", "who"),
        ("What is the title of the singer's latest album?", "which"),
        ("What is the abbreviation for Kepolisian Resor?", "which"),
        ("What does KPK stand for?", "which"),
        ("What type of aircraft crashed near Medan?", "which"),
        ("What prize did the director win in Venice?", "which"),
        ("What was the turnout of the first round, in percent?", "how_many"),
        ("What did the minister say about the ceasefire?", None),
        ("What happened in Cairo on Thursday?", None),
    ],
)  # fmt: skip
def test_what_questions_that_ask_for_a_name_a_kind_or_a_figure(question: str, slot: str | None) -> None:
    assert question_slot(question, "en") == slot


def test_what_an_acronym_stands_for_is_the_name_before_its_bracket() -> None:
    sentence = "Kepala Badan Meteorologi dan Geofisika (BMG) Sri Woro di Jakarta, Senin, mengatakan, gempa itu berkekuatan 6,8."
    found = find_span("What does BMG stand for?", "en", evidence(sentence))
    assert found is not None and "Badan Meteorologi dan Geofisika" in found.text


def test_a_code_written_with_spaced_hyphens_is_one_name() -> None:
    sentence = "Padang, Kompas - Helikopter BO - 105 milik Kepolisian Daerah Riau jatuh di kawasan hutan Bukit Tigapuluh, Kamis (1/9)."
    found = find_span("What type of helicopter crashed in the Bukit Tigapuluh forest?", "en", evidence(sentence),
                      "Apa tipe helikopter yang jatuh di hutan Bukit Tigapuluh?")  # fmt: skip
    assert found is not None and "BO - 105" in found.text


def test_a_country_span_is_rendered_by_its_english_name() -> None:
    from rag.languages import language

    assert render_span(_span("Ekuador", "where"), language("en"), "id") == "Ecuador"
    assert render_span(_span("Meksiko", "where"), language("en"), "id") == "Mexico"


def test_a_regulation_keeps_its_number() -> None:
    found = find_span("Which regulation allows the new tariff?", "en",
                      evidence("Menurut juru bicara PLN, tarif baru dimungkinkan karena diatur dalam Permen No 12/2006 tentang Tarif Dasar Listrik."))  # fmt: skip
    assert found is not None and found.text == "Permen No 12/2006"
    found = find_span("What is the number of the 2006 Finance Minister Regulation on import duties?", "en",
                      evidence("Ketentuan itu tertuang dalam Peraturan Menteri Keuangan Nomor 45 / PMK.010 / 2006 tentang bea masuk, kata dia di Jakarta, Jumat (14/10)."))  # fmt: skip
    assert found is not None and found.text.startswith("Nomor 45 / PMK.010 / 2006")


@pytest.mark.parametrize(
    ("question", "sentence", "span"),
    [
        # news writes titles and terms in quotes, often in lower case
        ("What is the title of the band's new single?",
         'Band asal Bandung itu merilis singel berjudul " Langit Biru " pekan lalu di Jakarta.', "Langit Biru"),
        ("What is the term for the new farming method used in Sleman?",
         'Petani Sleman kini memakai cara tanam baru yang mereka sebut " jajar legowo ".', "jajar legowo"),
        # a body is named by its acronym
        ("Which agency issued the flood warning for Jakarta on Monday?",
         "Peringatan banjir untuk Jakarta dikeluarkan BMKG pada Senin pagi, kata Kepala Bidang Informasi Hadi Santoso.", "BMKG"),
    ],
)  # fmt: skip
def test_titles_in_quotes_and_bodies_by_their_acronym(question: str, sentence: str, span: str) -> None:
    assert span_text(question, sentence) == span


@pytest.mark.parametrize(
    ("question", "slot"),
    [
        ("Apa nama danau yang menjadi sumber air goa itu?", "who"),  # as "What is the name of …": the kind decides
        ("Kejuaraan apakah yang dibuka di Jakarta?", "which"),
        ("Departemen manakah yang memungut bea ekspor?", "which"),
        ("Di yayasan mana Sofyan bekerja?", "which"),
        ("Penyakit apa yang menyerang penulis itu?", "which"),
        ("Di mana Blinken berbicara?", "where"),
        ("Apakah Blinken datang ke Kairo?", None),  # a yes/no question
        ("Apa yang dikatakan Blinken di Kairo?", None),
    ],
)  # fmt: skip
def test_indonesian_questions_put_the_asked_noun_before_the_question_word(question: str, slot: str | None) -> None:
    assert question_slot(question, "id") == slot


def test_an_indonesian_question_s_noun_names_the_kind_it_asks_for() -> None:
    from rag.answer_kinds import asked_kind

    assert asked_kind("Apa nama danau yang menjadi sumber air goa itu?").noun == "lake"
    assert asked_kind("Di yayasan mana Sofyan bekerja?").noun == "foundation"
    sentence = "Menurut Elang, aliran air di goa itu berhenti karena Danau Jati yang menjadi sumber air utama sudah kering."
    assert span_text("Apa nama danau yang menjadi sumber air goa itu?", sentence, lang="id") == "Danau Jati"


def test_the_question_s_own_name_in_the_sources_spelling_is_not_the_answer() -> None:
    sentence = "Film Indonesia pertama yang laris adalah Terang Boelan (1937), yang melahirkan pasangan romantis pertama."
    assert span_text("What is the title of the first Indonesian film that was a hit?", sentence) == "Terang Boelan"
    sentence = "Dari Bandara Internasional Minangkabau, perjalanan ke Kota Padang hanya setengah jam."
    assert span_text("In which city is Minangkabau International Airport?", sentence) == "Kota Padang"


def test_a_capital_asked_by_its_name_is_a_place() -> None:
    sentence = "Setelah Deutsche Demokratische Republik bubar, Berlin kembali menjadi ibu kota Jerman."
    assert span_text("Apa nama ibukota Jerman?", sentence, lang="id") == "Berlin"


def test_an_amount_ends_before_the_verb_after_its_unit() -> None:
    sentence = "Srinagar, Senin - Ledakan tiga bom mengguncang wilayah Kashmir India di tengah perayaan hari kemerdekaan."
    assert span_text("How many bombs exploded in Srinagar?", sentence) == "tiga bom"
    assert span_text("How many people were found?", "Sebanyak 17 penderita ditemukan di Brebes.") == "17 penderita"


def test_a_date_that_was_moved_is_answered_by_the_new_one() -> None:
    sentence = "PGN akan mempercepat penyelesaian pipa gas fase kedua, dari Oktober 2007 menjadi Februari 2007."
    assert span_text("When will the second phase of the gas pipeline be completed?", sentence) == "Februari 2007"


def test_pada_tahun_berapakah_asks_when_and_its_year_answers() -> None:
    question = "Pada tahun berapakah Candra Wijaya dan Sigit Budiarto menjadi juara dunia?"
    assert question_slot(question, "id") == "when"
    assert span_text(question, "Candra / Sigit adalah juara dunia 1997 dan kini mencatatkan diri sebagai ganda putra kedua.", "id") == "1997"
