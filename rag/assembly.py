"""Builds a ChatPipeline from user-facing options; the CLI, the TUI and ``rag eval`` all use it."""

from __future__ import annotations

from dataclasses import dataclass

from rag.chat import AnswerSettings, ChatPipeline
from rag.errors import ConfigError
from rag.index import Index
from rag.retrieval import RetrievalSettings, Retriever


@dataclass(frozen=True)
class LLMOptions:
    backend: str = "auto"
    """local | openai | extractive | auto (local when the bundled model is installed)."""
    model: str | None = None
    """local: a catalog name or .gguf path; openai: the server's model name."""
    base_url: str | None = None
    api_key_env: str = "OPENAI_API_KEY"
    timeout: float = 60.0
    translate: str = "auto"
    """Translate questions into the corpus language for keyword search: auto | on | off.
    auto uses the local model when it writes the answer anyway (backend local); with extractive
    or a server it is off, so no model blocks the first sources (on forces it)."""


def make_pipeline(index: Index, options: LLMOptions | None = None, *, k: int = 5) -> ChatPipeline:
    from rag.llm import create_chat_model, local_llm_available

    options = options or LLMOptions()
    backend = options.backend
    if backend == "auto":
        backend = "local" if local_llm_available() else "extractive"
    llm = create_chat_model(backend, model=options.model, base_url=options.base_url, api_key_env=options.api_key_env, timeout=options.timeout)
    local = llm if backend == "local" else None
    if options.translate not in {"auto", "on", "off"}:
        raise ConfigError(f"--translate must be auto, on or off, not {options.translate!r}.")
    if options.translate == "on" and local is None:
        local = create_chat_model("local")
    translator = judge = None
    if local is not None and options.translate != "off":
        from rag.translation import translator_for

        translator = translator_for(local)
    if backend == "local":
        judge = _yes_no_judge(llm)
    retriever = Retriever(index, RetrievalSettings(k=k), translator=translator)
    return ChatPipeline(retriever, llm, backend=backend, judge=judge, settings=AnswerSettings(k=k))


def _yes_no_judge(llm):  # noqa: ANN001, ANN202
    from rag.prompting import load_prompt

    prompt = load_prompt("support")

    def judge(evidence: str, claim: str) -> float:
        system, user = prompt.render(evidence=evidence, claim=claim)
        return llm.yes_probability(f"{system.content}\n\n{user.content}")

    return judge
