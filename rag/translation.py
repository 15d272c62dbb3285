"""Translation by the local LLM, cached on disk, and the check that a translation is faithful.

Used for the question (keyword search, when its language differs from the corpus's) and for
answer sentences and quoted statements; a cached translation costs one SQLite lookup, so asking
the same question again (or re-running an eval) is free. The 1.5B model adds words the source does
not say ("disaster" for "memburuknya hubungan", a worsening of relations) and leaves phrases
untranslated ("Dan, also doesn't need to worry"): ``faithful`` catches both, so a caller can show
the original instead.
"""

from __future__ import annotations

import functools
import hashlib
import re
import sqlite3
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

from rag.language import detect_language
from rag.prompting import language_name, load_prompt
from rag.translation_terms import Glossary, lost_fact

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

    from rag.citations import Judge

    from rag.llm.text import TextModel


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
    """Translates with a text model; remembers every translation (on disk, and the last few in memory)."""

    def __init__(self, llm: BaseChatModel | TextModel, model_id: str | None = None, cache: TranslationCache | None = None) -> None:
        from rag.llm.text import as_text_model

        self.model = as_text_model(llm)
        assert self.model is not None
        self.model_id = model_id or self.model.id
        self.cache = cache or TranslationCache(cache_dir() / "translations.sqlite")
        self._recent: dict[tuple[str, str], str] = {}

    def translate(self, text: str, target_lang: str, alternative: int = 0) -> str | None:
        """The model's translation, or with ``alternative`` k > 0 its k-th sampled alternative."""
        if (recent := self._recent.get((target_lang, text, alternative))) is not None:
            return recent or None
        hints = glossary_hints(text, target_lang)
        # A question has its own prompt: under the general one the model answers it instead.
        prompt = "translate_question" if text.rstrip().endswith("?") else "translate"
        marks = (f"\x1f{alternative}" if alternative else "") + ("\x1fquestion" if prompt == "translate_question" else "")
        key = TranslationCache.key(self.model_id, target_lang, text + hints + marks)
        if (translation := self.cache.get(key)) is None:
            variables = {"language": language_name(target_lang), "text": text, "glossary": hints}
            if prompt == "translate_question":
                variables["source_language"] = language_name(detect_language(text) or "en")
            messages = load_prompt(prompt).render(**variables)
            lines = self.model.complete(messages, alternative=alternative).strip().splitlines() if text.strip() else []
            translation = lines[0].strip() if lines else ""
            self.cache.put(key, translation)
        if len(self._recent) >= _RECENT:
            self._recent.pop(next(iter(self._recent)))
        self._recent[(target_lang, text, alternative)] = translation
        return translation or None


_RECENT = 256
"""Translations kept in memory: a conversation asks for the same question's translation several times."""


def translator_for(model: BaseChatModel | TextModel, cache: TranslationCache | None = None) -> LLMTranslator:
    """The translator of ``model``: the one place a translator is built (retrieval and answers)."""
    return LLMTranslator(model, cache=cache)


FAITHFUL = 0.5
"""The judge's probability at or above which a translation says what its original says."""


def leftover_words(original: str, translation: str, target_lang: str) -> set[str]:
    """Function words of the original's language left in a translation into ``target_lang``
    ("dan", "juga", "yang" in English): the model copied that part instead of translating it."""
    from rag.languages import all_stopwords, language

    # every other language's: a short original's language is often told wrong (Indonesian as Malay)
    foreign = all_stopwords() - language(target_lang).stopwords
    words = set(re.findall(r"\w+", original.lower()))
    # a name kept as the original writes it keeps its function words: "Asosiasi Industri Permebelan
    # dan Kerajinan Indonesia" is no copied "dan"
    translated = _NAME_RUN.sub(lambda m: " " if m.group(0) in original else m.group(0), translation)
    return {w for w in re.findall(r"\w+", translated.lower()) if w in foreign and w in words and len(w) > 1}


_NAME_RUN = re.compile(r"[A-Z][\w-]*(?:\s+(?:[a-z]{1,4}\s+)?[A-Z][\w-]*)+")
"""Capitalised words in a row, perhaps with one short lower-case word between two of them."""


def glossary_hints(text: str, target_lang: str) -> str:
    """"\n\n(Glossary: sandera = hostage; …)" for the words of ``text`` a glossary into
    ``target_lang`` knows, else ""."""
    hints = "; ".join(h for g in glossaries_into(target_lang) if (h := g.hints(text)))
    return f"\n\n(Glossary: {hints})" if hints else ""


@functools.cache
def glossaries_into(target_lang: str) -> tuple[Glossary, ...]:
    """The glossaries from other languages into ``target_lang`` (a text's language is not asked:
    short Indonesian is often detected as Malay, and a glossary finds only its own words). Looked
    up once: every translation and every check asks."""
    from rag.news.lexicon import LEXICON_DIR

    sources = (p.stem.split("_")[1] for p in sorted(LEXICON_DIR.glob(f"glossary_*_{target_lang}.toml")))
    return tuple(g for s in sources if s != target_lang and (g := Glossary.between(s, target_lang)) is not None)


def faithful(original: str, translation: str, target_lang: str, judge: Judge | None = None) -> bool:
    """``translation`` renders ``original`` in ``target_lang`` (``unfaithful_reason`` is None)."""
    return unfaithful_reason(original, translation, target_lang, judge) is None


def unfaithful_reason(original: str, translation: str, target_lang: str, judge: Judge | None = None) -> str | None:
    """Why ``translation`` does not render ``original`` in ``target_lang``, or None when it does:
    "digits" or "names" (a number or name of the original is lost, ``lost_fact``), "leftover words"
    (function words of the original's language copied), "glossary" (a glossary word of the original
    not rendered, ``rag.translation_terms``) or, when a ``judge`` (the same model's YES/NO
    log-probability) is given, "judge" (content the original does not state). One function, so the
    benchmark (benchmarks/translation_faithfulness.py) counts the reasons the answer path applies."""
    if (lost := lost_fact(original, translation)) is not None:
        return lost
    if leftover_words(original, translation, target_lang):
        return "leftover words"
    if any(g.missing(original, translation) for g in glossaries_into(target_lang)):
        return "glossary"
    if judge is not None and judge(original, translation) < FAITHFUL:
        return "judge"
    return None


def translate_faithfully(translator: LLMTranslator, text: str, target_lang: str, judge: Judge | None = None,
                         retry_until: float | None = None) -> str | None:  # fmt: skip
    """``text`` in ``target_lang``, sentence by sentence, or None when a sentence has no faithful
    translation. A sentence whose translation fails is tried in up to ``ALTERNATIVES`` sampled
    alternatives, then clause by clause: the 1.5B model's greedy translation of a long sentence
    often loses a part ("… sangat dibutuhkan dan bahwa kesenjangan menyempit …").

    ``retry_until`` (a ``time.perf_counter()`` value): no retry (alternative or clause) starts
    after it. On the news dev questions the retries rescued about one failed translation in ten
    and cost 6-11 s each time (benchmarks/bench_answer_latency.py)."""
    out = []
    for sentence in _SENTENCE_END.split(text.strip()):
        translation = _faithful_translation(translator, sentence, target_lang, judge, retry_until)
        if translation is None and not _past(retry_until) and len(parts := _CLAUSE_START.split(sentence)) > 1:
            pieces = [_faithful_translation(translator, p, target_lang, judge, retry_until) for p in parts]
            if all(pieces):  # joined as one sentence: the pieces' own ends go, but the last one's
                translation = ", ".join([*(p.rstrip(" .,;") for p in pieces[:-1] if p), pieces[-1] or ""])
        if translation is None:
            return None
        out.append(translation)
    return " ".join(out)


def _faithful_translation(translator: LLMTranslator, text: str, target_lang: str, judge: Judge | None,
                          retry_until: float | None) -> str | None:  # fmt: skip
    for alternative in range(ALTERNATIVES + 1):
        if alternative and _past(retry_until):
            break
        translation = translator.translate(text, target_lang, alternative)
        for glossary in glossaries_into(target_lang) if translation else ():
            translation = glossary.untranslated_words_fixed(text, translation)
        if translation and faithful(text, translation, target_lang, judge):
            return translation
    return None


def _past(deadline: float | None) -> bool:
    return deadline is not None and time.perf_counter() > deadline


ALTERNATIVES = 3
"""Sampled translations tried after the greedy one fails the check. On the seed article's two
statements whose greedy translation failed, 4 of 5 samples passed for one and 1 of 5 for the other."""


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“])")
_CLAUSE_START = re.compile(r",?\s+(?=(?:dan bahwa|serta|sedangkan|sementara itu|namun|tetapi)\s(?:\S+\s+){3})|;\s+")
"""Where a sentence may be cut into clauses that stand alone: before a conjunction followed by at
least four words, or at a semicolon."""
