"""Hybrid retrieval's logic: how much BM25 counts, and when a question is translated for it.

Uses the model-free `hashing` embedder; recall on real data is measured by `rag eval` and
benchmarks/retrieval_recall.py.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from rag.index import Index
from rag.retrieval import RetrievalSettings, Retriever
from tests.helpers import make_article

STORIES = [
    make_article("Kapal feri berlayar dari pelabuhan Merak pada pagi hari.", "Feri Merak", lang="id"),
    make_article("Harga beras di pasar Cianjur naik minggu ini.", "Harga beras", lang="id"),
    make_article("Jembatan di kota Sukabumi ditutup untuk perbaikan.", "Jembatan ditutup", lang="id"),
]


class RecordingTranslator:
    def __init__(self, translations: dict[str, str]) -> None:
        self.translations = translations
        self.calls: list[tuple[str, str]] = []

    def translate(self, text: str, target_lang: str) -> str | None:
        self.calls.append((text, target_lang))
        return self.translations.get(text)


@pytest.fixture
def index(tmp_path: Path) -> Index:
    ix = Index.create(tmp_path / "ix", embedder="hashing")
    ix.add(STORIES)
    return ix


def test_bm25_counts_fully_only_when_its_best_candidate_stands_out(index: Index) -> None:
    retriever = Retriever(index, RetrievalSettings(lexical_weight=0.5, decisive_gap=1.0))
    decisive = np.array([3.0, 0.2, 0.1, -0.1, -0.2])  # one passage has the rare name
    flat = np.array([1.0, 0.98, 0.97, -1.0, -1.0])  # many passages share common words
    assert retriever._lexical_weight(decisive) == pytest.approx(0.5)
    assert retriever._lexical_weight(flat) == pytest.approx(0.5 * 0.02)
    assert retriever._lexical_weight(np.array([1.0])) == 0.0


def test_a_question_in_another_language_is_searched_in_translation(index: Index) -> None:
    question = "What is the price of rice in Cianjur market?"
    translator = RecordingTranslator({question: "Berapa harga beras di pasar Cianjur?"})
    retriever = Retriever(index, translator=translator)
    assert retriever.lexical_queries(question) == [question, "Berapa harga beras di pasar Cianjur?"]
    assert retriever.retrieve(question, k=1)[0].title == "Harga beras"


def test_a_translation_that_answers_the_question_instead_is_not_used(index: Index) -> None:
    question = "What is the price of rice in Cianjur market?"
    # the local model's habit under a plain translate prompt: a statement with an invented answer
    for answered in ["Harga beras di pasar Cianjur adalah Rp 9.000.", "Harga beras di pasar Cianjur naik."]:
        retriever = Retriever(index, translator=RecordingTranslator({question: answered}))
        assert retriever.translation(question) is None
        assert retriever.lexical_queries(question) == [question]


def test_no_translation_when_the_question_is_in_the_corpus_language(index: Index) -> None:
    translator = RecordingTranslator({})
    retriever = Retriever(index, translator=translator)
    hits = retriever.retrieve("Kapan jembatan di Sukabumi ditutup?", k=1)
    assert hits[0].title == "Jembatan ditutup"
    assert translator.calls == []


def test_one_article_fills_at_most_per_article_slots(tmp_path: Path) -> None:
    long_story = make_article(" ".join(f"Sentence {i} about the harbour strike in Eastport." for i in range(120)), "Strike")
    other = make_article("The harbour in Westport is calm.", "Calm harbour")
    with Index.create(tmp_path / "ix", embedder="hashing") as ix:
        ix.add([long_story, other])
        hits = Retriever(ix, RetrievalSettings(per_article=2)).retrieve("harbour strike", k=5)
    assert [h.title for h in hits].count("Strike") == 2
    assert "Calm harbour" in [h.title for h in hits]


def test_retrievals_from_many_threads_find_what_one_thread_finds(index: Index) -> None:
    """BM25 runs on a worker thread beside the query embedding; questions asked at once from
    several threads (the TUI and a background job) still get exactly the sequential answers."""
    from concurrent.futures import ThreadPoolExecutor

    retriever = Retriever(index)
    questions = ["harga beras di pasar", "kapal feri Merak", "jembatan Sukabumi ditutup", "pasar Cianjur minggu ini"] * 5
    expected = [[(h.passage.id, round(h.score, 6)) for h in retriever.retrieve(q, k=3)] for q in questions]
    with ThreadPoolExecutor(max_workers=4) as pool:
        found = list(pool.map(lambda q: [(h.passage.id, round(h.score, 6)) for h in retriever.retrieve(q, k=3)], questions))
    assert found == expected
    assert expected[0] and expected[1][0] != expected[0][0]
