"""Citations: parse ``[n]`` markers, check each sentence against the passages it cites, repair.

A citation is kept only when the cited source supports the sentence: the sentence is close in
meaning to one of the source's sentences (multilingual embeddings, so an English sentence can be
checked against an Indonesian source), every number and name in the sentence occurs in the source,
a place it names ("in Cairo") is not contradicted by a source sentence about another place
(rag/places.py), and —
where a local model is available and the similarity alone is inconclusive — the model answers
YES to "does the source state this?". An unsupported citation is moved to a retrieved passage
that does support the sentence, or the sentence is marked unsupported.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rag.chunking import split_sentences
from rag.coverage import names_written, question_entities
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
class Candidate:
    """A source's best sentence for a claim, before anyone asked the judge."""

    source: int
    score: float
    start: int  # the supporting sentence, offsets into the article text
    end: int
    sentence: str
    plausible: bool
    """The claim's numbers are in the source and its places are not contradicted: the judge may be asked."""


class SupportChecker:
    """Scores how well each retrieved passage supports a sentence."""

    def __init__(self, embedder: Embedder, judge: Judge | None = None, settings: SupportSettings | None = None) -> None:
        self.embedder = embedder
        self.judge = judge
        self.settings = settings or SupportSettings()

    def candidates(self, claim: str, bank: SentenceBank) -> list[Candidate]:
        """For each source (number = position in ``bank.hits`` + 1), its best sentence for ``claim``."""
        if not bank.sentences:
            return []
        scores = bank.similarity(self.embedder.embed_query(claim))
        claim_numbers = numbers(claim)
        claim_places = sentence_places(claim)  # "… met Netanyahu in Cairo." is not what "menuju Israel … bertemu Netanyahu" says
        claim_names = question_entities(claim)
        best: dict[int, int] = {}
        for i, sentence in enumerate(bank.sentences):
            if sentence.source not in best or scores[i] > scores[best[sentence.source]]:
                best[sentence.source] = i
        out = []
        for number, i in sorted(best.items()):
            sentence, score = bank.sentences[i], float(scores[i])
            passage = bank.hits[number - 1].passage.text
            plausible = (claim_numbers <= numbers(passage) and not elsewhere(sentence.text, claim_places)
                         and names_written(claim_names, passage))  # fmt: skip
            out.append(Candidate(number, score, sentence.start, sentence.end, sentence.text, plausible))
        return out

    def supported(self, candidate: Candidate, claim: str) -> bool:
        """The candidate's sentence supports ``claim``: by similarity alone, or — in between
        ``reject`` and ``accept`` — by the judge (a model call: ask only where the verdict counts)."""
        if not candidate.plausible or candidate.score < self.settings.reject:
            return False
        if candidate.score >= self.settings.accept:
            return True
        return self.judge(candidate.sentence, claim) >= 0.5 if self.judge else False


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
        candidates = {c.source: c for c in checker.candidates(text, bank)}
        kept = [n for n in valid if n in candidates and checker.supported(candidates[n], text)]
        if not kept:  # the best-scoring other source that supports it: asked in that order, until one does
            others = sorted((c for n, c in candidates.items() if n not in valid), key=lambda c: -c.score)
            if better := next((c for c in others if checker.supported(c, text)), None):
                kept = [better.source]
                if valid:
                    notes.append(f"citation repaired: [{', '.join(map(str, valid))}] → [{kept[0]}]")
        for n in kept:
            spans.setdefault(n, (candidates[n].start, candidates[n].end))
        checked.append(AnswerSentence(text, tuple(kept or valid), supported=bool(kept), notes=tuple(notes)))
    return checked, spans
