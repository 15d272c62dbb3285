"""Follow-ups resolved by code: the previous turn's people, places and dates carried forward."""

from __future__ import annotations

from pathlib import Path

from rag.chat import ChatPipeline, Conversation
from rag.followup import keeps, referents, resolve
from rag.index import Index
from rag.retrieval import Retriever
from tests.helpers import ScriptedChat, make_article


def test_pronouns_and_there_become_the_previous_turns_names() -> None:
    previous = referents("What did Blinken say in Cairo?", None, "en")
    assert (previous.person, previous.place) == ("Blinken", "Cairo")
    assert resolve("Who did he meet there?", previous, "en") == ("Who did Blinken meet in Cairo?", ("Blinken", "Cairo"))
    assert resolve("Why was he in there?", previous, "en") == ("Why was Blinken in Cairo?", ("Blinken", "Cairo"))
    assert resolve("What happened in 2005?", previous, "en") == ("What happened in 2005?", ())


def test_indonesian_follow_ups() -> None:
    previous = referents("Apa kata Blinken di Kairo?", None, "id")
    assert resolve("Siapa yang dia temui di sana?", previous, "id") == ("Siapa yang Blinken temui di Kairo?", ("Blinken", "Kairo"))


def test_a_condensed_question_must_keep_the_carried_names() -> None:
    assert keeps("Who did Blinken meet in Cairo?", ("Blinken", "Cairo"))
    assert not keeps("Who did he meet?", ("Blinken", "Cairo"))


def _pipeline(tmp_path: Path, llm: ScriptedChat | None) -> ChatPipeline:
    ix = Index.create(tmp_path / "ix", embedder="hashing")
    ix.add([make_article("Blinken met Egyptian foreign minister Sameh Shoukry in Cairo on Thursday.", "Blinken in Cairo")])
    return ChatPipeline(Retriever(ix), llm)


def test_extractive_follow_up_is_resolved_by_code(tmp_path: Path) -> None:
    conversation = Conversation()
    p = _pipeline(tmp_path, None)
    p.ask("What did Blinken say in Cairo?", conversation)
    assert p.condense("Who did he meet there?", conversation) == "Who did Blinken meet in Cairo?"


def test_a_model_rewrite_that_drops_the_names_is_replaced(tmp_path: Path) -> None:
    conversation = Conversation()
    p = _pipeline(tmp_path, ScriptedChat(replies=["Blinken met Sameh Shoukry [1].", "Who did he meet?"], prompts=[]))
    p.ask("What did Blinken say in Cairo?", conversation)
    assert p.condense("Who did he meet there?", conversation) == "Who did Blinken meet in Cairo?"
