"""Snapshots (pytest-textual-snapshot) of the TUI's main states at a fixed terminal size.

Fixed content only: the mini corpus with the hashing embedder, a scripted reply, the index and data
dirs given as relative paths inside a temporary working directory. Regenerate after an intended
change with ``pytest tests/tui/test_snapshots.py --snapshot-update`` and look at the SVGs.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from rag.index import Index
from tests.tui.test_app import QUESTION, REPLY, make_app

SIZE = (120, 36)
UNSUPPORTED = "Zebras graze quietly near Kyoto temples [2]."


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def built(workdir: Path, mini_articles: list) -> Path:
    with Index.create(Path("index"), embedder="hashing") as index:
        index.add(mini_articles)
    return Path("index")


async def _ask(pilot) -> None:  # noqa: ANN001
    await pilot.app.workers.wait_for_complete()
    pilot.app.query_one("#question").cursor_blink = False  # a blinking cursor would make the picture depend on timing
    await pilot.pause()
    pilot.app.query_one("#question").value = QUESTION
    await pilot.press("enter")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_welcome_screen(snap_compare, workdir: Path) -> None:  # noqa: ANN001
    assert snap_compare(make_app(Path("index"), Path("data")), terminal_size=SIZE)


def test_answer_with_sources(snap_compare, built: Path) -> None:  # noqa: ANN001
    # A second, made-up sentence: the citation check marks it unsupported.
    app = make_app(built, Path("data"), replies=[f"{REPLY} {UNSUPPORTED}"])
    assert snap_compare(app, terminal_size=SIZE, run_before=_ask)


def test_article_view(snap_compare, built: Path) -> None:  # noqa: ANN001
    async def open_first_source(pilot) -> None:  # noqa: ANN001
        await _ask(pilot)
        pilot.app.chat.action_open_source(1)
        await pilot.pause()

    app = make_app(built, Path("data"), replies=[REPLY])
    assert snap_compare(app, terminal_size=SIZE, run_before=open_first_source)
