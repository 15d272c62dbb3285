"""The generations of an index folder: each commit's vectors file, the committed one loaded
consistently with the SQLite manifest while a writer may be moving on, and the others tidied away."""

from __future__ import annotations

import contextlib
import re
from pathlib import Path

from rag.corpus import Corpus
from rag.errors import IndexCorruptError, IndexNotFoundError
from rag.manifest import MANIFEST_FILE, Manifest
from rag.vectors import DEFAULT_POLICY, IndexPolicy, VectorIndex

_VECTORS_FILE = re.compile(r"^vectors-\d{6}\.faiss$")


def load_vectors(path: Path, policy: IndexPolicy) -> VectorIndex | None:
    try:
        return VectorIndex.load(path, policy)
    except RuntimeError:  # faiss reports a missing or unreadable file this way
        return None


def load_consistent(path: Path, corpus: Corpus, policy: IndexPolicy = DEFAULT_POLICY) -> tuple[Manifest, VectorIndex]:
    """The committed manifest and its vectors; retries if a writer moves on while we read."""
    for _ in range(10):
        manifest = corpus.manifest()
        if manifest is None:
            raise IndexNotFoundError(f"No index at {path}. Build one with: rag ingest PATH --index {path}")
        vectors_path = path / manifest.vectors_file
        vectors = load_vectors(vectors_path, policy)
        if vectors is None:
            latest = corpus.manifest()
            if latest is not None and latest.generation != manifest.generation:
                continue  # a writer committed and removed the file we were about to read
            raise IndexCorruptError(
                f"{vectors_path} is missing or unreadable. Rebuild the vectors from the stored articles: "
                f"rag index rebuild --index {path}"
            ) from None
        return manifest, vectors
    raise IndexCorruptError(f"The index at {path} kept changing while it was being opened; try again.")


def tidy(path: Path, manifest: Manifest) -> None:
    """Under the writer lock: drop other generations' vectors and temp files, refresh manifest.json.

    A reader may still be opening the file of the previous generation; it notices the newer
    generation and retries (see ``load_consistent``).
    """
    for child in path.iterdir():
        stale_vectors = _VECTORS_FILE.match(child.name) and child.name != manifest.vectors_file
        if stale_vectors or (child.name.startswith(".") and child.name.endswith(".tmp")):
            with contextlib.suppress(FileNotFoundError):
                child.unlink()
    manifest_path = path / MANIFEST_FILE
    text = manifest.to_json()
    if not manifest_path.exists() or manifest_path.read_text(encoding="utf-8") != text:
        manifest.write(path)
