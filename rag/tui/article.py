"""The article view: the full text of a source's article, the cited passage highlighted and in view."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from rag.render import describe
from rag.tui.formatting import article_paragraphs
from rag.types import Article, Source


class ArticleScreen(Screen[None]):
    BINDINGS = [Binding("escape", "app.pop_screen", "Back")]

    def __init__(self, article: Article, source: Source | None = None) -> None:
        super().__init__()
        self.article = article
        self.source = source

    def compose(self) -> ComposeResult:
        heading = f"[{self.source.number}] " if self.source else ""
        yield Static(heading + (self.article.title or self.article.id), id="article-title", markup=False)
        meta = describe(self.source.hit) if self.source else " · ".join(x for x in (self.article.source, self.article.date) if x)
        yield Static(" · ".join(x for x in (meta, self.article.url) if x), id="article-meta", markup=False)
        with VerticalScroll(id="article-body"):
            for paragraph in article_paragraphs(self.article, self.source):
                yield Static(paragraph.content, classes="paragraph -target" if paragraph.focus else "paragraph")
        yield Footer()

    def on_mount(self) -> None:
        body = self.query_one("#article-body", VerticalScroll)
        body.focus()
        target = self.query(".paragraph.-target")
        if target:
            # After the first layout, so the paragraph's position is known.
            self.call_after_refresh(body.scroll_to_widget, target.first(), animate=False, top=True)
