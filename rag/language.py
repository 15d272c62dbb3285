"""Which language an article is written in, for articles whose data does not say."""

from __future__ import annotations

import functools
import re
from typing import Any

from rag.languages import LANGUAGES, question_patterns

# Below this many letters the identifier's answer is noise ("hello" comes out Breton).
MIN_LETTERS = 20

# With normalised probabilities over ~140 languages, a winner below this is a guess.
MIN_CONFIDENCE = 0.2

# Languages whose vote is pooled into the one newsrag serves. Indonesian and Malay are one
# macrolanguage (ISO 639-3 "msa"): on a short question py3langid splits its vote between them near
# evenly and picks Malay for plain Indonesian ("Kapan perundingan gencatan senjata dimulai?" came out
# ms 0.55 / id 0.43), and an ``ms`` question then got English refusals and messages (rag/languages.py
# has no Malay). Indonesian's lexicons, prompts and refusals are the right ones for Malay text too.
_SERVED_AS = {"ms": "id"}

# Enough text to decide; identifying a whole long article only costs time.
_SAMPLE_CHARS = 4000

# Labels the model uses for "no language" rather than for a language.
_NOT_A_LANGUAGE = frozenset({"und", "zxx"})

# Up to this many characters a text is short (a question, a title): the identifier reads a few
# names as much as its words, and "Who is the Chidi Okonkwo?" came out Xhosa ("When did Chidi
# Okonkwo die?" Nigerian Pidgin), so an English question got no English dictionary or refusal.
_SHORT_CHARS = 200
# A short text whose words are at least this share of one served language's function words is that
# language, whatever the identifier says of its names.
_FUNCTION_SHARE = 0.3


@functools.lru_cache(maxsize=1)
def _identifier() -> Any:
    """Load py3langid's bundled model once (about half a second), only when first needed."""
    from py3langid import langid  # lazy: importing it loads numpy

    cls = langid.LanguageIdentifier
    if hasattr(cls, "from_model_file"):  # py3langid >= 0.4
        return cls.from_model_file(langid.MODEL_FILE, norm_probs=True)
    return cls.from_pickled_model(langid.MODEL_FILE, norm_probs=True)  # older releases


def detect_language(text: str) -> str | None:
    """The ISO 639-1 code of ``text``'s language (``"id"``, ``"en"``), or None if unclear.

    None for text too short to tell or when the model is not confident. A few languages
    without a two-letter code come back as their three-letter ISO 639-3 code. Malay comes back
    as ``"id"`` (``_SERVED_AS``).
    """
    sample = text[:_SAMPLE_CHARS]
    if sum(1 for ch in sample if ch.isalpha()) < MIN_LETTERS:
        return None
    votes: dict[str, float] = {}
    for label, probability in _identifier().rank(sample):
        served = _SERVED_AS.get(label, label)
        votes[served] = votes.get(served, 0.0) + probability
    label, confidence = max(votes.items(), key=lambda vote: vote[1])
    if len(sample) <= _SHORT_CHARS and (served := _served_by_its_words(sample, label)):
        return served
    if label in _NOT_A_LANGUAGE or confidence < MIN_CONFIDENCE:
        return None
    return str(label)


def _served_by_its_words(text: str, label: str | None = None) -> str | None:
    """The served language (``rag.languages``) a short text's function words are, when the identifier
    named another one (``label``) or none: "who", "is", "the" make "Who is the Chidi Okonkwo?" English."""
    words = re.findall(r"[^\W\d_]+", text.lower())
    if label in LANGUAGES or not words:
        return None
    code, lang = max(LANGUAGES.items(), key=lambda item: sum(w in item[1].stopwords for w in words))
    return code if sum(w in lang.stopwords for w in words) / len(words) >= _FUNCTION_SHARE else None


def question_language(question: str, default: str = "en") -> str:
    """The language to answer ``question`` in: the detected one, else the one served language whose
    question words ("berapakah") or function words ("apa") it uses — "Berapakah usia PBB" and "Apa
    kata Blinken?" are too short for the identifier, and were answered in English —, else ``default``."""
    if found := detect_language(question):
        return found
    asking = {code for code in LANGUAGES if any(pattern.search(question) for _, pattern in question_patterns(code))}
    if len(asking) == 1:
        return asking.pop()
    return _served_by_its_words(question) or default
