"""Per-language cue lexicons for quote extraction, read from ``lexicons/<lang>.toml``.

Adding a language is adding a file: the extractor has no per-language branches.
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from rag.errors import RagError

LEXICON_DIR = Path(__file__).parent / "lexicons"
FALLBACK_LANGUAGE = "en"


@functools.cache
def _places() -> dict[str, dict]:
    return tomllib.loads((LEXICON_DIR / "places.toml").read_text(encoding="utf-8")).get("places", {})


@functools.cache
def place_names() -> dict[str, tuple[str, ...]]:
    """``lexicons/places.toml``: each place's English name → its other spellings ("Egypt" → ("Mesir",))."""
    out = {}
    for canonical, entry in _places().items():
        spellings = [name for key, name in entry.items() if key != "also"] + list(entry.get("also", ()))
        out[canonical] = tuple(dict.fromkeys(spellings))
    return out


def place_name_in(place: str, lang: str) -> str | None:
    """The name ``lang``'s readers know the place by ("Cairo" → "Kairo" in Indonesian), given its English
    name; None when ``places.toml`` has none for that language."""
    entry = _places().get(place)
    if entry is None:
        return None
    name = place if lang == "en" else entry.get(lang)
    return name if isinstance(name, str) else None


class LexiconError(RagError):
    """A lexicon file is missing or malformed."""


@dataclass(frozen=True)
class Lexicon:
    language: str
    cues: frozenset[str]
    cue_suffixes: tuple[str, ...]
    folded_only_cues: frozenset[str]  # cues only with a folded pronoun ("harapnya"; bare "harap" is "please")
    according_to: tuple[str, ...]
    complementisers: frozenset[str]
    pronouns: frozenset[str]
    group_pronouns: frozenset[str]
    chain_stops: frozenset[str]
    titles: frozenset[str]
    ordinary: frozenset[str]
    role_words: frozenset[str]
    function_words: frozenset[str]
    openers: dict[str, frozenset[str]]  # opening mark -> the marks that close it
    weekdays: tuple[str, ...]
    place_prepositions: frozenset[str]
    clause_openers: tuple[str, ...] = ()  # ", seraya menambahkan …": a new clause after the attribution
    place_markers: frozenset[str] = frozenset()  # "di Bekasi", "Kota Manado": the next word is a place
    alias_markers: tuple[str, ...] = ()  # "…, yang biasa disapa Tjok Ace": the next words are an alias
    agent_prefixes: tuple[str, ...] = ()  # "dikemukakan Ketua X": a passive verb's agent is its subject
    apposition_openers: frozenset[str] = frozenset()  # "Irma, salah satu pendiri …": a role follows
    affiliation_words: tuple[str, ...] = ()  # "Reynaldi dari PT …": a person with an affiliation
    institution_words: tuple[str, ...] = ()  # "Ketua Partai X": the affiliation starts at "Partai"

    def cue_of(self, word: str) -> tuple[str, bool] | None:
        """``(cue, folded_pronoun)`` when ``word`` is a cue: "kata" → ("kata", False), "katanya" → ("kata", True)."""
        w = word.lower()
        if w in self.cues:
            return w, False
        for suffix in self.cue_suffixes:
            if w.endswith(suffix) and w[: -len(suffix)] in self.cues | self.folded_only_cues:
                return w[: -len(suffix)], True
        return None

    @functools.cached_property
    def cue_pattern(self) -> re.Pattern[str]:
        """Any cue word, with its folded pronoun, as a whole word."""
        words = sorted(self.cues | self.folded_only_cues, key=len, reverse=True)
        suffixes = "|".join(map(re.escape, self.cue_suffixes))
        tail = f"(?:{suffixes})?" if suffixes else ""
        return re.compile(rf"(?<![\w-])(?:{'|'.join(map(re.escape, words))}){tail}(?![\w-])", re.IGNORECASE)


def _words(data: dict, key: str) -> frozenset[str]:
    return frozenset(w.lower() for w in data.get(key, []))


@functools.lru_cache(maxsize=None)
def lexicon(language: str | None) -> Lexicon:
    """The lexicon for ``language`` (ISO 639-1); languages without a file use English's."""
    path = LEXICON_DIR / f"{language}.toml"
    if not language or not re.fullmatch(r"[a-z]{2,3}", language) or not path.exists():
        path = LEXICON_DIR / f"{FALLBACK_LANGUAGE}.toml"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as e:
        raise LexiconError(f"cannot read the quote lexicon {path}: {e}. Fix or restore that file.") from e
    openers: dict[str, set[str]] = {}
    for pair in data.get("quote_marks", []):
        openers.setdefault(pair[0], set()).add(pair[1])
    return Lexicon(
        language=data.get("language", path.stem),
        cues=_words(data, "cues"),
        cue_suffixes=tuple(data.get("cue_suffixes", [])),
        folded_only_cues=_words(data, "folded_only_cues"),
        according_to=tuple(data.get("according_to", [])),
        complementisers=_words(data, "complementisers"),
        pronouns=_words(data, "pronouns"),
        group_pronouns=_words(data, "group_pronouns"),
        chain_stops=_words(data, "chain_stops"),
        titles=_words(data, "titles"),
        ordinary=_words(data, "ordinary"),
        role_words=_words(data, "role_words"),
        function_words=_words(data, "function_words"),
        openers={k: frozenset(v) for k, v in openers.items()},
        weekdays=tuple(data.get("weekdays", [])),
        place_prepositions=_words(data, "place_prepositions"),
        clause_openers=tuple(data.get("clause_openers", [])),
        place_markers=_words(data, "place_markers"),
        alias_markers=tuple(data.get("alias_markers", [])),
        agent_prefixes=tuple(data.get("agent_prefixes", [])),
        apposition_openers=_words(data, "apposition_openers"),
        affiliation_words=tuple(data.get("affiliation_words", [])),
        institution_words=tuple(data.get("institution_words", [])),
    )
