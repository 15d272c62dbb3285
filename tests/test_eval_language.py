"""``rag eval``'s answer accuracy in the asker's language (score on hand-built answers)."""

from __future__ import annotations

import pytest

from rag.evaluate import QAItem, in_language, score, summarise
from rag.types import Answer, AnswerSentence, Hit, Passage, Source

ITEM = QAItem("q1", "How long does the Tribute to Teguh Karya concert last?", ("90 minutes", "90 menit"),
              frozenset({"doc-1"}), False, "en", ("90 minutes",))  # fmt: skip
PASSAGE = Passage("doc-1", 0, 0, 60, "Konser Tribute to Teguh Karya berlangsung selama 90 menit di Jakarta.", 1)


def answer(text: str, refused: bool = False) -> Answer:
    hit = Hit(PASSAGE, 1.0, "", lang="id")
    return Answer(ITEM.question, ITEM.question, text, (AnswerSentence(text, (1,)),), (Source(1, hit),), refused, "test", (hit,))


@pytest.mark.parametrize(
    ("text", "correct", "in_language_correct"),
    [
        ("The concert lasts 90 minutes [1].", True, True),
        # right in the source's language only: counted by the old metric, not by the new one
        ("Konser Tribute to Teguh Karya berlangsung selama 90 menit di Jakarta [1].", True, False),
        # an English answer carrying the Indonesian gold string is right, but not in English words
        ("The concert lasted for 90 menit according to the organisers [1].", True, False),
        # a quoted source sentence does not make an English answer Indonesian
        ("90 minutes [1] — from the Indonesian: “Konser Tribute to Teguh Karya berlangsung selama 90 menit.”", True, True),
        ("The concert lasts two hours [1].", False, False),
    ],
)
def test_accuracy_in_the_askers_language(text: str, correct: bool, in_language_correct: bool) -> None:
    result = score(ITEM, answer(text))
    assert (result.correct, result.correct_in_language) == (correct, in_language_correct)


def test_a_refusal_is_never_correct_in_any_language() -> None:
    assert not score(ITEM, answer("The concert lasts 90 minutes [1].", refused=True)).correct_in_language


def test_summary_reports_the_share_over_answerable_questions() -> None:
    results = [score(ITEM, answer("The concert lasts 90 minutes [1].")), score(ITEM, answer("Berlangsung selama 90 menit di Jakarta, kata panitia [1]."))]
    metrics = summarise("set", "test", results).metrics
    assert metrics["answer_accuracy"] == 1.0 and metrics["answer_accuracy_in_language"] == 0.5


def test_names_and_numbers_alone_are_in_every_language() -> None:
    assert in_language("Susilo Bambang Yudhoyono [1]", "en") and in_language("Susilo Bambang Yudhoyono [1]", "id")
