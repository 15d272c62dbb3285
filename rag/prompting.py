"""Prompt templates: TOML files in ``prompts/`` rendered strictly through LangChain.

A template that uses a variable the caller did not supply, or a caller that supplies a variable
the template does not use, is an error — a silent blank in a prompt is a bug that is hard to see.
"""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from rag.errors import ConfigError
from rag.languages import LANGUAGES, language, language_name, refusals

__all__ = ["CANNOT_ANSWER", "PromptTemplate", "cannot_answer", "format_sources", "is_refusal", "language_name", "load_prompt"]

if TYPE_CHECKING:
    from langchain_core.messages import BaseMessage

    from rag.evidence import Evidence
    from rag.types import Hit

PROMPTS_DIR = Path(__file__).resolve().parent.parent / "prompts"

# Shared by the prompt, the pipeline and the tests: an answer that is exactly this is a refusal.
CANNOT_ANSWER = {code: lang.refusal for code, lang in LANGUAGES.items()}


def cannot_answer(lang: str | None) -> str:
    return language(lang).refusal


def is_refusal(text: str) -> bool:
    normalised = text.strip().strip('"').strip()
    return any(normalised.startswith(phrase.rstrip(".")) for phrase in refusals())


@dataclass(frozen=True)
class PromptTemplate:
    """A system + user message pair with named ``{variables}``."""

    name: str
    system: str
    user: str

    def render(self, **variables: str) -> list[BaseMessage]:
        from langchain_core.prompts import ChatPromptTemplate

        template = ChatPromptTemplate.from_messages([("system", self.system), ("human", self.user)])
        expected = set(template.input_variables)
        if missing := expected - variables.keys():
            raise ConfigError(f"Prompt {self.name!r} needs {sorted(missing)}, which were not given.")
        if extra := variables.keys() - expected:
            raise ConfigError(f"Prompt {self.name!r} does not use {sorted(extra)}; check prompts/{self.name}.toml.")
        return template.format_messages(**variables)


@cache
def load_prompt(name: str, directory: Path = PROMPTS_DIR) -> PromptTemplate:
    path = directory / f"{name}.toml"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        return PromptTemplate(name, data["system"].strip(), data["user"].strip())
    except (OSError, KeyError, tomllib.TOMLDecodeError) as e:
        raise ConfigError(f"Cannot load the prompt template {path}: {e}") from e


def format_sources(evidence: Sequence[Evidence], hits: Sequence[Hit]) -> str:
    """Numbered source sentences with title, outlet and date, grouped by source."""
    lines = []
    for number in sorted({e.source for e in evidence}):
        hit = hits[number - 1]
        meta = ", ".join(x for x in (hit.source, hit.date) if x)
        head = f"[{number}] {hit.title}" if hit.title else f"[{number}]"
        lines.append(f"{head} ({meta})" if meta else head)
        lines += [f"    {_fence_safe(e.text)}" for e in evidence if e.source == number]
    return "\n".join(lines)


def _fence_safe(text: str) -> str:
    """Article text cannot close the data fence early."""
    return text.replace("</sources>", "</ sources>").replace("<sources>", "< sources>")
