"""Attribution answers: "What did X say …?" / "Apa kata X …?" answered from X's stored quotes.

The question is matched against per-language patterns (``attribution_questions`` in
``lexicons/*.toml``); the speaker must have stored quotes, else the question goes to ordinary
retrieval. The rest of the question filters (a place: "in Cairo" = "di Kairo"; a year or month) and
ranks (topic, by the question's embedding against the quote's stored passage vector). The answer is
composed by code from templates of the asker's language: each statement attributed, dated, placed
and cited, in date order; with an LLM the statement is translated sentence by sentence and kept only
if its numbers and names survive, else the original wording is shown. The original is always the
cited source span, so ``rag ask`` and the TUI show it beside the answer.
"""

from __future__ import annotations

import functools
import re
import time
import tomllib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rag.answer_context import introduction
from rag.languages import language
from rag.news.lexicon import LEXICON_DIR, place_name_in
from rag.news.lookup import SpeakerQuery, find_quotes, name_terms, same_place, short_date
from rag.news.reports import COVERED, attributed, coverage
from rag.news.store import StoredQuote, terms
from rag.places import canonical_place
from rag.types import Answer, AnswerSentence, Filters, Hit, Source

if TYPE_CHECKING:
    from rag.chat import ChatPipeline, Conversation, Event

MAX_STATEMENTS = 4
"""Statements in one answer: enough for what someone said on an occasion, short enough to read."""
_MONTHS_EN = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"]
_MONTHS_ID = ["januari", "februari", "maret", "april", "mei", "juni", "juli", "agustus", "september", "oktober", "november", "desember"]


@dataclass(frozen=True)
class AttributionQuestion:
    speaker: str
    rest: str
    lang: str


@functools.lru_cache(maxsize=None)
def _language_data(lang: str) -> dict:
    return tomllib.loads((LEXICON_DIR / f"{lang}.toml").read_text(encoding="utf-8"))


def _languages() -> list[str]:
    return [p.stem for p in sorted(LEXICON_DIR.glob("*.toml")) if "attribution_questions" in _language_data(p.stem)]


def detect(question: str) -> AttributionQuestion | None:
    """The speaker and the rest of a question that asks what someone said, else None."""
    q = question.strip()
    for lang in _languages():
        for pattern in _language_data(lang)["attribution_questions"]:
            m = re.match(pattern, q, re.IGNORECASE)
            if m and (speaker := m.group("speaker").strip(" ,?\"'“”")):
                return AttributionQuestion(speaker, (m.group("rest") or "").strip(" ?"), lang)
    return None


def answer_attribution(pipeline: ChatPipeline, question: str, conversation: Conversation | None = None, filters: Filters | None = None) -> Iterator[Event] | None:
    """Events answering ``question`` from quotes, or None when it is no attribution question or the
    speaker has no stored quote matching it (the caller then answers by ordinary retrieval)."""
    started = time.perf_counter()
    asked = detect(question)
    if asked is None or not name_terms(asked.speaker) and not terms(asked.speaker):
        return None
    index = pipeline.retriever.index
    filters = filters or Filters()
    since, until = _dates_in(asked.rest, pipeline.settings.as_of)
    found = find_quotes(index, SpeakerQuery(asked.speaker, since=filters.since or since, until=filters.until or until, sources=filters.sources))
    place = _place_in(asked.rest)
    if place:
        found = [q for q in found if same_place(q.quote.place, place)]
    if not found:
        return None
    chosen = _choose(pipeline, found, _topic(asked, place), MAX_STATEMENTS)
    return _events(pipeline, question, asked, chosen, started)


def _choose(pipeline: ChatPipeline, found: list[StoredQuote], topic: str, n: int) -> list[StoredQuote]:
    """The ``n`` statements best matching ``topic`` (all equal without one), without overlaps, in date order."""
    ranked = list(found)
    if topic and any(q.passage_id is not None for q in found):
        import numpy as np

        index = pipeline.retriever.index
        ids = [q.passage_id for q in found if q.passage_id is not None]
        vectors = dict(zip(ids, index.passage_vectors(ids)))
        query = index.embedder.embed_query(topic)
        lexical = {t[:5] for t in terms(topic) if len(t) > 3}

        def score(q: StoredQuote) -> float:
            dense = float(np.dot(vectors[q.passage_id], query)) if q.passage_id in vectors else 0.0
            return dense + 0.1 * len(lexical & {t[:5] for t in terms(q.quote.statement)})

        ranked.sort(key=score, reverse=True)
    chosen: list[StoredQuote] = []
    group = {a: g for a, (g, _) in pipeline.retriever.index.copy_groups({q.quote.article_id for q in found}).items()}
    for q in ranked:
        s = q.quote
        if any(c.quote.article_id == s.article_id and c.quote.statement_start < s.statement_end and s.statement_start < c.quote.statement_end for c in chosen):
            continue  # the quoted fragment of an indirect statement already chosen, or the other way round
        if any(group.get(c.quote.article_id, c.quote.article_id) == group.get(s.article_id, s.article_id) and same_statement(c.quote.statement, s.statement) for c in chosen):
            continue  # another outlet's copy of a statement already chosen: one quote per report (rag.news.copies)
        chosen.append(q)
        if len(chosen) == n:
            break
    return sorted(chosen, key=lambda q: (q.quote.date or "", q.quote.article_id, q.quote.statement_start))


def same_statement(a: str, b: str) -> bool:
    """Two outlets' versions of one statement (a copy may trim or re-punctuate it)."""
    return max(coverage(a, b), coverage(b, a)) >= COVERED


def _events(pipeline, question, asked, chosen, started):  # noqa: ANN001, ANN202
    from rag.chat import Completed, Retrieved, Token
    from rag.language import detect_language

    index = pipeline.retriever.index
    hits = index.hits([q.passage_id for q in chosen if q.passage_id is not None], [1.0] * len(chosen))
    hits = attributed(hits, lambda ids: {a.id: a.text for a in index.articles(list(ids))}, {q.passage_id: q.quote.statement for q in chosen})
    by_passage = {h.passage.id: h for h in hits}
    timings = {"retrieval_s": time.perf_counter() - started}
    ordered_hits = tuple(dict.fromkeys(by_passage[q.passage_id] for q in chosen if q.passage_id in by_passage))
    yield Retrieved(question, question, ordered_hits)
    lang = detect_language(question) or asked.lang
    lang = lang if (LEXICON_DIR / f"{lang}.toml").exists() and "answer" in _language_data(lang) else "en"
    tpl = _language_data(lang)["answer"]
    sentences, sources = [], []
    previous: StoredQuote | None = None
    for q in chosen:
        hit = by_passage.get(q.passage_id)
        if hit is None:
            continue
        number = len(sources) + 1
        sources.append(Source(number, hit, q.quote.statement_start, q.quote.statement_end, quote=q))
        text = _sentence(pipeline, q, previous, asked, lang, tpl, hit)
        if not sentences:
            timings["first_token_s"] = time.perf_counter() - started
        yield Token((" " if sentences else "") + f"{text} [{number}]")
        sentences.append(AnswerSentence(text, (number,), True))  # the original wording is the cited span
        previous = q
    rendered = " ".join(f"{s.text} [{s.citations[0]}]" for s in sentences)
    timings["total_s"] = time.perf_counter() - started
    answer = Answer(question=question, standalone_question=question, text=rendered, sentences=tuple(sentences), sources=tuple(sources),
                    refused=False, backend=pipeline.backend, retrieved=ordered_hits, timings=timings)  # fmt: skip
    yield Completed(answer)


def _sentence(pipeline, q: StoredQuote, previous: StoredQuote | None, asked: AttributionQuestion, lang: str, tpl: dict, hit: Hit) -> str:  # noqa: ANN001
    s = q.quote
    speaker = _display_name(asked.speaker, s.speaker or asked.speaker)
    date = _format_date(s.date, tpl)
    place = _place_name(s.place, lang)
    where = tpl["where"].format(place=place) if place else ""
    if pipeline.llm is None:
        # the original wording, said to be in another language than the asker's (", from the Indonesian")
        origin = introduction(language(lang), hit).removesuffix(": ")
        return tpl["extractive"].format(speaker=speaker, source=q.source or hit.source or "?", date=short_date(s.date),
                                        where=tpl["extractive_where"].format(place=place) if place else "",
                                        origin=f", {origin}" if origin else "", statement=s.statement)  # fmt: skip
    statement, translated = s.statement, True
    if (q.lang or "") not in ("", lang):
        statement, translated = _translate(pipeline, s.statement, lang)
    same_occasion = previous is not None and previous.quote.date == s.date and same_place(previous.quote.place or "", s.place or "")
    key = ("also_" if same_occasion else "said_") + ("quote" if s.direct or not translated else "that")
    text = tpl[key].format(speaker=speaker, where=where, when=tpl["when"].format(date=date) if date else "",
                           statement=statement if s.direct or not translated else _lower_first(statement, s.statement))  # fmt: skip
    return text + ("" if translated else tpl["original_language"])


def _translate(pipeline, text: str, lang: str) -> tuple[str, bool]:  # noqa: ANN001
    """``text`` in ``lang`` (``rag.translation.translate_faithfully``), or (original, False) when it
    has no faithful translation."""
    from rag.translation import LLMTranslator, translate_faithfully

    translator = getattr(pipeline, "_quote_translator", None)
    if translator is None:
        model_id = str(getattr(pipeline.llm, "model_path", None) or getattr(pipeline.llm, "model_name", None) or pipeline.backend)
        translator = LLMTranslator(pipeline.llm, model_id)
        pipeline._quote_translator = translator
    translated = translate_faithfully(translator, text, lang, pipeline.checker.judge)
    if translated is None:
        return text, False  # the original, introduced in the asker's language, rather than what it does not say
    return re.sub(r"\s*\[\d+\]", "", translated).strip().strip('"“”').rstrip(" ."), True


def _place_name(place: str | None, lang: str) -> str | None:
    """The place as the asker's language names it: "Kairo" is "Cairo" to an English reader, and the
    "Cairo" of a Gatra dateline "Kairo" to an Indonesian one, as the article's own sentences write it."""
    canonical = canonical_place(place) if place else None
    return (canonical and place_name_in(canonical, lang)) or place


def _display_name(asked: str, resolved: str) -> str:
    """The name as the asker wrote it when it is part of the resolved one ("Blinken"), else the resolved name."""
    return asked if set(name_terms(asked)) and set(name_terms(asked)) <= set(terms(resolved)) else resolved


def _format_date(iso: str | None, tpl: dict) -> str:
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", iso or "")
    return tpl["date_format"].format(day=int(m.group(3)), month=tpl["months"][int(m.group(2)) - 1], year=m.group(1)) if m else ""


def _lower_first(text: str, original: str = "") -> str:
    """"A large attack …" after "said that": lower case, unless the first word is a name (it is
    capitalised inside the original or the text too: "Israel's …")."""
    first = re.match(r"[\w’'-]+", text)
    if not first or not text[:1].isupper() or first.group(0).isupper() and len(first.group(0)) > 1:
        return text
    word = first.group(0)
    if re.search(rf"(?<=\S ){re.escape(word)}\b", original + " " + text[len(word):]):
        return text
    return text[:1].lower() + text[1:]


def _place_in(rest: str) -> str | None:
    m = re.search(r"(?<!\w)(?:in|at|di|from|dari)\s+([A-Z][\w-]+(?:\s+[A-Z][\w-]+)?)", rest)
    return m.group(1) if m else None


def _dates_in(rest: str, as_of: str | None = None) -> tuple[str | None, str | None]:
    """The window a time phrase of the question names ("in March 2024", "last week", "kemarin"),
    counted from ``as_of`` (None: today) by rag/news/timeframe.py."""
    from rag.news.timeframe import find_timeframe, parse_as_of

    frame, _ = find_timeframe(rest, parse_as_of(as_of))
    if frame is None or frame.event is not None:
        return None, None
    window = frame.filters()
    return window.since, window.until


def _topic(asked: AttributionQuestion, place: str | None) -> str:
    """The words of the question's rest that are neither filler nor the place or date."""
    filler = {w for lang in _languages() for w in _language_data(lang).get("question_filler", [])}
    rest = asked.rest.replace(place, " ") if place else asked.rest
    words = [w for w in re.findall(r"[\w-]+", rest) if w.lower() not in filler and not re.fullmatch(r"(19|20)\d\d", w)]
    words = [w for w in words if w.lower() not in _MONTHS_EN and w.lower() not in _MONTHS_ID]
    return " ".join(words)
