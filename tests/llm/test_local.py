"""The local llama.cpp backend with the real bundled model (Qwen2.5-Coder-1.5B-Instruct, Q4_K_M).

Outputs are kept to a few tokens, and prompts repeat so llama.cpp's prefix cache is reused:
the whole module takes well under 30 s on two cores once the model is loaded.
"""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

import pytest
from langchain_core.messages import HumanMessage

from rag.errors import ConfigError
from rag.llm import create_chat_model, local_llm_available
from rag.llm.errors import LLMError, LLMUnavailableError
from rag.llm.local import LlamaCppChat
from rag.llm.streaming import complete_text, stream_text

pytestmark = pytest.mark.slow
needs_model = pytest.mark.skipif(
    not local_llm_available(),
    reason="the local model is not installed (run `make install`) or llama-cpp-python is missing",
)

COUNT = [HumanMessage("Count from 1 to 5, separated by commas.")]
QUESTION = (
    "Passage: 'Blinken said a major military operation in Rafah would be a mistake.' "
    "Question: does the passage support the sentence '{}'? Answer YES or NO."
)


@pytest.fixture(scope="module")
def model() -> LlamaCppChat:
    assert isinstance(create_chat_model("local", max_tokens=8), LlamaCppChat)  # the factory path works
    # One thread: llama.cpp's threads spin at a barrier, so on a 2-core machine shared with other
    # work, 2 threads measured 4-18x slower than 1. One thread keeps this module predictable.
    return LlamaCppChat.from_name("qwen2.5-1.5b", n_threads=1, max_tokens=8)


@needs_model
def test_streams_several_chunks(model: LlamaCppChat) -> None:
    pieces = list(stream_text(model, COUNT))
    assert len(pieces) > 1
    text = "".join(pieces)
    assert text.strip()
    assert text.startswith("1")


@needs_model
def test_stop_sequence_ends_the_answer(model: LlamaCppChat) -> None:
    text = complete_text(model, COUNT, stop=["3"])
    assert text.strip().startswith("1")
    assert "2" in text
    assert "3" not in text


@needs_model
def test_invoke_returns_an_ai_message(model: LlamaCppChat) -> None:
    message = model.invoke(COUNT, max_tokens=3)
    assert message.text.strip()
    assert message.response_metadata["finish_reason"] == "length"


@needs_model
def test_yes_probability_separates_supported_from_unsupported(model: LlamaCppChat) -> None:
    supported = model.yes_probability(QUESTION.format("Blinken called a Rafah offensive a mistake"))
    unsupported = model.yes_probability(QUESTION.format("Blinken praised the Rafah offensive"))
    assert supported > 0.5
    assert unsupported < 0.5
    assert 0.0 <= unsupported < supported <= 1.0


@needs_model
def test_calls_are_serialised_across_threads(model: LlamaCppChat) -> None:
    stream = stream_text(model, COUNT)
    first = next(stream)  # this thread now holds the model
    with pytest.raises(LLMError, match="unfinished stream"):
        model.yes_probability("Is this a test? Answer YES or NO.")  # same thread: refused, not deadlocked

    done = threading.Event()
    result: list[str] = []

    def other() -> None:
        result.append(complete_text(model, COUNT, stop=["2"]))
        done.set()

    worker = threading.Thread(target=other, daemon=True)
    worker.start()
    assert not done.wait(0.3)  # waits for the open stream
    rest = "".join(stream)  # finishing the stream releases the model
    assert (first + rest).startswith("1")
    assert done.wait(60)
    assert result == ["1, "]


@needs_model
async def test_concurrent_astreams_take_turns(model: LlamaCppChat) -> None:
    async def collect() -> str:
        return "".join([str(chunk.text) async for chunk in model.astream(COUNT, stop=["3"])])

    assert await asyncio.gather(collect(), collect()) == ["1, 2, ", "1, 2, "]


def test_missing_model_path_is_unavailable(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.gguf"
    with pytest.raises(LLMUnavailableError) as info:
        LlamaCppChat(model_path=str(missing))
    assert str(missing) in str(info.value)
    assert "make install" in str(info.value)
    with pytest.raises(LLMUnavailableError):
        LlamaCppChat.from_name(str(missing))


def test_non_gguf_file_is_unavailable(tmp_path: Path) -> None:
    fake = tmp_path / "model.gguf"
    fake.write_text("<html>not a model</html>")
    with pytest.raises(LLMUnavailableError, match="not a GGUF model"):
        LlamaCppChat(model_path=str(fake))


def test_uninstalled_catalog_model_is_unavailable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSRAG_MODELS_DIR", str(tmp_path))
    with pytest.raises(LLMUnavailableError, match="make install"):
        LlamaCppChat.from_name("qwen2.5-1.5b")
    assert not local_llm_available()


def test_unknown_model_name_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="qwen2.5-1.5b"):
        LlamaCppChat.from_name("gpt-17")
