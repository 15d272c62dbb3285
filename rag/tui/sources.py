"""The sources panel: the numbered sources of the current answer, each selectable to read the article.

The cited sources come first. Sources retrieved far below the cited ones, or naming none of the
question's names, are folded under one "also retrieved" line (Enter on it, or Ctrl+L on the chat
screen, unfolds them): they were found but the answer does not rest on them, and listing them
beside it reads as if it did.
"""

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


class AlsoRetrievedItem(ListItem):
    """The folded "also retrieved" line; selecting it folds or unfolds the sources below it."""

    def __init__(self, count: int) -> None:
        super().__init__(classes="also-retrieved")
        self.count = count
        self.label = Static(self.text(unfolded=False), markup=False)

    def text(self, *, unfolded: bool) -> str:
        what = f"{self.count} also retrieved, far below the cited sources or about something else"
        return f"▾ {what} (Ctrl+L folds)" if unfolded else f"▸ {what} (Ctrl+L shows)"

    def compose(self) -> ComposeResult:
        yield self.label


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
        """Every source of the answer, the folded ones included (a number key opens any of them)."""
        self.also_retrieved: tuple[Source, ...] = ()
        self.unfolded = False

    async def show(
        self, sources: Sequence[Source], *, cited: set[int] | None = None, unsupported: set[int] | None = None,
        also_retrieved: Sequence[Source] = (),
    ) -> None:  # fmt: skip
        """List ``sources`` in the order given; with ``cited`` given, the sources no sentence cites
        are dimmed. ``also_retrieved`` are listed folded, under one line, after them."""
        self.sources = (*sources, *also_retrieved)
        self.also_retrieved = tuple(also_retrieved)
        self.unfolded = False
        self._unsupported = unsupported or set()
        await self.clear()
        items = self._items(sources, cited)
        if also_retrieved:
            items.append(AlsoRetrievedItem(len(also_retrieved)))
        await self.extend(items)
        shown = len(sources)
        subtitle = f"{shown} source{'s' if shown != 1 else ''}" if shown else ""
        self.border_subtitle = subtitle + (f" · {len(also_retrieved)} also retrieved" if also_retrieved else "")

    def _items(self, sources: Sequence[Source], cited: set[int] | None) -> list[ListItem]:
        """Each source, then a line for every other outlet that ran the same report (each openable)."""
        items: list[ListItem] = []
        for s in sources:
            items.append(SourceItem(s, cited=cited is None or s.number in cited, unsupported=s.number in self._unsupported))
            items += [CopyItem(s, m) for m in s.hit.also_in]
        return items

    async def toggle_also_retrieved(self) -> bool:
        """Unfold the also-retrieved sources, or fold them again; False when there are none."""
        if not self.also_retrieved:
            return False
        self.unfolded = not self.unfolded
        fold = self.query_one(AlsoRetrievedItem)
        fold.label.update(fold.text(unfolded=self.unfolded))
        if self.unfolded:
            await self.extend(self._items(self.also_retrieved, cited=set()))
        else:
            start = list(self.children).index(fold) + 1  # the items after the fold line
            await self.remove_items(range(start, len(self)))
        return True

    def by_number(self, number: int) -> Source | None:
        return next((s for s in self.sources if s.number == number), None)

    async def on_list_view_selected(self, event: ListView.Selected) -> None:
        event.stop()
        if isinstance(event.item, SourceItem | CopyItem):
            self.post_message(SourceOpened(event.item.source))
        elif isinstance(event.item, AlsoRetrievedItem):
            await self.toggle_also_retrieved()
