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

import re
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from rag.answer_span import Span, find_span, question_slot, render_span
from rag.coverage import Coverage, CoverageSettings, coverage
from rag.citations import Judge, SupportChecker, SupportSettings, check_citations, split_cited
from rag.evidence import Evidence, EvidenceSettings, SentenceBank, SentenceVectors, select_evidence
from rag.followup import keeps, referents, resolve
from rag.language import detect_language
from rag.languages import COPIED_WORDS, PLAIN_WORD, Language, language
from rag.llm.text import TextModel, as_text_model
from rag.prompting import cannot_answer, format_sources, is_refusal, language_name, load_prompt
from rag.retrieval import Retrieval, Retriever
from rag.types import DEFAULT_K, Answer, AnswerSentence, Filters, Hit, Source, Timings

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


@dataclass(frozen=True)
class AnswerSettings:
    k: int = DEFAULT_K
    """Passages used as numbered sources."""
    evidence: EvidenceSettings = field(default_factory=EvidenceSettings)
    support: SupportSettings = field(default_factory=SupportSettings)
    coverage: CoverageSettings = field(default_factory=CoverageSettings)
    also_retrieved_gap: float = 1.0
    """An uncited source whose fused retrieval score is this far (in standard deviations) below
    the lowest cited one is only "also retrieved"."""
    require_span: bool = False
    """A question that asks for a who/when/where/how many/which is refused when no evidence sentence has one."""


@dataclass
class AnswerContext:
    """Everything one answer is made from, built forward step by step."""

    question: str
    standalone_question: str
    lang: str
    """The asker's language."""
    retrieval: Retrieval
    hits: tuple[Hit, ...]
    """The top k of ``retrieval.hits``: the numbered sources."""
    bank: SentenceBank
    evidence: list[Evidence]
    timings: Timings
    started: float
    backend: str
    span: Span | None = None
    """The code-chosen answer span, when the question asks for one and the evidence has it."""
    coverage: Coverage | None = None
    """Which of the question's names and numbers the evidence's passages name."""
    also_retrieved_gap: float = 1.0

    def lead(self) -> str | None:
        """The span as the asker reads it (numbers and months in their notation)."""
        if self.span is None:
            return None
        return render_span(self.span, language(self.lang), self.span.evidence.hit.lang if self.span.evidence.hit else None)

    def answer(self, sentences: Sequence[AnswerSentence], spans: dict[int, tuple[int, int]], *, refused: bool = False,
               fallback: bool = False, text: str | None = None, lead: AnswerSentence | None = None) -> Answer:  # fmt: skip
        """The Answer; a ``lead`` (the span sentence) opens the text before the checked sentences."""
        cited = {n for s in (*sentences, *([lead] if lead else [])) for n in s.citations}
        if text is None:
            text = _render([lead, *sentences] if lead else sentences)
        return Answer(
            question=self.question, standalone_question=self.standalone_question, text=text,
            sentences=tuple(sentences), sources=_sources(self.hits, spans), refused=refused, backend=self.backend,
            retrieved=self.retrieval.hits, fallback=fallback, timings=self.timings.as_dict(), span=self.lead(),
            also_retrieved=_far_below(self.hits, cited, self.also_retrieved_gap),
        )  # fmt: skip


Answerer = Callable[[str, str, "Conversation | None"], "Iterator[Event] | None"]
"""A specialised answerer tried before ordinary retrieval: ``(question, standalone question,
conversation)`` → the events of its answer (ending with Completed), or None when the question is
not its kind. E.g. the quotes issue's "What did X say?" answers (rag/news/attribution.py)."""


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
        answerers: Sequence[Answerer] = (),
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
        self.answerers: list[Answerer] = list(answerers)
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
        """
        from rag.news.attribution import answer_attribution  # "What did X say …?": from X's stored quotes

        if (attributed := answer_attribution(self, question, conversation, filters)) is not None:
            yield from attributed
            return
        started = time.perf_counter()
        standalone = self.condense(question, conversation)
        # Hook point: specialised answerers (e.g. attribution, "What did X say?") go first.
        for answerer in self.answerers:
            if (events := answerer(question, standalone, conversation)) is not None:
                yield from _remembered(events, conversation)
                return
        k = self.settings.k
        # The first sources are shown before anything waits for a model (the question's translation).
        retrieval = self.retriever.find(standalone, k=max(k, retrieve_k or k), filters=filters, translate=False)
        timings = Timings(retrieval_s=time.perf_counter() - started)
        yield Retrieved(question, standalone, retrieval.hits)
        context = self._prepare(question, standalone, retrieval, timings, started)
        if (refusal := self.refusal(context)) is not None:
            yield Token(refusal)
            answer = context.answer((), {}, refused=True, text=refusal)
        elif self.model is None:
            answer = _quoted(context)
            yield Token(answer.text)
        else:
            answer = yield from self._generate(context)
        context.timings.total_s = time.perf_counter() - started
        answer = replace(answer, timings=context.timings.as_dict())
        if conversation is not None:
            conversation.turns.append(answer)
        yield Completed(answer)

    def _prepare(self, question: str, standalone: str, retrieval: Retrieval, timings: Timings, started: float) -> AnswerContext:
        """Evidence, span and coverage: everything the answer is written from."""
        hits = retrieval.hits[: self.settings.k]
        lang = detect_language(question) or "en"
        bank = SentenceBank.build(hits, self.sentence_vectors)
        cross_lingual = bool(hits) and _foreign(hits[0], lang)

        def select(translation: str | None) -> list[Evidence]:
            return select_evidence(standalone, bank, self.embedder, self.settings.evidence, cross_lingual=cross_lingual,
                                   translation=translation, query_vector=retrieval.query_vector)  # fmt: skip

        evidence = select(None)
        decisive = bool(evidence) and evidence[0].score >= self.settings.evidence.decisive
        # The question's translation (seconds of the local model when not cached) only when it pays:
        # it sharpens sentence scores, which a decisive best sentence does not need.
        if hits and self.model is not None and not decisive and (translation := self.retriever.translation(standalone)):
            retrieval = replace(retrieval, translation=translation)
            evidence = select(translation)
        span = find_span(standalone, lang, evidence, retrieval.translation)
        scope = _sources_text(hits) if self.settings.coverage.scope == "sources" else _evidence_text(evidence)
        covered = coverage(standalone, scope, self.settings.coverage) if evidence else None
        return AnswerContext(question, standalone, lang, retrieval, hits, bank, evidence, timings, started, self.backend, span, covered,
                             self.settings.also_retrieved_gap)  # fmt: skip

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
        lead = _lead_sentence(context)
        if lead is not None:  # the code-chosen answer is there before the model has read its prompt
            context.timings.first_token_s = time.perf_counter() - context.started
            yield Token(_render([lead]) + " ")
        pieces = []
        for piece in self.model.stream(messages):
            if not pieces and lead is None:
                context.timings.first_token_s = time.perf_counter() - context.started
            pieces.append(piece)
            yield Token(piece)
        text = "".join(pieces).strip()
        checked: list[AnswerSentence] = []
        if not is_refusal(text):  # code found evidence, so a refusal only means the model could not phrase it
            foreign = {w for e in evidence if e.hit and _foreign(e.hit, lang) for w in _plain_words(e.text)}
            cited = [(self._in_language(sentence, lang, foreign), numbers) for sentence, numbers in split_cited(text)]
            checked, spans = check_citations(cited, context.bank, self.checker)
        if not any(s.supported for s in checked):
            sentences, spans = _extractive(evidence)
            sentences = [replace(s, text=self._translate(s.text, lang)) if e.hit and _foreign(e.hit, lang) else s
                         for s, e in zip(sentences, _in_order(evidence))]  # fmt: skip
            return context.answer(sentences, _led(context, spans), fallback=True, lead=lead)
        return context.answer(checked, _led(context, spans), lead=lead)

    def _in_language(self, sentence: str, lang: str, foreign_words: set[str]) -> str:
        """The sentence in the asker's language. The small local model sometimes copies source
        phrases ("would be a "sebuah kesalahan"") instead of translating them; such a sentence is
        translated on its own afterwards (translating the sources beforehand instead cost 15-30 s
        of time to first token)."""
        copied = _plain_words(sentence) & foreign_words
        if detect_language(sentence) in (None, lang) and len(copied) < COPIED_WORDS:
            return sentence
        return self._translate(sentence, lang)

    def _translate(self, text: str, lang: str) -> str:
        from rag.translation import translator_for

        assert self.model is not None
        if self._translator is None:
            self._translator = translator_for(self.model)
        return self._translator.translate(text, lang) or text

    def condense(self, question: str, conversation: Conversation | None) -> str:
        """A follow-up rewritten to stand on its own.

        Code first resolves what points back at the previous turn ("he" → Blinken, "there" →
        Cairo); a model's rewrite is used only when it keeps those names. Without a model, an
        unresolved follow-up is joined to the previous question.
        """
        if conversation is None or not conversation.turns:
            return question
        previous = conversation.turns[-1]
        lang = detect_language(question) or detect_language(previous.standalone_question) or "en"
        resolved, carried = resolve(question, referents(previous.standalone_question, previous.span, lang), lang)
        if self.model is None:
            return resolved if carried else f"{previous.standalone_question} {question}"
        messages = load_prompt("condense").render(history=conversation.history(), question=question)
        rewritten = self.model.complete(messages).strip().splitlines()
        condensed = rewritten[0].strip() if rewritten and rewritten[0].strip() else question
        return condensed if keeps(condensed, carried) else resolved


def _remembered(events: Iterator[Event], conversation: Conversation | None) -> Iterator[Event]:
    """An answerer's events, its answer kept as a turn of the conversation."""
    for event in events:
        if isinstance(event, Completed) and conversation is not None:
            conversation.turns.append(event.answer)
        yield event


def _foreign(hit: Hit, lang: str) -> bool:
    """The passage is known to be in another language than the asker's."""
    return hit.lang not in (None, "", lang)


def _plain_words(text: str) -> set[str]:
    """Lower-case words of four letters or more: not names, not numbers, not short function words."""
    return set(re.findall(PLAIN_WORD, text))


def _in_order(evidence: Sequence[Evidence]) -> list[Evidence]:
    return sorted(evidence, key=lambda e: (e.source, e.start))


def _extractive(evidence: Sequence[Evidence]) -> tuple[list[AnswerSentence], dict[int, tuple[int, int]]]:
    """The evidence sentences themselves, each citing its source, in the order they appear."""
    ordered = _in_order(evidence)
    spans: dict[int, tuple[int, int]] = {}
    for e in ordered:
        spans.setdefault(e.source, (e.start, e.end))
    return [AnswerSentence(e.text, (e.source,)) for e in ordered], spans


def _far_below(hits: Sequence[Hit], cited: set[int], gap: float) -> tuple[int, ...]:
    """The uncited sources scored ``gap`` or more below the lowest cited one."""
    scores = [hits[n - 1].score for n in cited if 1 <= n <= len(hits)]
    if not scores:
        return ()
    floor = min(scores) - gap
    return tuple(n for n, hit in enumerate(hits, 1) if n not in cited and hit.score < floor)


def _sources_text(hits: Sequence[Hit]) -> str:
    return " ".join(f"{h.title} {h.passage.text}" for h in hits)


def _evidence_text(evidence: Sequence[Evidence]) -> str:
    """The passages (with titles) the evidence sentences come from: what coverage is checked against."""
    hits = {id(e.hit): e.hit for e in evidence if e.hit is not None}
    return " ".join(f"{h.title} {h.passage.text}" for h in hits.values()) or " ".join(e.text for e in evidence)


def _quoted(context: AnswerContext) -> Answer:
    """The extractive answer: the span, cited, then the sentence it came from, quoted and introduced
    in the asker's language when the source is in another ("Christian Hadinata [1] — from the
    Indonesian: “…”"); without a span, the evidence sentences (quoted the same way when foreign)."""
    asker = language(context.lang)
    if context.span is not None:
        e = context.span.evidence
        sentences, spans = [AnswerSentence(e.text, (e.source,))], {e.source: (e.start, e.end)}
        quote = f"{_introduction(asker, e.hit)}“{e.text}”"
        return context.answer(sentences, spans, text=f"{context.lead()} [{e.source}] — {quote}")
    sentences, spans = _extractive(context.evidence)
    source = sentences[0].citations[0]
    hit = context.hits[source - 1]
    if not _foreign(hit, context.lang):
        return context.answer(sentences, spans)
    quoted = " ".join(f"“{s.text}” {''.join(f'[{n}]' for n in s.citations)}" for s in sentences)
    intro = _introduction(asker, hit).removesuffix(" ")
    return context.answer(sentences, spans, text=f"{intro[:1].upper()}{intro[1:]} {quoted}")


def _introduction(asker: Language, hit: Hit | None) -> str:
    """"from the Indonesian: " for a source in another language than the asker's, else ""."""
    if hit is None or not _foreign(hit, asker.code) or hit.lang not in asker.names:
        return ""
    the = asker.quoting.format(language=asker.names[hit.lang or ""])
    return f"{the}: "


def _lead_sentence(context: AnswerContext) -> AnswerSentence | None:
    """The code-chosen span as the answer's first sentence, citing the sentence it was copied from."""
    lead = context.lead()
    if context.span is None or lead is None:
        return None
    return AnswerSentence(f"{lead}.", (context.span.evidence.source,))


def _led(context: AnswerContext, spans: dict[int, tuple[int, int]]) -> dict[int, tuple[int, int]]:
    """``spans`` with the span's sentence highlighted in its source when no checked sentence cites it."""
    if context.span is not None:
        e = context.span.evidence
        spans.setdefault(e.source, (e.start, e.end))
    return spans


def _render(sentences: Sequence[AnswerSentence]) -> str:
    def cite(s: AnswerSentence) -> str:
        marks = "".join(f"[{n}]" for n in s.citations)
        return f"{s.text} {marks}" if marks else s.text

    return " ".join(cite(s) for s in sentences)


def _sources(hits: Sequence[Hit], spans: dict[int, tuple[int, int]]) -> tuple[Source, ...]:
    return tuple(Source(n, hit, *spans.get(n, (None, None))) for n, hit in enumerate(hits, 1))
