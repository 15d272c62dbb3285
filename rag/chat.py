"""The question-answering pipeline shared by the CLI, the TUI and the evaluation.

question ─(condense with history)→ standalone question ─retrieve→ Retrieval (hits, query vector,
translation) ─select→ evidence sentences ─(LLM phrases an answer from them | extractive: the
sentences themselves)→ cite & verify → Answer

Each step hands the next what it needs (``AnswerContext``); none goes back to ask again. Code
chooses the evidence and the citations; a model, when there is one, only phrases the answer in the
asker's language. An answer whose sentences the checks cannot support falls back to the cited
evidence sentences.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from rag.answer_context import (
    AnswerContext,
    AnswerSettings,
    evidence_text,
    extractive_sentences,
    in_order,
    introduction,
    is_foreign,
    lead_sentence,
    plain_words,
    quoted_answer,
    render_cited,
    sources_text,
    stamped,
    with_lead_span,
)
from rag.answer_span import content_words, find_span, question_slot, slot_fit
from rag.citations import Judge, SupportChecker, check_citations, split_cited
from rag.coverage import coverage
from rag.evidence import Evidence, SentenceBank, SentenceVectors, near_best, rank_sentences, select_evidence
from rag.followup import keeps, referents, resolve
from rag.language import detect_language, question_language
from rag.languages import COPIED_WORDS, language
from rag.llm.text import TextModel, as_text_model
from rag.news.date_check import question_date_check
from rag.news.temporal import frame_refusal, nothing_answer, question_timeframe
from rag.other_copies import from_other_copies
from rag.places import asked_places, elsewhere, recognised
from rag.prompting import cannot_answer, format_sources, is_refusal, language_name, load_prompt
from rag.retrieval import Retrieval, Retriever
from rag.titles import english_titles
from rag.types import Answer, AnswerSentence, Filters, Hit, Timings

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

    from rag.translation import LLMTranslator


@dataclass(frozen=True)
class Retrieved:
    """Retrieval finished: the sources can be shown while the answer is being written."""

    question: str
    standalone_question: str
    hits: tuple[Hit, ...]


@dataclass(frozen=True)
class Token:
    text: str


@dataclass(frozen=True)
class Completed:
    answer: Answer


Event = Retrieved | Token | Completed


@dataclass
class Conversation:
    """The turns of one chat, so that follow-up questions can be understood."""

    turns: list[Answer] = field(default_factory=list)

    def history(self, max_turns: int = 3) -> str:
        return "\n".join(f"User: {a.question}\nAssistant: {a.text}" for a in self.turns[-max_turns:])


Answerer = Callable[["ChatPipeline", str, "Conversation | None", "Filters | None"], "Iterator[Event] | None"]
"""A specialised answerer tried before ordinary retrieval: ``(pipeline, question, conversation,
filters)`` → the events of its answer (ending with Completed), or None when the question is not its
kind; the pipeline keeps its answer as a turn of the conversation."""


def default_answerers() -> tuple[Answerer, ...]:
    """"What did X say …?" from X's stored quotes (rag/news/attribution.py)."""
    from rag.news.attribution import answer_attribution

    return (answer_attribution,)


class ChatPipeline:
    """Answers questions over one index. ``llm=None`` is the extractive backend (no model)."""

    def __init__(
        self,
        retriever: Retriever,
        llm: BaseChatModel | TextModel | None = None,
        *,
        backend: str | None = None,
        judge: Judge | None = None,
        settings: AnswerSettings | None = None,
        answerers: Sequence[Answerer] | None = None,
    ) -> None:
        self.retriever = retriever
        self.llm = llm
        self.model = as_text_model(llm)
        self.backend = backend or ("extractive" if llm is None else "llm")
        self.settings = settings or AnswerSettings()
        embedder = retriever.index.embedder
        self.embedder = embedder
        self.checker = SupportChecker(embedder, judge, self.settings.support)
        self.sentence_vectors = SentenceVectors(embedder)
        self.answerers: list[Answerer] = list(default_answerers() if answerers is None else answerers)
        self._translator: LLMTranslator | None = None  # of the answering model, made on first use

    def ask(self, question: str, conversation: Conversation | None = None, **kw: object) -> Answer:
        for event in self.stream(question, conversation, **kw):  # type: ignore[arg-type]
            if isinstance(event, Completed):
                return event.answer
        raise AssertionError("stream() always ends with Completed")

    def stream(
        self, question: str, conversation: Conversation | None = None, *, filters: Filters | None = None, retrieve_k: int | None = None
    ) -> Iterator[Event]:
        """Retrieved, then Token pieces of the answer as it is written, then Completed.

        LLM failures raise (typed ``LLMError``) after Retrieved, so callers can still show the sources.
        A time in the question ("last week", "kemarin", "in March 2024") becomes a filter on the
        articles' dates, counted from ``settings.as_of`` (rag/news/temporal.py), and leaves the question.
        """
        lang = question_language(question)
        frame, asked = question_timeframe(self, question, lang)
        if frame is not None:
            filters = frame.filters(filters)
            if not self.retriever.index.passage_ids_where(filters):  # nothing was published then: say so
                yield from _remembered(nothing_answer(self, question, asked, frame, lang, empty=True), conversation)
                return
        for answerer in self.answerers:
            if (events := answerer(self, asked, conversation, filters)) is not None:
                yield from _remembered(_asked_as(events, question, lang, whole=self.model is None), conversation)
                return
        started = time.perf_counter()
        standalone = self.condense(asked, conversation)
        k = self.settings.k
        # The first sources are shown before anything waits for a model (the question's translation).
        retrieval = self.retriever.find(standalone, k=max(k, retrieve_k or k), filters=filters, translate=False)
        timings = Timings(retrieval_s=time.perf_counter() - started)
        yield Retrieved(question, standalone, retrieval.hits)
        context = self._prepare(question, standalone, retrieval, timings, started, lang)
        if frame is not None and (refusal := self.refusal(context)) is not None:  # nothing of then answers it
            yield Token(refusal := frame_refusal(frame, lang))
            answer = context.answer((), {}, refused=True, text=refusal)
        elif (refusal := self.refusal(context)) is not None:
            yield Token(refusal)
            answer = context.answer((), {}, refused=True, text=refusal)
        elif self.model is None:
            answer = quoted_answer(context)
            yield Token(answer.text)
        else:
            answer = yield from self._generate(context)
        context.timings.total_s = time.perf_counter() - started
        answer = replace(answer, timings=context.timings.as_dict())
        if conversation is not None:
            conversation.turns.append(answer)
        yield Completed(answer)

    def _prepare(self, question: str, standalone: str, retrieval: Retrieval, timings: Timings, started: float,
                 lang: str) -> AnswerContext:
        """Evidence, span and coverage: everything the answer is written from, for a question in ``lang``."""
        hits = retrieval.hits[: self.settings.k]
        bank = SentenceBank.build(hits, self.sentence_vectors)
        cross_lingual = bool(hits) and is_foreign(hits[0], lang)
        # "… in Cairo?": a sentence about another place does not answer it
        places = recognised(asked_places(standalone, lang), (h.passage.text for h in hits))
        excluded = (lambda sentence: elsewhere(sentence, places)) if places else None

        def rank(bank: SentenceBank, cross_lingual: bool) -> list[Evidence]:
            return rank_sentences(standalone, bank, self.embedder, self.settings.evidence, cross_lingual=cross_lingual, lang=lang,
                                  translation=retrieval.translation, query_vector=retrieval.query_vector,
                                  fits=slot_fit(standalone, lang, retrieval.translation), elsewhere=excluded)  # fmt: skip

        # The question's translation (1-2 s of the local model when not cached, after the sources
        # are shown) scores every sentence: skipping it when the best sentence looked decisive
        # cost 0.04 of answer accuracy on the dev news set, where that best was often a near-tie.
        if hits and (translation := self.retriever.translation(standalone)):
            retrieval = replace(retrieval, translation=translation)
        ranked = rank(bank, cross_lingual)
        evidence = select_evidence(ranked, self.settings.evidence)
        # A copy group's passage that did not answer: another copy's passage may (rag/other_copies.py).
        found = from_other_copies(self.retriever.index, bank, evidence, retrieval.query_vector, self.sentence_vectors,
                                  lambda bank, cross_lingual: select_evidence(rank(bank, cross_lingual), self.settings.evidence),
                                  lang, excluded)  # fmt: skip
        if found is not None:
            hits, bank, evidence = found.hits, found.bank, found.evidence
            span = find_span(standalone, lang, evidence, retrieval.translation)
        else:
            # The span is looked for in every sentence near the best, so a near-tie that holds what the
            # question asks for ("Sungai Lematang" for "which river") leads the evidence.
            span = find_span(standalone, lang, near_best(ranked, self.settings.evidence.span_margin), retrieval.translation)
            evidence = select_evidence(ranked, self.settings.evidence, lead=span.evidence if span else None)
        scope = sources_text(hits) if self.settings.coverage.scope == "sources" else evidence_text(evidence)
        dated = question_date_check(self.retriever.index, standalone, lang, [e.hit for e in evidence if e.hit], self.settings.as_of)
        # full names are looked for in the whole articles: a passage deep in a report writes only "Shoukry"
        articles = self.retriever.index.articles(list(dict.fromkeys(h.passage.article_id for h in hits))) if evidence else []
        names_text = " ".join(f"{a.title} {a.text}" for a in articles)
        translated = any(is_foreign(h, lang) for h in hits)
        covered = coverage(standalone, scope, self.settings.coverage, dated, lang, names_text, translated) if evidence else None
        return AnswerContext(question, standalone, lang, retrieval, hits, bank, evidence, timings, started, self.backend, span, covered,
                             self.settings)  # fmt: skip

    def refusal(self, context: AnswerContext) -> str | None:
        """Why not to answer, as the answer's text, or None: code decides refusals, never the model."""
        if not context.evidence:
            return cannot_answer(context.lang)
        if context.coverage is not None and not context.coverage.enough(self.settings.coverage):
            return context.coverage.partial_message(context.lang) or cannot_answer(context.lang)
        if self.settings.require_span and context.span is None and question_slot(context.standalone_question, context.lang):
            return cannot_answer(context.lang)
        return None

    def _generate(self, context: AnswerContext) -> Iterator[Event]:
        assert self.model is not None
        lang, evidence = context.lang, context.evidence
        messages = load_prompt("answer").render(
            language=language_name(lang),
            sources=format_sources(evidence, context.hits),
            question=context.standalone_question,
            cannot_answer=cannot_answer(lang),
        )
        lead = lead_sentence(context)
        if lead is not None:  # the code-chosen answer is there before the model has read its prompt
            context.timings.first_token_s = time.perf_counter() - context.started
            yield Token(render_cited([lead]) + " ")
        timings, budget = context.timings, self.settings.translation_budget_s
        retry_until = None if budget is None else context.started + budget
        pieces = []
        step = time.perf_counter()
        for piece in self.model.stream(messages):
            if not pieces and lead is None:
                timings.first_token_s = time.perf_counter() - context.started
            pieces.append(piece)
            yield Token(piece)
        step = _lap(timings, "generation_s", step)
        text = "".join(pieces).strip()
        checked: list[AnswerSentence] = []
        if not is_refusal(text):  # code found evidence, so a refusal only means the model could not phrase it
            foreign = {w for e in evidence if e.hit and is_foreign(e.hit, lang) for w in plain_words(e.text)}
            cited = [(written, numbers) for sentence, numbers in split_cited(text)
                     if not _restates(sentence, context.standalone_question)
                     and (written := self._in_language(sentence, lang, foreign, retry_until)) is not None]  # fmt: skip
            step = _lap(timings, "translation_s", step)
            checked, spans = check_citations(cited, context.bank, self.checker)
            step = _lap(timings, "checking_s", step)
        if not any(s.supported for s in checked):
            sentences, spans = extractive_sentences(evidence)
            sentences = [replace(s, text=self._translated_or_quoted(s.text, e, lang, retry_until))
                         if e.hit and is_foreign(e.hit, lang) else s
                         for s, e in zip(sentences, in_order(evidence))]  # fmt: skip
            _lap(timings, "translation_s", step)
            return context.answer(sentences, with_lead_span(context, spans), fallback=True, lead=lead)
        return context.answer(checked, with_lead_span(context, spans), lead=lead)

    def _in_language(self, sentence: str, lang: str, foreign_words: set[str], retry_until: float | None = None) -> str | None:
        """The sentence in the asker's language, or None when it is not (another language, or source
        phrases copied into it) and no faithful translation of it can be had: shown as it is, it
        would read as the answer's own words. The small local model sometimes copies source phrases
        ("would be a "sebuah kesalahan"") instead of translating them; such a sentence is translated
        on its own afterwards (translating the sources beforehand instead cost 15-30 s of time to
        first token)."""
        copied = plain_words(sentence) & foreign_words
        if detect_language(sentence) in (None, lang) and len(copied) < COPIED_WORDS:
            return english_titles(sentence) if lang == "en" else sentence  # the titles it copied with a name
        return self._translate(sentence, lang, retry_until)

    def _translated_or_quoted(self, text: str, evidence: Evidence, lang: str, retry_until: float | None = None) -> str:
        """An evidence sentence in the asker's language, or quoted as it is, introduced in that
        language ("from the Indonesian: “…”"), when its translation is not faithful or, past
        ``retry_until``, without asking the model: its greedy translation of an evidence sentence
        passed the checks in about one fallback in ten (benchmarks/bench_answer_latency.py)."""
        in_time = retry_until is None or time.perf_counter() <= retry_until
        if in_time and (translation := self._translate(text, lang, retry_until)) is not None:
            return translation
        intro = introduction(language(lang), evidence.hit)
        return f"{intro[:1].upper()}{intro[1:]}“{text}”"

    def _translate(self, text: str, lang: str, retry_until: float | None = None) -> str | None:
        """``text`` in ``lang``, or None when the model's translation is not faithful to it (a failed
        translation is retried until ``retry_until``, a ``time.perf_counter()`` value; None: always)."""
        from rag.translation import translate_faithfully, translator_for

        assert self.model is not None
        if self._translator is None:
            self._translator = translator_for(self.model)
        return translate_faithfully(self._translator, text, lang, self.checker.judge, retry_until)

    def condense(self, question: str, conversation: Conversation | None) -> str:
        """A follow-up rewritten to stand on its own.

        Code first resolves what points back at the previous turn ("he" → Blinken, "there" →
        Cairo); a model's rewrite is used only when it keeps those names. Without a model, an
        unresolved follow-up is joined to the previous question.
        """
        if conversation is None or not conversation.turns:
            return question
        previous = conversation.turns[-1]
        lang = question_language(question, default=question_language(previous.standalone_question))
        resolved, carried = resolve(question, referents(previous.standalone_question, previous.span, lang), lang)
        if self.model is None:
            return resolved if carried else f"{previous.standalone_question} {question}"
        messages = load_prompt("condense").render(history=conversation.history(), question=question)
        rewritten = self.model.complete(messages).strip().splitlines()
        condensed = rewritten[0].strip() if rewritten and rewritten[0].strip() else question
        return condensed if keeps(condensed, carried) else resolved


def _lap(timings: Timings, step: str, since: float) -> float:
    """Adds the seconds since ``since`` to the ``step`` field of ``timings``; returns now."""
    now = time.perf_counter()
    setattr(timings, step, (getattr(timings, step) or 0.0) + now - since)
    return now


def _restates(sentence: str, question: str) -> bool:
    """The sentence has no word the question lacks ("The drug works as a neuraminidase inhibitor …"
    for "Which drug works as a neuraminidase inhibitor …?", or the question copied): it answers
    nothing, however well its source supports it."""
    return not content_words(sentence) - content_words(question)


def _asked_as(events: Iterator[Event], question: str, lang: str, whole: bool) -> Iterator[Event]:
    """An answerer's events for the question without its time phrase, as the answer to ``question``,
    stamped with its newest source's date. ``whole``: an answer written by code alone (no model) is
    sent as one piece once stamped, so the stamp leads the text as it is shown."""
    for event in events:
        if isinstance(event, Token) and whole:
            continue
        if isinstance(event, Completed):
            event = Completed(stamped(replace(event.answer, question=question), lang))
            if whole:
                yield Token(event.answer.text)
        yield event


def _remembered(events: Iterator[Event], conversation: Conversation | None) -> Iterator[Event]:
    """An answerer's events, its answer kept as a turn of the conversation."""
    for event in events:
        if isinstance(event, Completed) and conversation is not None:
            conversation.turns.append(event.answer)
        yield event
