"""Query translation for keyword search, by the local LLM, cached on disk.

Only used when the question's language differs from the corpus's; a cached translation costs
one SQLite lookup, so asking the same question again (or re-running an eval) is free.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from rag.prompting import language_name, load_prompt

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel


def cache_dir() -> Path:
    """``NEWSRAG_CACHE_DIR`` or the user cache directory (``rag.config.user_folders``)."""
    from rag.config import user_folders

    return user_folders().cache


class TranslationCache:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("CREATE TABLE IF NOT EXISTS translations (key TEXT PRIMARY KEY, text TEXT NOT NULL)")
        self._lock = threading.Lock()

    @staticmethod
    def key(model: str, target: str, text: str) -> str:
        return hashlib.sha256(f"{model}\x1f{target}\x1f{text}".encode()).hexdigest()

    def get(self, key: str) -> str | None:
        with self._lock:
            row = self._db.execute("SELECT text FROM translations WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def put(self, key: str, text: str) -> None:
        with self._lock:
            self._db.execute("INSERT OR REPLACE INTO translations (key, text) VALUES (?, ?)", (key, text))


class LLMTranslator:
    """Translates with a chat model; remembers every translation."""

    def __init__(self, llm: BaseChatModel, model_id: str, cache: TranslationCache | None = None) -> None:
        self.llm = llm
        self.model_id = model_id
        self.cache = cache or TranslationCache(cache_dir() / "translations.sqlite")

    def translate(self, text: str, target_lang: str) -> str | None:
        from rag.llm.streaming import complete_text

        key = TranslationCache.key(self.model_id, target_lang, text)
        if (cached := self.cache.get(key)) is not None:
            return cached
        messages = load_prompt("translate").render(language=language_name(target_lang), text=text)
        translation = complete_text(self.llm, messages).strip().splitlines()[0].strip() if text.strip() else ""
        self.cache.put(key, translation)
        return translation or None
