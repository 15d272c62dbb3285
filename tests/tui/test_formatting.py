"""rag.tui.formatting: what the TUI highlights and marks, checked without running an app."""

from __future__ import annotations

from rag.answer_context import render_cited
from rag.render import UNSUPPORTED_MARK, answer_markdown, conversation_markdown, unsupported_sources
from rag.tui.formatting import PASSAGE_STYLE, SUPPORT_STYLE, article_paragraphs, snippet
from rag.types import Answer, AnswerSentence, Hit, Passage, Source
from tests.helpers import make_article

TEXT = (
    "Eastport, Coastal Courier - The harbour bridge reopened on Friday.\n\n"
    "Engineers had found cracks in two of its steel cables.\nRepairs took three weeks.\n\n"
    "The ferry ran extra trips meanwhile."
)
ARTICLE = make_article(TEXT, "Eastport bridge reopens", source="Coastal Courier", date="2024-05-03")
CRACKS = "Engineers had found cracks in two of its steel cables."


def source(number: int = 1, *, supported: bool = True) -> Source:
    start, end = TEXT.index("\n\nEngineers") + 2, len(TEXT)  # the passage: from the second paragraph to the end
    passage = Passage(ARTICLE.id, 1, start, end, TEXT[start:end])
    hit = Hit(passage, 0.9, ARTICLE.title, ARTICLE.source, None, ARTICLE.date, "en")
    support = (TEXT.index(CRACKS), TEXT.index(CRACKS) + len(CRACKS)) if supported else (None, None)
    return Source(number, hit, *support)


def styled(content, style: str) -> list[str]:  # noqa: ANN001
    return [content.plain[s.start : s.end] for s in content.spans if s.style == style]


def test_the_snippet_highlights_the_supporting_sentence_on_one_line() -> None:
    content = snippet(source())
    assert styled(content, SUPPORT_STYLE) == [CRACKS]
    assert "\n" not in content.plain and content.plain.startswith(CRACKS)


def test_a_long_passage_is_cut_around_the_supporting_sentence() -> None:
    content = snippet(source(), context=10)
    assert styled(content, SUPPORT_STYLE) == [CRACKS]
    assert content.plain.endswith("…") and content.plain == CRACKS + " Repairs t…"


def test_a_source_nothing_cites_shows_its_opening_without_highlight() -> None:
    content = snippet(source(supported=False), context=10)
    assert content.spans == [] and content.plain == "Engineers had found …"


def test_the_article_highlights_passage_and_sentence_and_scrolls_to_the_sentence() -> None:
    paragraphs = article_paragraphs(ARTICLE, source())
    assert [p.focus for p in paragraphs] == [False, True, False, False]
    target = next(p for p in paragraphs if p.focus)
    assert styled(target.content, SUPPORT_STYLE) == [CRACKS]
    assert styled(paragraphs[0].content, PASSAGE_STYLE) == []  # before the passage
    assert styled(paragraphs[2].content, PASSAGE_STYLE) == ["Repairs took three weeks."]
    assert styled(paragraphs[-1].content, PASSAGE_STYLE) == ["The ferry ran extra trips meanwhile."]
    assert "".join(p.content.plain for p in paragraphs) == TEXT.replace("\n", "")


def test_an_article_opened_without_a_source_has_no_highlight() -> None:
    paragraphs = article_paragraphs(ARTICLE, None)
    assert all(not p.content.spans and not p.focus for p in paragraphs)


def answer(sentences: tuple[AnswerSentence, ...], text: str | None = None, fallback: bool = False) -> Answer:
    text = render_cited(sentences) if text is None else text
    return Answer("q?", "q?", text, sentences, (source(1), source(2, supported=False)), refused=not sentences, backend="local", fallback=fallback)


def test_unsupported_sentences_are_marked_and_notes_listed() -> None:
    a = answer((AnswerSentence("It reopened on *Friday*.", (1,)), AnswerSentence("Zebras graze.", (2,), False, ("citation [3] removed",))))
    md = answer_markdown(a)
    assert "It reopened on \\*Friday\\*. [1]" in md  # article text is escaped, not read as Markdown
    assert f"Zebras graze. [2] **{UNSUPPORTED_MARK} unsupported**" in md
    assert "- *citation \\[3\\] removed*" in md
    assert unsupported_sources(a) == {2}


def test_a_supported_answer_is_its_text_as_composed() -> None:
    composed = "Cracked cables [1] — from the Indonesian: “Kabel jembatan retak.”"
    assert answer_markdown(answer((AnswerSentence("Kabel jembatan retak.", (1,)),), text=composed)) == composed


def test_a_refusal_is_its_text() -> None:
    assert answer_markdown(answer((), text="The sources do not say.")) == "The sources do not say."


def test_the_export_lists_each_question_with_its_cited_sources() -> None:
    a = answer((AnswerSentence("Cables had cracks.", (1,)),), fallback=True)
    md = conversation_markdown([a, a], title="Bridge")
    assert md.startswith("# Bridge\n") and md.count("## q?") == 2
    assert "- [1] Eastport bridge reopens · Coastal Courier · 2024-05-03" in md and f"  > {CRACKS}" in md
    assert "[2] Eastport" not in md  # not cited
    assert "could not be checked" in md
