"""The newsrag terminal UI (first cut): search the index and read the passages it finds.

The chat with streamed, cited answers replaces this screen in its own issue; until then this
shows what the index returns for a question, so ``make run`` opens something useful.
"""

from __future__ import annotations

from pathlib import Path

from textual import on, work
from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Input, Markdown

from rag.errors import RagError
from rag.index import Index


class NewsRagApp(App[None]):
    TITLE = "newsrag"
    CSS = "Markdown { height: 1fr; overflow-y: auto; }"
    BINDINGS = [("ctrl+q", "quit", "Quit")]

    def __init__(self, index_dir: Path) -> None:
        super().__init__()
        self.index_dir = index_dir
        self._index: Index | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder="Ask about the news, e.g. What did Blinken say in Cairo?", id="question")
        yield Markdown("", id="results")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = str(self.index_dir)

    @on(Input.Submitted, "#question")
    def ask(self, event: Input.Submitted) -> None:
        if event.value.strip():
            self.search(event.value.strip())

    @work(thread=True, exclusive=True)
    def search(self, question: str) -> None:
        try:
            if self._index is None:
                self._index = Index.open(self.index_dir)
            hits = self._index.search(question, k=5)
        except RagError as e:
            self.call_from_thread(self.notify, str(e), severity="error")
            return
        lines = [f"**Passages for:** {question}\n"]
        for n, hit in enumerate(hits, 1):
            head = " · ".join(x for x in (hit.title or hit.passage.article_id, hit.source, hit.date) if x)
            lines.append(f"**[{n}] {head}**  \n{hit.passage.text}\n")
        self.call_from_thread(self.query_one("#results", Markdown).update, "\n".join(lines))


def run(index_dir: Path = Path("index")) -> None:
    NewsRagApp(index_dir).run()


if __name__ == "__main__":
    run()
