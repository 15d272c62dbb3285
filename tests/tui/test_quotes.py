"""The Quotes screen in a tiny host App over a real small index (hashing embedder), with Pilot."""

from __future__ import annotations

from pathlib import Path

from textual.app import App
from textual.widgets import Input, ListView

from rag.index import Index
from rag.tui.article import ArticleScreen
from rag.tui.formatting import QUOTE_ATTRIBUTION_STYLE, SUPPORT_STYLE, article_paragraphs
from rag.tui.quotes import QuoteItem, QuotesScreen
from tests.helpers import DATA, load_jsonl


class Host(App[None]):
    def __init__(self, index: Index) -> None:
        super().__init__()
        self.index = index

    def on_mount(self) -> None:
        self.push_screen(QuotesScreen(self.index))


async def test_quotes_screen_lists_a_speakers_statements_and_opens_the_article(tmp_path: Path) -> None:
    with Index.create(tmp_path / "ix", embedder="hashing") as index:
        index.add(load_jsonl(DATA / "corpus" / "mini.jsonl"))
        app = Host(index)
        async with app.run_test() as pilot:
            await pilot.pause()
            assert isinstance(app.screen, QuotesScreen)
            app.screen.query_one("#quotes-speaker", Input).value = "Blinken"
            await pilot.press("enter")
            await pilot.pause()
            items = list(app.screen.query(QuoteItem))
            assert items and {i.stored.quote.speaker for i in items} == {"Antony Blinken"}
            assert any("sebuah kesalahan" in i.stored.quote.statement for i in items)
            direct = next(n for n, i in enumerate(items) if i.stored.quote.direct)
            app.screen.query_one("#quotes-list", ListView).index = direct
            await pilot.press("enter")
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, ArticleScreen) and screen.article.id == "gatra-595212"
            stored = items[direct].stored
            assert screen.source.support_start == stored.quote.statement_start
            paragraphs = article_paragraphs(screen.article, screen.source)
            styles = {str(span.style) for p in paragraphs for span in p.content.spans}
            assert SUPPORT_STYLE in styles and QUOTE_ATTRIBUTION_STYLE in styles  # statement, cue and speaker marked
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, QuotesScreen)
