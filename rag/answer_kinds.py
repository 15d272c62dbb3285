"""What kind of thing a question asks for, and what a candidate answer of that kind looks like.

"Which river cuts through the site?" asks for a river: in the Indonesian sentence the answer is
the name that carries the kind's word ("Sungai Lematang"), not the first capitalised word
("Sebuah", "a"). "Who directed …?" asks for a person: a run of names no dictionary knows
("Gianfranco Rotigliano") is more likely one than an office of dictionary words ("Ketua Badan
Rehabilitasi dan Rekonstruksi"). Kinds and people's nouns are in ``rag/news/lexicons/answer_kinds.toml``;
the dictionary is Sastrawi's list of Indonesian root words (rag/common_words.py).
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass

from rag.common_words import is_common
from rag.languages import all_stopwords
from rag.news.lexicon import LEXICON_DIR
from rag.places import is_place

_STOP = all_stopwords()
_ASKS_PERSON = re.compile(r"^\s*(?:who(?:m|se)?|siapa(?:kah)?)\b|\bwho(?:m)?\s+(?:is|was|were|are|did|does|will|has|had)\b", re.I)
_NOUN_AFTER = tuple(re.compile(rf"\b(?:{cue})\s+((?:[\w'’-]+\s+){{0,3}}[\w'’-]+)", re.I)
                    for cue in (r"name of(?: the| a| an)?|nama", r"which|what|whose|apa"))
"""Where the asked noun is: after "the name of" first ("What is the name of the council …"), else after the question word."""
_NOUN_BEFORE = re.compile(r"\b([a-z]+)\s+(?:apa|mana)(?:kah)?\b", re.I)
"""Indonesian puts the asked noun before the question word: "Penyakit apakah …", "Di yayasan mana …"."""


@dataclass(frozen=True)
class AskedKind:
    noun: str | None
    """The question's noun for what it asks ("river"), when the lexicon knows it."""
    words: frozenset[str]
    """Words that name that kind in a sentence ("sungai", "river")."""
    person: bool
    """It asks for a person ("Who …?", "the name of the president …")."""

    def named_by(self, candidate: str, before: str) -> bool:
        """``candidate`` (or the word just ``before`` it) names the asked kind: "Sungai Lematang",
        "Seoul National University", "… pangkalan Karshi-Khanabad"."""
        if self.noun in _PLACE_NOUNS and is_place(candidate):
            return True
        if not self.words:
            return False
        words = [w.lower().strip(".,()") for w in candidate.split()]
        previous = before.split()[-1:] if before.strip() else []
        edges = {words[0], words[-1], *(w.lower() for w in previous)} if words else set()
        if self.noun in _BODY_NOUNS and _ACRONYM.match(candidate) and not before.rstrip().endswith("("):
            return True  # news names a body by its acronym ("WHO", "KONI Pusat"); a bracketed one spells out the name before it
        return bool(edges & self.words) or any(" " in k and candidate.lower().startswith(k) for k in self.words)


_PLACE_NOUNS = frozenset({"country", "city", "capital", "province", "island", "place", "region", "town", "state"})
_BODY_NOUNS = frozenset({"organisation", "organization", "body", "institution", "federation", "agency", "association"})
_ACRONYM = re.compile(r"[A-Z]{2,6}\b(?:\s+[A-Z][a-z]+)?$")
"""An acronym, alone or with one word after it ("KONI Pusat")."""


@functools.cache
def _lexicon() -> tuple[dict[str, frozenset[str]], frozenset[str]]:
    data = tomllib.loads((LEXICON_DIR / "answer_kinds.toml").read_text(encoding="utf-8"))
    kinds = {noun: frozenset(w.lower() for w in words) for noun, words in data["kinds"].items()}
    return kinds, frozenset(data["people"]["nouns"])


def asked_kind(question: str) -> AskedKind:
    kinds, people = _lexicon()
    noun = None
    for m in (m for pattern in _NOUN_AFTER for m in pattern.finditer(question)):
        # "Which Finnish driver", "which world organisation", "the name of the branch head": the
        # last known noun of the few words after the question word
        head = re.split(r"\s(?:of|in|for|at|on|from|that|which|who|by)\s", f"{m.group(1)} ", flags=re.I)[0]  # "the publisher [of the book]"
        words = [_kind_of().get(w, w) for w in (re.sub(r"['’]s$", "", w.lower()) for w in head.split())]
        found = [w for w in words if w in kinds or w in people]
        if found:
            noun = found[-1] if len(found) == 1 or found[-1] in kinds or not any(f in kinds for f in found) else found[0]
            break
    if noun is None and (m := _NOUN_BEFORE.search(question)) and (kind := _kind_of().get(m.group(1).lower())):
        noun = kind
    person = noun in people if noun else bool(_ASKS_PERSON.search(question))
    return AskedKind(noun, kinds.get(noun or "", frozenset()), person)


@functools.cache
def kind_words(*nouns: str) -> frozenset[str]:
    """The words that name any of ``nouns``' kinds in a sentence ("party" → partai, party)."""
    kinds, _ = _lexicon()
    return frozenset(w for noun in nouns for w in kinds.get(noun, ()))


@functools.cache
def _kind_of() -> dict[str, str]:
    """The kind each word of another language names ("danau" → lake): an Indonesian question's noun."""
    kinds, _ = _lexicon()
    out: dict[str, str] = {}
    for noun, words in kinds.items():
        for word in words:
            if word not in kinds and " " not in word:
                out.setdefault(word, noun)
    return out


def is_common_word(word: str) -> bool:
    """An ordinary Indonesian word or a function word of any language ("Sedang", "Komponen"),
    which a sentence's first capital does not make a name."""
    w = word.lower().strip(".,;:()\"'“”")
    return w in _STOP or is_common(w, "id")


def looks_like_person(text: str) -> bool:
    """Most of ``text``'s words are not dictionary words: a person's name rather than an office."""
    words = [w for w in re.findall(r"[\w'-]+", text) if not re.fullmatch(r"[A-Z]{2,}|\d+", w)]
    if not words or len(words) > 4:
        return False
    common = sum(is_common_word(w) for w in words)
    return common * 2 <= len(words)
