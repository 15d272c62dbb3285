"""English titles for the Indonesian ones the local model copies into an English sentence.

"Antony Blinken met Menteri Luar Negeri Mesir Sameh Shoukry in Cairo." is the model's English with
the source's title left as it was; it reads as a sentence half in another language. The title before
a name, with the country that may follow it, is rendered from ``lexicons/titles_id_en.toml`` and
``places.toml``: "Antony Blinken met Egypt's Foreign Minister Sameh Shoukry in Cairo."
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Iterable

from rag.news.lexicon import LEXICON_DIR, place_name_in, place_names


@functools.cache
def _lexicon() -> dict[str, dict[str, str]]:
    return tomllib.loads((LEXICON_DIR / "titles_id_en.toml").read_text(encoding="utf-8"))


@functools.cache
def _countries_id() -> dict[str, str]:
    """Indonesian country (and place) names → English: "Mesir" → "Egypt", "AS" → "United States"."""
    named = {name: c for c in place_names() if (name := place_name_in(c, "id"))}
    return {**named, "AS": "United States"}  # titles write "Menlu AS", a reader "Amerika Serikat"


def _alternation(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))  # the longest first


@functools.cache
def _pattern() -> re.Pattern[str]:
    titles, countries = _alternation(_lexicon()["titles"]), _alternation(_countries_id())
    # a title, its country perhaps, and a capitalised word after them: the name the title is of
    return re.compile(rf"(?<![\w-])(?P<title>{titles})(?: (?P<country>{countries}))?(?= [A-Z][a-z])")


def english_titles(sentence: str) -> str:
    """``sentence`` (English) with each Indonesian title before a name in its English form."""
    lex = _lexicon()

    def english(m: re.Match[str]) -> str:
        title = lex["titles"][m.group("title")]
        if not m.group("country"):
            return title
        country = _countries_id()[m.group("country")]
        before = lex["country_before_title"].get(country)
        office = f"{before} {title}" if before else f"{country}'s {title}"
        return lex["offices"].get(office, office)

    return _pattern().sub(english, sentence)
