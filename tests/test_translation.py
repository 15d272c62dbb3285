"""rag.translation: the on-disk translation cache, and a translator that asks the model once per text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rag.llm import local_llm_available
from rag.translation import ALTERNATIVES, LLMTranslator, TranslationCache, faithful, translate_faithfully
from tests.helpers import DATA, ScriptedChat

needs_local = pytest.mark.skipif(not local_llm_available(), reason="the local model is not installed (make install)")


def test_the_cache_survives_reopening_and_keys_by_model_target_and_text(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "translations.sqlite"
    key = TranslationCache.key("qwen", "id", "Who won?")
    TranslationCache(path).put(key, "Siapa yang menang?")
    cache = TranslationCache(path)
    assert cache.get(key) == "Siapa yang menang?"
    for other in (TranslationCache.key("other-model", "id", "Who won?"), TranslationCache.key("qwen", "en", "Who won?"),
                  TranslationCache.key("qwen", "id", "Who lost?")):  # fmt: skip
        assert cache.get(other) is None


def test_a_translation_is_asked_of_the_model_once(tmp_path: Path) -> None:
    chat = ScriptedChat(replies=["Siapa yang menang?\nextra line the model added"], prompts=[])
    translator = LLMTranslator(chat, "qwen", TranslationCache(tmp_path / "t.sqlite"))
    assert translator.translate("Who won?", "id") == "Siapa yang menang?"  # the first line only
    assert translator.translate("Who won?", "id") == "Siapa yang menang?"
    assert len(chat.prompts) == 1


def test_a_question_is_translated_under_its_own_prompt_and_cached_apart_from_a_statement(tmp_path: Path) -> None:
    chat = ScriptedChat(replies=["Siapa yang menang?", "Dia menang?"], prompts=[])
    translator = LLMTranslator(chat, "qwen", TranslationCache(tmp_path / "t.sqlite"))
    assert translator.translate("Who won?", "id") == "Siapa yang menang?"
    assert "do not answer it" in chat.prompts[0][0].content  # the question prompt (prompts/translate_question.toml)
    assert "English: Who won?" in chat.prompts[0][1].content
    assert translator.translate("He won.", "id") == "Dia menang?"
    assert "do not answer it" not in chat.prompts[1][0].content


def test_blank_text_is_not_sent_to_the_model(tmp_path: Path) -> None:
    chat = ScriptedChat(replies=[], prompts=[])
    assert LLMTranslator(chat, "qwen", TranslationCache(tmp_path / "t.sqlite")).translate("  ", "id") is None
    assert chat.prompts == []


def test_function_words_left_from_the_source_language_fail_the_check() -> None:
    from rag.translation import faithful, leftover_words

    original = "Dan, juga tidak perlu berurusan dengan Hamas, yang memang diperlukan."
    assert leftover_words(original, "Dan, also doesn't need to worry about Hamas.", "en") == {"dan"}
    assert not faithful(original, "Dan, also doesn't need to worry about Hamas.", "en")
    assert faithful(original, "And it is also not needed to deal with Hamas, which is necessary.", "en")


def test_what_the_judge_finds_unsupported_fails_the_check() -> None:
    from rag.translation import faithful

    original = "Serangan itu menggarisbawahi memburuknya hubungan Amerika Serikat dan Israel."
    judged: list[tuple[str, str]] = []

    def judge(evidence: str, claim: str) -> float:  # a scripted YES/NO judge: "disaster" is not in the source
        judged.append((evidence, claim))
        return 0.1 if "disaster" in claim else 0.9

    assert not faithful(original, "The attack underlined the disaster between the United States and Israel.", "en", judge)
    assert faithful(original, "The attack underlined the worsening relations between the United States and Israel.", "en", judge)
    assert judged[0][0] == original  # the original is the evidence, the translation the claim


def test_an_unfaithful_fallback_translation_is_quoted_with_its_language(tmp_path: Path) -> None:
    from rag.chat import ChatPipeline
    from rag.evidence import Evidence
    from rag.index import Index
    from rag.retrieval import Retriever
    from tests.helpers import make_article

    text = "Dan, juga tidak perlu berurusan dengan Hamas."
    with Index.create(tmp_path / "ix", embedder="hashing") as ix:
        ix.add([make_article(text, "Rafah", lang="id")])
        hit = ix.search("Hamas", k=1)[0]
        unfaithful = "Dan, also doesn't need to worry about Hamas."  # "berurusan" is to deal with
        chat = ScriptedChat(replies=[unfaithful] * (1 + ALTERNATIVES), prompts=[])  # the greedy one and each alternative
        pipeline = ChatPipeline(Retriever(ix), chat)
        pipeline._translator = LLMTranslator(chat, "qwen", TranslationCache(tmp_path / "t.sqlite"))
        shown = pipeline._translated_or_quoted(text, Evidence(1, 0, len(text), text, 1.0, hit), "en")
    assert shown == f"From the Indonesian: “{text}”"


def test_a_translation_that_replaces_a_news_word_is_not_faithful() -> None:
    original = "Gencatan senjata yang segera sangat dibutuhkan, kata Blinken."
    assert not faithful(original, '"Immediate military buildup" is urgently needed, Blinken said.', "en")
    assert faithful(original, "An immediate ceasefire is urgently needed, Blinken said.", "en")


def test_glossary_terms_are_found_by_their_roots_and_the_longest_phrase_first() -> None:
    from rag.translation_terms import Glossary

    glossary = Glossary.between("id", "en")
    assert glossary is not None
    found = [t.source for t in glossary.terms_in("Pembebasan para sandera dan gencatan senjata dibahas di Mesir.")]
    assert found == ["bebas", "sandera", "gencatan senjata", "Mesir"]  # not also "senjata" (weapon)
    assert "gencatan senjata = ceasefire" in glossary.hints("gencatan senjata")
    assert glossary.untranslated_words_fixed("Dan, juga tidak.", "Dan, also not.") == "And, also not."
    assert glossary.untranslated_words_fixed("Ia bertemu Dan Brown.", "He met Dan Brown.") == "He met Dan Brown."


def test_a_failed_translation_is_retried_as_a_sampled_alternative_with_the_glossary_in_the_prompt(tmp_path: Path) -> None:
    original = "Sandera dibebaskan pada hari Kamis."
    chat = ScriptedChat(replies=["Soldiers left on Thursday.", "The hostages were released on Thursday."], prompts=[])
    translator = LLMTranslator(chat, "qwen", TranslationCache(tmp_path / "t.sqlite"))
    assert translate_faithfully(translator, original, "en") == "The hostages were released on Thursday."
    assert all("sandera = hostage" in messages[-1].content for messages in chat.prompts)


def test_a_long_sentence_no_attempt_translates_whole_is_translated_clause_by_clause(tmp_path: Path) -> None:
    original = "Sandera harus dibebaskan pada hari Kamis dan bahwa gencatan senjata akan dimulai segera setelahnya."
    lost_half = "The hostages must be released on Thursday."
    clauses = ["The hostages must be released on Thursday.", "and that the ceasefire will start immediately after."]
    chat = ScriptedChat(replies=[lost_half] * (1 + ALTERNATIVES) + clauses, prompts=[])
    translator = LLMTranslator(chat, "qwen", TranslationCache(tmp_path / "t.sqlite"))
    assert translate_faithfully(translator, original, "en") == "The hostages must be released on Thursday, and that the ceasefire will start immediately after."


def test_past_its_retry_deadline_a_failed_translation_is_not_retried(tmp_path: Path) -> None:
    import time

    original = "Sandera harus dibebaskan pada hari Kamis dan bahwa gencatan senjata akan dimulai segera setelahnya."
    chat = ScriptedChat(replies=["The hostages must be released on Thursday."] * 10, prompts=[])
    translator = LLMTranslator(chat, "qwen", TranslationCache(tmp_path / "t.sqlite"))
    assert translate_faithfully(translator, original, "en", retry_until=time.perf_counter() - 1) is None
    assert len(chat.prompts) == 1  # the greedy translation only: no sampled alternative, no clause


def test_before_its_retry_deadline_a_failed_translation_is_retried(tmp_path: Path) -> None:
    import time

    original = "Sandera dibebaskan pada hari Kamis."
    chat = ScriptedChat(replies=["Soldiers left on Thursday.", "The hostages were released on Thursday."], prompts=[])
    translator = LLMTranslator(chat, "qwen", TranslationCache(tmp_path / "t.sqlite"))
    assert translate_faithfully(translator, original, "en", retry_until=time.perf_counter() + 60) == "The hostages were released on Thursday."


@pytest.mark.slow
@needs_local
def test_the_local_model_translates_news_questions_as_questions_without_answering_them(tmp_path: Path) -> None:
    """Under the general translate prompt it answered 221 of 299 dev news questions ("… is Joko Widodo.")."""
    from rag.llm import create_chat_model
    from rag.retrieval import still_the_question

    items = [json.loads(line) for line in (DATA / "eval" / "xling_news" / "qa.jsonl").read_text(encoding="utf-8").splitlines()[:8]]
    translator = LLMTranslator(create_chat_model("local"), cache=TranslationCache(tmp_path / "t.sqlite"))
    kept = [still_the_question(item["question"], translator.translate(item["question"], "id") or "") for item in items]
    assert sum(kept) >= 7, kept
