"""Builds a ChatPipeline from ``Settings``; the CLI, the TUI and ``rag eval`` all use it."""

from __future__ import annotations

from rag.chat import ChatPipeline
from rag.config import LLMSettings, Settings
from rag.errors import ConfigError
from rag.index import Index
from rag.retrieval import Retriever

LLMOptions = LLMSettings
"""The former name of ``rag.config.LLMSettings``."""


def make_pipeline(index: Index, settings: Settings | LLMSettings | None = None, *, k: int | None = None) -> ChatPipeline:
    """The pipeline ``settings`` describe (an ``LLMSettings`` alone: the default settings with that LLM)."""
    from rag.llm import create_chat_model, local_llm_available

    if not isinstance(settings, Settings):
        settings = Settings(llm=settings or LLMSettings())
    settings = settings.with_k(k)
    options = settings.llm
    backend = options.backend
    if backend == "auto":
        backend = "local" if local_llm_available() else "extractive"
    llm = create_chat_model(
        backend, model=options.model, base_url=options.base_url, api_key_env=options.api_key_env, timeout=options.timeout, max_tokens=options.max_tokens
    )
    local = llm if backend == "local" else None
    if options.translate not in {"auto", "on", "off"}:
        raise ConfigError(f"--translate must be auto, on or off, not {options.translate!r}.")
    if options.translate == "on" and local is None:
        local = create_chat_model("local")
    translator = judge = None
    if local is not None and options.translate != "off":
        from rag.translation import TranslationCache, translator_for

        translator = translator_for(local, cache=TranslationCache(settings.folders.translations))
    if backend == "local":
        judge = _yes_no_judge(llm)
    retriever = Retriever(index, settings.retrieval, translator=translator)
    return ChatPipeline(retriever, llm, backend=backend, judge=judge, settings=settings.answer)


def _yes_no_judge(llm):  # noqa: ANN001, ANN202
    """The model's YES/NO judge, remembering its verdicts: the same source sentence and claim come
    back (the same article for another question, a translation checked again), and each verdict
    costs a prompt of the local model (1.5-5 s on 2 busy cores)."""
    import functools

    from rag.prompting import load_prompt

    prompt = load_prompt("support")

    @functools.lru_cache(maxsize=4096)
    def judge(evidence: str, claim: str) -> float:
        system, user = prompt.render(evidence=evidence, claim=claim)
        return llm.yes_probability(f"{system.content}\n\n{user.content}")

    return judge
