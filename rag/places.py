"""Where a question and a sentence say something happened: "Who did Blinken meet in Cairo?" is not
answered by "Blinken menuju Israel … untuk bertemu dengan … Netanyahu".

A question (or an answer's sentence) places what it asks about with a preposition before a name
("in Cairo", "di Kairo"). A sentence that places its own event somewhere ("menuju Israel", "di
Rafah") and names none of the asked places reports something that happened elsewhere: it is
neither evidence for the question nor support for a claim about the asked place. A sentence that
names no place says nothing against it (the article's dateline may well be the place).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence

from rag.coverage import names_any, question_entities
from rag.languages import LANGUAGES, all_months, all_stopwords, language

_LOCATIVES = frozenset({"in", "at", "near", "di", "ke", "menuju"})
"""Prepositions before the place where a sentence's event happens, in every language: "to" and
"dari"/"from" are left out, since they as often precede people and organisations ("said to
Blinken", "dari Hamas")."""
_NAME = re.compile(r"[A-Z][\w'’\-]*(?:\s+[A-Z][\w'’\-]*)*")
_COMMON = all_stopwords() | set(all_months()) | frozenset().union(*(lang.days for lang in LANGUAGES.values()))


def asked_places(question: str, lang: str | None) -> tuple[str, ...]:
    """The places ``question`` names after one of its language's place cues ("in Cairo", "di
    Kairo"), except in a clause about another event ("… report to KONI after the championships
    in Fukui?": the report was not in Fukui)."""
    entry = language(lang)
    cues, subordinators = set(entry.place_cues), set(entry.subordinators)
    out = []
    for entity in question_entities(question):
        before = [w.lower().strip(",;:") for w in question[: question.find(entity)].split()]
        if before and before[-1] in cues and not subordinators & set(before):
            out.append(entity)
    return tuple(out)


def sentence_places(sentence: str) -> list[str]:
    """The names a sentence places something at: after a locative ("di Kairo", "in Rafah",
    "menuju Israel"). Not its dateline ("Stockholm, Rabu - …"): that is where the report was
    filed, which can name the asked place but does not say the event was elsewhere."""
    found = []
    for m in re.finditer(rf"(?<![\w\-])(?i:{'|'.join(sorted(_LOCATIVES))})\s+(?:(?i:kota|city of)\s+)?({_NAME.pattern})", sentence):
        words = m.group(1).split()
        while words and words[-1].lower() in _COMMON:
            words.pop()
        if words and words[0].lower() not in _COMMON:
            found.append(" ".join(words))
    return found


def recognised(places: Sequence[str], texts: Iterable[str]) -> tuple[str, ...]:
    """Those of ``places`` known to be places: in the place lexicon, or written after a locative
    in one of ``texts`` (the retrieved passages: "di Kairo"). "in Chemistry" names no place."""
    written = [p for text in texts for p in sentence_places(text)]
    return tuple(p for p in places if p.lower() in _variants() or names_any(" ".join(written), _spellings([p])))


def elsewhere(sentence: str, places: Sequence[str]) -> bool:
    """The sentence places its event at some place and names none of ``places`` (in any spelling:
    "Kairo" is "Cairo", "Mesir" is "Egypt"), leaving out clauses about another event: "arrived in
    Israel for meetings with Netanyahu, a day after telling reporters in Cairo …" met no one in Cairo."""
    if not places:
        return False
    main = _SUBORDINATE_CLAUSE.sub(" ", sentence)
    return bool(sentence_places(main)) and not names_any(main, _spellings(places))


_SUBORDINATE_CLAUSE = re.compile(
    rf"(?i:\b(?:{'|'.join(sorted({w for entry in LANGUAGES.values() for w in entry.subordinators}))})\b)[^,.;:—–]*"
)
"""From a word opening a clause about another event ("after", "setelah") to the clause's end."""


def is_place(name: str) -> bool:
    """A place of the place lexicon, under any of its spellings ("Egypt", "Mesir", "Korea Selatan")."""
    return name.lower() in _variants()


def is_place_word(word: str) -> bool:
    """A word of a place name in the place lexicon ("Jepang", "Mesir", "Kairo")."""
    return word.lower().strip(".,") in _place_words()


@functools.lru_cache(maxsize=1)
def _place_words() -> frozenset[str]:
    return frozenset(w for name in _variants() for w in name.split())


def spellings(name: str) -> list[str]:
    """Every spelling the place lexicon knows of ``name`` ("Cyprus" → Cyprus, Siprus), or just ``name``."""
    return _variants().get(name.lower(), [name])


def canonical_place(name: str) -> str | None:
    """The English name the place lexicon files ``name`` under ("Kairo" → "Cairo"), or None."""
    every = _variants().get(name.strip().lower())
    return every[0] if every else None


def _spellings(places: Iterable[str]) -> list[str]:
    return [spelling for place in places for spelling in spellings(place)]


@functools.lru_cache(maxsize=1)
def _variants() -> dict[str, list[str]]:
    """Every spelling of a place in ``rag/news/lexicons/places.toml`` → all its spellings."""
    from rag.news.lexicon import place_names

    out: dict[str, list[str]] = {}
    for canonical, variants in place_names().items():
        every = [canonical, *variants]
        for name in every:
            out[name.lower()] = every
    return out
