"""The OpenAI-compatible backend against a real streaming HTTP server on loopback.

The server below speaks the chat-completions streaming protocol (Server-Sent Events in the OpenAI
chunk format) well enough for ChatOpenAI, and can be told to be slow or to answer garbage.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from langchain_core.messages import HumanMessage, SystemMessage

from rag.errors import ConfigError
from rag.llm import create_chat_model
from rag.llm.errors import LLMResponseError, LLMUnavailableError
from rag.llm.openai_compat import openai_chat
from rag.llm.streaming import complete_text, stream_text

PIECES = ["Blinken ", "called ", "it ", "a ", "mistake", " [1]."]
MAX_SLOW_S = 2.0  # the slow server never sleeps longer than this, so teardown stays quick


@dataclass
class Script:
    """What the fake server answers and what it was asked."""

    mode: str = "stream"  # stream | slow | html | not_json | not_chunk | http500
    requests: list[dict] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)


def _chunk(delta: dict, finish: str | None = None) -> bytes:
    body = {
        "id": "chatcmpl-test",
        "object": "chat.completion.chunk",
        "created": 0,
        "model": "test-model",
        "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}],
    }
    return f"data: {json.dumps(body)}\n\n".encode()


def _handler(script: Script) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:  # keep the test output clean
            pass

        def _send(self, status: int, content_type: str, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            request = json.loads(self.rfile.read(length) or b"{}")
            script.requests.append({"path": self.path, "body": request})
            if self.path != "/v1/chat/completions":
                self._send(404, "application/json", b'{"error": {"message": "no such route"}}')
                return
            try:
                self._answer(request)
            except (BrokenPipeError, ConnectionResetError):  # the client gave up (the timeout case)
                pass

        def _answer(self, request: dict) -> None:
            if script.mode == "slow":
                script.stop.wait(MAX_SLOW_S)  # returns at once when the test ends
            if script.mode == "http500":
                self._send(500, "text/plain", b"llama runner process has terminated: out of memory")
                return
            if script.mode == "html":
                self._send(200, "text/html", b"<!doctype html><html><body><h1>Welcome to nginx!</h1></body></html>")
                return
            if script.mode == "not_json":
                self._send(200, "text/event-stream", b"data: this is not json\n\ndata: [DONE]\n\n")
                return
            if script.mode == "not_chunk":  # JSON, but not a chat completion chunk object
                self._send(200, "text/event-stream", b"data: [1, 2]\n\ndata: [DONE]\n\n")
                return
            # A normal stream: role, pieces (flushed one by one), finish, [DONE]; chunked encoding.
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            events = [_chunk({"role": "assistant", "content": ""})]
            events += [_chunk({"content": piece}) for piece in PIECES]
            events += [_chunk({}, finish="stop"), b"data: [DONE]\n\n"]
            for event in events:  # bounded: a fixed, short list
                self.wfile.write(f"{len(event):x}\r\n".encode() + event + b"\r\n")
                self.wfile.flush()
            self.wfile.write(b"0\r\n\r\n")

    return Handler


@dataclass
class FakeServer:
    script: Script
    url: str


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    """Loopback only: a proxy from the environment must never see these requests."""
    for var in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)


@pytest.fixture
def server() -> Iterator[FakeServer]:
    script = Script()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(script))
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield FakeServer(script, f"http://127.0.0.1:{httpd.server_address[1]}/v1")
    finally:
        script.stop.set()  # wake a sleeping handler
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


@pytest.fixture
def dead_url() -> Iterator[str]:
    """A loopback port that is bound but not listening: connecting is refused, deterministically."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}/v1"
    finally:
        sock.close()


MESSAGES = [SystemMessage("Answer from the passages."), HumanMessage("What did Blinken say about Rafah?")]


def test_streamed_answer_arrives_in_pieces(server: FakeServer) -> None:
    model = openai_chat(server.url, "test-model", timeout=5, max_tokens=32)
    pieces = list(stream_text(model, MESSAGES))
    assert pieces == PIECES
    assert "".join(pieces) == "Blinken called it a mistake [1]."
    (request,) = server.script.requests
    body = request["body"]
    assert body["model"] == "test-model"
    assert body["stream"] is True
    assert body["messages"] == [
        {"role": "system", "content": "Answer from the passages."},
        {"role": "user", "content": "What did Blinken say about Rafah?"},
    ]
    assert body["max_tokens"] == 32  # for Ollama, which ignores max_completion_tokens
    assert body["temperature"] == 0.0


def test_complete_text_joins_and_sends_stop(server: FakeServer) -> None:
    model = create_chat_model("openai", base_url=server.url, model="test-model", timeout=5)
    assert complete_text(model, MESSAGES, stop=["\n\n"]) == "".join(PIECES)
    assert server.script.requests[0]["body"]["stop"] == ["\n\n"]


def test_server_down_is_unavailable(dead_url: str) -> None:
    model = openai_chat(dead_url, "test-model", timeout=2)
    with pytest.raises(LLMUnavailableError) as info:
        complete_text(model, MESSAGES)
    message = str(info.value)
    assert dead_url in message
    assert "connection refused" in message
    assert "--llm-url" in message


def test_slow_server_times_out(server: FakeServer) -> None:
    server.script.mode = "slow"
    model = openai_chat(server.url, "test-model", timeout=0.5)
    start = time.monotonic()
    with pytest.raises(LLMUnavailableError) as info:
        complete_text(model, MESSAGES)
    assert time.monotonic() - start < MAX_SLOW_S  # the client gave up; it did not wait for the server
    assert "timed out" in str(info.value)
    assert "0.5 s" in str(info.value)
    assert server.url in str(info.value)


def test_http_500_is_a_response_error_with_status_and_body(server: FakeServer) -> None:
    server.script.mode = "http500"
    model = openai_chat(server.url, "test-model", timeout=5)
    with pytest.raises(LLMResponseError) as info:
        complete_text(model, MESSAGES)
    message = str(info.value)
    assert "HTTP 500" in message
    assert "out of memory" in message
    assert server.url in message


def test_html_page_is_a_response_error(server: FakeServer) -> None:
    server.script.mode = "html"
    model = openai_chat(server.url, "test-model", timeout=5)
    with pytest.raises(LLMResponseError) as info:
        complete_text(model, MESSAGES)
    assert "no chat completion" in str(info.value)
    assert "success status" in str(info.value)


def test_non_json_events_are_a_response_error(server: FakeServer) -> None:
    server.script.mode = "not_json"
    model = openai_chat(server.url, "test-model", timeout=5)
    with pytest.raises(LLMResponseError) as info:
        complete_text(model, MESSAGES)
    assert "not JSON" in str(info.value)
    assert "this is not json" in str(info.value)


def test_json_that_is_not_a_chunk_is_a_response_error(server: FakeServer) -> None:
    server.script.mode = "not_chunk"
    model = openai_chat(server.url, "test-model", timeout=5)
    with pytest.raises(LLMResponseError) as info:
        complete_text(model, MESSAGES)
    assert "not a valid chat completion chunk" in str(info.value)


def test_wrong_path_404_names_the_status(server: FakeServer) -> None:
    model = openai_chat(server.url.removesuffix("/v1"), "test-model", timeout=5)
    with pytest.raises(LLMResponseError) as info:
        complete_text(model, MESSAGES)
    assert "HTTP 404" in str(info.value)
    assert "/v1" in str(info.value)


def test_api_key_comes_from_the_named_variable(server: FakeServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSRAG_TEST_KEY", "sk-test-123")
    def key(env: str) -> str:
        return openai_chat(server.url, "m", api_key_env=env).openai_api_key.get_secret_value()  # type: ignore[attr-defined]

    assert key("NEWSRAG_TEST_KEY") == "sk-test-123"
    assert key("NEWSRAG_UNSET_KEY") == "not-needed"


def test_create_chat_model_choices() -> None:
    assert create_chat_model("extractive") is None
    with pytest.raises(ConfigError) as info:
        create_chat_model("nope")
    for choice in ("local", "openai", "extractive"):
        assert choice in str(info.value)


def test_importing_rag_llm_is_cheap() -> None:
    code = (
        "import sys, rag.llm\n"
        "heavy = [m for m in ('llama_cpp', 'langchain_openai', 'openai') if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    root = Path(__file__).parent.parent
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60, cwd=root)
    assert out.stdout.strip() == ""
