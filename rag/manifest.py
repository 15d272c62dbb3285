"""``manifest.json``: what an index was built with and how big it is, readable by people and tools."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path

from rag.chunking import ChunkingParams
from rag.errors import IndexMismatchError
from rag.fsutil import atomic_write_text

FORMAT_VERSION = 1
MANIFEST_FILE = "manifest.json"


def utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@dataclass(frozen=True)
class Manifest:
    """The state of one committed generation of an index.

    The copy inside ``corpus.sqlite`` is authoritative (it commits atomically with the passages);
    ``manifest.json`` mirrors it for people and is repaired from it after a crash.
    """

    embedder: str
    dim: int
    chunking: ChunkingParams = field(default_factory=ChunkingParams)
    generation: int = 0
    articles: int = 0
    passages: int = 0
    next_passage_id: int = 1
    created_at: str = field(default_factory=utc_now)
    updated_at: str = field(default_factory=utc_now)
    format_version: int = FORMAT_VERSION

    @property
    def vectors_file(self) -> str:
        """Each generation's vectors live in their own immutable file, so a reader never sees a
        file being rewritten and a crash before the commit leaves the old generation intact."""
        return f"vectors-{self.generation:06d}.faiss"

    def next(self, **changes: object) -> Manifest:
        return replace(self, generation=self.generation + 1, updated_at=utc_now(), **changes)  # type: ignore[arg-type]

    def to_json(self) -> str:
        data = asdict(self)
        data["vectors_file"] = self.vectors_file
        return json.dumps(data, indent=2, sort_keys=True) + "\n"

    @classmethod
    def from_json(cls, text: str, where: Path) -> Manifest:
        data = json.loads(text)
        version = data.get("format_version")
        if version != FORMAT_VERSION:
            raise IndexMismatchError(
                f"The index at {where} has format version {version}; this newsrag reads version {FORMAT_VERSION}. "
                f"Ingest your articles into a new index (rag ingest PATH --index NEW_DIR)."
            )
        data.pop("vectors_file", None)
        data["chunking"] = ChunkingParams(**data["chunking"])
        return cls(**data)

    def write(self, index_dir: Path) -> None:
        atomic_write_text(index_dir / MANIFEST_FILE, self.to_json())
