"""The status bar: what the index holds, which LLM answers and what it is doing, and write progress."""

from __future__ import annotations

from enum import Enum

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import ProgressBar, Static

from rag.index import IndexStatus


class LLMState(Enum):
    LOADING = "loading"
    READY = "ready"
    GENERATING = "generating"
    UNAVAILABLE = "unavailable"


class StatusBar(Horizontal):
    def __init__(self, **kw: object) -> None:
        super().__init__(**kw)  # type: ignore[arg-type]
        self.index_status: IndexStatus | None = None
        self.backend: str = "-"
        self.llm_state = LLMState.LOADING
        self.job = ""

    def compose(self) -> ComposeResult:
        yield Static(self.text, id="status-text", markup=False)
        yield ProgressBar(id="status-progress", show_eta=False)

    @property
    def text(self) -> str:
        st = self.index_status
        index = f"index {st.articles} articles · {st.passages} passages · {st.embedder}" if st else "no index"
        job = f" │ {self.job}" if self.job else ""
        return f"{index} │ LLM {self.backend}: {self.llm_state.value}{job}"

    def show_index(self, status: IndexStatus | None) -> None:
        self.index_status = status
        self._refresh_text()

    def show_llm(self, backend: str | None = None, state: LLMState | None = None) -> None:
        self.backend = backend or self.backend
        self.llm_state = state or self.llm_state
        self._refresh_text()

    def show_job(self, label: str, done: int | None = None, total: int | None = None) -> None:
        """A running write (ingest, rebuild): its name and, when known, a progress bar."""
        self.job = label
        bar = self.query_one("#status-progress", ProgressBar)
        bar.display = True
        bar.update(total=total, progress=done or 0)
        self._refresh_text()

    def end_job(self) -> None:
        self.job = ""
        self.query_one("#status-progress", ProgressBar).display = False
        self._refresh_text()

    def _refresh_text(self) -> None:
        if self.is_mounted:
            self.query_one("#status-text", Static).update(self.text)
