"""The Timeline view and the as-of setting, with Pilot over a real small index (hashing embedder)."""

from __future__ import annotations

from pathlib import Path

from textual.app import App
from textual.widgets import Input, ListView

from rag.index import Index
from rag.tui.article import ArticleScreen
from rag.tui.timeline import AsOfScreen, EventItem, TimelineScreen
from tests.helpers import DATA, load_jsonl
from tests.tui.test_app import SIZE, make_app, ready


class Host(App[None]):
    def __init__(self, index: Index) -> None:
        super().__init__()
        self.index = index

    def on_mount(self) -> None:
        self.push_screen(TimelineScreen(self.index))


async def test_the_timeline_lists_dated_events_oldest_first_and_opens_one(tmp_path: Path) -> None:
    with Index.create(tmp_path / "ix", embedder="hashing") as index:
        index.add(load_jsonl(DATA / "corpus" / "mini.jsonl"))
        app = Host(index)
        async with app.run_test() as pilot:
            await pilot.pause()
            app.screen.query_one("#timeline-query", Input).value = "Blinken Rafah Netanyahu"
            await pilot.press("enter")
            await pilot.pause()
            items = list(app.screen.query(EventItem))
            dates = [i.event.date for i in items]
            assert items and dates == sorted(dates)
            app.screen.query_one("#timeline-list", ListView).index = 0
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, ArticleScreen)
            assert app.screen.source.support_start == items[0].event.start


async def test_ctrl_l_opens_the_timeline_and_the_as_of_date_can_be_set(mini_index_dir: Path, tmp_path: Path) -> None:
    app = make_app(mini_index_dir, tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        titles = {c.title for c in app.get_system_commands(app.screen)}
        assert {"Timeline", "Answer as of a date"} <= titles
        await pilot.press("ctrl+y")
        await pilot.pause()
        assert isinstance(app.screen, TimelineScreen)
        await pilot.press("escape")
        await pilot.pause()
        app.action_as_of()
        await pilot.pause()
        assert isinstance(app.screen, AsOfScreen)
        field = app.screen.query_one("#as-of-date", Input)
        field.value = "27/03/2024"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, AsOfScreen)  # a bad date is explained, not taken
        field.value = "2024-03-27"
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, AsOfScreen)
        assert app.settings.as_of == "2024-03-27" and app.pipeline.settings.as_of == "2024-03-27"
