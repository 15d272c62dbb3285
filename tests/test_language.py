"""Which language a question is in: Indonesian questions come out ``id`` (never Malay, which newsrag
does not serve), English ones ``en``, and an Indonesian question is refused in Indonesian."""

from __future__ import annotations

from pathlib import Path

import pytest

from rag.chat import ChatPipeline
from rag.index import Index
from rag.language import detect_language, question_language
from rag.languages import language
from rag.retrieval import Retriever
from tests.helpers import make_article

# Written for this test: news questions as an Indonesian reader types them, short and long, formal and
# casual, with names, numbers and the question words of every slot.
INDONESIAN = [
    "Apa yang dibahas dalam perundingan gencatan senjata di Kairo?",
    "Apa yang dibahas dalam perundingan antara Israel dan Hamas?",
    "Kapan perundingan gencatan senjata dimulai?",
    "Bagaimana tanggapan Israel terhadap usulan itu?",
    "Siapa yang bertemu Blinken di Kairo minggu lalu?",
    "Berapa jumlah korban tewas akibat runtuhnya derek di Mekkah?",
    "Mengapa harga beras naik bulan ini?",
    "Di mana para pencari suaka itu diselamatkan oleh nelayan?",
    "Apakah pemerintah sudah menaikkan harga bahan bakar minyak?",
    "Siapa yang memenangkan pemilihan kepala daerah di Jawa Tengah?",
    "Berapa banyak pengungsi yang tiba di Aceh sejak Jumat?",
    "Apa kata Menteri Luar Negeri tentang serangan ke Rafah?",
    "Kenapa banjir di Jakarta belum juga surut?",
    "Kapan jalan tol baru itu diresmikan oleh presiden?",
    "Apa isi pernyataan juru bicara kepolisian kemarin?",
    "Bagaimana nasib sandera yang ditahan oleh Hamas?",
    "Partai apa yang meraih suara terbanyak dalam pemilu tahun ini?",
    "Sejak kapan Netanyahu menolak peringatan Amerika Serikat?",
    "Apa yang terjadi di Mekkah pada bulan September 2015?",
    "Tolong jelaskan mengapa Blinken menyebut serangan itu sebuah kesalahan.",
]

# Words Indonesian shares with Malay, or spelled the Malaysian way: the identifier's vote leans Malay.
MALAY_LOOKING = [
    "Apa yang dibahas dalam perundingan gencatan senjata?",
    "Selamat pagi, apa khabar? Saya hendak bertanya tentang kerajaan.",
    "Kerajaan Malaysia telah mengumumkan bajet baharu untuk tahun hadapan.",
    "Berapa ramai orang yang terkorban dalam kemalangan itu?",
]

ENGLISH = [
    "What did Blinken say about Rafah last week?",
    "How many pilgrims died in the Hajj stampede?",
    "Who attacked the Church of Scientology website in 2008?",
    "When did the harbour bridge in Eastport reopen?",
    "What was discussed in the ceasefire talks in Cairo?",
    "Which teams won on day five of the World Cup?",
]


@pytest.mark.parametrize("question", INDONESIAN + MALAY_LOOKING)
def test_indonesian_and_malay_looking_questions_are_indonesian(question: str) -> None:
    assert detect_language(question) == "id"


@pytest.mark.parametrize("question", ENGLISH)
def test_english_questions_stay_english(question: str) -> None:
    assert detect_language(question) == "en"


def test_other_languages_are_still_told_apart() -> None:
    assert detect_language("Le ministre est arrivé au Caire jeudi pour des pourparlers sur un cessez-le-feu.") == "fr"


def test_an_indonesian_question_the_sources_cannot_answer_is_refused_in_indonesian(tmp_path: Path) -> None:
    index = Index.create(tmp_path / "ix", embedder="hashing")
    index.add([make_article("Farmers in the Green Valley reported a record apple harvest this autumn.", "Apple harvest")])
    answer = ChatPipeline(Retriever(index), None).ask("Apa yang dibahas dalam perundingan gencatan senjata?")
    assert answer.refused and answer.text == language("id").refusal


def test_a_short_question_is_the_language_of_its_words_not_of_its_names() -> None:
    assert detect_language("Who is the Chidi Okonkwo?") == "en"  # the identifier alone says Xhosa
    assert detect_language("When did Chidi Okonkwo die?") == "en"  # … and Nigerian Pidgin
    assert detect_language("Wer ist der Bundeskanzler von Deutschland?") == "de"  # no served language's words: as identified


@pytest.mark.parametrize(("question", "lang"), [("Berapakah usia PBB", "id"), ("Siapa Jokowi?", "id"), ("Apa kata Blinken?", "id"),
                                                 ("Who is Jokowi?", "en"), ("And Rafah?", "en")])  # fmt: skip
def test_a_question_too_short_to_identify_is_the_language_of_its_question_or_function_words(question: str, lang: str) -> None:
    assert detect_language(question) is None  # under 20 letters: the identifier's answer would be noise
    assert question_language(question) == lang


def test_a_short_indonesian_question_is_answered_in_indonesian(tmp_path: Path) -> None:
    index = Index.create(tmp_path / "ix", embedder="hashing")
    index.add([make_article("Farmers in the Green Valley reported a record apple harvest this autumn.", "Apple harvest")])
    answer = ChatPipeline(Retriever(index), None).ask("Siapa Jokowi?")
    assert answer.refused and answer.text == language("id").refusal
