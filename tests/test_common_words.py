"""Which words of a name are its own: dictionaries of the asker's language."""

from __future__ import annotations

from rag.common_words import has_dictionary, is_common


def test_ordinary_words_are_common_and_names_are_not() -> None:
    assert all(is_common(w, "en") for w in ("Minister", "gulf", "Republic", "eradication"))
    assert not any(is_common(w, "en") for w in ("Okonkwo", "Simanjuntak", "Valcarcel", "Goldberg"))
    assert is_common("menteri", "id") and is_common("pemberantasan", "id")  # by its root, "berantas"
    assert not is_common("Simanjuntak", "id")


def test_british_spellings_are_english_words() -> None:
    assert is_common("centre", "en") and is_common("organisation", "en") and is_common("programme", "en")


def test_without_a_dictionary_no_word_is_claimed_to_be_a_names_own() -> None:
    assert not has_dictionary("ja") and is_common("松村", "ja")
