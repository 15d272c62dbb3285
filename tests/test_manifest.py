"""rag.manifest: what an index was built with, written for people and read back exactly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rag.chunking import ChunkingParams
from rag.errors import IndexMismatchError
from rag.manifest import FORMAT_VERSION, MANIFEST_FILE, Manifest


def test_a_manifest_round_trips_through_its_file(tmp_path: Path) -> None:
    manifest = Manifest(embedder="hashing", dim=256, chunking=ChunkingParams(min_words=10, max_words=20, overlap_words=5), articles=3)
    manifest.write(tmp_path)
    text = (tmp_path / MANIFEST_FILE).read_text(encoding="utf-8")
    assert json.loads(text)["vectors_file"] == "vectors-000000.faiss"
    assert Manifest.from_json(text, tmp_path) == manifest


def test_each_generation_has_its_own_vectors_file() -> None:
    first = Manifest(embedder="hashing", dim=256)
    second = first.next(articles=4)
    assert second.generation == 1 and second.articles == 4 and second.vectors_file == "vectors-000001.faiss"
    assert (second.embedder, second.created_at) == (first.embedder, first.created_at)


@pytest.mark.parametrize("version", [None, 0, FORMAT_VERSION + 1])
def test_another_format_version_is_refused_with_what_to_do(tmp_path: Path, version: int | None) -> None:
    data = json.loads(Manifest(embedder="hashing", dim=256).to_json())
    data["format_version"] = version
    with pytest.raises(IndexMismatchError, match="rag ingest PATH --index NEW_DIR"):
        Manifest.from_json(json.dumps(data), tmp_path)
