"""The process-wide cache of loaded llama.cpp models, and the lock that serialises each one.

Loading the bundled GGUF model takes seconds and ~2 GB, and the TUI and the evaluation both use it,
so every ``LlamaCppChat`` with the same (path, n_ctx, n_threads) shares one ``Llama``. A llama.cpp
context is not thread-safe, so each shared model has a lock held for a whole call or stream.
"""

from __future__ import annotations

import atexit
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from rag.llm.errors import LLMError, LLMUnavailableError

if TYPE_CHECKING:
    from llama_cpp import Llama


class ModelSlot:
    """One loaded ``Llama`` and the lock that serialises every call to it."""

    def __init__(self, llama: Llama) -> None:
        self.llama = llama
        self.lock = threading.Lock()
        self.owner: int | None = None  # thread id of the holder, to catch same-thread re-entry

    @contextmanager
    def use(self) -> Iterator[Llama]:
        """Hold the model for one call; a second call from the same thread fails instead of deadlocking."""
        me = threading.get_ident()
        if self.owner == me:  # only this thread ever sets owner to its own id, so no race here
            raise LLMError(
                "The local model is still busy with an unfinished stream in this thread. "
                "Read the stream to its end (or close it) before calling the model again."
            )
        with self.lock:
            self.owner = me
            try:
                yield self.llama
            finally:
                self.owner = None


_INSTALL = "Install it with `make install`, or pass the path of a .gguf file."
_CACHE: dict[tuple[str, int, int], ModelSlot] = {}
_CACHE_LOCK = threading.Lock()


def check_model_file(path: Path) -> None:
    """Fail early, with the install command, before llama.cpp gets a file it cannot use."""
    if not path.is_file():
        raise LLMUnavailableError(f"The local model file {path} does not exist. {_INSTALL}")
    with open(path, "rb") as f:
        if f.read(4) != b"GGUF":
            raise LLMUnavailableError(f"The local model file {path} is not a GGUF model. {_INSTALL}")


def load_model(path: str, n_ctx: int, n_threads: int) -> ModelSlot:
    """The shared, lazily loaded model for these settings (loaded once per process)."""
    key = (path, n_ctx, n_threads)
    with _CACHE_LOCK:  # held while loading, so two threads never load the same 1 GB file twice
        if (slot := _CACHE.get(key)) is not None:
            return slot
        check_model_file(Path(path))
        try:
            from llama_cpp import Llama
        except ImportError as e:
            raise LLMUnavailableError(f"llama-cpp-python is missing, so {path} cannot run. Install it: `make install`.") from e
        try:
            # logits_all=False: keeping logits for every prompt position costs n_ctx x 152k floats;
            # yes_probability reads the last position's logits through a logits processor instead.
            llama = Llama(
                model_path=path, n_ctx=n_ctx, n_threads=n_threads, n_threads_batch=n_threads, logits_all=False, verbose=False
            )
        except (ValueError, RuntimeError, OSError) as e:
            raise LLMUnavailableError(
                f"llama.cpp could not load the local model {path} ({e}). It may be damaged; reinstall it with `make install`."
            ) from e
        if not _CACHE:
            atexit.register(_release_at_exit)
        slot = _CACHE[key] = ModelSlot(llama)
        return slot


def release_models(*, wait: bool = True) -> None:
    """Free every cached model; each waits for its current call first (``wait=False``: skip busy ones)."""
    with _CACHE_LOCK:
        slots = list(_CACHE.values())
        _CACHE.clear()
    for slot in slots:
        if slot.lock.acquire(blocking=wait):
            try:
                slot.llama.close()
            finally:
                slot.lock.release()


def _release_at_exit() -> None:
    # Without this, the cached Llama is freed during interpreter teardown, after llama_cpp's module
    # globals are gone, and prints a TypeError. A daemon thread still generating is left alone.
    release_models(wait=False)
