"""A chat model for any OpenAI-compatible server: Ollama, llama.cpp's server, vLLM, or OpenAI itself."""

from __future__ import annotations

import os
from urllib.parse import urlsplit

from langchain_core.language_models.chat_models import BaseChatModel

from rag.llm import DEFAULT_API_KEY_ENV, DEFAULT_MAX_TOKENS, DEFAULT_TIMEOUT

# Local servers ignore the key, but the openai client refuses to start without one.
PLACEHOLDER_API_KEY = "not-needed"


def openai_chat(
    base_url: str,
    model: str,
    api_key_env: str = DEFAULT_API_KEY_ENV,
    timeout: float = DEFAULT_TIMEOUT,
    max_tokens: int = DEFAULT_MAX_TOKENS,
    temperature: float = 0.0,
) -> BaseChatModel:
    """A streaming ``ChatOpenAI`` for the server at ``base_url`` (e.g. ``http://127.0.0.1:8080/v1``).

    The API key is read from the environment variable named ``api_key_env`` when the model is made.
    ``max_retries=0``: a down or broken server is reported at once (``rag.llm.streaming`` turns the
    failure into a typed error) rather than after several silent back-off retries.
    ``timeout`` bounds the connection and each wait for data, so a stalled stream fails too.

    langchain-openai sends the token limit as ``max_completion_tokens`` (OpenAI's current name).
    Ollama's compatibility layer only knows the older ``max_tokens`` and silently ignores the new
    name, so for any server other than api.openai.com we send ``max_tokens`` as well.
    """
    from langchain_openai import ChatOpenAI
    from pydantic import SecretStr

    api_key = os.environ.get(api_key_env) or PLACEHOLDER_API_KEY
    extra_body = None if urlsplit(base_url).hostname == "api.openai.com" else {"max_tokens": max_tokens}
    return ChatOpenAI(
        base_url=base_url,
        model=model,
        api_key=SecretStr(api_key),
        streaming=True,
        max_retries=0,
        timeout=timeout,
        max_tokens=max_tokens,
        temperature=temperature,
        # Usage reporting (stream_options) is off: some compatible servers reject the field.
        stream_usage=False,
        extra_body=extra_body,
    )
