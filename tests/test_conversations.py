"""rag.conversations: the store of saved conversations (SQLite in the user data dir)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from rag.chat import Conversation
from rag.conversations import (
    STORE_FILE,
    ConversationNotFoundError,
    ConversationStore,
    ConversationStoreError,
    answer_from_json,
    answer_to_json,
    default_data_dir,
)
from rag.types import Answer, AnswerSentence, Hit, Passage, Source


def answer(question: str = "When did the bridge reopen?", text: str = "It reopened on Friday [1].") -> Answer:
    passage = Passage("bridge-1", 0, 0, 80, "The harbour bridge in Eastport reopened on Friday after three weeks of repairs.", 7)
    hit = Hit(passage, 0.82, "Eastport bridge reopens", "Coastal Courier", "https://example.org/bridge", "2024-05-03", "en")
    return Answer(
        question=question, standalone_question=f"{question} (standalone)", text=text,
        sentences=(AnswerSentence("It reopened on Friday.", (1,)), AnswerSentence("Zebras graze.", (1,), False, ("no source supports it",))),
        sources=(Source(1, hit, 0, 49),), refused=False, backend="local", timings={"total_s": 1.5},
    )  # fmt: skip


def test_an_answer_survives_the_round_trip_except_timings_and_retrieved() -> None:
    original = answer()
    restored = answer_from_json(answer_to_json(original))
    assert restored == Answer(**{**original.__dict__, "timings": {}, "retrieved": ()})


def test_saved_turns_come_back_in_order_and_continue_a_conversation(tmp_path: Path) -> None:
    with ConversationStore(tmp_path) as store:
        cid = store.create("When did the bridge reopen?")
        store.append(cid, answer())
        store.append(cid, answer("Why was it closed?", "Cracks were found [1]."))
        saved = store.load(cid)
    assert saved.title == "When did the bridge reopen?"
    assert [a.question for a in saved.answers] == ["When did the bridge reopen?", "Why was it closed?"]
    conversation = Conversation(list(saved.answers))
    assert "User: Why was it closed?\nAssistant: Cracks were found [1]." in conversation.history()
    assert conversation.turns[-1].standalone_question == "Why was it closed? (standalone)"
    assert saved.answers[0].sources[0].hit.passage.text.startswith("The harbour bridge")


def test_the_list_is_most_recent_first_with_turn_counts_and_short_titles(tmp_path: Path) -> None:
    with ConversationStore(tmp_path) as store:
        first = store.create("first")
        second = store.create("a very long question " * 10)
        store.append(first, answer())  # continuing the first makes it the most recent
        listed = store.list()
    assert [c.id for c in listed] == [first, second]
    assert [c.turns for c in listed] == [1, 0]
    assert len(listed[1].title) == 80 and listed[1].title.endswith("…")


def test_unknown_ids_are_typed_errors(tmp_path: Path) -> None:
    with ConversationStore(tmp_path) as store:
        with pytest.raises(ConversationNotFoundError):
            store.load(42)
        with pytest.raises(ConversationNotFoundError):
            store.append(42, answer())
        cid = store.create("gone soon")
        store.delete(cid)
        with pytest.raises(ConversationNotFoundError):
            store.delete(cid)
        assert store.list() == []


def test_a_damaged_turn_names_the_conversation(tmp_path: Path) -> None:
    with ConversationStore(tmp_path) as store:
        cid = store.create("q")
        store.append(cid, answer())
    db = sqlite3.connect(tmp_path / STORE_FILE)
    db.execute("UPDATE turns SET answer_json = '{\"question\": 1}'")
    db.commit()
    db.close()
    with ConversationStore(tmp_path) as store, pytest.raises(ConversationStoreError, match=f"Turn 1 of conversation {cid}"):
        store.load(cid)


def test_a_store_that_cannot_be_opened_is_a_typed_error(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("not a folder")
    with pytest.raises(ConversationStoreError, match="NEWSRAG_DATA_DIR"):
        ConversationStore(tmp_path / "file")
    (tmp_path / STORE_FILE).write_bytes(b"this is not a database" * 100)
    with pytest.raises(ConversationStoreError):
        ConversationStore(tmp_path)


def test_a_store_from_a_newer_version_is_refused(tmp_path: Path) -> None:
    ConversationStore(tmp_path).close()
    db = sqlite3.connect(tmp_path / STORE_FILE)
    db.execute("PRAGMA user_version=99")
    db.close()
    with pytest.raises(ConversationStoreError, match="newer newsrag"):
        ConversationStore(tmp_path)


def test_the_data_dir_follows_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSRAG_DATA_DIR", str(tmp_path / "mine"))
    assert default_data_dir() == tmp_path / "mine"
    monkeypatch.delenv("NEWSRAG_DATA_DIR")
    assert default_data_dir().name == "newsrag"  # the platform's user data dir (XDG_DATA_HOME in tests)
    assert str(default_data_dir()).startswith(str(tmp_path / "xdg-data"))
