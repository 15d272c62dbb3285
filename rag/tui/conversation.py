"""The conversation pane: one ``Turn`` (question + streamed Markdown answer) per question asked."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Input, Markdown, Static
from textual.widgets.markdown import MarkdownStream

from rag.render import answer_markdown
from rag.types import Answer


class Turn(Vertical):
    """A question and its answer, which arrives token by token and is then replaced by the checked version."""

    def __init__(self, question: str) -> None:
        super().__init__(classes="turn")
        self.question = question
        self._stream: MarkdownStream | None = None

    def compose(self) -> ComposeResult:
        yield Static(self.question, classes="question", markup=False)
        yield Markdown("", classes="answer")
        yield Static("", classes="turn-status", markup=False)

    @property
    def answer_widget(self) -> Markdown:
        return self.query_one(".answer", Markdown)

    def set_status(self, text: str) -> None:
        self.query_one(".turn-status", Static).update(text)

    async def write(self, text: str) -> None:
        """Append a streamed piece of the answer (MarkdownStream batches pieces that arrive faster than it renders)."""
        if self._stream is None:
            self._stream = Markdown.get_stream(self.answer_widget)
            self.set_status("")
        await self._stream.write(text)

    async def finish(self, answer: Answer) -> None:
        """Show the checked answer: citations may have been repaired and sentences marked unsupported."""
        await self._stop_stream()
        await self.answer_widget.update(answer_markdown(answer))
        self.set_status("")

    async def fail(self, status: str) -> None:
        """The answer stopped early (cancelled, or the model failed): keep what arrived, say why."""
        await self._stop_stream()
        self.set_status(status)
        self.add_class("-failed")

    async def _stop_stream(self) -> None:
        if self._stream is not None:
            await self._stream.stop()
            self._stream = None


class ConversationView(VerticalScroll):
    """All turns of the current conversation, kept scrolled to the newest while an answer streams."""

    def follow(self, was_at_end: bool) -> None:
        """Scroll to the end after new text, unless the user had scrolled up to read.

        (Not ``anchor()``: that bottom-aligns a short conversation, leaving the top of the pane empty.)
        """
        if was_at_end:
            self.scroll_end(animate=False)

    @property
    def at_end(self) -> bool:
        return self.scroll_y >= self.max_scroll_y - 1

    async def add_turn(self, question: str) -> Turn:
        turn = Turn(question)
        await self.mount(turn)
        self.scroll_end(animate=False)
        return turn

    async def show_saved(self, answers: tuple[Answer, ...] | list[Answer]) -> None:
        """Replace the view with the turns of a reopened conversation."""
        await self.clear()
        for answer in answers:
            turn = await self.add_turn(answer.question)
            await turn.finish(answer)
        self.scroll_end(animate=False)

    async def clear(self) -> None:
        await self.remove_children()

    @property
    def turns(self) -> list[Turn]:
        return list(self.query(Turn))


class QuestionInput(Input):
    """The question box; its Enter binding is shown in the footer (Input's own is hidden)."""

    BINDINGS = [Binding("enter", "submit", "Ask")]
