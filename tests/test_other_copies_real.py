"""A follow-up answered by another copy of the report than the one retrieval kept, on both stores.

The demo corpus with the seed story's wire copies (tests/data/copies/wire.jsonl): the Gatra report, two
Indonesian outlets' copies and the AP English original are one copy group. For "Who did Blinken meet
in Cairo?" retrieval keeps the AP copy's lead (Blinken arriving in Israel, about another place), and
the Gatra copy's passage naming Sameh Shoukry must answer in its place (rag/other_copies.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from rag.assembly import LLMOptions, make_pipeline
from rag.chat import ChatPipeline, Conversation
from rag.embedding import E5Embedder
from rag.index import Index
from rag.llm import local_llm_available
from rag.retrieval import Retriever
from rag.types import Answer, Article
from tests.helpers import DATA, load_jsonl

pytestmark = pytest.mark.slow

SEED_QUESTION = "What did Blinken say in Cairo?"
FOLLOW_UP = "Who did he meet there?"


def _articles() -> list[Article]:
    return load_jsonl(DATA / "corpus" / "demo-blinken.jsonl") + load_jsonl(DATA / "copies" / "wire.jsonl")


@pytest.fixture(scope="module")
def embedder() -> E5Embedder:
    return E5Embedder()  # one model for both stores


@pytest.fixture(scope="module")
def default_store(tmp_path_factory: pytest.TempPathFactory, embedder: E5Embedder) -> Iterator[Index]:
    index = Index.create(tmp_path_factory.mktemp("copies") / "ix", embedder=embedder)
    index.add(_articles())
    yield index
    index.close()


@pytest.fixture(scope="module")
def milvus_store(tmp_path_factory: pytest.TempPathFactory, embedder: E5Embedder) -> Iterator[object]:
    pytest.importorskip("milvus_lite")
    from rag.stores.milvus import MilvusStore

    store = MilvusStore.create(str(Path(tmp_path_factory.mktemp("copies-milvus")) / "news.db"), embedder=embedder)
    store.add(_articles())
    yield store
    store.close()


@pytest.fixture(params=["default", "milvus"])
def store(request: pytest.FixtureRequest):  # noqa: ANN201
    return request.getfixturevalue(f"{request.param}_store")


def _cited_sentence(answer: Answer) -> tuple[object, str]:
    """The first cited source and the text its citation highlights, read from the source's own passage."""
    source = answer.cited_sources()[0]
    passage = source.hit.passage
    assert source.support_start is not None and passage.start <= source.support_start < source.support_end <= passage.end
    return source, passage.text[source.support_start - passage.start : source.support_end - passage.start]


def test_the_follow_up_is_answered_from_the_copy_naming_shoukry(store, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    searched: list[list[str]] = []
    search = store.passage_ids_of
    monkeypatch.setattr(store, "passage_ids_of", lambda ids: searched.append(list(ids)) or search(ids))
    pipeline = ChatPipeline(Retriever(store))  # llm=None: --llm extractive
    conversation = Conversation()
    first = pipeline.ask(SEED_QUESTION, conversation)
    assert not first.refused and searched == []  # the group's own passage answered: no other copy was searched
    follow_up = pipeline.ask(FOLLOW_UP, conversation)
    assert "Blinken" in follow_up.standalone_question and "Cairo" in follow_up.standalone_question
    assert not follow_up.refused and follow_up.span is not None and "Shoukry" in follow_up.span
    source, sentence = _cited_sentence(follow_up)
    assert "Sameh Shoukry" in sentence  # the citation opens the passage the sentence came from
    group_of = {article: group for group, members in store.copy_table().items() for article in members}
    group = {a for a, g in group_of.items() if g == group_of[source.article_id]}
    assert "wire-blinken-en" in group and len(group) > 2  # the AP original and the Indonesian copies: one report
    also_in = {m.article_id for m in source.hit.also_in}
    assert also_in and also_in <= group - {source.article_id}  # the rest of the group, as "also in"
    # still one source per report: the copy took its group's place instead of joining it
    reports = [group_of.get(s.article_id, s.article_id) for s in follow_up.sources]
    assert len(reports) == len(set(reports))


@pytest.mark.skipif(not local_llm_available(), reason="no local model")
@pytest.mark.usefixtures("shared_translations")
def test_the_local_model_names_shoukry_from_that_copy_too(default_store: Index) -> None:
    pipeline = make_pipeline(default_store, LLMOptions(backend="local", translate="off"))
    conversation = Conversation()
    pipeline.ask(SEED_QUESTION, conversation)
    follow_up = pipeline.ask(FOLLOW_UP, conversation)
    assert not follow_up.refused and "Shoukry" in follow_up.text
    source, sentence = _cited_sentence(follow_up)
    assert "Sameh Shoukry" in sentence and source.hit.also_in
