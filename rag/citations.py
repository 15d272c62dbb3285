"""Citations: parse ``[n]`` markers, check each sentence against the passages it cites, repair.

A citation is kept only when the cited source supports the sentence: the sentence is close in
meaning to one of the source's sentences (multilingual embeddings, so an English sentence can be
checked against an Indonesian source), every number in the sentence occurs in the source, a place it names ("in Cairo") is not
contradicted by a source sentence about another place (rag/places.py), and —
where a local model is available and the similarity alone is inconclusive — the model answers
YES to "does the source state this?". An unsupported citation is moved to a retrieved passage
that does support the sentence, or the sentence is marked unsupported.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rag.chunking import split_sentences
from rag.embedding import Embedder
from rag.evidence import SentenceBank, numbers
from rag.places import elsewhere, sentence_places
from rag.types import AnswerSentence

_MARKERS = re.compile(r"\s*\[(\d+(?:\s*[,;]\s*\d+)*)\]")
_LEADING_MARKERS = re.compile(r"^(?:\s*\[\d+(?:\s*[,;]\s*\d+)*\])+")

Judge = Callable[[str, str], float]
"""``judge(evidence, claim)`` → probability that the evidence states the claim."""


def split_cited(text: str) -> list[tuple[str, tuple[int, ...]]]:
    """The sentences of ``text`` with the citation numbers each carries, markers removed.

    A marker written after the full stop (``... a mistake. [1] He ...``) belongs to the sentence before it.
    """
    pieces: list[tuple[str, list[int]]] = []
    for span in split_sentences(text):
        sentence = text[span.start : span.end]
        if (lead := _LEADING_MARKERS.match(sentence)) and pieces:
            pieces[-1][1].extend(_numbers_in(lead.group()))
            sentence = sentence[lead.end() :]
        cited = _numbers_in(sentence)
        clean = re.sub(r"\s+([.,;:!?])", r"\1", _MARKERS.sub("", sentence)).strip()
        if clean:
            pieces.append((clean, cited))
        elif pieces:
            pieces[-1][1].extend(cited)
    return [(s, tuple(dict.fromkeys(c))) for s, c in pieces]


def _numbers_in(text: str) -> list[int]:
    return [int(n) for group in _MARKERS.findall(text) for n in re.split(r"[,;]", group)]


@dataclass(frozen=True)
class SupportSettings:
    accept: float = 0.86
    """Similarity at or above which a source sentence supports a claim without asking a judge."""
    reject: float = 0.80
    """Similarity below which it does not; in between, a judge decides (or ``accept`` applies)."""


@dataclass(frozen=True)
class Support:
    source: int
    score: float
    start: int  # the supporting sentence, offsets into the article text
    end: int
    supported: bool


class SupportChecker:
    """Scores how well each retrieved passage supports a sentence."""

    def __init__(self, embedder: Embedder, judge: Judge | None = None, settings: SupportSettings | None = None) -> None:
        self.embedder = embedder
        self.judge = judge
        self.settings = settings or SupportSettings()

    def supports(self, claim: str, bank: SentenceBank) -> list[Support]:
        """For each source (number = position in ``bank.hits`` + 1), its best sentence for ``claim``."""
        if not bank.sentences:
            return []
        scores = bank.similarity(self.embedder.embed_query(claim))
        claim_numbers = numbers(claim)
        claim_places = sentence_places(claim)  # "… met Netanyahu in Cairo." is not what "menuju Israel … bertemu Netanyahu" says
        best: dict[int, int] = {}
        for i, sentence in enumerate(bank.sentences):
            if sentence.source not in best or scores[i] > scores[best[sentence.source]]:
                best[sentence.source] = i
        out = []
        for number, i in sorted(best.items()):
            sentence, score = bank.sentences[i], float(scores[i])
            passage = bank.hits[number - 1].passage.text
            ok = claim_numbers <= numbers(passage) and not elsewhere(sentence.text, claim_places) and self._decide(score, sentence.text, claim)
            out.append(Support(number, score, sentence.start, sentence.end, ok))
        return out

    def _decide(self, score: float, evidence: str, claim: str) -> bool:
        if score >= self.settings.accept:
            return True
        if score < self.settings.reject:
            return False
        return self.judge(evidence, claim) >= 0.5 if self.judge else False


def check_citations(
    cited: Sequence[tuple[str, tuple[int, ...]]], bank: SentenceBank, checker: SupportChecker
) -> tuple[list[AnswerSentence], dict[int, tuple[int, int]]]:
    """Verify and repair the citations of each sentence.

    Returns the checked sentences and, per cited source, the span of its supporting sentence.
    """
    checked: list[AnswerSentence] = []
    spans: dict[int, tuple[int, int]] = {}
    sources = len(bank.hits)
    for text, numbers_cited in cited:
        notes = [f"citation [{n}] removed: there is no source {n}" for n in numbers_cited if not 1 <= n <= sources]
        valid = [n for n in numbers_cited if 1 <= n <= sources]
        supports = {s.source: s for s in checker.supports(text, bank)}
        kept = [n for n in valid if supports.get(n) and supports[n].supported]
        if not kept:
            better = sorted((s for s in supports.values() if s.supported), key=lambda s: -s.score)
            if better:
                kept = [better[0].source]
                if valid:
                    notes.append(f"citation repaired: [{', '.join(map(str, valid))}] → [{kept[0]}]")
        for n in kept:
            spans.setdefault(n, (supports[n].start, supports[n].end))
        checked.append(AnswerSentence(text, tuple(kept or valid), supported=bool(kept), notes=tuple(notes)))
    return checked, spans
