"""Time in the answering pipeline: a question's time phrase read against the as-of date, and the
answers given when the window it names holds nothing (``ChatPipeline.stream`` uses these)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from rag.news.timeframe import Timeframe, find_timeframe, parse_as_of, resolve_event, time_words
from rag.types import Answer

if TYPE_CHECKING:
    from rag.chat import ChatPipeline, Event


def question_timeframe(pipeline: ChatPipeline, question: str, lang: str) -> tuple[Timeframe | None, str]:
    """The window ``question`` names, counted from the pipeline's as-of date, and the question without
    the phrase. An event ("since the ceasefire talks") is dated by retrieval; one the corpus cannot
    date leaves the question as asked, without a filter.

    A date named outright ("massacred in 1983", "signed on 15 August 2005") is when the event
    happened, not when it was reported: it stays in the question (retrieval, the answer span and the
    coverage check use it) and filters nothing. On the dev news set 42 of 300 questions name one;
    filtering them by publication date refused or lost most of them. Only windows counted from the
    as-of date ("last week", "kemarin", "in the last 3 days", "since 18 March") are about reporting."""
    frame, rest = find_timeframe(question, parse_as_of(pipeline.settings.as_of), lang)
    if frame is not None and (frame.named or not pipeline.retriever.index.has_dates()):
        return None, question  # an undated corpus (FacQA's passages) cannot be asked by date: the words stay
    if frame is not None and frame.kind in ("year", "month") and _names_a_year(rest):
        return None, question  # "the 2005 championships … this year" is 2005's year, not the as-of date's
    if frame is not None and frame.event is not None:
        frame = resolve_event(frame, pipeline.retriever)
        if frame is None:
            return None, question
        if is_open_question(rest, lang) and frame.dated_event:
            # "What happened?" after the talks asks for their story's news: searched by the event's words
            # alone, which score its sentences higher than with "What happened" beside them (e5: 0.90 / 0.87)
            rest = frame.dated_event
    return frame, rest if frame is not None else question


def _names_a_year(text: str) -> bool:
    return re.search(r"\b(?:1[5-9]|20)\d{2}\b", text) is not None


def is_open_question(question: str, lang: str) -> bool:
    """"What happened?", "Apa yang terjadi?": a question that names no topic of its own."""
    text = re.sub(r"\s+", " ", question.strip(" ?!.").lower())
    return any(re.fullmatch(p, text) for p in time_words(lang).get("open_questions", []))


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
