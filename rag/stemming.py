"""Indonesian stemming for keyword search: "pembangunan", "dibangun" and "membangun" all become "bangun".

BM25 over the plain tokenizer matches only identical word forms, and Indonesian builds most
content words from a root with prefixes and suffixes (me-, di-, pe-, ber-, -kan, -an, -i, -nya),
so a question and the passage that answers it often share the root but not the form. Sastrawi
(Nazief-Adriani with a root dictionary) strips an affix only when what remains is a known root, so
names, numbers and foreign words pass through unchanged.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

STEMMED_LANGUAGES = frozenset({"id"})
"""Passages in these languages also go into the stemmed full-text table (``rag.stemmed_fts``)."""

_WORD = re.compile(r"\w+")


@cache
def _stemmer():  # noqa: ANN202 - Sastrawi has no types
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    return StemmerFactory().create_stemmer()


@lru_cache(maxsize=200_000)
def stem_word(word: str) -> str:
    """The root of one lower-case word; words with digits or letters outside a-z are kept as they are
    (Sastrawi would drop those letters)."""
    if not (word.isascii() and word.isalpha()):
        return word
    return _stemmer().stem(word) or word


def stem_text(text: str) -> str:
    """``text`` as lower-case roots separated by spaces (the form the stemmed table indexes)."""
    return " ".join(stem_word(w) for w in _WORD.findall(text.lower()))
