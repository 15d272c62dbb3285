"""What one answer is made from (``AnswerContext``, built forward by ``ChatPipeline``) and how the
Answer is composed from it by code: the extractive answer, the span as a lead sentence, the numbered
sources and the ones only "also retrieved"."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from rag.answer_span import Span
from rag.span_render import render_span
from rag.citations import SupportSettings
from rag.coverage import Coverage, CoverageSettings, names_any, question_entities
from rag.evidence import Evidence, EvidenceSettings, SentenceBank
from rag.languages import PLAIN_WORD, Language, language
from rag.retrieval import Retrieval
from rag.types import DEFAULT_K, Answer, AnswerSentence, Hit, Source, Timings, supporting_citations


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
    also_retrieved_off_topic: bool = True
    """So is an uncited source naming none of the names the question does ("Who did Blinken meet
    in Cairo?": a Wikinews story about neither, within the gap of the cited Gatra passage)."""
    require_span: bool = False
    """A question that asks for a who/when/where/how many/which is refused when no evidence sentence has one."""
    as_of: str | None = None
    """The date (YYYY-MM-DD) that "last week", "yesterday", "kemarin" in a question count from; None: today."""
    translation_budget_s: float | None = 5.0
    """Seconds from the question after which an answer starts no translation it can do without: a
    failed translation is not retried (sampled alternatives, clause by clause) and a fallback
    evidence sentence is quoted rather than translated; a sentence the model left in another
    language is still translated once. None: no limit. On the news dev questions retries rescued
    about one failed translation in ten, at 2-4 s each (benchmarks/bench_answer_latency.py)."""


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
    settings: AnswerSettings = field(default_factory=AnswerSettings)

    def lead(self) -> str | None:
        """The span as the asker reads it (numbers and months in their notation)."""
        if self.span is None:
            return None
        return render_span(self.span, language(self.lang), self.span.evidence.hit.lang if self.span.evidence.hit else None)

    def answer(self, sentences: Sequence[AnswerSentence], spans: dict[int, tuple[int, int]], *, refused: bool = False,
               fallback: bool = False, text: str | None = None, lead: AnswerSentence | None = None) -> Answer:  # fmt: skip
        """The Answer; a ``lead`` (the span sentence) is its first sentence, before the checked ones,
        so everything that shows or cites the answer's sentences (the TUI, ``rag ask --json``, the
        LangChain retriever's citations) has it."""
        if not refused:  # a figure that changed between reports: the newest, then the older ones with their dates
            from rag.news.figures import reconcile

            reconciled, spans = reconcile(sentences, spans, self.bank.sentences, self.lang)
            if reconciled != list(sentences):
                sentences, text = reconciled, None
        if lead is not None:
            sentences = [lead, *sentences]
        # what "far below" is measured from: a source an unsupported sentence cited does not lower the bar
        cited = supporting_citations(sentences)
        if text is None:
            text = render_cited(sentences)
        return stamped(Answer(
            question=self.question, standalone_question=self.standalone_question, text=text,
            sentences=tuple(sentences), sources=_sources(self.hits, spans), refused=refused, backend=self.backend,
            retrieved=self.retrieval.hits, fallback=fallback, timings=self.timings.as_dict(), span=self.lead(),
            also_retrieved=_set_aside(self.hits, cited, self.settings, self.standalone_question),
        ), self.lang)  # fmt: skip


def stamped(answer: Answer, lang: str) -> Answer:
    """``answer`` stamped with the date of its newest supporting source ("As of 21 March 2024: …" in
    the asker's language); a refusal, an undated or an already stamped answer as it is."""
    from rag.news.timeframe import format_date, time_words

    dates = [s.hit.date[:10] for s in answer.supporting_sources() if s.hit.date]
    if answer.refused or answer.stamp or not dates:
        return answer
    newest = max(dates)
    try:
        stamp = time_words(lang)["as_of"].format(date=format_date(date.fromisoformat(newest), lang))
    except ValueError:
        return answer
    return replace(answer, as_of=newest, stamp=stamp, text=f"{stamp}: {answer.text.lstrip()}")  # a colon: the answer may start with a name or not


def is_foreign(hit: Hit, lang: str) -> bool:
    """The passage is known to be in another language than the asker's."""
    return hit.lang not in (None, "", lang)


def plain_words(text: str) -> set[str]:
    """Lower-case words of four letters or more: not names, not numbers, not short function words."""
    return set(re.findall(PLAIN_WORD, text))


def in_order(evidence: Sequence[Evidence]) -> list[Evidence]:
    return sorted(evidence, key=lambda e: (e.source, e.start))


def extractive_sentences(evidence: Sequence[Evidence]) -> tuple[list[AnswerSentence], dict[int, tuple[int, int]]]:
    """The evidence sentences themselves, each citing its source, in the order they appear."""
    ordered = in_order(evidence)
    spans: dict[int, tuple[int, int]] = {}
    for e in ordered:
        spans.setdefault(e.source, (e.start, e.end))
    return [AnswerSentence(e.text, (e.source,)) for e in ordered], spans


def _set_aside(hits: Sequence[Hit], cited: set[int], settings: AnswerSettings, question: str) -> tuple[int, ...]:
    """The uncited sources that are only "also retrieved" (``AnswerSettings.also_retrieved_gap``, ``…_off_topic``)."""
    scores = [hits[n - 1].score for n in cited if 1 <= n <= len(hits)]
    if not scores:
        return ()
    floor = min(scores) - settings.also_retrieved_gap
    names = question_entities(question) if settings.also_retrieved_off_topic else []

    def off_topic(hit: Hit) -> bool:
        return bool(names) and not names_any(f"{hit.title} {hit.passage.text}", names)

    return tuple(n for n, hit in enumerate(hits, 1) if n not in cited and (hit.score < floor or off_topic(hit)))


def sources_text(hits: Sequence[Hit]) -> str:
    return " ".join(f"{h.title} {h.passage.text}" for h in hits)


def evidence_text(evidence: Sequence[Evidence]) -> str:
    """The passages (with titles) the evidence sentences come from: what coverage is checked against."""
    hits = {id(e.hit): e.hit for e in evidence if e.hit is not None}
    return " ".join(f"{h.title} {h.passage.text}" for h in hits.values()) or " ".join(e.text for e in evidence)


def quoted_answer(context: AnswerContext) -> Answer:
    """The extractive answer: the span, cited, then the sentence it came from, quoted and introduced
    in the asker's language when the source is in another ("Christian Hadinata [1] — from the
    Indonesian: “…”"), then the other evidence sentences of its passage as context (a wrong span
    then still shows the sentence that answers: TyDi 0.557 → 0.587, dev news 0.637 → 0.650);
    without a span, the evidence sentences (quoted the same way when foreign)."""
    asker = language(context.lang)
    if context.span is not None:
        e = context.span.evidence
        sentences, spans = [AnswerSentence(e.text, (e.source,))], {e.source: (e.start, e.end)}
        quote = f"{introduction(asker, e.hit)}“{e.text}”"
        if rest := [x for x in in_order(context.evidence) if x != e]:
            sentences += [AnswerSentence(x.text, (x.source,)) for x in rest]
            quote += " " + " ".join(f"“{x.text}” [{x.source}]" for x in rest)
        return context.answer(sentences, spans, text=f"{context.lead()} [{e.source}] — {quote}")
    sentences, spans = extractive_sentences(context.evidence)
    source = sentences[0].citations[0]
    hit = context.hits[source - 1]
    if not is_foreign(hit, context.lang):
        return context.answer(sentences, spans)
    quoted = " ".join(f"“{s.text}” {''.join(f'[{n}]' for n in s.citations)}" for s in sentences)
    intro = introduction(asker, hit).removesuffix(" ")
    return context.answer(sentences, spans, text=f"{intro[:1].upper()}{intro[1:]} {quoted}")


def introduction(asker: Language, hit: Hit | None) -> str:
    """"from the Indonesian: " for a source in another language than the asker's, else ""."""
    if hit is None or not is_foreign(hit, asker.code) or hit.lang not in asker.names:
        return ""
    the = asker.quoting.format(language=asker.names[hit.lang or ""])
    return f"{the}: "


def lead_sentence(context: AnswerContext) -> AnswerSentence | None:
    """The code-chosen span as the answer's first sentence, citing the sentence it was copied from."""
    lead = context.lead()
    if context.span is None or lead is None:
        return None
    return AnswerSentence(f"{lead}.", (context.span.evidence.source,))


def with_lead_span(context: AnswerContext, spans: dict[int, tuple[int, int]]) -> dict[int, tuple[int, int]]:
    """``spans`` with the span's sentence highlighted in its source when no checked sentence cites it."""
    if context.span is not None:
        e = context.span.evidence
        spans.setdefault(e.source, (e.start, e.end))
    return spans


def render_cited(sentences: Sequence[AnswerSentence]) -> str:
    def cite(s: AnswerSentence) -> str:
        marks = "".join(f"[{n}]" for n in s.citations)
        return f"{s.text} {marks}" if marks else s.text

    return " ".join(cite(s) for s in sentences)


def _sources(hits: Sequence[Hit], spans: dict[int, tuple[int, int]]) -> tuple[Source, ...]:
    return tuple(Source(n, hit, *spans.get(n, (None, None))) for n, hit in enumerate(hits, 1))
