"""Evidence: the few sentences of the retrieved passages that answer the question.

Code, not the model, chooses them (the bundled 1.5B model cites a wrong passage as often as the
right one), so every answer rests on sentences we can point at. The same scores decide when the
sources do not contain an answer at all.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from rag.chunking import Span, split_sentences
from rag.embedding import Embedder
from rag.languages import injection_pattern
from rag.types import Hit

if TYPE_CHECKING:
    import numpy as np


@dataclass(frozen=True)
class Evidence:
    """A sentence of source ``source`` (1-based), with offsets into its article's text."""

    source: int
    start: int
    end: int
    text: str
    score: float
    hit: Hit | None = None
    """The passage it is a sentence of (``bank.hits[source - 1]``)."""


# Sentences that address an AI rather than report news: article text is data, never instructions.
_INSTRUCTION = injection_pattern()


def looks_like_instruction(sentence: str) -> bool:
    """True for text that tries to instruct a model (prompt injection inside an article)."""
    return bool(_INSTRUCTION.search(sentence))


_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_NAME = re.compile(r"(?<![\w])[A-Z][\w\-]*[A-Za-z]")


def numbers(text: str) -> set[str]:
    """Numbers as digit strings ("1.000" and "1,000" both become "1000")."""
    return {re.sub(r"[.,]", "", n) for n in _NUMBER.findall(text)}


def key_terms(text: str) -> set[str]:
    """Names and numbers: the words that stay the same across languages and must match."""
    return {n.lower() for n in _NAME.findall(text)} | numbers(text)


def _overlap(question_terms: set[str], sentence: str) -> float:
    if not question_terms:
        return 0.0
    found = key_terms(sentence) | set(re.findall(r"\w+", sentence.lower()))
    return len(question_terms & found) / len(question_terms)


def content_roots(text: str) -> set[str]:
    """The roots of ``text``'s plain words (no stopwords, no names): what a translated question
    shares with the sentences that answer it."""
    from rag.languages import all_stopwords
    from rag.stemming import stem_word

    stop = all_stopwords()
    return {stem_word(w) for w in re.findall(r"\b[a-z]{3,}\b", text) if w not in stop} - stop


def _root_overlap(roots: set[str], sentence: str, fewest: int) -> float:
    """The share of ``roots`` in ``sentence``, counted as if there were at least ``fewest``."""
    return len(roots & content_roots(sentence.lower())) / max(len(roots), fewest) if roots else 0.0


def _opens_quote(text: str) -> bool:
    return text.count('"') % 2 == 1 or text.count("“") > text.count("”")


def statements(text: str, max_sentences: int = 3) -> list[Span]:
    """Sentence spans, except that a quotation running over several sentences is one span.

    A quote split at its full stops loses its attribution ("... a mistake, something we do not
    support. And ...," Blinken said in Cairo.): as one unit it can be found by who said it.
    """
    spans = split_sentences(text)
    merged: list[Span] = []
    i = 0
    while i < len(spans):
        j = i
        while j + 1 < len(spans) and j - i + 1 < max_sentences and _opens_quote(text[spans[i].start : spans[j].end]):
            j += 1
        merged.append(Span(spans[i].start, spans[j].end, sum(s.words for s in spans[i : j + 1])))
        i = j + 1
    return merged


@dataclass(frozen=True)
class EvidenceSettings:
    max_sentences: int = 3
    """At most this many sentences go to the answer, all from the best sentence's passage: a
    second passage's near-tie was a wrong citation more often than a useful one (dev sets)."""
    min_score: float = 0.88
    """Below this best similarity the sources are taken not to contain the answer (refusal).
    Calibrated on IDK-MRC: 32% of unanswerable questions refused, 93% of answerable answered."""
    min_score_cross_lingual: float = 0.76
    """The same for a question in another language than the passages: e5 scores such pairs about
    0.07 lower (median best sentence 0.84 on the English-question sets against 0.93). Since
    coverage refuses questions about names and numbers the sources do not write (rag/coverage.py),
    this floor refused only answerable questions on the calibration half of benchmarks/unanswerable_news:
    0.76 is the highest floor that answers as many of them as no floor (0.967; refusal 0.936 at
    every floor from 0.80 down to 0.70). Held out: answered 0.860 → 0.900, refusal 0.941 → 0.931
    (0.80 → 0.76); dev news answered 0.910 → 0.933, citation precision 0.749 → 0.741."""
    min_score_translated: float = 0.82
    """The same for the average of the question's and its translation's similarity."""
    margin: float = 0.05
    """Further sentences (of the same passage, so they cannot add a wrong citation) are kept when
    they score within this of the best one."""
    span_margin: float = 0.08
    """The answer span is looked for in the sentences within this of the best one, of any passage;
    the sentence it is found in then leads the evidence (``rag.answer_span.find_span``)."""
    overlap_weight: float = 0.05
    """How much shared names and numbers add to the embedding similarity."""
    translation_overlap_weight: float = 0.2
    """How much the share of the question translation's content words (as roots: "menyamai",
    "disamakan" → "sama") found in a sentence adds: an English question shares no plain word with
    an Indonesian sentence, and e5 scores its near-ties within 0.01 of each other. On the dev news
    set (extractive, translated questions) 0.2 took answer accuracy from 0.613 to 0.657 (even and
    odd halves alike; 0.1: 0.640, 0.3: 0.633, 0.5: 0.603)."""
    translation_overlap_fewest: int = 3
    """The share counts at least this many roots: a translation with one or two plain words ("Dimana
    stadium Bakhsi berada?" → stadium) gave the whole bonus to any sentence with that word, and so
    brought "… di City Stadium, Penang …" near the sentence naming Bakhsi, where its "City" became
    the answer span. Dev news, extractive with translations (300): 3 → accuracy 0.710, 2 → 0.703,
    4 → 0.707, 1 (the share itself) → 0.707."""
    cross_lingual_gap: float = 0.07
    """How much lower e5 scores a sentence in another language than the question (the median best
    sentence above): added to such sentences when the passages are in both languages, so that an
    Indonesian article retrieved first does not win on its language alone over the English report
    that answers ("Berapa orang tewas … di Mekah?" over the demo corpus)."""
    passage_weight: float = 0.02
    """How much the passage's retrieval score (fused z-scores) adds, so that among near-equal
    sentences the one in the better-ranked passage wins."""
    slot_weight: float = 0.03
    """How much a sentence that holds a phrase of the asked-for kind (a date for "when", an amount
    for "how many", beside the question's own terms: ``rag.answer_span.slot_fit``) adds: the
    best-scoring sentence without one was the commonest wrong answer on the dev news set, while
    the one that answers was second to fifth."""


class SentenceVectors:
    """Embeddings of passage sentences, remembered across questions.

    Follow-up questions and evaluation runs retrieve the same passages again and again; embedding
    their sentences once instead of per question is most of the answer step's time.
    """

    def __init__(self, embedder: Embedder, max_entries: int = 50_000) -> None:
        self.embedder = embedder
        self.max_entries = max_entries
        self._vectors: OrderedDict[str, np.ndarray] = OrderedDict()  # keyed by the sentence itself

    def get(self, texts: Sequence[str]) -> np.ndarray:
        import numpy as np

        missing = list(dict.fromkeys(t for t in texts if t not in self._vectors))
        if missing:
            self._vectors.update(zip(missing, self.embedder.embed_passages(missing)))
        for text in texts:
            self._vectors.move_to_end(text)
        while len(self._vectors) > self.max_entries:
            self._vectors.popitem(last=False)
        return np.stack([self._vectors[t] for t in texts]) if texts else np.empty((0, self.embedder.dim), np.float32)

    def clear(self) -> None:
        """Forget every remembered sentence (benchmarks time each question as a new one)."""
        self._vectors.clear()


@dataclass(frozen=True)
class SentenceBank:
    """Every sentence of the retrieved passages, embedded once per question.

    Evidence selection and the citation check both score against it. Sentences that try to
    instruct a model are left out, so they can neither be chosen nor support a claim.
    """

    hits: Sequence[Hit]
    sentences: list[Evidence]  # score 0.0 here; filled in by select_evidence
    vectors: np.ndarray

    @classmethod
    def build(cls, hits: Sequence[Hit], vectors: SentenceVectors) -> SentenceBank:
        sentences = []
        seen = set()  # overlapping passages of one article repeat a sentence; keep its best-ranked copy
        for number, hit in enumerate(hits, 1):
            base = hit.passage.start
            for span in statements(hit.passage.text):
                key = (hit.passage.article_id, base + span.start)
                text = hit.passage.text[span.start : span.end]
                if key not in seen and not looks_like_instruction(text):
                    seen.add(key)
                    sentences.append(Evidence(number, base + span.start, base + span.end, text, 0.0, hit))
        return cls(hits, sentences, vectors.get([e.text for e in sentences]))

    def similarity(self, query_vector: np.ndarray) -> np.ndarray:
        return self.vectors @ query_vector


def rank_sentences(
    question: str,
    bank: SentenceBank,
    embedder: Embedder,
    settings: EvidenceSettings | None = None,
    *,
    cross_lingual: bool = False,
    lang: str | None = None,
    translation: str | None = None,
    query_vector: np.ndarray | None = None,
    fits: Callable[[str], bool] | None = None,
    elsewhere: Callable[[str], bool] | None = None,
) -> list[Evidence]:
    """Every sentence of ``bank`` scored for ``question``, best first, or [] when none is good enough.

    Score = embedding similarity to the question, plus a small bonus for the question's names and
    numbers found in the sentence and for the passage's retrieval rank. A ``translation`` of the
    question into the passages' language is scored too (the average of both similarities): on the
    English-question dev sets it raised answer accuracy from 0.62 to 0.69 (SQuAD) and 0.64 to 0.69
    (news). ``fits`` tells the sentences that hold what the question asks for (see
    ``EvidenceSettings.slot_weight``). A sentence ``elsewhere`` tells about another place than the
    question asks about ("menuju Israel" for "… in Cairo?", ``rag.places.elsewhere``) is never evidence.
    ``cross_lingual``: the question is in another language than the passages; with ``lang`` (the
    question's), each sentence of a passage in a known language is held to the floor of its own
    pair, so that the English report of a crane collapse answers "Berapa orang tewas … di Mekah?"
    though an Indonesian article was retrieved first.
    """
    import numpy as np

    settings = settings or EvidenceSettings()
    if not bank.sentences:
        return []
    similarity = bank.similarity(embedder.embed_query(question) if query_vector is None else query_vector)
    foreign = [cross_lingual if lang is None or e.hit is None or not e.hit.lang else e.hit.lang != lang for e in bank.sentences]
    floors = np.where(foreign, settings.min_score_cross_lingual, settings.min_score)
    if translation:  # same-language similarity is sharper
        similarity = (similarity + bank.similarity(embedder.embed_query(translation))) / 2
        floors[:] = settings.min_score_translated
    terms = key_terms(question)
    relevance = similarity + settings.overlap_weight * np.array([_overlap(terms, e.text) for e in bank.sentences], dtype=np.float32)
    if translation and settings.translation_overlap_weight:
        roots = content_roots(translation)
        shares = [_root_overlap(roots, e.text, settings.translation_overlap_fewest) for e in bank.sentences]
        relevance += settings.translation_overlap_weight * np.array(shares, dtype=np.float32)
    if elsewhere is not None:
        relevance[[elsewhere(e.text) for e in bank.sentences]] = -np.inf
    if not (relevance >= floors).any():  # the floors were calibrated on this score
        return []
    if any(foreign) and not all(foreign):
        relevance += settings.cross_lingual_gap * np.array(foreign, dtype=np.float32)
    retrieval = np.array([e.hit.score if e.hit else 0.0 for e in bank.sentences], dtype=np.float32)
    scores = relevance + settings.passage_weight * retrieval
    if fits is not None:  # only sentences near the best can win by it: the bonus is small
        near = float(scores.max()) - settings.slot_weight
        scores = scores + settings.slot_weight * np.array([s >= near and fits(e.text) for s, e in zip(scores, bank.sentences)], dtype=np.float32)
    order = np.argsort(-scores, kind="stable")
    return [replace(bank.sentences[i], score=float(scores[i])) for i in order if np.isfinite(scores[i])]


def select_evidence(ranked: Sequence[Evidence], settings: EvidenceSettings | None = None, *, lead: Evidence | None = None) -> list[Evidence]:
    """The evidence of ``ranked`` (``rank_sentences``): the best sentence (or ``lead``, the one the
    answer span was found in) and the sentences of its passage within the margin of it."""
    settings = settings or EvidenceSettings()
    if not ranked:
        return []
    first = lead or ranked[0]
    chosen = [first]
    for e in ranked:
        if len(chosen) == settings.max_sentences or e.score < first.score - settings.margin:
            break
        if e.source == first.source and e != first:
            chosen.append(e)
    return chosen


def near_best(ranked: Sequence[Evidence], margin: float) -> list[Evidence]:
    """The sentences scoring within ``margin`` of the best: where the answer span is looked for."""
    return [e for e in ranked if e.score >= ranked[0].score - margin] if ranked else []
