"""Text out of any chat model, piece by piece, with every failure turned into a typed ``LLMError``.

All error translation lives in ``llm_error`` so the CLI, the TUI and the evaluation report a down
server, a timeout or a broken response the same way, whichever backend produced it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import BaseMessage

from rag.errors import RagError
from rag.llm.errors import LLMError, LLMResponseError, LLMUnavailableError

BODY_PREVIEW = 200  # characters of a bad response body quoted in the message
_URL_HINT = "Start it (e.g. `ollama serve`) or pass --llm-url."
_ENDPOINT_HINT = "Is --llm-url the /v1 endpoint of an OpenAI-compatible server?"
# langchain-core's own complaint when a stream ends without a single chunk (e.g. an HTML page).
_LANGCHAIN_EMPTY_STREAM = "No generation chunks were returned"


def stream_text(model: BaseChatModel, messages: list[BaseMessage], *, stop: list[str] | None = None, **sampling: float) -> Iterator[str]:
    """Yield the answer's text pieces as they arrive; raise only ``RagError`` subclasses.
    ``sampling`` (temperature, seed) goes to the model's call.

    A stream that ends without text is accepted only if the model said it finished (a genuinely
    empty answer, e.g. cut by ``stop``); a stream with neither text nor an ending is a broken response.
    """
    finished = False
    got_text = False
    try:
        for chunk in model.stream(messages, stop=stop, **sampling):
            finished = finished or bool(chunk.response_metadata.get("finish_reason"))
            if text := str(chunk.text):
                got_text = True
                yield text
    except RagError:  # already typed (our own backends raise these)
        raise
    except Exception as e:  # noqa: BLE001 - translated, with the original chained
        raise llm_error(e, model) from e
    if not got_text and not finished:
        raise _empty_stream(model)


def complete_text(model: BaseChatModel, messages: list[BaseMessage], stop: list[str] | None = None) -> str:
    """The whole answer as one string (the joined stream, with the same typed errors)."""
    return "".join(stream_text(model, messages, stop=stop))


def llm_error(exc: BaseException, model: BaseChatModel) -> RagError:
    """The typed error for a failure raised while ``model`` was answering (the one place that maps them)."""
    if isinstance(exc, RagError):  # our own backends already raise typed errors
        return exc
    chain = _chain(exc)
    where = _describe(model)
    url = getattr(model, "openai_api_base", None)
    timeouts, protocol, transport = _transport_error_types()
    openai = _optional_module("openai")

    if any(isinstance(e, timeouts) for e in chain):
        timeout = getattr(model, "request_timeout", None)
        within = f" within {timeout:g} s" if isinstance(timeout, int | float) else ""
        return LLMUnavailableError(
            f"{where} did not answer{within} (timed out). "
            "It may be overloaded or still loading the model; try again, or raise --timeout."
        )
    if any(isinstance(e, protocol) for e in chain):
        return LLMResponseError(f"{where} broke off the HTTP response mid-answer ({_root(chain)}). {_ENDPOINT_HINT}")
    if openai is not None and (status_error := next((e for e in chain if isinstance(e, openai.APIStatusError)), None)):
        status = status_error.status_code
        return LLMResponseError(f"{where} answered HTTP {status}: {_body(status_error)!r}. {_status_hint(status)}")
    connection = (openai.APIConnectionError,) if openai is not None else ()
    if any(isinstance(e, (*connection, *transport, ConnectionError)) for e in chain):
        if url:
            return LLMUnavailableError(f"No OpenAI-compatible server answered at {url} ({_reason(chain)}). {_URL_HINT}")
        return LLMUnavailableError(f"{where} could not be reached ({_reason(chain)}).")
    if decode_error := next((e for e in chain if isinstance(e, json.JSONDecodeError)), None):
        data = decode_error.doc[:BODY_PREVIEW]
        return LLMResponseError(f"{where} sent a stream event that is not JSON ({decode_error.msg}): {data!r}. {_ENDPOINT_HINT}")
    if openai is not None and any(isinstance(e, openai.APIError) for e in chain):
        # e.g. a `data: {"error": ...}` event in the middle of the stream
        return LLMResponseError(f"{where} reported an error in its stream: {_root(chain)}")
    if isinstance(exc, ValueError) and str(exc) == _LANGCHAIN_EMPTY_STREAM:
        return _empty_stream(model)
    if url and isinstance(exc, ValueError | KeyError | TypeError | AttributeError):
        # pydantic.ValidationError is a ValueError; the others come from chunks missing required fields.
        problem = f"{type(exc).__name__}: {_first_line(exc)}"
        return LLMResponseError(f"{where} sent something that is not a valid chat completion chunk ({problem}). {_ENDPOINT_HINT}")
    return LLMError(f"{where} failed: {type(exc).__name__}: {exc}")


def _empty_stream(model: BaseChatModel) -> LLMResponseError:
    # Any HTTP error status would have raised before; so the server said "success" and sent nothing usable.
    where = _describe(model)
    return LLMResponseError(f"{where} answered with a success status but sent no chat completion text. {_ENDPOINT_HINT}")


def _describe(model: BaseChatModel) -> str:
    """Which backend, at which URL or file, with which model: the subject of every message."""
    if url := getattr(model, "openai_api_base", None):
        return f"The OpenAI-compatible server at {url} (model {getattr(model, 'model_name', '?')!r})"
    if path := getattr(model, "model_path", None):
        return f"The local model {path}"
    return f"The chat model {type(model).__name__}"


def _chain(exc: BaseException) -> list[BaseException]:
    """The exception and its causes, outermost first (openai and langchain wrap httpx errors twice)."""
    out: list[BaseException] = []
    e: BaseException | None = exc
    while e is not None and e not in out and len(out) < 16:
        out.append(e)
        e = e.__cause__ or e.__context__
    return out


def _optional_module(name: str) -> object | None:
    """Import lazily and optionally: ``import rag.llm`` must not pull in openai or httpx."""
    import importlib

    try:
        return importlib.import_module(name)
    except ImportError:
        return None


def _transport_error_types() -> tuple[tuple[type[BaseException], ...], ...]:
    """(timeout, protocol, other transport) error classes of httpx and httpx2 (openai >= 3 uses the latter)."""
    timeouts: list[type[BaseException]] = [TimeoutError]
    protocol: list[type[BaseException]] = []
    transport: list[type[BaseException]] = []
    for name in ("httpx", "httpx2"):
        if (mod := _optional_module(name)) is not None:
            timeouts.append(mod.TimeoutException)  # type: ignore[attr-defined]
            protocol.append(mod.ProtocolError)  # type: ignore[attr-defined]
            transport.append(mod.TransportError)  # type: ignore[attr-defined]
    if (openai := _optional_module("openai")) is not None:
        timeouts.append(openai.APITimeoutError)  # type: ignore[attr-defined]
    return tuple(timeouts), tuple(protocol), tuple(transport)


def _root(chain: list[BaseException]) -> str:
    """The innermost message, which names the actual fault (e.g. "[Errno 111] Connection refused")."""
    for e in reversed(chain):
        if text := str(e).strip():
            return text[:BODY_PREVIEW]
    return type(chain[-1]).__name__


def _first_line(exc: BaseException) -> str:
    """Pydantic's multi-line reports, cut to their headline."""
    return (str(exc).strip().splitlines() or [""])[0][:BODY_PREVIEW]


def _reason(chain: list[BaseException]) -> str:
    """A short human reason for a failed connection."""
    import socket

    text = " ".join(str(e) for e in chain).lower()
    if any(isinstance(e, ConnectionRefusedError) for e in chain) or "refused" in text:
        return "connection refused"
    if any(isinstance(e, socket.gaierror) for e in chain) or re.search(r"name or service not known|nodename nor servname", text):
        return "host name not found"
    return _root(chain)


def _body(error: BaseException) -> str:
    """The first characters of an error response's body, however the client kept it."""
    try:
        text = error.response.text  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001 - a streamed body may be unread or closed; fall back to the parsed body
        text = ""
    if not text:
        body = getattr(error, "body", None)
        text = body if isinstance(body, str) else json.dumps(body) if body is not None else ""
    return text[:BODY_PREVIEW]


def _status_hint(status: int) -> str:
    if status in (401, 403):
        return "Check the API key (in OPENAI_API_KEY, or the variable named by --api-key-env)."
    if status == 404:
        return "Check that --llm-url ends in /v1 and that the model name exists on the server (for Ollama: `ollama pull MODEL`)."
    if status >= 500:
        return "The server failed; see its log."
    return "Check --llm-url and the model name."
