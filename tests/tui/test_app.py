"""The terminal UI driven with Textual's Pilot: a real small index (hashing embedder) and a scripted chat model.

Workers are awaited with ``app.workers.wait_for_complete()``; a worker's ``call_from_thread`` calls
have all run by the time it completes, so the screen is up to date after that.
"""

from __future__ import annotations

import asyncio
import threading
from dataclasses import replace
from pathlib import Path

import pytest
from textual.widgets import Input, Markdown

from rag.chat import AnswerSettings, ChatPipeline
from rag.citations import SupportSettings
from rag.config import Settings, user_folders
from rag.conversations import ConversationStore
from rag.evidence import EvidenceSettings
from rag.index import Index
from rag.llm.errors import LLMUnavailableError
from rag.retrieval import Retriever
from rag.tui.article import ArticleScreen
from rag.tui.chat_screen import ChatScreen
from rag.tui.conversation import Turn
from rag.tui.dialogs import ConversationsScreen, HelpScreen, IngestScreen
from rag.tui.formatting import SUPPORT_STYLE
from rag.tui.sources import SourceItem
from rag.tui.welcome import WelcomeScreen
from tests.helpers import DATA, HASHING_ANSWER_SETTINGS, ScriptedChat, make_article
from tui import NewsRagApp

QUESTION = "How many pilgrims were killed in the Hajj stampede?"
REPLY = "Over 345 Muslim pilgrims have been killed in a stampede during the annual Hajj pilgrimage near Mecca [1]."
STAMPEDE = "Hundreds dead in Hajj stampede"
MINI = DATA / "corpus" / "mini.jsonl"
SIZE = (120, 36)

SETTINGS = HASHING_ANSWER_SETTINGS


class RecordingApp(NewsRagApp):
    """Keeps every notification, so tests can check what the user was told."""

    def __init__(self, *args: object, **kw: object) -> None:
        super().__init__(*args, **kw)  # type: ignore[arg-type]
        self.notices: list[tuple[str, str]] = []

    def notify(self, message: str, *, severity: str = "information", **kw: object) -> None:  # type: ignore[override]
        self.notices.append((severity, message))
        super().notify(message, severity=severity, **kw)  # type: ignore[arg-type]


@pytest.fixture
def index_dir(mini_index_dir: Path) -> Path:
    return mini_index_dir


def app_settings(index_dir: Path, data_dir: Path, **changes: object) -> Settings:
    """The app's settings for a test: this index and data dir; a new index gets the hashing embedder."""
    return Settings(index_dir=index_dir, embedder="hashing", folders=replace(user_folders(), data=data_dir), **changes)  # type: ignore[arg-type]


def make_app(index_dir: Path, data_dir: Path, chat: ScriptedChat | None = None, *, replies: list | None = None) -> RecordingApp:
    model = chat if chat is not None else ScriptedChat(replies=list(replies or []), prompts=[])
    return RecordingApp(
        app_settings(index_dir, data_dir),
        pipeline_factory=lambda index: ChatPipeline(Retriever(index), model, settings=SETTINGS),
        demo_corpus=MINI,
    )


async def ready(pilot) -> None:  # noqa: ANN001
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    assert pilot.app.pipeline is not None


async def ask(pilot, question: str) -> None:  # noqa: ANN001
    pilot.app.query_one("#question", Input).value = question
    await pilot.press("enter")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def submit_ingest(pilot, path: Path) -> None:  # noqa: ANN001
    """Open the ingest dialog, type ``path`` and start it (without waiting for it to finish)."""
    await pilot.press("ctrl+g")
    assert isinstance(pilot.app.screen, IngestScreen)
    pilot.app.screen.query_one("#ingest-path", Input).value = str(path)
    await pilot.press("enter")


def answer_markdown_source(app: NewsRagApp, turn: int = -1) -> str:
    return app.query(Turn)[turn].query_one(".answer", Markdown).source


def status_text(app: NewsRagApp) -> str:
    return app.chat.status_bar.text


async def test_an_answer_shows_its_citation_and_its_source(index_dir: Path, tmp_path: Path) -> None:
    app = make_app(index_dir, tmp_path / "data", replies=[REPLY])
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert "12 articles" in status_text(app) and "LLM llm: ready" in status_text(app)
        await ask(pilot, QUESTION)
        assert "[1]" in answer_markdown_source(app)
        assert "345 Muslim pilgrims" in answer_markdown_source(app)
        first = app.query(SourceItem).first()
        assert first.source.number == 1 and first.source.hit.title == STAMPEDE
        assert first.has_class("-cited") and first.source.support_start is not None
        assert "ready" in status_text(app) and app.query_one("#question", Input).value == ""
    with ConversationStore(tmp_path / "data") as store:
        [saved] = store.list()
        assert saved.title == QUESTION and saved.turns == 1


async def test_an_extractive_answer_shows_its_span_and_the_quoted_source_as_composed(tmp_path: Path) -> None:
    """The TUI shows the answer as rag ask does: the span first, then the Indonesian sentence quoted
    and introduced in English (it once showed only the bare sentence, the span dropped)."""
    sentence = "Gelar tunggal putra direbut oleh Christian Hadinata di Jakarta."
    text = f"Tim Indonesia meraih gelar juara pada tahun 1977. {sentence}"
    article = make_article(text, "Juara 1977", source="Kompas", lang="id")
    with Index.create(tmp_path / "ix", embedder="hashing") as ix:
        ix.add([article])
    low = AnswerSettings(k=1, evidence=EvidenceSettings(min_score_cross_lingual=0.0, max_sentences=1),
                         support=SupportSettings(accept=0.05, reject=0.05))  # fmt: skip
    app = RecordingApp(app_settings(tmp_path / "ix", tmp_path / "data"), demo_corpus=MINI,
                       pipeline_factory=lambda index: ChatPipeline(Retriever(index), settings=low))  # fmt: skip
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await ask(pilot, "Who won the men's singles title (tunggal putra) in Jakarta?")
        assert answer_markdown_source(app) == f"Christian Hadinata [1] — from the Indonesian: “{sentence}”"


async def test_the_answer_streams_token_by_token(index_dir: Path, tmp_path: Path) -> None:
    seen: list[str] = []

    class WatchedChat(ChatScreen):
        async def _write_token(self, turn: Turn, text: str) -> None:
            seen.append(text)
            await super()._write_token(turn, text)

    class WatchedApp(RecordingApp):
        def get_default_screen(self) -> ChatScreen:
            return WatchedChat()

    app = WatchedApp(app_settings(index_dir, tmp_path / "data"),
                     pipeline_factory=lambda ix: ChatPipeline(Retriever(ix), ScriptedChat(replies=[REPLY], prompts=[]), settings=SETTINGS))  # fmt: skip
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await ask(pilot, QUESTION)
    # the model's reply arrives word by word, after the code-chosen answer span when there is one (one token)
    words = len(REPLY.split(" "))
    assert len(seen) in (words, words + 1) and "".join(seen[-words:]) == REPLY


async def test_opening_a_source_shows_the_article_with_the_cited_sentence_highlighted(index_dir: Path, tmp_path: Path) -> None:
    app = make_app(index_dir, tmp_path / "data", replies=[REPLY])
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await ask(pilot, QUESTION)
        source = app.chat.sources_panel.by_number(1)
        app.chat.sources_panel.focus()
        await pilot.press("1")
        await pilot.pause()
        assert isinstance(app.screen, ArticleScreen) and app.screen.article.id == source.article_id
        target = app.screen.query(".paragraph.-target").first()
        content = target.visual
        highlighted = [content.plain[s.start : s.end] for s in content.spans if s.style == SUPPORT_STYLE]
        supporting = app.screen.article.text[source.support_start : source.support_end]
        assert highlighted == [supporting] and "345 Muslim pilgrims" in supporting
        await pilot.press("escape")
        assert not isinstance(app.screen, ArticleScreen)
        # Enter on a highlighted source opens it too.
        app.chat.sources_panel.focus()
        app.chat.sources_panel.index = 0
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ArticleScreen)


class BlockingChat(ScriptedChat):
    """Streams the first word, then waits until released: a generation that is still running."""

    started: threading.Event
    release: threading.Event

    def _stream(self, messages, stop=None, run_manager=None, **kwargs):  # noqa: ANN001, ANN003, ANN202
        words = iter(super()._stream(messages, stop, run_manager, **kwargs))
        yield next(words)
        self.started.set()
        self.release.wait(timeout=30)
        yield from words


async def test_escape_cancels_the_answer_being_written(index_dir: Path, tmp_path: Path) -> None:
    chat = BlockingChat(replies=[REPLY], prompts=[], started=threading.Event(), release=threading.Event())
    app = make_app(index_dir, tmp_path / "data", chat)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        app.query_one("#question", Input).value = QUESTION
        await pilot.press("enter")
        assert await asyncio.to_thread(chat.started.wait, 30)
        assert "generating" in status_text(app)
        await pilot.press("escape")
        assert "ready" in status_text(app)
        assert app.query_one("#question", Input).value == QUESTION  # restored, to edit or ask again
        chat.release.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        turn = app.query(Turn).last()
        assert "Cancelled" in str(turn.query_one(".turn-status").visual)
        assert "Mecca" not in answer_markdown_source(app)  # nothing after the cancel was shown
        assert app.chat.conversation.turns == []
    with ConversationStore(tmp_path / "data") as store:
        assert store.list() == []


async def test_an_llm_failure_is_a_notification_and_the_question_comes_back(index_dir: Path, tmp_path: Path) -> None:
    down = LLMUnavailableError("The LLM server at http://127.0.0.1:9/v1 is not answering. Start it, or use --llm extractive.")
    app = make_app(index_dir, tmp_path / "data", replies=[down])
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await ask(pilot, QUESTION)
        assert ("error", str(down)) in app.notices
        assert app.query_one("#question", Input).value == QUESTION
        assert app.chat.sources_panel.by_number(1).hit.title == STAMPEDE  # the retrieved sources are still shown
        assert "unavailable" in status_text(app) and app.chat.conversation.turns == []


async def test_the_ingest_dialog_adds_an_article_and_the_counts_change(index_dir: Path, tmp_path: Path) -> None:
    news = tmp_path / "news"
    news.mkdir()
    (news / "ferry.txt").write_text(
        "Title: Ferry strike ends\nDate: 2024-06-01\nSource: Harbour News\n\n"
        "The ferry workers' strike in Eastport ended on Saturday after the union accepted a new pay offer.\n",
        encoding="utf-8",
    )
    app = make_app(index_dir, tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert "12 articles" in status_text(app)
        await submit_ingest(pilot, news)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "13 articles" in status_text(app)
        assert not isinstance(app.screen, IngestScreen)
        assert any(severity == "information" and "1 new" in message for severity, message in app.notices)


async def test_ingesting_a_missing_path_says_so_and_keeps_the_dialog_open(index_dir: Path, tmp_path: Path) -> None:
    app = make_app(index_dir, tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await submit_ingest(pilot, tmp_path / "nowhere")
        await pilot.pause()
        assert isinstance(app.screen, IngestScreen)
        assert any(severity == "error" and "nowhere" in message for severity, message in app.notices)


async def test_first_run_builds_the_demo_index_from_the_welcome_screen(tmp_path: Path) -> None:
    app = make_app(tmp_path / "new-index", tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, WelcomeScreen)
        await pilot.click("#build-demo")
        await app.workers.wait_for_complete()  # the ingest, which starts loading the new index
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not isinstance(app.screen, WelcomeScreen)
        assert "12 articles" in status_text(app) and app.pipeline is not None


async def test_a_reopened_conversation_can_be_continued(index_dir: Path, tmp_path: Path) -> None:
    follow_up = "Where did it happen?"
    chat = ScriptedChat(replies=[REPLY, "Where did the Hajj stampede happen?", REPLY], prompts=[])
    app = make_app(index_dir, tmp_path / "data", chat)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await ask(pilot, QUESTION)
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert not app.query(Turn) and app.chat.conversation.turns == []
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert isinstance(app.screen, ConversationsScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert [t.question for t in app.query(Turn)] == [QUESTION]
        assert app.chat.sources_panel.by_number(1).hit.title == STAMPEDE
        await ask(pilot, follow_up)
        # The follow-up was condensed with the reopened history: the condense prompt quotes the first turn.
        condense_prompt = " ".join(str(m.content) for m in chat.prompts[1])
        assert QUESTION in condense_prompt and follow_up in condense_prompt
    with ConversationStore(tmp_path / "data") as store:
        [saved] = store.list()
        assert [a.question for a in store.load(saved.id).answers] == [QUESTION, follow_up]


async def test_export_writes_the_conversation_with_its_sources(index_dir: Path, tmp_path: Path) -> None:
    app = make_app(index_dir, tmp_path / "data", replies=[REPLY])
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+s")
        assert any(severity == "warning" for severity, _ in app.notices)  # nothing to export yet
        await ask(pilot, QUESTION)
        await pilot.press("ctrl+s")
        await pilot.pause()
    [exported] = (tmp_path / "data" / "exports").glob("*.md")
    text = exported.read_text(encoding="utf-8")
    assert f"## {QUESTION}" in text and "[1]" in text and STAMPEDE in text
    assert any(str(exported) in message for _, message in app.notices)


async def test_help_and_the_command_palette_list_the_actions(index_dir: Path, tmp_path: Path) -> None:
    app = make_app(index_dir, tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        titles = {c.title for c in app.get_system_commands(app.screen)}
        assert {"New conversation", "Ingest files or a folder", "Rebuild the index", "Export the conversation", "Keys"} <= titles
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        keys = dict(app.screen.keys)
        assert {"Enter", "Esc", "Ctrl+N", "Ctrl+O", "Ctrl+G", "Ctrl+R", "Ctrl+S", "Ctrl+T", "F1"} <= set(keys)
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_ctrl_t_opens_the_quotes_view_and_escape_returns(index_dir: Path, tmp_path: Path) -> None:
    from rag.tui.quotes import QuotesScreen

    app = make_app(index_dir, tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert "Quotes" in {c.title for c in app.get_system_commands(app.screen)}
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert isinstance(app.screen, QuotesScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, QuotesScreen)


async def test_rebuild_reembeds_and_keeps_the_counts(index_dir: Path, tmp_path: Path) -> None:
    app = make_app(index_dir, tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        generation = app.index.manifest.generation
        await pilot.press("ctrl+r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.index.manifest.generation > generation
        assert "12 articles" in status_text(app)
        assert any("Rebuilt 12 articles" in message for _, message in app.notices)


async def test_without_an_injected_pipeline_the_app_builds_the_real_one(index_dir: Path, tmp_path: Path) -> None:
    from rag.config import LLMSettings

    app = RecordingApp(app_settings(index_dir, tmp_path / "data", llm=LLMSettings(backend="extractive", translate="off")))
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert "LLM extractive: ready" in status_text(app)
        await ask(pilot, QUESTION)
        assert app.chat.conversation.turns[0].backend == "extractive" and answer_markdown_source(app)


def test_rag_tui_passes_the_index_and_llm_options_to_the_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    import rag.tui.app
    from rag.cli import cli

    calls = []
    monkeypatch.setattr(rag.tui.app, "run", lambda settings: calls.append((settings.index_dir, settings.llm)))
    result = CliRunner().invoke(cli, ["tui", "--index", str(tmp_path / "ix"), "--llm", "openai", "--llm-url", "http://127.0.0.1:9/v1"])
    assert result.exit_code == 0, result.output
    [(index_dir, options)] = calls
    assert index_dir == tmp_path / "ix" and options.backend == "openai" and options.base_url == "http://127.0.0.1:9/v1"


async def test_typing_works_while_an_ingest_is_running(index_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import rag.ingest

    started, release = threading.Event(), threading.Event()
    real_ingest = rag.ingest.ingest

    def slow_ingest(paths, index_dir, **kw):  # noqa: ANN001, ANN003, ANN202
        kw["on_progress"](1, 4)
        started.set()
        release.wait(timeout=30)
        return real_ingest(paths, index_dir, **kw)

    monkeypatch.setattr(rag.ingest, "ingest", slow_ingest)
    (tmp_path / "one.md").write_text("# Harbour fair\n\nThe Eastport harbour fair opens on Sunday.\n", encoding="utf-8")
    app = make_app(index_dir, tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await submit_ingest(pilot, tmp_path / "one.md")
        assert await asyncio.to_thread(started.wait, 30)
        await pilot.pause()
        assert "ingesting one.md" in status_text(app)
        await pilot.press("escape")  # close the dialog; the ingest goes on
        await pilot.press(*"hello")
        assert app.query_one("#question", Input).value == "hello"
        release.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "13 articles" in status_text(app) and "ingesting" not in status_text(app)
