"""The Quotes view: what a speaker said over time, newest first; Enter opens the article with the
statement, its cue and the speaker's name highlighted. A self-contained screen: push
``QuotesScreen(index)`` from any App (``NewsRagApp.action_quotes``, Ctrl+T)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Input, ListItem, ListView, Static

from rag.types import Source

if TYPE_CHECKING:
    from rag.index import Index
    from rag.news.store import StoredQuote


def attribution_spans(text: str, stored: StoredQuote) -> list[tuple[int, int]]:
    """Offsets of the cue and of the speaker's mention next to it ("kata", "Blinken")."""
    q = stored.quote
    spans = []
    if q.cue_start is not None and q.cue_end is not None:
        spans.append((q.cue_start, q.cue_end))
        mention = (q.speaker_mention or "").strip(" .,")
        if mention and mention.lower() != text[q.cue_start : q.cue_end].lower():
            lo, hi = max(0, q.cue_start - 300), min(len(text), q.cue_end + 300)
            found = [m for m in re.finditer(re.escape(mention), text[lo:hi])]
            if found:
                m = min(found, key=lambda m: abs(lo + m.start() - q.cue_start))
                spans.append((lo + m.start(), lo + m.end()))
    return spans


class QuoteItem(ListItem):
    def __init__(self, stored: StoredQuote) -> None:
        super().__init__(classes="quote")
        self.stored = stored

    def compose(self) -> ComposeResult:
        from rag.news.lookup import short_date

        s, q = self.stored, self.stored.quote
        kind = "" if q.direct else " (indirect)"
        yield Static(f"{short_date(q.date)} · {q.place or 'place unknown'} · {s.source or '?'} — {q.speaker}, {q.cue or 'said'}{kind}", classes="quote-head", markup=False)
        yield Static(f"“{q.statement}”", classes="quote-statement", markup=False)


class QuotesScreen(Screen[None]):
    """Type a name (a surname is enough), Enter lists their statements; Enter on one opens it."""

    BINDINGS = [Binding("escape", "app.pop_screen", "Back")]
    DEFAULT_CSS = """
    QuotesScreen #quotes-speaker { dock: top; }
    QuotesScreen .quote-head { text-style: bold; }
    QuotesScreen .quote-statement { padding: 0 0 1 2; }
    """

    def __init__(self, index: Index, speaker: str = "") -> None:
        super().__init__()
        self.index = index
        self.speaker = speaker

    def compose(self) -> ComposeResult:
        yield Input(value=self.speaker, placeholder="Who? e.g. Blinken", id="quotes-speaker")
        yield Static("", id="quotes-status", markup=False)
        yield ListView(id="quotes-list")
        yield Footer()

    async def on_mount(self) -> None:
        if self.speaker:
            await self.show(self.speaker)
        else:
            self.query_one("#quotes-speaker", Input).focus()

    async def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        await self.show(event.value.strip())

    async def show(self, speaker: str) -> None:
        from rag.news.lookup import SpeakerQuery, find_quotes

        self.speaker = speaker
        found = find_quotes(self.index, SpeakerQuery(speaker)) if speaker else []
        listing = self.query_one("#quotes-list", ListView)
        await listing.clear()
        await listing.extend([QuoteItem(q) for q in found])
        names = sorted({q.quote.speaker or "" for q in found})
        status = f"{len(found)} statement{'s' if len(found) != 1 else ''} of {', '.join(names)}" if found else f"No stored statements of {speaker!r}."
        self.query_one("#quotes-status", Static).update(status)
        if found:
            listing.index = 0
            listing.focus()

    def on_list_view_selected(self, event: ListView.Selected) -> None:
        event.stop()
        if isinstance(event.item, QuoteItem):
            self.open(event.item.stored)

    def open(self, stored: StoredQuote) -> None:
        from rag.tui.article import ArticleScreen

        (article,) = self.index.articles([stored.quote.article_id])
        hits = self.index.hits([stored.passage_id], [1.0]) if stored.passage_id is not None else []
        source = Source(1, hits[0], stored.quote.statement_start, stored.quote.statement_end, quote=stored) if hits else None
        self.app.push_screen(ArticleScreen(article, source))
