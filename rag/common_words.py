"""Is a word an ordinary word of a language, or a name's own?

A name keeps its own words in every language ("Okonkwo", "Simanjuntak"), but its ordinary words
are translated ("Gulf of Mexico" is "Teluk Meksiko" in an Indonesian report). So only a name's
uncommon words say whether a source in another language mentions it (rag/coverage.py), and a
capitalised ordinary word opening a sentence is no name (rag/answer_kinds.py).

Indonesian: Sastrawi's root list (a dictionary; a word counts by its root too). The languages
pyspellchecker covers (English, Spanish, French, German, …): its word frequencies, counted in film
subtitles, where a word seen ``COMMON_COUNT`` times or more is common; first names seen that often
("Sarah", "Oliver") are common too, which errs towards treating a name as not distinctive.
"""

from __future__ import annotations

import functools
import gzip
import json
import re
from importlib.resources import files

COMMON_COUNT = 200
"""Subtitle count from which a word is common: "eradication" (427), "Venice" (359) are, "Goldberg"
(94), "Okonkwo" (0) are not. On the calibration half of benchmarks/unanswerable_news (rag/coverage.py's
``names_required``) 100 to 500 refuse alike; 500 also refused "Polio Eradication" and "Venice Film
Festival" questions the sources answer, 1000 answered 0.86 of the answerable ones."""

_SPELLCHECKER_LANGUAGES = frozenset({"ar", "de", "en", "es", "eu", "fa", "fr", "it", "lv", "nl", "pt", "ru"})
_BRITISH = ((re.compile(r"tre$"), "ter"), (re.compile(r"our$"), "or"), (re.compile(r"is(e|ed|es|ing|ation|ations)$"), r"iz\1"),
            (re.compile(r"yse$"), "yze"), (re.compile(r"mme$"), "m"))  # fmt: skip
"""Spellings the American-leaning English counts lack: "centre", "labour", "organisation", "programme"."""


def has_dictionary(lang: str | None) -> bool:
    """Whether words of ``lang`` can be told common or not."""
    return lang == "id" or lang in _SPELLCHECKER_LANGUAGES


def is_common(word: str, lang: str | None) -> bool:
    """``word`` is an ordinary word of ``lang``; in a language without a dictionary, every word is
    (nothing is claimed to be a name's own)."""
    if not has_dictionary(lang):
        return True
    w = word.lower()
    if lang == "id":
        from rag.stemming import stem_word

        return w in indonesian_roots() or stem_word(w) in indonesian_roots()
    counts = _counts(lang)
    if counts.get(w, 0) >= COMMON_COUNT:
        return True
    return lang == "en" and any(counts.get(pattern.sub(to, w), 0) >= COMMON_COUNT for pattern, to in _BRITISH if pattern.search(w))


@functools.cache
def indonesian_roots() -> frozenset[str]:
    text = files("Sastrawi.Stemmer").joinpath("data/kata-dasar.txt").read_text(encoding="utf-8")
    return frozenset(w.strip().lower() for w in text.split() if w.strip())


@functools.cache
def _counts(lang: str) -> dict[str, int]:
    with gzip.open(files("spellchecker").joinpath(f"resources/{lang}.json.gz").open("rb")) as f:
        return json.load(f)
