"""The text model the answer step talks to: our own small protocol, LangChain at the edge.

The core asks a model for text (streamed or whole) and for an id that names it in caches; it never
probes a LangChain object for attributes. ``as_text_model`` adapts any LangChain ``BaseChatModel``
(the local GGUF model, an OpenAI-compatible server, a test's scripted chat).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    from langchain_core.language_models.chat_models import BaseChatModel
    from langchain_core.messages import BaseMessage


@runtime_checkable
class TextModel(Protocol):
    """Writes text for chat messages; failures arrive as typed ``LLMError``s."""

    @property
    def id(self) -> str:
        """Names the model (and what changes its output) for caches, e.g. translations."""
        ...

    def stream(self, messages: Sequence[BaseMessage]) -> Iterator[str]: ...

    def complete(self, messages: Sequence[BaseMessage], *, alternative: int = 0) -> str:
        """The whole answer; ``alternative`` k > 0 asks for the k-th sampled alternative to the
        model's usual (greedy) answer, for a caller that checks an output and wants another."""
        ...


ALTERNATIVE_TEMPERATURE = 0.7
"""Sampling temperature of an alternative answer: varied enough to differ, still on topic."""


class LangChainTextModel:
    """A LangChain chat model as a ``TextModel`` (errors translated by ``rag.llm.streaming``)."""

    def __init__(self, chat: BaseChatModel) -> None:
        self.chat = chat
        # LangChain's own identity of a model: its type and identifying parameters.
        params = chat._identifying_params
        name = params.get("model_path") or params.get("model_name") or params.get("model") or ""
        self._id = f"{chat._llm_type}:{name}"

    @property
    def id(self) -> str:
        return self._id

    def stream(self, messages: Sequence[BaseMessage]) -> Iterator[str]:
        from rag.llm.streaming import stream_text

        return stream_text(self.chat, list(messages))

    def complete(self, messages: Sequence[BaseMessage], *, alternative: int = 0) -> str:
        from rag.llm.streaming import stream_text

        sampling = {"temperature": ALTERNATIVE_TEMPERATURE, "seed": alternative} if alternative else {}
        return "".join(stream_text(self.chat, list(messages), **sampling))


def as_text_model(model: BaseChatModel | TextModel | None) -> TextModel | None:
    """``model`` as a ``TextModel``: ours as is, a LangChain chat model adapted, None stays None."""
    if model is None or isinstance(model, TextModel):
        return model
    return LangChainTextModel(model)
