"""rag.evaluate: scoring one answer against its gold passages and answers, and summing a run up."""

from __future__ import annotations

from pathlib import Path

import pytest

from rag.errors import ConfigError
from rag.evaluate import QAItem, load_questions, score, summarise
from rag.types import Answer, AnswerSentence, Hit, Passage, Source


def hit(article_id: str, text: str) -> Hit:
    return Hit(Passage(article_id, 1, 0, len(text), text), 0.5, article_id)


GOLD = hit("gold", "Over 345 pilgrims were killed near Mecca.")
SIBLING = hit("sibling", "The stampede killed 345 people.")  # not gold, but holds the answer
OTHER = hit("other", "The ferry strike ended on Saturday.")
ITEM = QAItem("q1", "How many pilgrims were killed?", ("345",), frozenset({"gold"}), impossible=False)


def answer(text: str, retrieved: tuple[Hit, ...], cited: tuple[int, ...], *, refused: bool = False) -> Answer:
    sources = tuple(Source(n, h) for n, h in enumerate(retrieved, 1))
    sentences = (AnswerSentence(text, cited),) if not refused else ()
    timings = {"retrieval_s": 0.2, "first_token_s": 0.5, "total_s": 1.0}
    return Answer(ITEM.question, ITEM.question, text, sentences, sources, refused, "llm", retrieved, timings=timings)


def test_a_correct_answer_citing_the_gold_passage() -> None:
    r = score(ITEM, answer("345 pilgrims were killed.", (OTHER, GOLD), (2,)))
    assert (r.gold_rank, r.answer_rank, r.correct, r.citations, r.good_citations) == (2, 2, True, 1, 1)
    assert (r.retrieval_s, r.first_token_s, r.total_s) == (0.2, 0.5, 1.0)


def test_a_sibling_passage_with_the_answer_counts_as_answer_bearing_and_as_a_good_citation() -> None:
    r = score(ITEM, answer("345 people died.", (SIBLING, OTHER), (1,)))
    assert r.gold_rank is None and r.answer_rank == 1 and r.good_citations == 1


@pytest.mark.parametrize(
    ("text", "cited", "refused", "correct", "good"),
    [
        ("The ferry strike ended.", (2,), False, False, 0),  # wrong answer, wrong citation
        ("345 were killed.", (9,), False, True, 0),  # a citation of no source is not counted
        ("The sources do not contain the answer.", (), True, False, 0),  # a refusal is never correct
    ],
)
def test_wrong_refused_and_badly_cited_answers(text: str, cited: tuple[int, ...], refused: bool, correct: bool, good: int) -> None:
    r = score(ITEM, answer(text, (GOLD, OTHER), cited, refused=refused))
    assert (r.correct, r.good_citations, r.refused) == (correct, good, refused)


def test_summarise_separates_answerable_and_unanswerable_questions() -> None:
    impossible = QAItem("q2", "Who won the 2031 cup?", (), frozenset(), impossible=True)
    results = [
        score(ITEM, answer("345 pilgrims were killed.", (GOLD,), (1,))),
        score(ITEM, answer("The ferry strike ended.", (OTHER, SIBLING), (1,))),
        score(impossible, answer("The sources do not contain the answer.", (OTHER,), (), refused=True)),
    ]
    report = summarise("set", "llm", results)
    m = report.metrics
    assert report.questions == 3 and m["recall@1"] == 0.5 and m["recall@5"] == 0.5 and m["mrr@10"] == 0.5
    assert m["answer_bearing_recall@5"] == 1.0 and m["answer_accuracy"] == 0.5
    assert m["citation_precision"] == 0.5 and m["citation_recall"] == 0.5
    assert m["answered_rate"] == 1.0 and m["refusal_rate_unanswerable"] == 1.0
    assert report.latency["total_s"] == {"p50": 1.0, "p95": 1.0}


def test_an_empty_run_has_no_metrics_rather_than_zeros() -> None:
    report = summarise("set", "llm", [])
    assert set(report.metrics.values()) == {None} and set(report.latency.values()) == {None}


@pytest.mark.parametrize(
    ("files", "message"),
    [({"qa.jsonl": ""}, "not an eval set"), ({"qa.jsonl": '{"id": "q"}\n', "corpus.jsonl": ""}, "line 1: not a question record")],
)
def test_a_folder_that_is_not_an_eval_set_is_named(tmp_path: Path, files: dict[str, str], message: str) -> None:
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_questions(tmp_path)
