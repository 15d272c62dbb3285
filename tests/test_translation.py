"""rag.translation: the on-disk translation cache, and a translator that asks the model once per text."""

from __future__ import annotations

from pathlib import Path

from rag.translation import LLMTranslator, TranslationCache
from tests.helpers import ScriptedChat


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


def test_blank_text_is_not_sent_to_the_model(tmp_path: Path) -> None:
    chat = ScriptedChat(replies=[], prompts=[])
    assert LLMTranslator(chat, "qwen", TranslationCache(tmp_path / "t.sqlite")).translate("  ", "id") is None
    assert chat.prompts == []
