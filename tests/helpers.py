"""Helpers shared by the tests (fixtures live in conftest.py)."""

from __future__ import annotations

import json
from pathlib import Path

from langchain_core.language_models.chat_models import BaseChatModel, generate_from_stream
from langchain_core.messages import AIMessageChunk
from langchain_core.outputs import ChatGenerationChunk

from rag.chat import AnswerSettings
from rag.citations import SupportSettings
from rag.evidence import EvidenceSettings
from rag.ids import article_id, content_hash
from rag.types import Article

DATA = Path(__file__).parent / "data"

HASHING_ANSWER_SETTINGS = AnswerSettings(k=3, evidence=EvidenceSettings(min_score=0.2, max_sentences=2, margin=0.05),
                                         support=SupportSettings(accept=0.3, reject=0.3))  # fmt: skip
"""The hashing embedder's similarities live on another scale than e5's; these thresholds fit it."""


def make_article(text: str, title: str = "", *, id: str | None = None, url: str | None = None, source: str = "Test Wire", date: str | None = None, lang: str = "en") -> Article:
    """An article as a reader would produce it (content-derived id and hash)."""
    return Article(
        id=article_id(explicit=id, url=url, source=source, title=title, text=text),
        title=title, text=text, source=source, url=url, date=date, lang=lang,
        content_hash=content_hash(title=title, text=text, source=source, url=url, date=date),
    )  # fmt: skip


def load_jsonl(path: Path) -> list[Article]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        d = json.loads(line)
        out.append(make_article(d["text"], d.get("title") or "", id=d["id"], url=d.get("url"), source=d.get("source"), date=d.get("date"), lang=d.get("lang")))
    return out


class ScriptedChat(BaseChatModel):
    """A chat model that streams scripted replies word by word and records every prompt.

    A reply that is an exception instance is raised instead (to test failures).
    """

    replies: list = []
    prompts: list = []

    @property
    def _llm_type(self) -> str:
        return "scripted"

    def _generate(self, messages, stop=None, run_manager=None, **kwargs):  # noqa: ANN001, ANN003, ANN202
        return generate_from_stream(self._stream(messages, stop, run_manager, **kwargs))

    def _stream(self, messages, stop=None, run_manager=None, **kwargs):  # noqa: ANN001, ANN003, ANN202
        self.prompts.append(messages)
        reply = self.replies.pop(0)
        if isinstance(reply, BaseException):
            raise reply
        for i, word in enumerate(reply.split(" ")):
            yield ChatGenerationChunk(message=AIMessageChunk(content=("" if i == 0 else " ") + word))
