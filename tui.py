"""The newsrag terminal UI: ask about the news, read streamed answers whose sentences cite sources, open the articles.

This module is the wiring only (layout, keys, workers); the widgets and screens are in ``rag.tui``,
answering is ``rag.chat.ChatPipeline.stream``, saved conversations are ``rag.conversations``.
Everything slow (opening the index and models, answering, ingesting) runs in worker threads, so
the UI never waits; their results come back through ``call_from_thread``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextlib import closing
from datetime import datetime
from pathlib import Path

from textual import on, work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Footer, Header, Input
from textual.worker import Worker, get_current_worker

from rag.assembly import LLMOptions
from rag.chat import ChatPipeline, Completed, Conversation, Retrieved, Token
from rag.conversations import ConversationStore, default_data_dir
from rag.errors import RagError
from rag.index import Index, IndexStatus
from rag.llm.errors import LLMUnavailableError
from rag.tui import STYLESHEET
from rag.tui.article import ArticleScreen
from rag.tui.conversation import ConversationView, QuestionInput, Turn
from rag.tui.dialogs import ConversationsScreen, HelpScreen, IngestScreen
from rag.tui.formatting import conversation_markdown, unsupported_sources
from rag.tui.jobs import RequestWrite, ShowsProgress, WriteJob
from rag.tui.sources import SourcesPanel
from rag.tui.status import LLMState, StatusBar
from rag.tui.welcome import WelcomeScreen
from rag.types import Answer, Source

DEMO_CORPUS = Path(__file__).resolve().parent / "data" / "demo" / "corpus.jsonl"
PipelineFactory = Callable[[Index], ChatPipeline]

# Actions that act on the main screen's conversation; hidden (and inert) while another screen is on top.
_MAIN_SCREEN_ACTIONS = {"cancel", "new_conversation", "open_conversations", "rebuild", "export", "open_source"}


class NewsRagApp(App[None]):
    TITLE = "newsrag"
    CSS_PATH = STYLESHEET
    BINDINGS = [
        Binding("escape", "cancel", "Cancel answer", tooltip="Stop the answer being written; the question goes back into the input box"),
        Binding("ctrl+n", "new_conversation", "New chat", tooltip="Start a new conversation (the current one stays saved)"),
        Binding("ctrl+o", "open_conversations", "History", tooltip="Reopen a saved conversation and continue it"),
        Binding("ctrl+g", "ingest", "Ingest", tooltip="Add a file or folder of news to the index"),
        Binding("ctrl+r", "rebuild", "Rebuild index", tooltip="Re-chunk and re-embed every stored article"),
        Binding("ctrl+s", "export", "Export", tooltip="Write the conversation with its sources to a Markdown file"),
        Binding("f1", "help", "Help", tooltip="This list of keys"),
        Binding("ctrl+q", "quit", "Quit", tooltip="Quit newsrag"),
        *(Binding(str(n), f"open_source({n})", f"Open source {n}", show=False) for n in range(1, 10)),
    ]

    def __init__(
        self,
        index_dir: Path = Path("index"),
        *,
        llm_options: LLMOptions | None = None,
        pipeline_factory: PipelineFactory | None = None,
        data_dir: Path | None = None,
        demo_corpus: Path | None = DEMO_CORPUS,
        new_index_embedder: str | None = None,
    ) -> None:
        """``pipeline_factory`` (default: ``rag.assembly.make_pipeline`` with ``llm_options``) lets tests
        answer with a scripted model; ``new_index_embedder`` is used only when an ingest creates the index."""
        super().__init__()
        self.index_dir = index_dir
        self.data_dir = data_dir or default_data_dir()
        self.demo_corpus = demo_corpus
        self.new_index_embedder = new_index_embedder
        self._pipeline_factory = pipeline_factory or _default_pipeline_factory(llm_options or LLMOptions())
        self.index: Index | None = None
        self.pipeline: ChatPipeline | None = None
        self.store: ConversationStore | None = None
        self.conversation = Conversation()
        self.conversation_id: int | None = None
        self._active_turn: Turn | None = None
        self._answer_worker: Worker | None = None
        self._writing = False

    # -- layout -------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="main"):
            yield ConversationView(id="conversation")
            sources = SourcesPanel(id="sources")
            sources.border_title = "Sources"
            yield sources
        yield QuestionInput(placeholder="Ask about the news, e.g. What did Blinken say in Cairo?  (Enter to ask, F1 for help)", id="question")
        yield StatusBar(id="status")
        yield Footer()

    @property
    def status_bar(self) -> StatusBar:
        return self.query_one("#status", StatusBar)

    @property
    def sources_panel(self) -> SourcesPanel:
        return self.query_one("#sources", SourcesPanel)

    @property
    def conversation_view(self) -> ConversationView:
        return self.query_one("#conversation", ConversationView)

    @property
    def question_input(self) -> Input:
        return self.query_one("#question", Input)

    def on_mount(self) -> None:
        self.sub_title = str(self.index_dir)
        self.question_input.focus()
        try:
            self.store = ConversationStore(self.data_dir)
        except RagError as e:
            self.notify(f"{e} Conversations will not be saved.", severity="warning", timeout=10)
        if Index.exists(self.index_dir):
            self.load_index()
        else:
            self.status_bar.show_llm(state=LLMState.READY)
            self.push_screen(WelcomeScreen(self.index_dir, self.demo_corpus))

    def on_unmount(self) -> None:
        if self.store is not None:
            self.store.close()

    # -- opening the index --------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="load")
    def load_index(self) -> None:
        """Open the index, load the embedder and build the answer pipeline (the slow part of start-up)."""
        try:
            index = Index.open(self.index_dir)
            self.call_from_thread(self.status_bar.show_index, index.status())
            index.embedder  # noqa: B018 - load the embedder now rather than on the first question
            pipeline = self._pipeline_factory(index)
        except RagError as e:
            self.call_from_thread(self._load_failed, e)
            return
        self.call_from_thread(self._loaded, index, pipeline)

    def _loaded(self, index: Index, pipeline: ChatPipeline) -> None:
        self.index, self.pipeline = index, pipeline
        self.status_bar.show_llm(pipeline.backend, LLMState.READY)

    def _load_failed(self, error: RagError) -> None:
        self.status_bar.show_llm(state=LLMState.UNAVAILABLE)
        self.notify(str(error), title="Cannot open the index or the model", severity="error", timeout=15)

    # -- asking -------------------------------------------------------------------------------

    @on(Input.Submitted, "#question")
    async def ask(self, event: Input.Submitted) -> None:
        question = event.value.strip()
        if not question:
            return
        if self._active_turn is not None:
            self.notify("Still answering the last question; Esc cancels it.", severity="warning")
            return
        if self.pipeline is None:
            if Index.exists(self.index_dir):
                self.notify("The index and model are still loading (or failed to: see the status bar); ask again in a moment.", severity="warning")
            else:
                self.notify("No index to answer from: ingest some news first (Ctrl+G).", severity="warning")
            return
        event.input.clear()
        turn = await self.conversation_view.add_turn(question)
        self._active_turn = turn
        self.status_bar.show_llm(state=LLMState.GENERATING)
        # The worker gets its own copy of the history: the app appends a turn only once it is answered.
        self._answer_worker = self.answer(question, turn, Conversation(list(self.conversation.turns)))
        self.refresh_bindings()

    @work(thread=True, exclusive=True, group="answer")
    def answer(self, question: str, turn: Turn, history: Conversation) -> None:
        worker = get_current_worker()
        assert self.pipeline is not None
        try:
            # closing(): when cancelled, the generator (and the model's token stream inside it) is closed at once.
            with closing(self.pipeline.stream(question, history)) as events:
                for event in events:
                    if worker.is_cancelled:
                        return
                    if isinstance(event, Retrieved):
                        self.call_from_thread(self._show_retrieved, turn, event)
                    elif isinstance(event, Token):
                        self.call_from_thread(self._write_token, turn, event.text)
                    elif isinstance(event, Completed):
                        self.call_from_thread(self._answered, turn, event.answer)
        except RagError as e:
            if not worker.is_cancelled:
                self.call_from_thread(self._failed, turn, question, e)

    async def _show_retrieved(self, turn: Turn, event: Retrieved) -> None:
        if turn is self._active_turn and self.pipeline is not None:
            # The sources, numbered as the answer will cite them, while the answer is still being written.
            await self.sources_panel.show([Source(n, hit) for n, hit in enumerate(event.hits[: self.pipeline.settings.k], 1)])

    async def _write_token(self, turn: Turn, text: str) -> None:
        if turn is self._active_turn:
            at_end = self.conversation_view.at_end
            await turn.write(text)
            self.conversation_view.follow(at_end)

    async def _answered(self, turn: Turn, answer: Answer) -> None:
        if turn is not self._active_turn:
            return  # cancelled meanwhile
        self._end_answer(LLMState.READY)
        self.conversation.turns.append(answer)
        await turn.finish(answer)
        cited = {s.number for s in answer.cited_sources()}
        await self.sources_panel.show(answer.sources, cited=cited, unsupported=unsupported_sources(answer))
        self._save(answer)

    async def _failed(self, turn: Turn, question: str, error: RagError) -> None:
        if turn is not self._active_turn:
            return
        unavailable = isinstance(error, LLMUnavailableError)
        self._end_answer(LLMState.UNAVAILABLE if unavailable else LLMState.READY)
        await turn.fail("No answer: the sources found are listed beside." if unavailable else "No answer.")
        self.notify(str(error), title="The answer failed", severity="error", timeout=15)
        self._restore_question(question)

    async def action_cancel(self) -> None:
        turn = self._active_turn
        if turn is None:
            return
        if self._answer_worker is not None:
            self._answer_worker.cancel()  # the worker stops at its next token
        self._end_answer(LLMState.READY)
        await turn.fail("Cancelled.")
        self._restore_question(turn.question)

    def _end_answer(self, state: LLMState) -> None:
        self._active_turn = None
        self._answer_worker = None
        self.status_bar.show_llm(state=state)
        self.refresh_bindings()

    def _restore_question(self, question: str) -> None:
        field = self.question_input
        if not field.value.strip():  # do not overwrite what the user has typed since
            field.value = question
            field.cursor_position = len(question)
        field.focus()

    def _save(self, answer: Answer) -> None:
        if self.store is None:
            return
        try:
            if self.conversation_id is None:
                self.conversation_id = self.store.create(answer.question)
            self.store.append(self.conversation_id, answer)
        except RagError as e:
            self.notify(f"The conversation was not saved: {e}", severity="warning")

    # -- sources and articles -----------------------------------------------------------------

    def action_open_source(self, number: int) -> None:
        source = self.sources_panel.by_number(number)
        if source is None:
            self.notify(f"There is no source [{number}] for the current answer.", severity="warning")
            return
        self.open_article(source)

    @on(SourcesPanel.Open)
    def source_selected(self, message: SourcesPanel.Open) -> None:
        self.open_article(message.source)

    def open_article(self, source: Source) -> None:
        if self.index is None:
            return
        found = self.index.articles([source.article_id])
        if not found:
            self.notify(f"“{source.hit.title}” is no longer in the index.", severity="warning")
            return
        self.push_screen(ArticleScreen(found[0], source))

    # -- conversations --------------------------------------------------------------------------

    async def action_new_conversation(self) -> None:
        await self.action_cancel()
        self.conversation = Conversation()
        self.conversation_id = None
        await self.conversation_view.clear()
        await self.sources_panel.show([])
        self.question_input.focus()

    def action_open_conversations(self) -> None:
        if self.store is None:
            self.notify("Conversations are not being saved (see the earlier warning).", severity="warning")
            return
        try:
            saved = self.store.list()
        except RagError as e:
            self.notify(str(e), severity="error")
            return
        self.push_screen(ConversationsScreen(saved), self._reopen)

    async def _reopen(self, conversation_id: int | None) -> None:
        if conversation_id is None or self.store is None:
            return
        try:
            saved = self.store.load(conversation_id)
        except RagError as e:
            self.notify(str(e), severity="error")
            return
        await self.action_cancel()
        self.conversation = Conversation(list(saved.answers))
        self.conversation_id = saved.id
        await self.conversation_view.show_saved(saved.answers)
        last = saved.answers[-1] if saved.answers else None
        if last is not None:
            await self.sources_panel.show(last.sources, cited={s.number for s in last.cited_sources()}, unsupported=unsupported_sources(last))
        else:
            await self.sources_panel.show([])
        self.question_input.focus()

    def action_export(self) -> None:
        answers = self.conversation.turns
        if not answers:
            self.notify("Nothing to export yet: ask a question first.", severity="warning")
            return
        folder = self.data_dir / "exports"
        path = folder / f"newsrag-conversation-{datetime.now().strftime('%Y%m%d-%H%M%S')}.md"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path.write_text(conversation_markdown(answers, title=answers[0].question), encoding="utf-8")
        except OSError as e:
            self.notify(f"Cannot write {path}: {e}", severity="error")
            return
        self.notify(f"Exported to {path}", title="Conversation exported", timeout=10)

    # -- writing the index ----------------------------------------------------------------------

    def action_ingest(self) -> None:
        if not isinstance(self.screen, IngestScreen):
            self.push_screen(IngestScreen(), lambda _: self.question_input.focus())  # keep chatting while it runs

    def action_rebuild(self) -> None:
        if self.index is None:
            self.notify("There is no index to rebuild yet.", severity="warning")
            return
        self._start_write(WriteJob("rebuild"))

    @on(RequestWrite)
    def write_requested(self, message: RequestWrite) -> None:
        self._start_write(message.job)

    def _start_write(self, job: WriteJob) -> None:
        if self._writing:
            self.notify("Another index update is still running; wait for it to finish.", severity="warning")
            self._tell_screens(lambda s: s.show_done("Another index update is still running.", failed=True))
            return
        self._writing = True
        self.status_bar.show_job(job.label)
        self.run_write(job)

    @work(thread=True, group="write")
    def run_write(self, job: WriteJob) -> None:
        """Ingest or rebuild through a separate Index handle; the open one then picks up the new generation."""
        from rag.ingest import ingest

        def on_progress(done: int, total: int) -> None:
            self.call_from_thread(self._write_progress, job, done, total)

        try:
            if job.kind == "ingest":
                embedder = None if Index.exists(self.index_dir) else self.new_index_embedder
                report = ingest(job.paths, self.index_dir, embedder=embedder, on_progress=on_progress)
                summary = _ingest_summary(report)
                failed = not Index.exists(self.index_dir)
            else:
                with Index.open(self.index_dir) as index:
                    added = index.rebuild(on_progress=on_progress)
                summary, failed = f"Rebuilt {added.updated} articles, {added.passages_embedded} passages.", False
            status = None
            if self.index is not None:
                self.index.refresh()
                status = self.index.status()
        except (RagError, OSError) as e:
            self.call_from_thread(self._write_done, job, str(e), None, True)
            return
        self.call_from_thread(self._write_done, job, summary, status, failed)

    def _write_progress(self, job: WriteJob, done: int, total: int) -> None:
        self.status_bar.show_job(job.label, done, total)
        self._tell_screens(lambda s: s.show_progress(done, total))

    def _write_done(self, job: WriteJob, summary: str, status: IndexStatus | None, failed: bool) -> None:
        self._writing = False
        self.status_bar.end_job()
        self._tell_screens(lambda s: s.show_done(summary, failed=failed))
        self.notify(summary, title=f"{job.label.capitalize()} failed" if failed else "Index updated", severity="error" if failed else "information", timeout=10)
        if failed:
            return
        if status is not None:
            self.status_bar.show_index(status)
        elif self.index is None:
            self.load_index()  # the first index was just built
        while isinstance(self.screen, (IngestScreen, WelcomeScreen)):
            self.pop_screen()

    def _tell_screens(self, tell: Callable[[ShowsProgress], object]) -> None:
        for screen in self.screen_stack:
            if isinstance(screen, ShowsProgress):
                tell(screen)

    # -- help, commands, key availability -------------------------------------------------------

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.key_help()))

    def key_help(self) -> list[tuple[str, str]]:
        keys = [("Enter", "Ask the question typed in the input box (follow-ups use the conversation so far)")]
        keys += [(_key_name(b.key), b.tooltip or b.description) for b in self._shown_bindings()]
        keys += [
            ("1 … 9", "Open that source's article (when the input box is not focused)"),
            ("Tab", "Move between the input box, the conversation and the sources"),
            ("Enter on a source", "Open its article, the cited passage highlighted; Esc returns"),
            ("Ctrl+P", "Command palette: every action by name"),
        ]
        return keys

    def _shown_bindings(self) -> Iterable[Binding]:
        return (b for b in self.BINDINGS if isinstance(b, Binding) and b.show)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("New conversation", "Start a new chat; the current one stays saved (Ctrl+N)", self.action_new_conversation)
        yield SystemCommand("Open a saved conversation", "Reopen and continue an earlier chat (Ctrl+O)", self.action_open_conversations)
        yield SystemCommand("Ingest files or a folder", "Add news to the index (Ctrl+G)", self.action_ingest)
        yield SystemCommand("Rebuild the index", "Re-chunk and re-embed every stored article (Ctrl+R)", self.action_rebuild)
        yield SystemCommand("Export the conversation", "Write it with its sources to a Markdown file (Ctrl+S)", self.action_export)
        yield SystemCommand("Cancel the answer", "Stop the answer being written (Esc)", self.action_cancel)
        yield SystemCommand("Keys", "The list of keys (F1)", self.action_help)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in _MAIN_SCREEN_ACTIONS and len(self.screen_stack) > 1:
            return False
        if action == "cancel":
            return self._active_turn is not None
        return True


def _key_name(key: str) -> str:
    """``ctrl+n`` → ``Ctrl+N``, ``escape`` → ``Esc``, ``f1`` → ``F1``: as the footer shows them."""
    names = {"escape": "Esc", "ctrl": "Ctrl", "enter": "Enter"}
    return "+".join(names.get(part, part.upper()) for part in key.split("+"))


def _default_pipeline_factory(options: LLMOptions) -> PipelineFactory:
    def build(index: Index) -> ChatPipeline:
        from rag.assembly import make_pipeline

        return make_pipeline(index, options)

    return build


def _ingest_summary(report) -> str:  # noqa: ANN001 - rag.ingest.IngestReport, imported lazily
    a = report.added
    summary = (
        f"{a.new} new, {a.updated} updated, {a.unchanged} unchanged articles; {a.passages_embedded} passages embedded; "
        f"{report.files_read} files read, {len(report.skipped)} skipped."
    )
    if report.problems:
        summary += " " + "; ".join(str(p) for p in report.problems[:3]) + (" …" if len(report.problems) > 3 else "")
    return summary


def run(index_dir: Path = Path("index"), llm_options: LLMOptions | None = None) -> None:
    NewsRagApp(index_dir, llm_options=llm_options).run()


if __name__ == "__main__":
    import os

    run(Path(os.environ.get("NEWSRAG_INDEX_DIR", "index")))
