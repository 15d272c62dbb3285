"""Modal dialogs: ingest a path, reopen a saved conversation, the list of keys."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Markdown, OptionList, ProgressBar, Static
from textual.widgets.option_list import Option

from rag.conversations import ConversationSummary
from rag.tui.index_jobs import ShowsIndexWrites, WriteJob, WriteRequested


class IngestScreen(ShowsIndexWrites, ModalScreen[None]):
    """A path to ingest, then a progress bar. Esc closes it; an ingest that started goes on (see the status bar)."""

    BINDINGS = [Binding("escape", "dismiss", "Close")]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Ingest files or a folder", classes="dialog-title")
            yield Input(placeholder="~/news  or  feeds/world.rss  or  data/corpus.jsonl", id="ingest-path")
            yield Static("Text, Markdown, JSON(L), HTML, RSS/Atom; folders are read recursively.", id="ingest-message", markup=False)
            yield ProgressBar(id="ingest-progress", show_eta=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Ingest", id="ingest-start", variant="primary")
                yield Button("Close", id="ingest-close")

    @on(Input.Submitted, "#ingest-path")
    @on(Button.Pressed, "#ingest-start")
    def start(self) -> None:
        field = self.query_one("#ingest-path", Input)
        raw = field.value.strip()
        path = Path(raw).expanduser()
        if not raw or not path.exists():
            message = f"No such file or folder: {raw}" if raw else "Type the path of a file or folder to ingest."
            self._say(message, error=True)
            self.notify(message, severity="error")
            return
        field.disabled = True
        self.query_one("#ingest-start", Button).disabled = True
        self._say(f"Reading {path} …")
        self.query_one("#ingest-progress", ProgressBar).add_class("-running")
        self.post_message(WriteRequested(WriteJob("ingest", (path,))))

    @on(Button.Pressed, "#ingest-close")
    def close(self) -> None:
        self.dismiss()

    def show_progress(self, done: int, total: int) -> None:
        self.query_one("#ingest-progress", ProgressBar).update(total=total, progress=done)
        self._say(f"Embedding passages: {done}/{total}")

    def show_done(self, summary: str, *, failed: bool = False) -> None:
        self._say(summary, error=failed)
        self.query_one("#ingest-progress", ProgressBar).remove_class("-running")
        self.query_one("#ingest-path", Input).disabled = False
        self.query_one("#ingest-start", Button).disabled = False

    def _say(self, text: str, *, error: bool = False) -> None:
        message = self.query_one("#ingest-message", Static)
        message.update(text)
        message.set_class(error, "-error")


class ConversationsScreen(ModalScreen[int | None]):
    """Saved conversations, most recent first; Enter reopens one."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Close")]

    def __init__(self, conversations: Sequence[ConversationSummary]) -> None:
        super().__init__()
        self.conversations = list(conversations)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Saved conversations", classes="dialog-title")
            if not self.conversations:
                yield Static("No saved conversations yet: ask a question and it is kept here.", markup=False)
            options = [
                Option(f"{c.title}  ({c.turns} turn{'s' if c.turns != 1 else ''}, {c.updated_at[:16].replace('T', ' ')})", id=str(c.id))
                for c in self.conversations
            ]
            yield OptionList(*options, id="conversation-list")

    @on(OptionList.OptionSelected, "#conversation-list")
    def chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id or 0))


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,f1,q", "dismiss", "Close")]

    def __init__(self, keys: Sequence[tuple[str, str]]) -> None:
        super().__init__()
        self.keys = list(keys)

    def compose(self) -> ComposeResult:
        rows = "\n".join(f"| `{key}` | {what} |" for key, what in self.keys)
        text = (
            "# newsrag keys\n\n| key | does |\n|---|---|\n" + rows + "\n\n"
            "Every sentence of an answer cites its source as `[n]`. Sources marked ⚠ are cited by a sentence "
            "the citation check could not support. Ctrl+P opens the command palette."
        )
        with VerticalScroll(classes="dialog help"):
            yield Markdown(text)
