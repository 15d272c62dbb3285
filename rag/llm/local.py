"""LlamaCppChat: a small LangChain chat model over llama-cpp-python, for the bundled GGUF model.

We do not use langchain-community's wrapper: it pulls a large dependency for a few lines, and we
need control over three things it does not give us: one shared ``Llama`` per model file (loading
takes seconds and ~2 GB, and both the TUI and the evaluation reuse it), a lock around every use
(a llama.cpp context is not thread-safe) -- both in ``rag.llm.llama_runtime`` -- and typed errors
instead of bare ``ValueError``.
"""

from __future__ import annotations

import asyncio
import os
import threading
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

from langchain_core.callbacks import AsyncCallbackManagerForLLMRun, CallbackManagerForLLMRun
from langchain_core.language_models.chat_models import BaseChatModel, generate_from_stream
from langchain_core.language_models import LangSmithParams
from langchain_core.messages import AIMessageChunk, BaseMessage, ChatMessage
from langchain_core.outputs import ChatGenerationChunk, ChatResult
from pydantic import ConfigDict, field_validator

from rag.errors import ConfigError
from rag.llm import DEFAULT_MAX_TOKENS
from rag.llm.errors import LLMError, LLMUnavailableError
from rag.llm.llama_runtime import ModelSlot, check_model_file, load_model, release_models

__all__ = ["TOP_LOGPROBS", "LlamaCppChat", "release_models"]

# How many of the most likely next tokens yes_probability inspects. The YES/NO spellings of an
# instruction-tuned model sit far inside the top 20; the rest of the vocabulary is noise.
TOP_LOGPROBS = 20
_ROLES = {"human": "user", "ai": "assistant", "system": "system"}


def _to_llama_messages(messages: list[BaseMessage]) -> list[dict[str, str]]:
    """LangChain messages as the OpenAI-style dicts that llama.cpp's chat template expects."""
    out = []
    for m in messages:
        role = m.role if isinstance(m, ChatMessage) else _ROLES.get(m.type)
        if role is None:
            raise LLMError(f"The local model cannot take a {m.type!r} message; send system, human and AI messages only.")
        out.append({"role": role, "content": str(m.text)})
    return out


class LlamaCppChat(BaseChatModel):
    """A chat model running a GGUF file in-process with llama.cpp (CPU).

    Calls on the same model file are serialised: concurrent callers wait for each other, and a
    thread must finish (or close) a stream before it calls the model again.
    ``n_threads`` defaults to all cores; where other CPU-heavy work shares the cores, fewer threads
    can be much faster, because llama.cpp's threads spin while waiting for each other.
    """

    # A misspelt or unsupported argument (max_token=1, api_key=...) is an error, not silently dropped.
    model_config = ConfigDict(extra="forbid")

    model_path: str
    n_ctx: int = 4096
    n_threads: int | None = None  # None: all cores (os.cpu_count())
    max_tokens: int = DEFAULT_MAX_TOKENS
    temperature: float = 0.0
    seed: int = 0
    stop: list[str] | None = None
    """Stop sequences for every call (a call's own ``stop`` replaces them)."""
    timeout: float | None = None
    """Seconds a call may take, from the moment it is made; past it the call fails with ``LLMUnavailableError``."""
    streaming: bool = False
    """Accepted for LangChain compatibility: every call streams from llama.cpp anyway."""

    @field_validator("model_path")
    @classmethod
    def _model_file_exists(cls, value: str) -> str:
        # Checked at construction so a missing model is reported when the app starts, not mid-answer.
        path = Path(value).expanduser()
        check_model_file(path)
        return str(path)

    @classmethod
    def from_name(cls, name_or_path: str, **kw: Any) -> LlamaCppChat:
        """A model from a catalog name (``qwen2.5-1.5b``) or a path to a ``.gguf`` file."""
        from rag.models import CATALOG, model_path

        if name_or_path in CATALOG:
            try:
                path = model_path(name_or_path)
            except ConfigError as e:  # not installed: the model is unavailable, not misconfigured
                raise LLMUnavailableError(str(e)) from e
            return cls(model_path=str(path), **kw)
        if name_or_path.endswith(".gguf") or os.sep in name_or_path:
            return cls(model_path=name_or_path, **kw)
        choices = ", ".join(CATALOG)
        raise ConfigError(f"Unknown local model {name_or_path!r}; choose one of: {choices}, or pass the path of a .gguf file.")

    @property
    def _llm_type(self) -> str:
        return "newsrag-llama-cpp"

    @property
    def _identifying_params(self) -> dict[str, Any]:
        return self.model_dump(include={"model_path", "n_ctx", "max_tokens", "temperature", "seed"})

    @property
    def model_name(self) -> str:
        return Path(self.model_path).name

    def _get_ls_params(self, stop: list[str] | None = None, **kwargs: Any) -> LangSmithParams:
        params = super()._get_ls_params(stop=stop, **kwargs)
        params.update(ls_provider="llama-cpp", ls_model_name=self.model_name, ls_model_type="chat",
                      ls_temperature=float(kwargs.get("temperature", self.temperature)),
                      ls_max_tokens=int(kwargs.get("max_tokens", self.max_tokens)))  # fmt: skip
        if stops := (stop if stop is not None else self.stop):
            params["ls_stop"] = list(stops)
        return params

    def _slot(self) -> ModelSlot:
        # llama.cpp pads the context to a multiple of 256 but llama-cpp-python sizes its token buffer
        # by the requested n_ctx, so a smaller or odd n_ctx crashes with a numpy broadcast error.
        n_ctx = -(-self.n_ctx // 256) * 256
        return load_model(self.model_path, n_ctx, self.n_threads or os.cpu_count() or 1)

    def _llama_error(self, e: ValueError) -> LLMError:
        """llama-cpp-python reports a too-long prompt (and little else) as a bare ValueError."""
        if "context window" in str(e):
            return LLMError(
                f"The prompt does not fit the local model's context window (n_ctx={self.n_ctx}): {e}. "
                "Ask a shorter question or retrieve fewer passages."
            )
        return LLMError(f"The local model {self.model_path} failed: {e}")

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        """Yield the answer token by token, then one chunk with the token counts (``usage_metadata``).

        ``max_tokens``, ``temperature`` and ``seed`` may be overridden per call; ``stop`` replaces ``self.stop``.
        """
        from llama_cpp import LogitsProcessorList

        request = _to_llama_messages(messages)
        deadline = None if self.timeout is None else time.monotonic() + self.timeout
        counts = _TokenCounter()
        with self._slot().use() as llama:
            self._check_deadline(deadline)  # waiting for another caller's stream counts against the timeout
            try:
                parts = llama.create_chat_completion(
                    messages=request,  # type: ignore[arg-type]
                    stream=True,
                    max_tokens=int(kwargs.get("max_tokens", self.max_tokens)),
                    temperature=float(kwargs.get("temperature", self.temperature)),
                    seed=int(kwargs.get("seed", self.seed)),
                    stop=list(stop if stop is not None else self.stop or []),
                    logits_processor=LogitsProcessorList([counts]),
                )
                for part in parts:  # llama.cpp checks the context size on the first step
                    self._check_deadline(deadline)  # between tokens: reading the prompt cannot be interrupted
                    choice = part["choices"][0]  # type: ignore[index]
                    text = choice["delta"].get("content") or ""
                    finish = choice.get("finish_reason")
                    if not text and not finish:  # the opening {"role": "assistant"} delta
                        continue
                    info = {"finish_reason": finish, "model_name": self.model_name} if finish else None
                    chunk = ChatGenerationChunk(message=AIMessageChunk(content=text), generation_info=info)
                    if run_manager and text:
                        run_manager.on_llm_new_token(text, chunk=chunk)
                    yield chunk
            except ValueError as e:
                raise self._llama_error(e) from e
        usage = {"input_tokens": counts.prompt, "output_tokens": counts.sampled, "total_tokens": counts.prompt + counts.sampled}
        yield ChatGenerationChunk(message=AIMessageChunk(content="", usage_metadata=usage))  # type: ignore[arg-type]

    def _check_deadline(self, deadline: float | None) -> None:
        if deadline is not None and time.monotonic() > deadline:
            raise LLMUnavailableError(
                f"The local model {self.model_path} did not finish within {self.timeout:g} s (timeout); "
                "ask for a shorter answer (max_tokens) or raise the timeout."
            )

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        return generate_from_stream(self._stream(messages, stop=stop, run_manager=run_manager, **kwargs))

    async def _astream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: AsyncCallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> AsyncIterator[ChatGenerationChunk]:
        """Run each stream start to end in one worker thread, handing chunks to the event loop.

        The base class advances the sync stream with one executor call per chunk, so one stream hops
        between pool threads and a reused thread would trip the same-thread re-entry check.
        """
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue[ChatGenerationChunk | BaseException | None] = asyncio.Queue()
        abandoned = threading.Event()

        def put(item: ChatGenerationChunk | BaseException | None) -> None:
            try:
                loop.call_soon_threadsafe(queue.put_nowait, item)
            except RuntimeError:  # the event loop has closed; nobody is listening any more
                abandoned.set()

        def produce() -> None:
            try:
                for chunk in self._stream(messages, stop, None, **kwargs):
                    if abandoned.is_set():
                        return  # dropping the generator closes it, which releases the model
                    put(chunk)
                put(None)
            except BaseException as e:  # noqa: BLE001 - re-raised in the awaiting task
                put(e)

        threading.Thread(target=produce, name="llama-astream", daemon=True).start()
        try:
            while (item := await queue.get()) is not None:
                if isinstance(item, BaseException):
                    raise item
                if run_manager and item.text:
                    await run_manager.on_llm_new_token(item.text, chunk=item)
                yield item
        finally:
            abandoned.set()

    def yes_probability(self, prompt: str) -> float:
        """P(YES) / (P(YES) + P(NO)) for the model's first answer token to a yes/no question.

        ``prompt`` is sent as one user message through the model's chat template. The next-token
        logits are captured with a logits processor (llama.cpp only returns logprobs when the
        model was loaded with ``logits_all=True``, which we avoid), turned into probabilities over
        the whole vocabulary, and the top ``TOP_LOGPROBS`` tokens whose text strips and upper-cases
        to ``YES`` or ``NO`` are summed ("Yes", " YES", "yes" all count). 0.5 when neither appears.
        """
        import numpy as np
        from llama_cpp import LogitsProcessorList

        captured: list[Any] = []

        def capture(input_ids: Any, scores: Any) -> Any:
            # The first sampler in the chain sees the raw logits of the whole vocabulary, in token-id order.
            captured.append(np.array(scores, dtype=np.float64, copy=True))
            return scores

        with self._slot().use() as llama:
            try:
                llama.create_chat_completion(
                    messages=[{"role": "user", "content": prompt}],
                    max_tokens=1,
                    temperature=0.0,
                    seed=self.seed,
                    logits_processor=LogitsProcessorList([capture]),
                )
            except ValueError as e:
                raise self._llama_error(e) from e
            if not captured or captured[0].shape != (llama.n_vocab(),):
                raise LLMError(f"llama.cpp returned no next-token logits for {self.model_path}; yes/no scoring is not possible.")
            logits = captured[0]
            probs = np.exp(logits - logits.max())
            probs /= probs.sum()
            top = np.argpartition(-probs, TOP_LOGPROBS)[:TOP_LOGPROBS]
            words = {int(t): llama.detokenize([int(t)]).decode("utf-8", "ignore").strip().upper() for t in top}
        yes = sum(float(probs[t]) for t, w in words.items() if w == "YES")
        no = sum(float(probs[t]) for t, w in words.items() if w == "NO")
        return 0.5 if yes + no == 0.0 else yes / (yes + no)


class _TokenCounter:
    """A logits processor that counts tokens: llama.cpp's streamed chunks carry no usage, but the
    processor runs once per sampled token and first sees the whole prompt's token ids.
    (It cannot stop a generation: llama.cpp calls it from C, which swallows exceptions.)"""

    def __init__(self) -> None:
        self.prompt = 0
        self.sampled = 0

    def __call__(self, input_ids: Any, scores: Any) -> Any:
        if self.sampled == 0:
            self.prompt = len(input_ids)
        self.sampled += 1
        return scores
