"""rag.render: what the CLI prints and the export writes, from the values alone."""

from __future__ import annotations

import pytest

from rag.errors import ConfigError
from rag.evaluate import EvalReport
from rag.index import AddReport
from rag.ingest import IngestReport
from rag.render import (
    checked_answer_lines,
    conversation_markdown,
    describe,
    error_text,
    escape_markdown,
    eval_markdown,
    eval_text,
    hits_text,
    ingest_summary,
    ingest_text,
    supporting_sentence,
)
from rag.types import Answer, AnswerSentence, Hit, Passage, Problem, Source

TEXT = "The harbour bridge reopened on Friday. Engineers had found cracks in two cables."
CRACKS = "Engineers had found cracks in two cables."
PASSAGE = Passage("a1", 1, 0, len(TEXT), TEXT)
HIT = Hit(PASSAGE, 0.91, "Bridge reopens", "Coastal Courier", "https://example.com/bridge", "2024-05-03", "en")
SOURCE = Source(1, HIT, TEXT.index(CRACKS), TEXT.index(CRACKS) + len(CRACKS))


def answer(text: str, *, sentences: tuple[AnswerSentence, ...] | None = None, refused: bool = False, fallback: bool = False) -> Answer:
    sentences = sentences if sentences is not None else (AnswerSentence(text.removesuffix(" [1]"), (1,)),)
    return Answer("Why was it closed?", "Why was it closed?", text, sentences, (SOURCE,), refused, "llm", (HIT,), fallback)


def texts(lines) -> list[str]:  # noqa: ANN001
    return [line.text for line in lines]


def test_describe_leaves_out_what_is_unknown() -> None:
    assert describe(HIT) == "Bridge reopens · Coastal Courier · 2024-05-03"
    assert describe(HIT, url=True).endswith(" · https://example.com/bridge")
    bare = Hit(PASSAGE, 0.5, "", None)
    assert describe(bare) == "a1"


def test_the_supporting_sentence_is_cut_from_the_passage() -> None:
    assert supporting_sentence(SOURCE) == CRACKS
    assert supporting_sentence(Source(1, HIT)) is None


def test_an_answer_shown_as_streamed_is_not_repeated() -> None:
    a = answer(f"{CRACKS} [1]")
    lines = texts(checked_answer_lines(a, streamed=f"{CRACKS}  [1]"))  # whitespace differences do not count
    assert "\nChecked answer:" not in lines
    assert lines == ["\nSources:", f"[1] {describe(HIT, url=True)}", f"    “{CRACKS}”"]


def test_an_answer_changed_after_streaming_is_shown_checked() -> None:
    # e.g. the model copied an Indonesian phrase and the check translated the sentence afterwards
    a = answer(f"{CRACKS} [1]")
    lines = checked_answer_lines(a, streamed="Insinyur menemukan retakan [1]")
    assert texts(lines)[:2] == ["\nChecked answer:", a.text] and lines[0].tone == "note"


@pytest.mark.parametrize(
    ("sentence", "expected", "tone"),
    [
        (AnswerSentence("Zebras graze near Kyoto.", (1,), supported=False), "  unsupported by any source: Zebras graze near Kyoto.", "problem"),
        (AnswerSentence(CRACKS, (1,), notes=("citation repaired: [2] → [1]",)), "  note: citation repaired: [2] → [1]", "note"),
    ],
)
def test_what_the_check_found_is_listed(sentence: AnswerSentence, expected: str, tone: str) -> None:
    a = answer(f"{sentence.text} [1]", sentences=(sentence,))
    lines = checked_answer_lines(a, streamed=a.text)
    assert (expected, tone) in [(line.text, line.tone) for line in lines]


def test_a_fallback_says_so_and_a_refusal_lists_no_sources() -> None:
    fallback = texts(checked_answer_lines(answer(f"{CRACKS} [1]", fallback=True), streamed="something else"))
    assert fallback[0].startswith("\nThe model's answer could not be checked") and "\nSources:" in fallback
    refusal = answer("The sources do not contain the answer.", sentences=(), refused=True)
    assert "\nSources:" not in texts(checked_answer_lines(refusal, streamed=refusal.text))


def test_the_export_quotes_the_supporting_sentence_and_escapes_article_text() -> None:
    md = conversation_markdown([answer(f"{CRACKS} [1]")], title="Bridge")
    assert md.startswith("# Bridge\n") and "## Why was it closed?" in md
    assert f"  > {CRACKS}" in md and "<https://example.com/bridge>" in md
    assert escape_markdown("*bold* #1 [x]") == "\\*bold\\* \\#1 \\[x\\]"


def test_hits_are_ranked_with_their_scores() -> None:
    assert hits_text([HIT]).startswith("[1] 0.910  Bridge reopens")


def test_ingest_reports_for_the_cli_and_the_tui() -> None:
    report = IngestReport(files_read=3, problems=[Problem(f"bad{i}.txt", "empty") for i in range(5)], added=AddReport(new=2, passages_embedded=10, seconds=2.0))
    line = ingest_text(report, "ix")
    assert line.startswith("ix: 2 new, 0 updated, 0 unchanged") and "(5.0 passages/s)" in line and "5 skipped" in line
    summary = ingest_summary(report, max_problems=2)
    assert "bad0.txt: empty; bad1.txt: empty …" in summary and "bad2" not in summary


def test_eval_reports_as_text_and_markdown() -> None:
    report = EvalReport("idkmrc", "extractive", 30, {"recall@5": 0.5, "answer_accuracy": None}, {"total_s": {"p50": 0.1, "p95": 0.3}, "first_token_s": None})
    text = eval_text(report).splitlines()
    assert text[0] == "idkmrc · extractive · 30 questions"
    assert "recall@5" in text[1] and text[1].endswith("0.500") and text[2].endswith("-")
    assert text[3].endswith("p50 0.10 s   p95 0.30 s") and text[4].endswith("-")
    md = eval_markdown([report])
    assert "| recall@5 | 0.500 |" in md and md.count("\n") == 6


def test_errors_read_as_their_message_unless_they_are_bugs() -> None:
    assert error_text(ConfigError("Use --llm extractive.")) == "Use --llm extractive."
    assert error_text(KeyError("x")) == "Unexpected error (KeyError): 'x'"
