"""The question-answering pipeline shared by the CLI, the TUI and the evaluation.

question ─(condense with history)→ standalone question ─retrieve→ hits ─select→ evidence sentences
  ─(LLM phrases an answer from them | extractive: the sentences themselves)→ cite & verify → Answer

Code chooses the evidence and the citations; a model, when there is one, only phrases the answer
in the asker's language. An answer whose sentences the checks cannot support falls back to the
cited evidence sentences.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from rag.citations import Judge, SupportChecker, SupportSettings, check_citations, split_cited
from rag.evidence import Evidence, EvidenceSettings, SentenceBank, SentenceVectors, select_evidence
from rag.language import detect_language
from rag.prompting import cannot_answer, format_sources, is_refusal, language_name, load_prompt
from rag.retrieval import Retriever
from rag.types import Answer, AnswerSentence, Filters, Hit, Source

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
    k: int = 5
    """Passages used as numbered sources."""
    evidence: EvidenceSettings = field(default_factory=EvidenceSettings)
    support: SupportSettings = field(default_factory=SupportSettings)


class ChatPipeline:
    """Answers questions over one index. ``llm=None`` is the extractive backend (no model)."""

    def __init__(
        self,
        retriever: Retriever,
        llm: BaseChatModel | None = None,
        *,
        backend: str | None = None,
        judge: Judge | None = None,
        settings: AnswerSettings | None = None,
    ) -> None:
        self.retriever = retriever
        self.llm = llm
        self.backend = backend or ("extractive" if llm is None else "llm")
        self.settings = settings or AnswerSettings()
        self.checker = SupportChecker(retriever.index.embedder, judge, self.settings.support)
        self.sentence_vectors = SentenceVectors(retriever.index.embedder)
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
        k = self.settings.k
        retrieved = self.retriever.retrieve(standalone, k=max(k, retrieve_k or k), filters=filters)
        hits = retrieved[:k]
        timings = {"retrieval_s": time.perf_counter() - started}
        yield Retrieved(question, standalone, tuple(retrieved))

        lang = detect_language(question) or "en"
        bank = SentenceBank.build(hits, self.sentence_vectors)
        cross_lingual = bool(hits) and _foreign(hits[0], lang)
        evidence = select_evidence(standalone, bank, self.retriever.index.embedder, self.settings.evidence, cross_lingual=cross_lingual,
                                   translation=self.retriever.translation(standalone))
        base = dict(question=question, standalone_question=standalone, backend=self.backend, retrieved=tuple(retrieved))

        if not evidence:
            text = cannot_answer(lang)
            yield Token(text)
            answer = Answer(text=text, sentences=(), sources=_sources(hits, {}), refused=True, timings=timings, **base)
        elif self.llm is None:
            sentences, spans = _extractive(evidence)
            text = _render(sentences)
            yield Token(text)
            answer = Answer(text=text, sentences=tuple(sentences), sources=_sources(hits, spans), refused=False, timings=timings, **base)
        else:
            answer = yield from self._generate(question, standalone, lang, hits, bank, evidence, timings, base, started)
        timings["total_s"] = time.perf_counter() - started
        if conversation is not None:
            conversation.turns.append(answer)
        yield Completed(answer)

    def _generate(self, question, standalone, lang, hits, bank, evidence, timings, base, started):  # noqa: ANN001, ANN202
        from rag.llm.streaming import stream_text

        messages = load_prompt("answer").render(
            language=language_name(lang),
            sources=format_sources(evidence, hits),
            question=standalone,
            cannot_answer=cannot_answer(lang),
        )
        pieces = []
        for piece in stream_text(self.llm, messages):
            if not pieces:
                timings["first_token_s"] = time.perf_counter() - started
            pieces.append(piece)
            yield Token(piece)
        text = "".join(pieces).strip()
        checked: list[AnswerSentence] = []
        if not is_refusal(text):  # code found evidence, so a refusal only means the model could not phrase it
            foreign = {w for e in evidence if _foreign(hits[e.source - 1], lang) for w in _plain_words(e.text)}
            cited = [(self._in_language(sentence, lang, foreign), numbers) for sentence, numbers in split_cited(text)]
            checked, spans = check_citations(cited, bank, self.checker)
        if not any(s.supported for s in checked):
            sentences, spans = _extractive(evidence)
            sentences = [replace(s, text=self._translate(s.text, lang)) if _foreign(hits[s.citations[0] - 1], lang) else s for s in sentences]
            return Answer(text=_render(sentences), sentences=tuple(sentences), sources=_sources(hits, spans), refused=False,
                          fallback=True, timings=timings, **base)  # fmt: skip
        return Answer(text=_render(checked), sentences=tuple(checked), sources=_sources(hits, spans), refused=False, timings=timings, **base)

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
        from rag.translation import LLMTranslator

        if self._translator is None:
            model_id = str(getattr(self.llm, "model_path", None) or getattr(self.llm, "model_name", None) or self.backend)
            self._translator = LLMTranslator(self.llm, model_id)
        return self._translator.translate(text, lang) or text

    def condense(self, question: str, conversation: Conversation | None) -> str:
        """A follow-up rewritten to stand on its own (by the LLM, or by joining it to the previous question)."""
        if conversation is None or not conversation.turns:
            return question
        if self.llm is None:
            return f"{conversation.turns[-1].standalone_question} {question}"
        from rag.llm.streaming import complete_text

        messages = load_prompt("condense").render(history=conversation.history(), question=question)
        rewritten = complete_text(self.llm, messages).strip().splitlines()
        return rewritten[0].strip() if rewritten and rewritten[0].strip() else question


COPIED_WORDS = 2
"""An answer sentence with this many ordinary words of a foreign-language source was not translated."""


def _foreign(hit: Hit, lang: str) -> bool:
    """The passage is known to be in another language than the asker's."""
    return hit.lang not in (None, "", lang)


def _plain_words(text: str) -> set[str]:
    """Lower-case words of four letters or more: not names, not numbers, not short function words."""
    return {w for w in re.findall(r"(?<![\w-])[a-z]{4,}(?![\w-])", text)}


def _extractive(evidence: Sequence[Evidence]) -> tuple[list[AnswerSentence], dict[int, tuple[int, int]]]:
    """The evidence sentences themselves, each citing its source, in the order they appear."""
    ordered = sorted(evidence, key=lambda e: (e.source, e.start))
    spans: dict[int, tuple[int, int]] = {}
    for e in ordered:
        spans.setdefault(e.source, (e.start, e.end))
    return [AnswerSentence(e.text, (e.source,)) for e in ordered], spans


def _render(sentences: Sequence[AnswerSentence]) -> str:
    def cite(s: AnswerSentence) -> str:
        marks = "".join(f"[{n}]" for n in s.citations)
        return f"{s.text} {marks}" if marks else s.text

    return " ".join(cite(s) for s in sentences)


def _sources(hits: Sequence[Hit], spans: dict[int, tuple[int, int]]) -> tuple[Source, ...]:
    return tuple(Source(n, hit, *spans.get(n, (None, None))) for n, hit in enumerate(hits, 1))
