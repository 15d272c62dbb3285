"""Typed errors of the LLM backends.

The CLI and the TUI show these messages as they are, so each one names the backend and the
server URL or model file at fault and says what to do next. Library code never prints.
"""

from __future__ import annotations

from rag.errors import RagError


class LLMError(RagError):
    """A language model could not produce an answer."""


class LLMUnavailableError(LLMError):
    """No model to talk to: the server is down, refused, unreachable or too slow, or the model file is missing.

    Retrying later (or starting the server / installing the model) can fix it; the request itself
    was not at fault. Callers may fall back to extractive answers on this error.
    """


class LLMResponseError(LLMError):
    """The server answered, but not with a valid chat completion (stream).

    Wrong URL (an HTML page), an HTTP error status, non-JSON events, or a stream that ended
    without any content. The message carries the HTTP status and the start of the body when known.
    """
