"""Indonesian titles copied into an English answer sentence, given in English (rag/titles.py)."""

import pytest

from rag.titles import english_titles


@pytest.mark.parametrize(
    ("copied", "english"),
    [
        ("Blinken met Menteri Luar Negeri Mesir Sameh Shoukry in Cairo.", "Blinken met Egypt's Foreign Minister Sameh Shoukry in Cairo."),
        ("Menlu AS Antony Blinken said so.", "US Secretary of State Antony Blinken said so."),
        ("Wakil Presiden Jusuf Kalla opened it.", "Vice President Jusuf Kalla opened it."),  # the longer title
        ("Gubernur Tengku Rizal Nurdin died in a crash.", "Governor Tengku Rizal Nurdin died in a crash."),
        ("Perdana Menteri Inggris Tony Blair arrived.", "UK Prime Minister Tony Blair arrived."),
        ("Perdana Menteri Jepang Junichiro Koizumi won.", "Japan's Prime Minister Junichiro Koizumi won."),
    ],
)
def test_a_title_before_a_name_is_rendered(copied: str, english: str) -> None:
    assert english_titles(copied) == english


@pytest.mark.parametrize(
    "sentence",
    [
        "The President of Indonesia spoke at 5 PM Monday.",  # English already
        "Tourists flock to Raja Ampat every year.",  # a place, not a king
        "Ketua Asosiasi Pertekstilan Indonesia Benny Soetrisno spoke.",  # a title of a body: left as the name it is
        "He said the Menteri was late.",  # no name after it
    ],
)
def test_words_that_are_no_title_before_a_name_stay(sentence: str) -> None:
    assert english_titles(sentence) == sentence
