"""Time in the answering pipeline: a question's time phrase read against the as-of date, and the
answers given when the window it names holds nothing (``ChatPipeline.stream`` uses these)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from rag.news.timeframe import Timeframe, find_timeframe, parse_as_of, resolve_event, time_words
from rag.types import Answer

if TYPE_CHECKING:
    from rag.chat import ChatPipeline, Event


def question_timeframe(pipeline: ChatPipeline, question: str, lang: str) -> tuple[Timeframe | None, str]:
    """The window ``question`` names, counted from the pipeline's as-of date, and the question without
    the phrase. An event ("since the ceasefire talks") is dated by retrieval; one the corpus cannot
    date leaves the question as asked, without a filter."""
    frame, rest = find_timeframe(question, parse_as_of(pipeline.settings.as_of), lang)
    if frame is not None and frame.event is not None:
        frame = resolve_event(frame, pipeline.retriever)
        if frame is None:
            return None, question
    return frame, rest if frame is not None else question


def frame_refusal(frame: Timeframe, lang: str) -> str:
    """"Nothing in the corpus from 18–24 March 2024 answers this." in the asker's language."""
    return time_words(lang)["nothing_about"].format(span=frame.span(lang))


def nothing_message(frame: Timeframe, lang: str) -> str:
    """"The corpus has nothing from 22–28 April 2024." in the asker's language."""
    return time_words(lang)["nothing"].format(span=frame.span(lang))


def nothing_answer(pipeline: ChatPipeline, question: str, asked: str, frame: Timeframe, lang: str, *, empty: bool) -> Iterator[Event]:
    """The events of the answer to a question whose window holds no article (``empty``) or none that answers it."""
    from rag.chat import Completed, Retrieved, Token

    text = nothing_message(frame, lang) if empty else frame_refusal(frame, lang)
    yield Retrieved(question, asked, ())
    yield Token(text)
    yield Completed(Answer(question=question, standalone_question=asked, text=text, sentences=(), sources=(), refused=True, backend=pipeline.backend))
