"""LlamaCppChat's LangChain standard parameters with the real bundled model: token usage counted,
unknown arguments rejected, ``stop`` and ``timeout`` honoured (the standard suites only check that
they are accepted)."""

from __future__ import annotations

import pytest
from langchain_core.messages import HumanMessage
from pydantic import ValidationError

from rag.llm import local_llm_available
from rag.llm.errors import LLMUnavailableError
from rag.llm.local import LlamaCppChat

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not local_llm_available(), reason="the local model is not installed (run `make install`)"),
]
COUNT = [HumanMessage("Count from 1 to 5, separated by commas.")]


def _model(**kw: object) -> LlamaCppChat:
    return LlamaCppChat.from_name("qwen2.5-1.5b", n_threads=1, **kw)


@pytest.mark.parametrize("bad", [{"max_token": 1}, {"api_key": "x"}, {"temprature": 0.2}])
def test_unknown_arguments_are_rejected(bad: dict) -> None:
    with pytest.raises(ValidationError, match=next(iter(bad))):
        _model(**bad)


def test_usage_counts_prompt_and_answer_tokens() -> None:
    model = _model(max_tokens=4)
    usage = model.invoke(COUNT).usage_metadata
    assert usage is not None and usage["output_tokens"] == 4  # cut at max_tokens: exactly four sampled
    assert 15 < usage["input_tokens"] < 60 and usage["total_tokens"] == usage["input_tokens"] + 4
    streamed = None
    for chunk in model.stream(COUNT):
        streamed = chunk if streamed is None else streamed + chunk
    assert streamed.usage_metadata == usage and streamed.response_metadata["model_name"].endswith(".gguf")


def test_constructor_stop_is_honoured_and_a_call_stop_replaces_it() -> None:
    model = _model(max_tokens=16, stop=["3"])
    text = model.invoke(COUNT).text
    assert "2" in text and "3" not in text
    assert "3" in model.invoke(COUNT, stop=["5"]).text


def test_timeout_is_honoured() -> None:
    with pytest.raises(LLMUnavailableError, match=r"did not finish within 0\.01 s"):
        _model(max_tokens=64, timeout=0.01).invoke(COUNT)
    assert _model(max_tokens=2, timeout=60).invoke(COUNT).text
