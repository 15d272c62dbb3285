"""The chat screen: ask, read the streamed answer beside its sources, cancel, keep and export conversations.

It owns the conversation (the answered turns, the saved conversation's id, the answer being
written); the app owns what every screen shares (the index, the pipeline, the conversation store,
index writes) and is reached as ``self.app``. Answering runs in a worker thread
(``ChatPipeline.stream``); its events come back through ``call_from_thread``.
"""

from __future__ import annotations

from contextlib import closing
from datetime import datetime
from typing import TYPE_CHECKING, cast

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Footer, Header, Input
from textual.worker import Worker, get_current_worker

from rag.chat import Completed, Conversation, Retrieved, Token
from rag.errors import RagError
from rag.llm.errors import LLMUnavailableError
from rag.render import conversation_markdown, error_text, unsupported_sources
from rag.tui.conversation import ConversationView, QuestionInput, Turn
from rag.tui.dialogs import ConversationsScreen
from rag.tui.index_jobs import WriteEvent, WriteFinished, WriteProgressed, WriteStarted
from rag.tui.sources import SourceOpened, SourcesPanel
from rag.tui.status import LLMState, StatusBar
from rag.types import Answer, Source

if TYPE_CHECKING:
    from rag.tui.app import NewsRagApp

QUESTION_PLACEHOLDER = "Ask about the news, e.g. What did Blinken say in Cairo?  (Enter to ask, F1 for help)"


class ChatScreen(Screen[None]):
    # The footer lists the screen's bindings before the app's, so the app-wide Quit and Ingest are repeated
    # here (as app.*) to keep their places in the footer: Quit first, Ingest between History and Rebuild.
    BINDINGS = [
        Binding("ctrl+q", "app.quit", "Quit", tooltip="Quit newsrag"),
        Binding("escape", "cancel", "Cancel answer", tooltip="Stop the answer being written; the question goes back into the input box"),
        Binding("ctrl+n", "new_conversation", "New chat", tooltip="Start a new conversation (the current one stays saved)"),
        Binding("ctrl+o", "open_conversations", "History", tooltip="Reopen a saved conversation and continue it"),
        Binding("ctrl+g", "app.ingest", "Ingest", tooltip="Add a file or folder of news to the index"),
        Binding("ctrl+r", "app.rebuild", "Rebuild index", tooltip="Re-chunk and re-embed every stored article"),
        Binding("ctrl+s", "export", "Export", tooltip="Write the conversation with its sources to a Markdown file"),
        Binding("ctrl+l", "also_retrieved", "Also retrieved", tooltip="Show or fold the sources that are only \"also retrieved\""),
        *(Binding(str(n), f"open_source({n})", f"Open source {n}", show=False) for n in range(1, 10)),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.conversation = Conversation()
        self.conversation_id: int | None = None
        self._active_turn: Turn | None = None
        self._answer_worker: Worker | None = None

    @property
    def rag(self) -> NewsRagApp:
        return cast("NewsRagApp", self.app)

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="main"):
            yield ConversationView(id="conversation")
            sources = SourcesPanel(id="sources")
            sources.border_title = "Sources"
            yield sources
        yield QuestionInput(placeholder=QUESTION_PLACEHOLDER, id="question")
        yield StatusBar(id="status")
        yield Footer()

    def on_mount(self) -> None:
        self.question_input.focus()
        self.watch(self.app, "index_write", self.on_index_write, init=False)
        self.rag.start()

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

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "cancel":
            return self._active_turn is not None  # hidden from the footer unless an answer is being written
        if action == "also_retrieved":
            return bool(self.sources_panel.also_retrieved)  # hidden unless the answer has such sources
        return True

    # -- asking -------------------------------------------------------------------------------

    @on(Input.Submitted, "#question")
    async def ask(self, event: Input.Submitted) -> None:
        question = event.value.strip()
        if not question:
            return
        if self._active_turn is not None:
            self.notify("Still answering the last question; Esc cancels it.", severity="warning")
            return
        if self.rag.pipeline is None:
            if self.rag.index_exists():
                self.notify("The index and model are still loading (or failed to: see the status bar); ask again in a moment.", severity="warning")
            else:
                self.notify("No index to answer from: ingest some news first (Ctrl+G).", severity="warning")
            return
        event.input.clear()
        turn = await self.conversation_view.add_turn(question)
        self._active_turn = turn
        self.status_bar.show_llm(state=LLMState.GENERATING)
        # The worker gets its own copy of the history: a turn is appended only once it is answered.
        self._answer_worker = self.answer(question, turn, Conversation(list(self.conversation.turns)))
        self.refresh_bindings()

    @work(thread=True, exclusive=True, group="answer", exit_on_error=False)
    def answer(self, question: str, turn: Turn, history: Conversation) -> None:
        worker = get_current_worker()
        pipeline = self.rag.pipeline
        assert pipeline is not None
        try:
            # closing(): when cancelled, the generator (and the model's token stream inside it) is closed at once.
            with closing(pipeline.stream(question, history)) as events:
                for event in events:
                    if worker.is_cancelled:
                        return
                    if isinstance(event, Retrieved):
                        self.app.call_from_thread(self._show_retrieved, turn, event)
                    elif isinstance(event, Token):
                        self.app.call_from_thread(self._write_token, turn, event.text)
                    elif isinstance(event, Completed):
                        self.app.call_from_thread(self._answered, turn, event.answer)
        except Exception as e:  # noqa: BLE001 - RagError is for the user; anything else is a bug, reported the same way
            if not worker.is_cancelled:
                self.app.call_from_thread(self._failed, turn, question, e)

    async def _show_retrieved(self, turn: Turn, event: Retrieved) -> None:
        pipeline = self.rag.pipeline
        if turn is self._active_turn and pipeline is not None:
            # The sources, numbered as the answer will cite them, while the answer is still being written.
            await self.sources_panel.show([Source(n, hit) for n, hit in enumerate(event.hits[: pipeline.settings.k], 1)])

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
        await self._show_sources(answer)
        self._save(answer)

    async def _failed(self, turn: Turn, question: str, error: Exception) -> None:
        if turn is not self._active_turn:
            return
        unavailable = isinstance(error, LLMUnavailableError)
        self._end_answer(LLMState.UNAVAILABLE if unavailable else LLMState.READY)
        await turn.fail("No answer: the sources found are listed beside." if unavailable else "No answer.")
        self.notify(error_text(error), title="The answer failed", severity="error", timeout=15)
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
        store = self.rag.store
        if store is None:
            return
        try:
            if self.conversation_id is None:
                self.conversation_id = store.create(answer.question)
            store.append(self.conversation_id, answer)
        except RagError as e:
            self.notify(f"The conversation was not saved: {e}", severity="warning")

    # -- sources --------------------------------------------------------------------------------

    def action_open_source(self, number: int) -> None:
        source = self.sources_panel.by_number(number)
        if source is None:
            self.notify(f"There is no source [{number}] for the current answer.", severity="warning")
            return
        self.post_message(SourceOpened(source))  # the app opens the article

    async def _show_sources(self, answer: Answer | None) -> None:
        if answer is None:
            await self.sources_panel.show([])
            return
        cited = {s.number for s in answer.cited_sources()}
        also = [s for s in answer.sources if s.number in answer.also_retrieved]
        await self.sources_panel.show(answer.sources_in_order(), cited=cited, unsupported=unsupported_sources(answer), also_retrieved=also)
        self.refresh_bindings()

    async def action_also_retrieved(self) -> None:
        await self.sources_panel.toggle_also_retrieved()

    # -- conversations --------------------------------------------------------------------------

    async def action_new_conversation(self) -> None:
        await self.action_cancel()
        self.conversation = Conversation()
        self.conversation_id = None
        await self.conversation_view.clear()
        await self.sources_panel.show([])
        self.question_input.focus()

    def action_open_conversations(self) -> None:
        store = self.rag.store
        if store is None:
            self.notify("Conversations are not being saved (see the earlier warning).", severity="warning")
            return
        try:
            saved = store.list()
        except RagError as e:
            self.notify(str(e), severity="error")
            return
        self.app.push_screen(ConversationsScreen(saved), self._reopen)

    async def _reopen(self, conversation_id: int | None) -> None:
        store = self.rag.store
        if conversation_id is None or store is None:
            return
        try:
            saved = store.load(conversation_id)
        except RagError as e:
            self.notify(str(e), severity="error")
            return
        await self.action_cancel()
        self.conversation = Conversation(list(saved.answers))
        self.conversation_id = saved.id
        await self.conversation_view.show_saved(saved.answers)
        await self._show_sources(saved.answers[-1] if saved.answers else None)
        self.question_input.focus()

    def action_export(self) -> None:
        answers = self.conversation.turns
        if not answers:
            self.notify("Nothing to export yet: ask a question first.", severity="warning")
            return
        folder = self.rag.settings.folders.exports
        path = folder / f"newsrag-conversation-{datetime.now().strftime('%Y%m%d-%H%M%S')}.md"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path.write_text(conversation_markdown(answers, title=answers[0].question), encoding="utf-8")
        except OSError as e:
            self.notify(f"Cannot write {path}: {e}", severity="error")
            return
        self.notify(f"Exported to {path}", title="Conversation exported", timeout=10)

    # -- what the app tells this screen ---------------------------------------------------------

    def on_index_write(self, event: WriteEvent) -> None:
        """The status bar follows the running index write (see ``rag.tui.index_jobs``)."""
        if isinstance(event, WriteStarted):
            self.status_bar.show_job(event.job.label)
        elif isinstance(event, WriteProgressed):
            self.status_bar.show_job(event.job.label, event.done, event.total)
        elif isinstance(event, WriteFinished):
            self.status_bar.end_job()
            if event.status is not None:
                self.status_bar.show_index(event.status)
