"""The sources panel lists the cited sources first; sources retrieved far below them are folded
under one "also retrieved" line, one key (Ctrl+L) or Enter away. Driven with Textual's Pilot over
a real small index (hashing embedder) and a scripted chat model."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from rag.chat import ChatPipeline
from rag.retrieval import Retriever
from rag.tui.sources import AlsoRetrievedItem, SourceItem, SourcesPanel
from tests.helpers import ScriptedChat
from tests.tui.test_app import MINI, QUESTION, REPLY, SETTINGS, SIZE, RecordingApp, app_settings, ask, ready


def make_app(index_dir: Path, data_dir: Path, gap: float, off_topic: bool = True) -> RecordingApp:
    settings = replace(SETTINGS, also_retrieved_gap=gap, also_retrieved_off_topic=off_topic)
    model = ScriptedChat(replies=[REPLY], prompts=[])
    return RecordingApp(app_settings(index_dir, data_dir), pipeline_factory=lambda ix: ChatPipeline(Retriever(ix), model, settings=settings),
                        demo_corpus=MINI)  # fmt: skip


def listed(panel: SourcesPanel) -> list[int | str]:
    return [item.source.number if isinstance(item, SourceItem) else "fold" for item in panel.children if isinstance(item, SourceItem | AlsoRetrievedItem)]


async def test_sources_far_below_the_cited_ones_are_folded_and_ctrl_l_shows_them(mini_index_dir: Path, tmp_path: Path) -> None:
    app = make_app(mini_index_dir, tmp_path / "data", gap=0.0)  # every uncited source scored below the cited one is far below
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await ask(pilot, QUESTION)
        [answer] = app.chat.conversation.turns
        cited = [s.number for s in answer.cited_sources()]
        assert cited and answer.also_retrieved  # what this test is about
        panel = app.chat.sources_panel
        shown = [s.number for s in answer.sources_in_order()]
        assert listed(panel) == [*shown, "fold"] and shown[: len(cited)] == cited
        assert f"{len(answer.also_retrieved)} also retrieved" in str(panel.border_subtitle)
        assert app.chat.check_action("also_retrieved", ()) is True

        await pilot.press("ctrl+l")
        await pilot.pause()
        assert listed(panel) == [*shown, "fold", *answer.also_retrieved]
        assert all(not i.has_class("-cited") for i in panel.query(SourceItem) if i.source.number in answer.also_retrieved)

        await pilot.press("ctrl+l")
        await pilot.pause()
        assert listed(panel) == [*shown, "fold"]
        assert panel.by_number(answer.also_retrieved[0]) is not None  # a folded source still opens by its number

        panel.focus()  # Enter on the fold line unfolds it too
        panel.index = len(shown)
        await pilot.press("enter")
        await pilot.pause()
        assert listed(panel) == [*shown, "fold", *answer.also_retrieved]


async def test_without_sources_far_below_there_is_no_fold_and_no_key(mini_index_dir: Path, tmp_path: Path) -> None:
    app = make_app(mini_index_dir, tmp_path / "data", gap=1e9, off_topic=False)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await ask(pilot, QUESTION)
        [answer] = app.chat.conversation.turns
        assert answer.also_retrieved == ()
        panel = app.chat.sources_panel
        assert listed(panel) == [s.number for s in answer.sources_in_order()] and len(listed(panel)) == len(answer.sources)
        assert "also retrieved" not in str(panel.border_subtitle)
        assert not app.chat.check_action("also_retrieved", ())
