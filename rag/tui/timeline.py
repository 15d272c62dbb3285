"""The Timeline view (Ctrl+Y): the dated events of a story, or a speaker's statements, oldest first;
Enter opens the article with the event's sentence highlighted. And the as-of dialog, where the user
sets the date that "last week" and "kemarin" in a question count from. Both are self-contained
screens: push ``TimelineScreen(index, as_of)`` or ``AsOfScreen(current)`` from any App."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Input, Label, ListItem, ListView, Static

from rag.types import Source

if TYPE_CHECKING:
    from rag.index import Index
    from rag.news.timeline import Timeline, TimelineEvent


class EventItem(ListItem):
    def __init__(self, event: TimelineEvent, outlet: str | None) -> None:
        super().__init__(classes="event")
        self.event = event
        self.outlet = outlet

    def compose(self) -> ComposeResult:
        from rag.news.lookup import short_date

        e = self.event
        who = f" — {e.speaker}" if e.speaker else ""
        yield Static(f"{short_date(e.date)} · {self.outlet or '?'}{who} [{e.source}]", classes="event-head", markup=False)
        yield Static(" ".join(e.text.split()), classes="event-text", markup=False)


class TimelineScreen(Screen[None]):
    """Type what happened (or a name), Enter lists its dated events oldest first; Enter on one opens it."""

    BINDINGS = [Binding("escape", "app.pop_screen", "Back")]
    DEFAULT_CSS = """
    TimelineScreen #timeline-query { dock: top; }
    TimelineScreen .event-head { text-style: bold; }
    TimelineScreen .event-text { padding: 0 0 1 2; }
    """

    def __init__(self, index: Index, query: str = "", as_of: str | None = None) -> None:
        super().__init__()
        self.index = index
        self.query_text = query
        self.as_of = as_of
        self.timeline: Timeline | None = None

    def compose(self) -> ComposeResult:
        yield Input(value=self.query_text, placeholder="What happened, or who? e.g. Rafah ceasefire · Blinken · Rafah last week", id="timeline-query")
        yield Static("", id="timeline-status", markup=False)
        yield ListView(id="timeline-list")
        yield Footer()

    async def on_mount(self) -> None:
        if self.query_text:
            await self.show(self.query_text)
        else:
            self.query_one("#timeline-query", Input).focus()

    async def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        await self.show(event.value.strip())

    async def show(self, query: str) -> None:
        from rag.language import detect_language
        from rag.news.timeline import build_timeline

        self.query_text = query
        found = build_timeline(self.index, query, as_of=self.as_of, lang=detect_language(query) or "en") if query else None
        self.timeline = found
        listing = self.query_one("#timeline-list", ListView)
        await listing.clear()
        events = found.events if found else []
        outlets = {s.number: s.source for s in found.sources} if found else {}
        await listing.extend([EventItem(e, outlets.get(e.source)) for e in events])
        as_of = f" (as of {self.as_of})" if self.as_of else ""
        if found and events:
            what = f"statements of {found.speaker}" if found.speaker else "dated events"
            status = f"{len(events)} {what}" + (f" {found.window}" if found.window else "") + f", oldest first{as_of}"
        else:
            status = f"No dated events found for {query!r}{as_of}." if query else ""
        self.query_one("#timeline-status", Static).update(status)
        if events:
            listing.index = 0
            listing.focus()

    def on_list_view_selected(self, event: ListView.Selected) -> None:
        event.stop()
        if isinstance(event.item, EventItem):
            self.open(event.item.event)

    def open(self, event: TimelineEvent) -> None:
        from rag.tui.article import ArticleScreen

        assert self.timeline is not None
        (article,) = self.index.articles([event.article_id])
        stored = next(s for s in self.timeline.sources if s.number == event.source)
        hits = self.index.hits([stored.passage_id], [1.0]) if stored.passage_id is not None else []
        self.app.push_screen(ArticleScreen(article, Source(1, hits[0], event.start, event.end) if hits else None))


class AsOfScreen(ModalScreen[str | None]):
    """The date a question's "last week" counts from: YYYY-MM-DD, or empty for today. Dismisses with the
    new value ("" for today), or None when closed without a change."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Close")]

    def __init__(self, current: str | None) -> None:
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Answer as of a date", classes="dialog-title")
            yield Input(value=self.current or "", placeholder="YYYY-MM-DD, empty for today", id="as-of-date")
            yield Static('"last week", "yesterday", "kemarin" in a question count from this date.', id="as-of-message", markup=False)

    @on(Input.Submitted, "#as-of-date")
    def submitted(self, event: Input.Submitted) -> None:
        from rag.errors import RagError
        from rag.news.timeframe import parse_as_of

        value = event.value.strip()
        try:
            self.dismiss(parse_as_of(value).isoformat() if value else "")
        except RagError as e:
            self.query_one("#as-of-message", Static).update(str(e))
