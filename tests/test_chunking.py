from __future__ import annotations

from rag.chunking import ChunkingParams, chunk_article, chunk_text, split_sentences

from tests.helpers import make_article

SEED = (
    'Cairo, Gatra.com - Menteri Luar Negeri AS Antony Blinken mengatakan serangan ke Rafah akan menjadi "sebuah kesalahan". '
    "Dr. Sameh Shoukry hadir. Harga naik 3.5 persen pada Jan. 2024 menurut U.S. officials.\n"
    "Paragraf baru dimulai di sini! Apakah ini kalimat? Ya."
)


def test_sentences_respect_abbreviations_decimals_and_paragraphs() -> None:
    sentences = [SEED[s.start : s.end] for s in split_sentences(SEED)]
    assert sentences == [
        'Cairo, Gatra.com - Menteri Luar Negeri AS Antony Blinken mengatakan serangan ke Rafah akan menjadi "sebuah kesalahan".',
        "Dr. Sameh Shoukry hadir.",
        "Harga naik 3.5 persen pada Jan. 2024 menurut U.S. officials.",
        "Paragraf baru dimulai di sini!",
        "Apakah ini kalimat?",
        "Ya.",
    ]


def _long_text(sentences: int, words_each: int) -> str:
    return " ".join(" ".join(f"W{i}x{j}" for j in range(words_each - 1)) + f" end{i}." for i in range(sentences))


def test_passages_keep_exact_offsets_and_word_bounds() -> None:
    params = ChunkingParams()
    article = make_article(_long_text(60, 17), "Title")
    passages = chunk_article(article, params)
    assert len(passages) > 3
    for p in passages:
        assert article.text[p.start : p.end] == p.text
        assert len(p.text.split()) <= params.max_words
    assert all(len(p.text.split()) >= params.min_words for p in passages[:-1])
    # every sentence of the article is in some passage
    covered = set()
    for p in passages:
        covered.update(range(p.start, p.end))
    assert all(i in covered for s in split_sentences(article.text) for i in (s.start, s.end - 1))


def test_consecutive_passages_overlap_by_a_short_sentence() -> None:
    passages = chunk_text(_long_text(40, 12))
    assert all(b.start < a.end for a, b in zip(passages, passages[1:]))


def test_a_huge_sentence_is_split_by_words() -> None:
    text = " ".join(f"word{i}" for i in range(1000)) + "."
    passages = chunk_text(text)
    assert len(passages) == 5
    assert all(p.words <= 200 for p in passages)


def test_short_article_is_one_passage_and_blank_text_none() -> None:
    assert len(chunk_text("Satu kalimat saja. Dua kalimat.")) == 1
    assert chunk_text("  \n ") == []
