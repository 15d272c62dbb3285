"""The sources panel: the numbered sources of the current answer, each selectable to read the article."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from textual.app import ComposeResult
from textual.message import Message
from textual.widgets import ListItem, ListView, Static

from rag.render import UNSUPPORTED_MARK, also_in_text, describe
from rag.tui.formatting import snippet
from rag.types import CopyMember, Hit, Passage, Source


class SourceItem(ListItem):
    """``[n] title · outlet · date`` over a snippet with the supporting sentence highlighted."""

    def __init__(self, source: Source, *, cited: bool, unsupported: bool) -> None:
        classes = " ".join(c for c in ("source", "-cited" if cited else "", "-unsupported" if unsupported else "") if c)
        super().__init__(classes=classes)
        self.source = source
        self.unsupported = unsupported

    def compose(self) -> ComposeResult:
        mark = f"  {UNSUPPORTED_MARK} cited by an unsupported sentence" if self.unsupported else ""
        yield Static(f"[{self.source.number}] {describe(self.source.hit)}{mark}", classes="source-head", markup=False)
        if (stored := self.source.quote) is not None:  # the cited statement of an attribution answer
            q = stored.quote  # type: ignore[attr-defined]
            yield Static(f"❝ {q.speaker} — {q.cue or 'said'}{'' if q.direct else ' (indirect)'}", classes="source-quote", markup=False)
        yield Static(snippet(self.source), classes="source-snippet")
        if (also := also_in_text(self.source.hit)) is not None:
            yield Static(also, classes="source-also", markup=False)


class CopyItem(ListItem):
    """Another outlet's copy of a source's report, under it: Enter opens that outlet's article."""

    def __init__(self, source: Source, member: CopyMember) -> None:
        super().__init__(classes="source-copy")
        self.member = member
        # The member's own article, opened at its top (its offsets differ from the cited passage's).
        hit = Hit(Passage(member.article_id, 0, 0, 0, ""), source.hit.score, member.title, member.source, member.url, member.date, member.lang)
        self.source = Source(source.number, hit)

    def compose(self) -> ComposeResult:
        yield Static(f"    ↳ {' · '.join(x for x in (self.member.source, self.member.title, self.member.date) if x)}", markup=False)


@dataclass
class SourceOpened(Message):
    """The user chose ``source`` (Enter or a click in the sources panel, a number key): the app shows its article.

    Any screen that lists sources may post it; it bubbles up to the app.
    """

    source: Source


class SourcesPanel(ListView):
    """Enter or a click on an item (or a number key on the chat screen) opens that source's article."""

    def __init__(self, **kw: object) -> None:
        super().__init__(**kw)  # type: ignore[arg-type]
        self.sources: tuple[Source, ...] = ()

    async def show(self, sources: Sequence[Source], *, cited: set[int] | None = None, unsupported: set[int] | None = None) -> None:
        """List ``sources``; with ``cited`` given, the sources no sentence cites are dimmed."""
        self.sources = tuple(sources)
        await self.clear()
        items: list[ListItem] = []
        for s in self.sources:
            items.append(SourceItem(s, cited=cited is None or s.number in cited, unsupported=s.number in (unsupported or set())))
            items += [CopyItem(s, m) for m in s.hit.also_in]  # every outlet stays openable
        await self.extend(items)
        items = [i for i in items if isinstance(i, SourceItem)]
        self.border_subtitle = f"{len(items)} source{'s' if len(items) != 1 else ''}" if items else ""

    def by_number(self, number: int) -> Source | None:
        return next((s for s in self.sources if s.number == number), None)

    def on_list_view_selected(self, event: ListView.Selected) -> None:
        event.stop()
        if isinstance(event.item, SourceItem | CopyItem):
            self.post_message(SourceOpened(event.item.source))
