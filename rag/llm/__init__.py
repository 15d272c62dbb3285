"""The LLM backends, all exposed as LangChain chat models.

``local``: the bundled GGUF model in-process (``LlamaCppChat``); ``openai``: any OpenAI-compatible
server (``ChatOpenAI``); ``extractive``: no model at all, the caller answers from the passages.

Importing this package is cheap: llama_cpp, langchain_openai and openai are imported only when a
model is created or an error is translated. Use ``stream_text`` / ``complete_text`` to call a model,
so failures arrive as ``LLMUnavailableError`` / ``LLMResponseError``.
"""

from __future__ import annotations

import importlib.util
from typing import TYPE_CHECKING, Any

from rag.errors import ConfigError
from rag.llm.errors import LLMError, LLMResponseError, LLMUnavailableError

if TYPE_CHECKING:
    from langchain_core.language_models.chat_models import BaseChatModel

BACKENDS = ("local", "openai", "extractive")
DEFAULT_LOCAL_MODEL = "qwen2.5-1.5b"
DEFAULT_BASE_URL = "http://127.0.0.1:8080/v1"
DEFAULT_API_KEY_ENV = "OPENAI_API_KEY"
"""The environment variable holding the API key of an ``openai`` server (``--api-key-env``)."""
DEFAULT_TIMEOUT = 60.0
"""Seconds to wait for an LLM server."""
DEFAULT_MAX_TOKENS = 256
"""Longest answer, in tokens."""

__all__ = [
    "BACKENDS",
    "LLMError",
    "LLMResponseError",
    "LLMUnavailableError",
    "LlamaCppChat",
    "complete_text",
    "create_chat_model",
    "llm_error",
    "local_llm_available",
    "openai_chat",
    "stream_text",
]

# Re-exports resolved on first use, so `import rag.llm` does not import langchain_core's chat models.
_LAZY = {
    "LlamaCppChat": "rag.llm.local",
    "openai_chat": "rag.llm.openai_compat",
    "stream_text": "rag.llm.streaming",
    "complete_text": "rag.llm.streaming",
    "llm_error": "rag.llm.streaming",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def create_chat_model(
    backend: str,
    *,
    model: str | None = None,
    base_url: str | None = None,
    api_key_env: str = DEFAULT_API_KEY_ENV,
    timeout: float = DEFAULT_TIMEOUT,
    max_tokens: int = DEFAULT_MAX_TOKENS,
) -> BaseChatModel | None:
    """The chat model for ``backend``, or None for ``extractive`` (answer without a model).

    ``model`` is a catalog name or .gguf path for ``local`` and a server-side model name for
    ``openai``. Nothing is loaded or contacted here: the local model loads on its first call, and
    an unreachable server is reported when it is first asked.
    """
    if backend == "local":
        from rag.llm.local import LlamaCppChat

        return LlamaCppChat.from_name(model or DEFAULT_LOCAL_MODEL, max_tokens=max_tokens)
    if backend == "openai":
        from rag.llm.openai_compat import openai_chat

        url = base_url or DEFAULT_BASE_URL
        return openai_chat(url, model or "default", api_key_env=api_key_env, timeout=timeout, max_tokens=max_tokens)
    if backend == "extractive":
        return None
    raise ConfigError(f"Unknown LLM backend {backend!r}; choose one of: {', '.join(BACKENDS)}.")


def local_llm_available() -> bool:
    """True when the local backend can run: llama_cpp is installed and the catalog model is in place."""
    if importlib.util.find_spec("llama_cpp") is None:
        return False
    from rag.models import model_path

    try:
        model_path(DEFAULT_LOCAL_MODEL)
    except ConfigError:
        return False
    return True
