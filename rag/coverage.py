"""Does the evidence cover what the question is about? The refusal check that works on news.

A news corpus nearly always has *some* passage close to a question, so a similarity floor alone
answers questions about events it does not report (14 of 15 in the issue's count). A question names
what it is about — people, places, organisations, dates, numbers — and these are written the same
way, or nearly ("Kanada"/"Canada", "Kurdi"/"Kurdish"), in every language. The answer is given only
when the evidence's passage names them too; otherwise the sources do not cover the question, or
cover only part of it ("The sources mention Cairo, but not 2019."). A date the question names is
checked against the dates of the passages about it (rag/news/date_check.py), not only its digits:
"in 2016" over a crane collapse the sources date September 2015 is not answered.

A full name counts more than its share: "Who did Chidi Okonkwo meet in Jakarta?" is not covered by
passages about Jakarta. A name of two or more words whose own words (those no dictionary of the
asker's language knows, rag/common_words.py) are written nowhere in the sources is missing, however
much else is found; its ordinary words are left out, since a source in another language translates
them ("Gulf of Mexico", "Teluk Meksiko").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from collections.abc import Sequence
from difflib import SequenceMatcher
from typing import TYPE_CHECKING

from rag.common_words import has_dictionary, is_common
from rag.languages import LANGUAGES, all_months, all_stopwords, language, number_values

if TYPE_CHECKING:
    from rag.news.date_check import DateCheck

_STOP = all_stopwords() | {"mr", "mrs", "ms", "dr", "prof", "ir", "general", "president", "minister", "regency", "province",
                           "city", "republic", "university", "party", "team", "national", "international"}  # fmt: skip
_MONTHS = all_months()
_DAYS = frozenset().union(*(lang.days for lang in LANGUAGES.values()))
_ENTITY = re.compile(r"(?<![\w'’])[A-Z][\w\-'’]*(?:\s+(?:of\s+|de\s+|van\s+|bin\s+)?[A-Z][\w\-'’]*)*")
_NUMBER = re.compile(r"\d+(?:[.,/]\d+)*")


@dataclass(frozen=True)
class CoverageSettings:
    scope: str = "sources"
    """Where the question's names and numbers are looked for: ``sources`` (every numbered source) or
    ``evidence`` (the evidence sentences' passages only)."""
    min_entities: float = 0.5
    """Share of the question's named entities that must be found there."""
    numbers_required: bool = True
    """Every number and year of the question must be found there.

    Calibrated on the calibration half of benchmarks/unanswerable_news (110 unanswerable, 150
    answerable; extractive): sources / 0.5 / numbers refused 0.69 of the unanswerable and answered
    0.92 of the answerable — the most refusal with at least 0.90 answered. Stricter settings refuse
    more (evidence / 0.67: 0.92) but answer only 0.75: FacQA's one-sentence passages often lack
    the names the question was written from. benchmarks/results/refusal_calibration.json has them all."""
    similar: float = 0.8
    """Two words of four letters or more name the same thing across languages at this similarity."""
    names_required: bool = True
    """A full name's own words must all be written in the sources (its spelling may differ a little).

    Extractive, ``--translate off``, benchmarks/unanswerable_news (stop 23, with the exonyms of
    ``_forms``): calibration half refusal 0.673 → 0.936 with 0.953 of the answerable answered, held
    out 0.647 → 0.941 (0.853); with the second set of replacement names (``--names alternative``,
    Indonesian names whose first name alone does occur) 0.945 and 0.941."""
    name_similar: float = 0.85
    """A full name's own word (five letters or more) is written in the sources at this similarity,
    the same first letter, or as a prefix: "Kurdi" for "Kurdish", not "Agustus" for "Agus"."""


@dataclass(frozen=True)
class Coverage:
    covered: tuple[str, ...]
    missing: tuple[str, ...]
    entities_found: float
    """Share of the question's entities found (1.0 when it names none)."""
    numbers_missing: tuple[str, ...]
    date: DateCheck | None = None
    """The date the question names, checked against the evidence's dates (None: it names none)."""
    names_absent: tuple[str, ...] = ()
    """The question's full names whose own words the sources do not write (also in ``missing``)."""

    def enough(self, settings: CoverageSettings) -> bool:
        if self.date is not None and self.date.contradicted:
            return False
        if settings.names_required and self.names_absent:
            return False
        return self.entities_found >= settings.min_entities - 1e-9 and not (settings.numbers_required and self.numbers_missing)

    def partial_message(self, lang: str | None) -> str | None:
        """"The sources mention X, but not Y." when part of the question is covered, else None;
        "The sources report X from September 2015, but nothing from 2016." when they date it otherwise."""
        if self.date is not None and self.date.contradicted:
            return self.date.message(language(lang).code, self.covered)
        if not self.covered or not self.missing:
            return None
        return language(lang).partial.format(covered=_listed(self.covered), missing=_listed(self.missing))


def _listed(terms: tuple[str, ...]) -> str:
    return ", ".join(terms[:3])


def question_entities(question: str) -> list[str]:
    """The names in ``question``: capitalised runs without function words ("What", "In"), titles
    ("President") and month names."""
    out = []
    for m in _ENTITY.finditer(question):
        words = m.group().split()
        while words and _common(words[0]):
            words.pop(0)
        while words and _common(words[-1]):
            words.pop()
        if words:
            out.append(" ".join(words))
    return list(dict.fromkeys(out))


def _common(word: str) -> bool:
    w = word.lower().removesuffix("'s").removesuffix("’s")
    return w in _STOP or w in _MONTHS or w in _DAYS


def question_numbers(question: str) -> list[str]:
    return list(dict.fromkeys(re.sub(r"[.,]", "", n) for n in _NUMBER.findall(question)))


def coverage(
    question: str,
    evidence_text: str,
    settings: CoverageSettings | None = None,
    date: DateCheck | None = None,
    lang: str | None = None,
    names_text: str | None = None,
    translated: bool = False,
) -> Coverage:
    """Which of ``question``'s entities and numbers ``evidence_text`` names. With ``date`` (the check
    of the date the question names) the evidence's dates, not its digits, decide the date's numbers
    whenever the passages about the question are dated. ``lang``: the question's language (English
    when not given), whose dictionary tells a name's own words. ``names_text``: where full names are
    looked for (the passages' whole articles: a later passage writes only "Shoukry"); default
    ``evidence_text``. ``translated``: the sources are in another language, which translates a
    name of ordinary words ("Earth" is "Bumi", "World University Games" "Universiade"): one the
    sources do not spell alike is neither found nor missing, since it cannot be told either way."""
    settings = settings or CoverageSettings()
    words = set(re.findall(r"\w+", evidence_text.lower()))
    name_words = words if names_text is None else words | set(re.findall(r"\w+", names_text.lower()))
    digits = written_numbers(evidence_text, words)
    covered, missing, absent = [], [], []
    for entity in question_entities(question):
        if _name_absent(entity, name_words, lang or "en", settings.name_similar):
            absent.append(entity)
            missing.append(entity)
        else:
            found = any(_found(w, words, settings.similar) for w in _forms(entity))
            if not found and translated and _ordinary(entity, lang or "en"):
                continue
            (covered if found else missing).append(entity)
    decided = date.digits() if date is not None and date.decided() else set()
    numbers_missing = tuple(n for n in question_numbers(question) if n not in digits and n not in decided)
    entities = len(covered) + len(missing)
    share = len(covered) / entities if entities else 1.0
    return Coverage(tuple(covered), tuple(missing) + numbers_missing, share, numbers_missing, date, tuple(absent))


_SPLIT_DECIMAL = re.compile(r"\b\d+, \d+\b")
"""A decimal as tokenised news text writes it, split at its comma: "111, 5 persen" is 111.5 percent."""
_NUMERALS = "II III IV V VI VII VIII IX X XI XII XIII XIV XV XVI XVII XVIII XIX XX".split()
_ROMAN = {numeral: str(n) for n, numeral in enumerate(_NUMERALS, 2)}
"""The numbers of games, congresses and kings ("WIG IV" for "the 4th Women's Islamic Games")."""


def written_numbers(text: str, words: set[str]) -> set[str]:
    """The numbers ``text`` writes, as digit strings without separators: in digits, split decimals,
    Roman numerals and the words for one to ten in any language ("enam orang" has 6)."""
    found = _NUMBER.findall(text)
    digits = {re.sub(r"[.,]", "", n) for n in found} | {part for n in found for part in re.split(r"[.,/]", n)}
    digits |= {re.sub(r"\D", "", n) for n in _SPLIT_DECIMAL.findall(text)}
    digits |= {_ROMAN[w] for w in re.findall(r"\b[IVX]{1,5}\b", text) if w in _ROMAN}
    return digits | {digit for word, digit in number_values().items() if word in words}


def _ordinary(entity: str, lang: str) -> bool:
    """``entity`` is made of ordinary words of ``lang`` (a language with a dictionary), which another language translates."""
    return has_dictionary(lang) and all(is_common(w, lang) for w in _content_words(entity))


def _content_words(entity: str) -> list[str]:
    return [w for w in re.findall(r"\w+", entity.lower()) if len(w) > 2 and w not in _STOP]


def _forms(entity: str) -> list[str]:
    """``entity``'s content words and those of the place lexicon's other spellings of it and of its
    words: "Egypt's" is also "Mesir", "Northern Cyprus" also "Siprus"."""
    from rag.places import spellings

    words = _content_words(entity)
    others = {s for name in (entity, *words) for s in spellings(name) if s.lower() != name.lower()}
    return list(dict.fromkeys(words + [w for s in sorted(others) for w in _content_words(s)]))


def _name_absent(entity: str, words: set[str], lang: str, similar: float) -> bool:
    """``entity`` is a full name (two words or more) with an own word the sources do not write in
    any spelling: a surname alone is another person as often as not ("Hendra Setiawan" is no
    "Hendra Simanjuntak", "Koichiro Matsuura" no "Kenji Matsumura")."""
    content = _content_words(entity)
    if len(content) < 2:
        return False
    return any(not _written(w, words, similar) for w in content if not is_common(w, lang))


def _written(word: str, words: set[str], similar: float) -> bool:
    from rag.places import spellings  # rag.places builds on this module

    for spelling in spellings(word):
        s = spelling.lower()
        if s in words:
            return True
        folded = _spelling(s)
        for w in words:
            if w[:1] != s[:1] or len(w) < 4:
                continue
            if _spelling(w) == folded or (min(len(w), len(s)) >= 5 and _alike(s, w, similar)):
                return True
    return False


def _alike(a: str, b: str, similar: float) -> bool:
    return a.startswith(b) or b.startswith(a) or SequenceMatcher(None, a, b).ratio() >= similar


def names_any(text: str, entities: Sequence[str], similar: float = CoverageSettings.similar) -> bool:
    """Whether ``text`` names one of ``entities`` (written alike across languages, as coverage finds them)."""
    words = set(re.findall(r"\w+", text.lower()))
    return any(_found(w, words, similar) for e in entities for w in _content_words(e))


def names_written(names: Sequence[str], text: str, similar: float = CoverageSettings.similar) -> bool:
    """Every one of ``names`` (``question_entities`` of a claim) is written in ``text``, in some spelling
    ("Cairo" as "Kairo", "Egypt" as "Mesir"): a sentence citing a passage that never names "India"
    does not get its "in Goa, India" from it."""
    words = set(re.findall(r"\w+", text.lower()))
    return all(any(_found(w, words, similar) for w in _forms(entity)) for entity in names if _content_words(entity))


def _found(word: str, words: set[str], similar: float) -> bool:
    if word in words:
        return True
    if len(word) < 4:
        return False
    folded = _spelling(word)
    for w in words:
        if len(w) >= 4 and _alike(word, w, similar):
            return True
        if len(w) >= 4 and w[:1] == word[:1] and _spelling(w) == folded:
            return True
    return False


def _spelling(word: str) -> str:
    """``word`` with the spellings that differ between languages folded ("Iraq"/"Irak",
    "Ecuadorian"/"Ekuador", "Immunisation"/"Imunisasi"): a demonym's ending, c/q → k, doubled letters."""
    w = re.sub(r"(?:ian|ean|ese|ish|an|n|s|si|sasi|sation|zation)$", "", word) if len(word) > 5 else word
    w = w.replace("ph", "f").replace("qu", "k").replace("q", "k").replace("c", "k")
    return re.sub(r"(.)\1", r"\1", w)
