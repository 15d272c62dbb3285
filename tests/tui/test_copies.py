"""The sources panel names the other outlets of a report, and every outlet's copy opens (Pilot, hashing index)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from rag.chat import ChatPipeline
from rag.config import Settings, user_folders
from rag.index import Index
from rag.retrieval import Retriever
from rag.tui.article import ArticleScreen
from rag.tui.sources import CopyItem, SourceItem
from tests.helpers import DATA, HASHING_ANSWER_SETTINGS, load_jsonl
from tests.tui.test_app import SIZE, RecordingApp, ask, ready


async def test_every_outlet_of_a_report_stays_openable(tmp_path: Path) -> None:
    wire = [a for a in load_jsonl(DATA / "copies" / "wire.jsonl") if a.lang == "id"]  # same-language copies: no embedder needed
    mini = [a for a in load_jsonl(DATA / "corpus" / "mini.jsonl") if a.id != wire[0].id]
    with Index.create(tmp_path / "ix", embedder="hashing") as index:
        index.add(mini + wire)
    settings = Settings(index_dir=tmp_path / "ix", embedder="hashing", folders=replace(user_folders(), data=tmp_path / "data"))
    app = RecordingApp(settings, pipeline_factory=lambda ix: ChatPipeline(Retriever(ix), None, settings=HASHING_ANSWER_SETTINGS))
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await ask(pilot, "What did Blinken say in Cairo?")
        panel = app.chat.sources_panel
        heads = [i for i in panel.children if isinstance(i, SourceItem)]
        copies = [i for i in panel.children if isinstance(i, CopyItem)]
        assert heads and copies
        shown = {heads[0].source.article_id} | {c.member.article_id for c in copies}
        assert shown == {a.id for a in wire}  # the cited outlet and the other two, each once
        assert any("also in:" in str(s.render()) for s in heads[0].query(".source-also"))
        for n, item in enumerate(panel.children):
            if not isinstance(item, CopyItem):
                continue
            panel.focus()
            panel.index = n
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, ArticleScreen) and app.screen.article.id == item.member.article_id
            await pilot.press("escape")
            await pilot.pause()
