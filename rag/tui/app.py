"""The newsrag App: composition, app-wide keys and state, and the workers that open and write the index.

What lives where:

- ``ChatScreen`` (``rag.tui.chat_screen``) is the default screen: asking, streaming, cancelling,
  sources, saved conversations, export — with its own ``BINDINGS``.
- Index writes (ingest, rebuild) are ``rag.tui.index_jobs``: screens post ``WriteRequested``, the
  app runs one at a time and publishes its events as the ``index_write`` reactive.
- A screen that lists sources posts ``SourceOpened``; the app shows the article.

To add a screen: write it in its own module under ``rag/tui/``, add an ``action_`` here that pushes
it, a ``Binding`` for that action in ``BINDINGS`` below (or on ``ChatScreen`` when the key only
makes sense there), and a ``SystemCommand`` in ``get_system_commands`` for the command palette.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from textual import on, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.reactive import var
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from rag.chat import ChatPipeline
from rag.config import Settings
from rag.conversations import ConversationStore
from rag.errors import RagError
from rag.index import Index
from rag.render import error_text
from rag.tui import STYLESHEET
from rag.tui.article import ArticleScreen
from rag.tui.chat_screen import ChatScreen
from rag.tui.dialogs import HelpScreen, IngestScreen
from rag.tui.index_jobs import WriteEvent, WriteFinished, WriteJob, WriteRefused, WriteRequested, WriteStarted, run_write
from rag.tui.sources import SourceOpened
from rag.tui.status import LLMState
from rag.tui.welcome import WelcomeScreen

DEMO_CORPUS = Path(__file__).resolve().parents[2] / "data" / "demo" / "corpus.jsonl"
PipelineFactory = Callable[[Index], ChatPipeline]


class NewsRagApp(App[None]):
    TITLE = "newsrag"
    CSS_PATH = STYLESHEET
    BINDINGS = [
        Binding("ctrl+g", "ingest", "Ingest", tooltip="Add a file or folder of news to the index"),
        Binding("ctrl+t", "quotes", "Quotes", show=False, tooltip="What a speaker said, over time; each statement opens its article"),
        Binding("ctrl+y", "timeline", "Timeline", show=False, tooltip="The dated events of a story, oldest first; each opens its article"),
        Binding("f1", "help", "Help", tooltip="This list of keys"),
        Binding("ctrl+q", "quit", "Quit", tooltip="Quit newsrag"),
    ]

    index_write: var[WriteEvent | None] = var(None, always_update=True)
    """The last event of the running (or last) index write; screens that show progress watch it."""

    def __init__(self, settings: Settings | None = None, *, pipeline_factory: PipelineFactory | None = None, demo_corpus: Path | None = DEMO_CORPUS) -> None:
        """``pipeline_factory`` (default: ``rag.assembly.make_pipeline`` with ``settings``) lets tests answer with a scripted model."""
        super().__init__()
        self.settings = settings or Settings.from_env()
        self.demo_corpus = demo_corpus
        self._pipeline_factory = pipeline_factory or _default_pipeline_factory(self.settings)
        self.index: Index | None = None
        self.pipeline: ChatPipeline | None = None
        self.store: ConversationStore | None = None
        self._writing = False

    @property
    def index_dir(self) -> Path:
        return self.settings.index_dir

    def index_exists(self) -> bool:
        return Index.exists(self.index_dir)

    def get_default_screen(self) -> ChatScreen:
        return ChatScreen()

    @property
    def chat(self) -> ChatScreen:
        """The chat screen: the bottom of the screen stack."""
        screen = self.screen_stack[0]
        assert isinstance(screen, ChatScreen)
        return screen

    def on_mount(self) -> None:
        self.sub_title = str(self.index_dir)

    def start(self) -> None:
        """Called by the chat screen once it is mounted: open the conversation store, then the index (or welcome)."""
        try:
            self.store = ConversationStore(self.settings.folders.data)
        except RagError as e:
            self.notify(f"{e} Conversations will not be saved.", severity="warning", timeout=10)
        if self.index_exists():
            self.load_index()
        else:
            self.chat.status_bar.show_llm(state=LLMState.READY)
            self.push_screen(WelcomeScreen(self.index_dir, self.demo_corpus))

    def on_unmount(self) -> None:
        if self.store is not None:
            self.store.close()

    # -- opening the index --------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def load_index(self) -> None:
        """Open the index, load the embedder and build the answer pipeline (the slow part of start-up)."""
        try:
            index = Index.open(self.index_dir, policy=self.settings.vectors)
            self.call_from_thread(self.chat.status_bar.show_index, index.status())
            index.embedder  # noqa: B018 - load the embedder now rather than on the first question
            pipeline = self._pipeline_factory(index)
        except Exception as e:  # noqa: BLE001 - RagError is for the user; anything else is a bug, reported the same way
            self.call_from_thread(self._load_failed, e)
            return
        self.call_from_thread(self._loaded, index, pipeline)

    def _loaded(self, index: Index, pipeline: ChatPipeline) -> None:
        self.index, self.pipeline = index, pipeline
        self.chat.status_bar.show_llm(pipeline.backend, LLMState.READY)

    def _load_failed(self, error: Exception) -> None:
        self.chat.status_bar.show_llm(state=LLMState.UNAVAILABLE)
        self.notify(error_text(error), title="Cannot open the index or the model", severity="error", timeout=15)

    # -- articles -------------------------------------------------------------------------------

    @on(SourceOpened)
    def open_article(self, message: SourceOpened) -> None:
        if self.index is None:
            return
        found = self.index.articles([message.source.article_id])
        if not found:
            self.notify(f"“{message.source.hit.title}” is no longer in the index.", severity="warning")
            return
        self.push_screen(ArticleScreen(found[0], message.source))

    # -- writing the index ----------------------------------------------------------------------

    def action_ingest(self) -> None:
        if not isinstance(self.screen, IngestScreen):
            self.push_screen(IngestScreen(), lambda _: self.chat.question_input.focus())  # keep chatting while it runs

    def action_rebuild(self) -> None:
        if self.index is None:
            self.notify("There is no index to rebuild yet.", severity="warning")
            return
        self._start_write(WriteJob("rebuild"))

    @on(WriteRequested)
    def write_requested(self, message: WriteRequested) -> None:
        self._start_write(message.job)

    def _start_write(self, job: WriteJob) -> None:
        if self._writing:
            self.notify("Another index update is still running; wait for it to finish.", severity="warning")
            self.index_write = WriteRefused(job, "Another index update is still running.")
            return
        self._writing = True
        self.index_write = WriteStarted(job)
        self.run_write(job)

    @work(thread=True, group="write", exit_on_error=False)
    def run_write(self, job: WriteJob) -> None:
        # call_from_thread: each event is handled before the worker goes on (and before it counts as finished).
        report = lambda event: self.call_from_thread(self._write_event, event)  # noqa: E731
        run_write(job, self.index_dir, open_index=self.index, new_index_embedder=self.settings.embedder, policy=self.settings.vectors, report=report)

    def _write_event(self, event: WriteEvent) -> None:
        if isinstance(event, WriteFinished):
            self._writing = False
        self.index_write = event
        if not isinstance(event, WriteFinished):
            return
        title = f"{event.job.label.capitalize()} failed" if event.failed else "Index updated"
        self.notify(event.summary, title=title, severity="error" if event.failed else "information", timeout=10)
        if event.failed:
            return
        if event.status is None and self.index is None:
            self.load_index()  # the first index was just built
        while isinstance(self.screen, (IngestScreen, WelcomeScreen)):
            self.pop_screen()

    # -- quotes -----------------------------------------------------------------------------------

    def action_quotes(self) -> None:
        from rag.tui.quotes import QuotesScreen

        if self.index is None:
            self.notify("No index yet: ingest some news first (Ctrl+G).", severity="warning")
        elif not isinstance(self.screen, QuotesScreen):
            self.push_screen(QuotesScreen(self.index))

    # -- help, commands, errors -----------------------------------------------------------------

    def action_timeline(self) -> None:
        from rag.tui.timeline import TimelineScreen

        if self.index is None:
            self.notify("The index is not open yet.", severity="warning")
            return
        self.push_screen(TimelineScreen(self.index, as_of=self.settings.as_of))

    def action_as_of(self) -> None:
        """Ask for the date a question's "last week" counts from; the open pipeline answers with it at once."""
        from dataclasses import replace

        from rag.tui.timeline import AsOfScreen

        def changed(value: str | None) -> None:
            if value is None:
                return
            self.settings = self.settings.with_as_of(value or "today")
            if self.pipeline is not None:
                self.pipeline.settings = replace(self.pipeline.settings, as_of=self.settings.as_of)
            self.notify(f"Answering as of {self.settings.as_of or 'today'}.")

        self.push_screen(AsOfScreen(self.settings.as_of), changed)

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.key_help()))

    def key_help(self) -> list[tuple[str, str]]:
        keys = [("Enter", "Ask the question typed in the input box (follow-ups use the conversation so far)")]
        shown = sorted(_shown(ChatScreen.BINDINGS, self.BINDINGS), key=lambda b: b.key == "ctrl+q")  # Quit last
        keys += [(_key_name(b.key), b.tooltip or b.description) for b in shown]
        keys += [
            ("1 … 9", "Open that source's article (when the input box is not focused)"),
            ("Tab", "Move between the input box, the conversation and the sources"),
            ("Enter on a source", "Open its article, the cited passage highlighted; Esc returns"),
            ("Ctrl+T", "Quotes: what a speaker said, over time; each statement opens its article"),
            ("Ctrl+P", "Command palette: every action by name"),
        ]
        return keys

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        chat = self.chat
        yield SystemCommand("New conversation", "Start a new chat; the current one stays saved (Ctrl+N)", chat.action_new_conversation)
        yield SystemCommand("Open a saved conversation", "Reopen and continue an earlier chat (Ctrl+O)", chat.action_open_conversations)
        yield SystemCommand("Ingest files or a folder", "Add news to the index (Ctrl+G)", self.action_ingest)
        yield SystemCommand("Rebuild the index", "Re-chunk and re-embed every stored article (Ctrl+R)", self.action_rebuild)
        yield SystemCommand("Export the conversation", "Write it with its sources to a Markdown file (Ctrl+S)", chat.action_export)
        yield SystemCommand("Cancel the answer", "Stop the answer being written (Esc)", chat.action_cancel)
        yield SystemCommand("Quotes", "List a speaker's statements over time (Ctrl+T)", self.action_quotes)
        yield SystemCommand("Timeline", "The dated events of a story, or a speaker's statements, oldest first (Ctrl+Y)", self.action_timeline)
        yield SystemCommand("Answer as of a date", f"The date \"last week\" counts from (now: {self.settings.as_of or 'today'})", self.action_as_of)
        yield SystemCommand("Keys", "The list of keys (F1)", self.action_help)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A worker that fails anyway (they catch their own errors) is a notification, not the end of the app."""
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            self.notify(error_text(event.worker.error), title="Something went wrong", severity="error", timeout=15)


def _shown(*binding_lists: Iterable[Binding | tuple[str, ...]]) -> Iterable[Binding]:
    """The bindings shown in the footer, each key once (the first list wins, as in the footer)."""
    seen: set[str] = set()
    for bindings in binding_lists:
        for b in bindings:
            if isinstance(b, Binding) and b.show and b.key not in seen:
                seen.add(b.key)
                yield b


def _key_name(key: str) -> str:
    """``ctrl+n`` → ``Ctrl+N``, ``escape`` → ``Esc``, ``f1`` → ``F1``: as the footer shows them."""
    names = {"escape": "Esc", "ctrl": "Ctrl", "enter": "Enter"}
    return "+".join(names.get(part, part.upper()) for part in key.split("+"))


def _default_pipeline_factory(settings: Settings) -> PipelineFactory:
    def build(index: Index) -> ChatPipeline:
        from rag.assembly import make_pipeline

        return make_pipeline(index, settings)

    return build


def run(settings: Settings | None = None) -> None:
    """Open the TUI with ``settings`` (default: ``Settings.from_env()``)."""
    NewsRagApp(settings).run()
