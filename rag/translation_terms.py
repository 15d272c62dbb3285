"""What a translation must keep: the numbers and names of its original, and its news words.

The bundled 1.5B model knows little Indonesian news vocabulary and fills the gaps with plausible
words ("military buildup" for "gencatan senjata", "disaster" for "kesalahan"), and its own YES/NO
judge accepts those. A glossary (``rag/news/lexicons/glossary_SRC_TGT.toml``, plus the places of
``places.toml``) serves twice: the renderings of the words a sentence holds go to the model as
hints, and a translation that renders none of a glossary word's forms has lost or replaced that
word, so it is not trusted.
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass

from rag.news.lexicon import LEXICON_DIR, lexicon, place_names
from rag.news.store import fold, terms
from rag.stemming import stem_word
from rag.translation_dates import rewritten_dates_removed

_SOURCE_WORD = re.compile(r"[\w-]+")
_TARGET_WORD = re.compile(r"[\w%'-]+")
_NAME_INSIDE = re.compile(r"(?<=[\w,;:] )([A-Z][\w-]{2,})")
"""A capitalised word inside a sentence: a name (at a sentence's start, any word is capitalised)."""
_DATELINE = re.compile(r"\s*([\w-]+(?: [\w-]+)?),\s+[\w-]+\s+-\s")
"""A news dateline's place, "Sekayu, Kompas - …" or "bangkok, kamis - …": a name at a sentence's
start (the model once wrote "However" for "Sekayu")."""


@dataclass(frozen=True)
class Term:
    source: str
    """The glossary's key, e.g. "gencatan senjata"."""
    renderings: tuple[str, ...]
    """Target-language forms, matched at the start of a word; the first is the hint."""

    def rendered_in(self, padded_translation: str) -> bool:
        # a word's start, so "hostage" is found in "hostages" but "war" not in "toward"; "%" anywhere
        return any((f" {_normalise(r)}" if r[:1].isalnum() else r) in padded_translation for r in self.renderings)


class Glossary:
    def __init__(self, entries: dict[str, list[str]], hint_only: dict[str, str] | None = None) -> None:
        # A key is found by its words' surface forms or by their roots ("pembebasan" under "bebas");
        # surface forms win, so "memburuk" (worsen) is not read as "buruk" (bad) when both are keys.
        self._surface: dict[tuple[str, ...], Term] = {}
        self._roots: dict[tuple[str, ...], Term] = {}
        for key, renderings in entries.items():
            words = tuple(w.lower() for w in _SOURCE_WORD.findall(key))
            term = Term(key, tuple(renderings))
            self._surface[words] = term
            root = tuple(stem_word(w) for w in words)
            if (known := self._roots.get(root)) is not None:  # two keys of one root: either rendering counts
                term = Term(known.source, known.renderings + tuple(r for r in renderings if r not in known.renderings))
            self._roots[root] = term
        self._longest = max((len(k) for k in self._surface), default=0)
        self._hint_only = {w.lower(): r for w, r in (hint_only or {}).items()}

    @classmethod
    @functools.cache
    def between(cls, source_lang: str, target_lang: str) -> Glossary | None:
        """The glossary from ``source_lang`` into ``target_lang``, None when there is none."""
        path = LEXICON_DIR / f"glossary_{source_lang}_{target_lang}.toml"
        if not path.exists():
            return None
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        return cls({**data["terms"], **_place_terms(target_lang)}, data.get("hint_only"))

    def terms_in(self, text: str) -> list[Term]:
        """The glossary's words in ``text``, longest first at each place ("gencatan senjata" is one
        term, not also "senjata"), each once."""
        words = [w.lower() for w in _SOURCE_WORD.findall(text)]
        surface = [w.removesuffix("nya") if len(w) > 6 else w for w in words]
        roots = [stem_word(w) for w in words]
        found: dict[str, Term] = {}
        i = 0
        while i < len(words):
            for n in range(min(self._longest, len(words) - i), 0, -1):
                term = self._surface.get(tuple(surface[i : i + n])) or self._roots.get(tuple(roots[i : i + n]))
                if term is not None:
                    found.setdefault(term.source, term)
                    i += n
                    break
            else:
                i += 1
        return list(found.values())

    def source_words(self, text: str) -> set[str]:
        """The source-language words of the glossary terms whose renderings ``text`` uses ("Japan's
        foreign minister" → jepang, menteri, menlu…): a question's terms as its sources write them."""
        padded = " " + _normalise(text)
        return {w for t in self._terms() if t.rendered_in(padded) for w in _SOURCE_WORD.findall(t.source.lower())}

    @functools.cache  # noqa: B019 - glossaries are cached for the process's life anyway
    def _terms(self) -> tuple[Term, ...]:
        return tuple(t for t in self._surface.values() if len(t.renderings[0]) >= 4)  # "as", "in": too short to tell

    def hints(self, text: str) -> str:
        """"gencatan senjata = ceasefire; sandera = hostage": the words of ``text`` the model should know."""
        pairs = {t.source: t.renderings[0] for t in self.terms_in(text)}
        for word in dict.fromkeys(_SOURCE_WORD.findall(text.lower())):
            if word in self._hint_only:
                pairs.setdefault(word, self._hint_only[word])
        return "; ".join(f"{source} = {rendering}" for source, rendering in pairs.items())

    def untranslated_words_fixed(self, original: str, translation: str) -> str:
        """``translation`` with the hint-only words it copied from ``original`` replaced by their
        renderings ("Dan also does not need…" → "And also…"), unless the original uses the word as
        a name (capitalised inside a sentence: "Dan Brown")."""
        names = {n.lower() for n in _NAME_INSIDE.findall(original)}
        copied = {w for w in _SOURCE_WORD.findall(original.lower()) if w in self._hint_only and w not in names}
        for word in copied:
            rendering = self._hint_only[word]
            translation = re.sub(rf"\b{re.escape(word)}\b", lambda m, r=rendering: r.capitalize() if m.group(0)[0].isupper() else r, translation, flags=re.IGNORECASE)
        return translation

    def missing(self, original: str, translation: str) -> list[Term]:
        """The terms of ``original`` that ``translation`` renders in none of their forms."""
        padded = " " + _normalise(translation)
        kept = set(re.findall(r"[A-Z][\w-]*", original)) & set(_TARGET_WORD.findall(translation))
        return [t for t in self.terms_in(original) if not t.rendered_in(padded) and not _kept_as_name(t, kept)]


def _kept_as_name(term: Term, kept: set[str]) -> bool:
    """Every word of ``term`` is part of a name the translation keeps as written ("Perusahaan Gas
    Negara", "Jawa Barat"): that is no lost word, though no rendering of it is there."""
    kept_words = {w.lower() for w in kept}
    return all(w in kept_words for w in _SOURCE_WORD.findall(term.source.lower()))


def _normalise(text: str) -> str:
    return " ".join(_TARGET_WORD.findall(text.lower()))


def _place_terms(target_lang: str) -> dict[str, list[str]]:
    """Places under their other names ("Mesir" = Egypt: the model once wrote "Iran" for it), from
    ``places.toml``, whose keys are the English names."""
    if target_lang != "en":
        return {}
    return {v: [canonical, *variants] for canonical, variants in place_names().items() for v in variants if v.lower() != canonical.lower()}


def lost_fact(original: str, translation: str) -> str | None:
    """"digits" when a number of ``original`` is not in ``translation`` (a date or clock time may be
    rewritten: "(18/10)" → "October 18", ``rag.translation_dates``), "names" when a name (capitalised
    word inside a sentence) is not (places may change spelling: "Kairo" → "Cairo"; a name's common
    words may be translated: "Badan" → "Agency", ``name_words_id_en.toml``), else None."""
    uncited = lambda s: re.sub(r"\[\d+\]", "", s)  # noqa: E731 - a citation marker is no number of the text
    digits = lambda s: {re.sub(r"[.,]", "", n) for n in re.findall(r"\d[\d.,]*\d|\d", uncited(s))}  # noqa: E731
    if not digits(original) <= digits(translation):
        original_rest, translation_rest = rewritten_dates_removed(original, translation)
        if not digits(original_rest) <= digits(translation_rest):
            return "digits"
    folded, padded = fold(translation), " " + _normalise(translation)
    dateline = _DATELINE.match(original)
    for name in [*(dateline.group(1).split() if dateline else ()), *_NAME_INSIDE.findall(original)]:
        if fold(name) in _translatable_names() or _kept_word(fold(name), folded):
            continue
        if not any(f" {_normalise(r)}" in padded for r in _name_words().get(fold(name), ())):
            return "names"
    return None


def _kept_word(folded_name: str, folded_translation: str) -> bool:
    """The name starts a word of the translation that ends at most three letters later ("Kurdi" →
    "Kurdish", "Buddhis" → "Buddhist", "Kofi's"), each part of a hyphenated one ("Jakarta-Jambi" →
    "from Jakarta to Jambi"); not a part of a longer word: "Air" (France) is not kept in "Airport"."""
    return all(re.search(rf"(?<!\w){re.escape(part)}(?:['’]s|\w{{0,3}})(?!\w)", folded_translation)
               for part in folded_name.split("-") if part)  # fmt: skip


@functools.cache
def _name_words() -> dict[str, tuple[str, ...]]:
    """``name_words_id_en.toml``: a name's word or acronym (folded) → its English forms."""
    data = tomllib.loads((LEXICON_DIR / "name_words_id_en.toml").read_text(encoding="utf-8"))
    return {fold(word): tuple(forms) for word, forms in data["words"].items()}


@functools.cache
def _translatable_names() -> frozenset[str]:
    """Capitalised words a translation may rightly change: places with exonyms ("Amerika Serikat"
    → "United States", "Mesir" → "Egypt"), the glossaries' words ("Jumat" → "Friday"; the glossary
    check asks for their renderings) and the role/institution words of the lexicons."""
    words = {t for canonical, variants in place_names().items() for v in [canonical, *variants] for t in terms(v)}
    for path in LEXICON_DIR.glob("glossary_*.toml"):
        words |= {t for key in tomllib.loads(path.read_text(encoding="utf-8"))["terms"] for t in terms(key)}
    for path in LEXICON_DIR.glob("??.toml"):  # the per-language lexicons: en.toml, id.toml
        words |= lexicon(path.stem).role_words | lexicon(path.stem).titles
    return frozenset(words)
