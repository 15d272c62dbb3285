"""Which language an article is written in, for articles whose data does not say."""

from __future__ import annotations

import functools
from typing import Any

# Below this many letters the identifier's answer is noise ("hello" comes out Breton).
MIN_LETTERS = 20

# With normalised probabilities over ~140 languages, a winner below this is a guess.
# Deliberately low: Indonesian and Malay split their vote (~0.5 each) and that is still useful.
MIN_CONFIDENCE = 0.2

# Enough text to decide; identifying a whole long article only costs time.
_SAMPLE_CHARS = 4000

# Labels the model uses for "no language" rather than for a language.
_NOT_A_LANGUAGE = frozenset({"und", "zxx"})


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
    without a two-letter code come back as their three-letter ISO 639-3 code.
    """
    sample = text[:_SAMPLE_CHARS]
    if sum(1 for ch in sample if ch.isalpha()) < MIN_LETTERS:
        return None
    label, confidence = _identifier().classify(sample)
    if label in _NOT_A_LANGUAGE or confidence < MIN_CONFIDENCE:
        return None
    return str(label)
