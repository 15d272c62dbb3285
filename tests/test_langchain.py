"""rag.langchain: the retriever, embeddings and Runnable pipeline as a LangChain user sees them.

Logic tests on the model-free `hashing` embedder and a scripted chat model; the standard
LangChain suites with the real models are in test_langchain_conformance.py.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.documents import Document
from langchain_core.prompts import ChatPromptTemplate
from langchain_core.runnables import RunnableLambda

from rag.chat import ChatPipeline
from rag.errors import ConfigError
from rag.index import Index
from rag.langchain import NewsragChain, NewsragEmbeddings, NewsragRetriever
from rag.retrieval import Retriever
from tests.helpers import ScriptedChat
from tests.test_chat import BRIDGE, HARVEST, INJECTION, SETTINGS

QUESTION = "When did the harbour bridge in Eastport reopen?"


@pytest.fixture
def index(tmp_path: Path) -> Index:
    ix = Index.create(tmp_path / "ix", embedder="hashing")
    ix.add([BRIDGE, HARVEST, INJECTION])
    return ix


class Recorder(BaseCallbackHandler):
    """Every run start/end a tracer would see: (event, name, run_id, parent_run_id)."""

    def __init__(self) -> None:
        self.events: list[tuple[str, str | None, UUID, UUID | None]] = []
        self.outputs: dict[str, Any] = {}

    def on_chain_start(self, serialized: Any, inputs: Any, *, run_id: UUID, parent_run_id: UUID | None = None, **kw: Any) -> None:
        self.events.append(("chain_start", kw.get("name"), run_id, parent_run_id))

    def on_chain_end(self, outputs: Any, *, run_id: UUID, **kw: Any) -> None:
        self.events.append(("chain_end", None, run_id, None))
        self.outputs[str(run_id)] = outputs

    def on_retriever_start(self, serialized: Any, query: str, *, run_id: UUID, parent_run_id: UUID | None = None, **kw: Any) -> None:
        self.events.append(("retriever_start", query, run_id, parent_run_id))

    def on_retriever_end(self, documents: Any, *, run_id: UUID, **kw: Any) -> None:
        self.events.append(("retriever_end", None, run_id, None))
        self.outputs[str(run_id)] = documents

    def on_chat_model_start(self, serialized: Any, messages: Any, *, run_id: UUID, parent_run_id: UUID | None = None, **kw: Any) -> None:
        self.events.append(("chat_model_start", None, run_id, parent_run_id))


def test_retriever_returns_documents_with_citation_metadata(index: Index) -> None:
    docs = NewsragRetriever.from_index(index, k=2).invoke(QUESTION)
    assert 1 <= len(docs) <= 2 and all(isinstance(d, Document) for d in docs)
    top = docs[0]
    assert top.metadata["article_id"] == BRIDGE.id and top.metadata["outlet"] == "Coastal Courier"
    assert top.metadata["date"] == "2024-05-03" and top.metadata["title"] == BRIDGE.title
    assert BRIDGE.text[top.metadata["start"] : top.metadata["end"]] == top.page_content
    assert top.id == str(top.metadata["passage_id"]) and isinstance(top.metadata["score"], float)


def test_retriever_filters_by_argument_and_by_default(index: Index) -> None:
    retriever = NewsragRetriever.from_index(index, k=3)
    assert {d.metadata["article_id"] for d in retriever.invoke(QUESTION, sources=["valley post"])} == {HARVEST.id}
    assert {d.metadata["article_id"] for d in retriever.invoke(QUESTION, until="2023-12-31")} == {HARVEST.id}
    since = NewsragRetriever.from_index(index, k=3, since="2024-01-01")
    assert {d.metadata["article_id"] for d in since.invoke(QUESTION)} == {BRIDGE.id}
    assert len(retriever.invoke(QUESTION, k=1)) == 1


def test_retriever_rejects_unknown_settings_and_bad_k(index: Index) -> None:
    with pytest.raises(ValueError, match="top_k"):
        NewsragRetriever(retriever=Retriever(index), top_k=3)
    with pytest.raises(ConfigError, match="k must be at least 1"):
        NewsragRetriever.from_index(index).invoke(QUESTION, k=0)


def test_embeddings_are_newsrag_vectors(index: Index) -> None:
    embeddings = NewsragEmbeddings("hashing")
    docs = embeddings.embed_documents(["bridge reopened", "apple harvest"])
    assert len(docs) == 2 and len(docs[0]) == 256
    assert docs[0] == pytest.approx(index.embedder.embed_passages(["bridge reopened"])[0].tolist())
    assert embeddings.embed_query("apple harvest") == pytest.approx(docs[1])
    assert asyncio.run(embeddings.aembed_query("apple harvest")) == pytest.approx(docs[1])


def test_chain_output_carries_checked_answer_citations_and_sources(index: Index) -> None:
    chain = NewsragChain(ChatPipeline(Retriever(index), ScriptedChat(replies=["The bridge reopened on Friday [1] [9]."], prompts=[]),
                                      settings=SETTINGS))  # fmt: skip
    out = chain.invoke(QUESTION)
    assert out["draft"].endswith("The bridge reopened on Friday [1] [9].")  # after the code-chosen span that leads it
    assert out["citations"] == [1] and "[9]" not in out["answer"]  # the check removed a citation of no source
    assert any("[9]" in note for s in out["sentences"] for note in s["notes"])
    cited = out["cited_sources"][0]
    assert cited.metadata["number"] == 1 and cited.metadata["article_id"] == BRIDGE.id
    assert "Friday" in BRIDGE.text[cited.metadata["support_start"] : cited.metadata["support_end"]]
    assert [d.metadata["number"] for d in out["sources"]] == list(range(1, len(out["sources"]) + 1))
    assert out["result"].text == out["answer"] and not out["refused"] and not out["fallback"]


def test_chain_stream_adds_up_to_invoke_and_sources_come_first(index: Index) -> None:
    chain = NewsragChain(ChatPipeline(Retriever(index), None, settings=SETTINGS))
    chunks = list(chain.stream({"question": QUESTION, "since": "2024-01-01"}))
    assert set(chunks[0]) == {"question", "standalone_question", "sources"}
    assert "answer" in chunks[-1] and all("answer" not in c for c in chunks[:-1])
    merged = chunks[0]
    for c in chunks[1:]:
        merged = merged + c
    invoked = chain.invoke({"question": QUESTION, "since": "2024-01-01"})
    assert merged["answer"] == invoked["answer"] and merged["citations"] == invoked["citations"] == [1]
    assert {d.metadata["article_id"] for d in invoked["sources"]} == {BRIDGE.id}


def test_chain_async_and_batch(index: Index) -> None:
    chain = NewsragChain(ChatPipeline(Retriever(index), None, settings=SETTINGS))
    expected = chain.invoke(QUESTION)["answer"]

    async def run() -> tuple[dict, list]:
        return await chain.ainvoke(QUESTION), [c async for c in chain.astream(QUESTION)]

    invoked, chunks = asyncio.run(run())
    assert invoked["answer"] == expected and chunks[-1]["answer"] == expected
    assert [o["answer"] for o in chain.batch([QUESTION, QUESTION])] == [expected, expected]
    assert asyncio.run(chain.abatch([QUESTION]))[0]["answer"] == expected


def test_retrieval_model_and_citation_check_are_child_runs(index: Index) -> None:
    llm = ScriptedChat(replies=["The bridge reopened on Friday [1]."], prompts=[])
    chain = NewsragChain(ChatPipeline(Retriever(index), llm, settings=SETTINGS))
    recorder = Recorder()
    chain.invoke(QUESTION, {"callbacks": [recorder]})
    root = recorder.events[0]
    assert root[:2] == ("chain_start", "NewsragChain") and root[3] is None
    kinds = [e[0] for e in recorder.events]
    assert kinds.index("retriever_start") < kinds.index("retriever_end") < kinds.index("chat_model_start")
    children = {e[0]: e for e in recorder.events if e[3] == root[2]}
    assert children["retriever_start"][1] == QUESTION and "chat_model_start" in children
    check = next(e for e in recorder.events if e[1] == "check_citations")
    assert check[3] == root[2]
    assert recorder.outputs[str(check[2])]["sentences"][0]["supported"] is True
    documents = recorder.outputs[str(children["retriever_start"][2])]
    assert documents[0].metadata["article_id"] == BRIDGE.id


def test_retriever_and_chain_inside_a_users_chains(index: Index) -> None:
    from langchain_core.output_parsers import StrOutputParser
    from langchain_core.runnables import RunnablePassthrough

    llm = ScriptedChat(replies=["Friday."], prompts=[])
    prompt = ChatPromptTemplate.from_template("Context:\n{context}\n\nQuestion: {question}")
    context = NewsragRetriever.from_index(index, k=1) | RunnableLambda(lambda docs: "\n".join(d.page_content for d in docs))
    rag_chain = {"context": context, "question": RunnablePassthrough()} | prompt | llm | StrOutputParser()
    assert rag_chain.invoke(QUESTION) == "Friday."
    assert BRIDGE.text in llm.prompts[0][0].content and QUESTION in llm.prompts[0][0].content

    chain = NewsragChain(ChatPipeline(Retriever(index), None, settings=SETTINGS))
    user_chain = RunnableLambda(lambda q: {"question": q.strip()}) | chain | RunnableLambda(lambda out: (out["answer"], out["citations"]))
    answer, citations = user_chain.invoke(f"  {QUESTION} ")
    assert "Friday" in answer and citations == [1]


@pytest.mark.parametrize(("bad", "message"), [(42, "question string"), ({"question": " "}, "empty"), ({"question": "q", "k": 3}, "unknown input keys")])
def test_chain_rejects_bad_input(index: Index, bad: Any, message: str) -> None:
    chain = NewsragChain(ChatPipeline(Retriever(index), None, settings=SETTINGS))
    with pytest.raises(ConfigError, match=message):
        chain.invoke(bad)
