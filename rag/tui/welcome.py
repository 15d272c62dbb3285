"""First run: there is no index yet, so offer to build the demo one or to ingest the user's own news."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, Footer, Markdown, ProgressBar, Static

from rag.tui.dialogs import IngestScreen
from rag.tui.index_jobs import ShowsIndexWrites, WriteJob, WriteRequested

_TEXT = """\
# Welcome to newsrag

There is no index at `{index}` yet. Answers come from the articles in an index, so build one:

- **Build the demo index**: {demo_articles} news articles (English and Indonesian) that come with newsrag.
  Embedding them takes a minute or two.
- **Ingest a folder**: your own text, Markdown, JSON(L), HTML or RSS/Atom files.
"""


class WelcomeScreen(ShowsIndexWrites, Screen[None]):
    BINDINGS = [Binding("ctrl+q", "app.quit", "Quit")]

    def __init__(self, index_dir: Path, demo_corpus: Path | None) -> None:
        super().__init__()
        self.index_dir = index_dir
        self.demo_corpus = demo_corpus if demo_corpus and demo_corpus.is_file() else None

    def compose(self) -> ComposeResult:
        count = sum(1 for line in self.demo_corpus.open(encoding="utf-8") if line.strip()) if self.demo_corpus else 0
        with Vertical(id="welcome"):
            yield Markdown(_TEXT.format(index=self.index_dir, demo_articles=count or "no"))
            with Horizontal(classes="dialog-buttons"):
                yield Button("Build the demo index", id="build-demo", variant="primary", disabled=self.demo_corpus is None)
                yield Button("Ingest a folder…", id="ingest-folder")
                yield Button("Quit", id="quit")
            with Center():
                yield ProgressBar(id="welcome-progress", show_eta=False)
            yield Static("", id="welcome-message", markup=False)
        yield Footer()

    @on(Button.Pressed, "#build-demo")
    def build_demo(self) -> None:
        assert self.demo_corpus is not None  # the button is disabled otherwise
        self.query_one("#build-demo", Button).disabled = True
        self.query_one("#welcome-progress", ProgressBar).add_class("-running")
        self.query_one("#welcome-message", Static).update(f"Building the demo index from {self.demo_corpus.name} …")
        self.post_message(WriteRequested(WriteJob("ingest", (self.demo_corpus,))))

    @on(Button.Pressed, "#ingest-folder")
    def ingest_folder(self) -> None:
        self.app.push_screen(IngestScreen())

    @on(Button.Pressed, "#quit")
    def quit(self) -> None:
        self.app.exit()

    def show_progress(self, done: int, total: int) -> None:
        self.query_one("#welcome-progress", ProgressBar).update(total=total, progress=done)
        self.query_one("#welcome-message", Static).update(f"Embedding passages: {done}/{total}")

    def show_done(self, summary: str, *, failed: bool = False) -> None:
        self.query_one("#welcome-message", Static).update(summary)
        self.query_one("#welcome-progress", ProgressBar).remove_class("-running")
        self.query_one("#build-demo", Button).disabled = self.demo_corpus is None
