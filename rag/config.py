"""``Settings``: everything a user can choose, in one frozen object built once at the edge.

The CLI, the TUI, ``rag eval`` and the benchmarks build one ``Settings`` (``Settings.from_env()``
then their own flags, with ``dataclasses.replace``) and pass it, or the group a callee needs,
down. Library code never reads the environment: the ``NEWSRAG_*`` variables are read here and
nowhere else.

The groups are the library's own settings dataclasses (``RetrievalSettings``, ``AnswerSettings``,
``ChunkingParams``, ``IndexPolicy``); each default is written once, where its field is defined.

| variable              | overrides                                                      |
|-----------------------|----------------------------------------------------------------|
| ``NEWSRAG_INDEX_DIR`` | ``Settings.index_dir`` (``index``)                             |
| ``NEWSRAG_DATA_DIR``  | ``Folders.data``: conversations, exports                       |
| ``NEWSRAG_CACHE_DIR`` | ``Folders.cache``: translations, eval indexes                  |
| ``NEWSRAG_MODELS_DIR``| ``Folders.models``: the joined local GGUF models               |
| ``NEWSRAG_LLM``       | ``LLMSettings.backend``                                        |
| ``NEWSRAG_MODEL``     | ``LLMSettings.model``                                          |
| ``NEWSRAG_LLM_URL``   | ``LLMSettings.base_url``                                       |
| ``NEWSRAG_STORE``     | ``Settings.store``: another store than the index directory     |
| ``NEWSRAG_AS_OF``     | ``AnswerSettings.as_of``: the date "last week" counts from     |
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from rag.chat import AnswerSettings
from rag.chunking import ChunkingParams
from rag.embedding import DEFAULT_EMBEDDER
from rag.llm import DEFAULT_API_KEY_ENV, DEFAULT_MAX_TOKENS, DEFAULT_TIMEOUT
from rag.retrieval import RetrievalSettings
from rag.vectors import IndexPolicy

APP_NAME = "newsrag"
DEFAULT_INDEX_DIR = Path("index")
ENV_PREFIX = "NEWSRAG_"


@dataclass(frozen=True)
class Folders:
    """Where newsrag keeps what is not an index. One function (``user_folders``) computes them."""

    data: Path
    """User data: ``conversations.sqlite`` and ``exports/``."""
    cache: Path
    """Rebuildable things: the translation cache, the eval indexes."""
    models: Path
    """The joined local models (``rag.models``)."""

    @property
    def eval_cache(self) -> Path:
        """``rag eval`` builds each dev set's index once, here."""
        return self.cache / "eval"

    @property
    def translations(self) -> Path:
        return self.cache / "translations.sqlite"

    @property
    def exports(self) -> Path:
        return self.data / "exports"


def user_folders(environ: Mapping[str, str] | None = None) -> Folders:
    """The platform's user folders for newsrag (``platformdirs``), each overridable by its variable.

    ``NEWSRAG_MODELS_DIR`` is separate from ``NEWSRAG_CACHE_DIR`` on purpose: tests point the cache
    at a temporary folder and still find the installed model.
    """
    from platformdirs import user_cache_dir, user_data_dir

    env = os.environ if environ is None else environ

    def folder(name: str, default: str | Path) -> Path:
        return Path(env.get(f"{ENV_PREFIX}{name}") or default)

    return Folders(
        data=folder("DATA_DIR", user_data_dir(APP_NAME)),
        cache=folder("CACHE_DIR", user_cache_dir(APP_NAME)),
        models=folder("MODELS_DIR", Path(user_cache_dir(APP_NAME)) / "models"),
    )


@dataclass(frozen=True)
class LLMSettings:
    """Who writes the answer and how it is reached."""

    backend: str = "auto"
    """local | openai | extractive | auto (local when the bundled model is installed)."""
    model: str | None = None
    """local: a catalog name or .gguf path (default: ``rag.llm.DEFAULT_LOCAL_MODEL``); openai: the server's model name."""
    base_url: str | None = None
    """openai: the server's OpenAI-compatible base URL (default: ``rag.llm.DEFAULT_BASE_URL``)."""
    api_key_env: str = DEFAULT_API_KEY_ENV
    """The name of the environment variable holding the API key (the key itself is never stored)."""
    timeout: float = DEFAULT_TIMEOUT
    """Seconds to wait for the LLM server."""
    max_tokens: int = DEFAULT_MAX_TOKENS
    """Longest answer, in tokens."""
    translate: str = "auto"
    """Translate questions into the corpus language for keyword search: auto | on | off.
    auto uses the local model when it writes the answer anyway (backend local); with extractive
    or a server it is off, so no model blocks the first sources (on forces it)."""


@dataclass(frozen=True)
class Settings:
    """One user's choices. Frozen: derive a variant with ``dataclasses.replace`` or ``with_k``."""

    index_dir: Path = DEFAULT_INDEX_DIR
    store: str | None = None
    """Another store instead of ``index_dir``: ``milvus://HOST:19530/COLLECTION`` or ``PATH.db`` (Milvus Lite)."""
    embedder: str = DEFAULT_EMBEDDER
    """The embedder of a new index (an existing index keeps its own)."""
    folders: Folders = field(default_factory=user_folders)
    llm: LLMSettings = field(default_factory=LLMSettings)
    retrieval: RetrievalSettings = field(default_factory=RetrievalSettings)
    answer: AnswerSettings = field(default_factory=AnswerSettings)
    chunking: ChunkingParams = field(default_factory=ChunkingParams)
    vectors: IndexPolicy = field(default_factory=IndexPolicy)
    """Which FAISS index an index of a given size uses (exact, or IVF with its lists and probes)."""

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """The defaults, with the ``NEWSRAG_*`` variables of ``environ`` (default: the process's) applied."""
        env = os.environ if environ is None else environ
        llm = LLMSettings()
        overrides = {name: env[f"{ENV_PREFIX}{var}"] for name, var in _LLM_ENV.items() if env.get(f"{ENV_PREFIX}{var}")}
        return cls(
            index_dir=Path(env.get(f"{ENV_PREFIX}INDEX_DIR") or DEFAULT_INDEX_DIR),
            store=env.get(f"{ENV_PREFIX}STORE") or None,
            folders=user_folders(env),
            llm=replace(llm, **overrides),
        ).with_as_of(env.get(f"{ENV_PREFIX}AS_OF") or None)

    @property
    def location(self) -> str | Path:
        """Where the answers come from: the store, if one is named, else the index directory."""
        return self.store or self.index_dir

    @property
    def k(self) -> int:
        """Sources per answer."""
        return self.answer.k

    def with_k(self, k: int | None) -> Settings:
        """The same settings with ``k`` sources per answer (retrieval hands over as many); None keeps them."""
        if k is None:
            return self
        return replace(self, retrieval=replace(self.retrieval, k=k), answer=replace(self.answer, k=k))

    @property
    def as_of(self) -> str | None:
        """The date (YYYY-MM-DD) a question's "last week" or "kemarin" counts from; None: today."""
        return self.answer.as_of

    def with_as_of(self, as_of: str | None) -> Settings:
        """The same settings answering as of ``as_of`` (YYYY-MM-DD; checked here, a bad date is a
        ``ConfigError``); None keeps them. "today" goes back to the current date."""
        if as_of is None:
            return self
        from rag.news.timeframe import parse_as_of

        value = None if as_of.strip().lower() in {"", "today"} else parse_as_of(as_of).isoformat()
        return replace(self, answer=replace(self.answer, as_of=value))

    def with_llm(self, **changes: object) -> Settings:
        """The same settings with the LLM fields given (None values are left as they are)."""
        given = {name: value for name, value in changes.items() if value is not None}
        return replace(self, llm=replace(self.llm, **given)) if given else self


_LLM_ENV = {"backend": "LLM", "model": "MODEL", "base_url": "LLM_URL"}
