"""The three Milvus collections of a store, their rows, and the calls the store makes on them.

Per store ``NAME``: ``NAME_passages`` (one row per passage: its text, the article fields a hit
needs, the dense vector and the BM25 sparse vector Milvus computes itself from title + text),
``NAME_articles`` (the full articles, split into parts because a VARCHAR holds at most 65,535
bytes) and ``NAME_meta`` (one row: the manifest and the write state, the commit point). Every
passage and article row carries ``born``, the generation that wrote it (see ``rag.stores.milvus``),
and ``copy_group``, its article's copy group (``rag.stores.milvus_copies``): searches group on it.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rag.chunking import text_for_embedding
from rag.errors import IndexNotFoundError, RagError, StoreUnavailableError
from rag.manifest import Manifest
from rag.types import Article, Passage

if TYPE_CHECKING:
    from pymilvus import MilvusClient

    from rag.stores.milvus_location import Location

TEXT_PART = 16_000
"""Characters per stored part of an article text (a VARCHAR holds 65,535 bytes, UTF-8 up to 4 a character)."""
BATCH = 512
PAGE = 16_384  # Milvus's largest query page
PASSAGE_FIELDS = ["id", "article_id", "ordinal", "start", "end", "text", "title", "source", "url", "date", "lang"]
ARTICLE_FIELDS = ["article_id", "part", "title", "text", "source", "url", "date", "lang", "place", "origin", "content_hash"]
STORED_PASSAGE_FIELDS = [*PASSAGE_FIELDS, "source_lc", "search_text", "dense"]
"""What a passage row is written with, besides ``born`` and ``copy_group`` (Milvus computes ``sparse``)."""
STORED_ARTICLE_FIELDS = [*ARTICLE_FIELDS, "agency", "fingerprint"]
_SHORT = 500  # characters kept of a short field (source, lang, date, place, ...): its VARCHAR holds 2,048 bytes


def literal(values: Iterable[Any]) -> str:
    """A Milvus expression list literal (JSON quoting is Milvus's string quoting)."""
    return json.dumps(list(values), ensure_ascii=False)


@dataclass
class WriteState:
    """What the manifest row says besides the manifest: the articles whose older rows are hidden.

    The rows the previous generation hid are still hidden (``earlier``) and deleted only by the next
    commit: a reader that refreshed just before this commit still finds every row of its generation."""

    retired: list[str] = field(default_factory=list)
    retired_all: bool = False
    earlier: tuple[int, list[str], bool] | None = None
    """(generation, retired, retired_all) of the previous commit, when it hid rows."""

    def hidden(self, generation: int) -> list[str]:
        """Expressions for the rows this state hides at ``generation``."""
        out = []
        for g, ids, everything in [(generation, self.retired, self.retired_all), *([self.earlier] if self.earlier else [])]:
            if everything:
                out.append(f"born < {g}")
            elif ids:
                out.append(f"(born < {g} and article_id in {literal(ids)})")
        return out


class Collections:
    """One store's collections on one client; every failure of the server is a ``StoreUnavailableError``."""

    def __init__(self, client: MilvusClient, location: Location) -> None:
        self.client, self.location = client, location
        c = location.collection
        self.meta, self.passages, self.articles = f"{c}_meta", f"{c}_passages", f"{c}_articles"

    def exist(self) -> bool:
        return bool(self.call(self.client.has_collection, self.meta))

    def unfinished(self) -> bool:
        """The collections exist without their manifest row: a first ingest was killed before anything
        of it was stored (Milvus Lite keeps the schema of an unflushed collection, not its rows)."""
        if not self.exist():
            return False
        self.load()
        return not self.call(self.client.get, self.meta, ids=["manifest"], output_fields=["key"])

    def drop(self) -> None:
        for name in (self.meta, self.passages, self.articles):
            if self.call(self.client.has_collection, name):
                self.call(self.client.drop_collection, name)

    def load(self) -> None:
        for name in (self.meta, self.passages, self.articles):  # a collection opened by a new process must be loaded first
            self.call(self.client.load_collection, name)

    def close(self) -> None:
        self.client.close()

    def call(self, fn: Any, *args: Any, **kw: Any) -> Any:
        try:
            return fn(*args, **kw)
        except Exception as e:  # noqa: BLE001 - the server went away, or refused the request
            if isinstance(e, RagError):
                raise
            raise StoreUnavailableError(f"The Milvus store {self.location.shown} failed: {e}. Is the server still running?") from e

    def query(self, collection: str, expr: str, fields: list[str]) -> Iterator[dict]:
        """Every row matching ``expr``, page by page (a plain query stops at 16,384 rows)."""
        # Milvus Lite has no server timestamp for the iterator's snapshot and warns on every call.
        logging.getLogger("pymilvus").setLevel(logging.ERROR)
        iterator = self.call(self.client.query_iterator, collection, batch_size=BATCH * 4, filter=expr, output_fields=fields)
        try:
            while page := self.call(iterator.next):
                yield from page
        finally:
            iterator.close()

    def count(self, collection: str, expr: str) -> int:
        return sum(1 for _ in self.query(collection, expr, ["id"] if collection == self.passages else ["key"]))

    def search(self, data: list, field_name: str, n: int, expr: str, params: dict, *, one_per_group: bool = False) -> list[dict]:
        """The ``n`` best passages, or with ``one_per_group`` the best passage of each of the ``n`` best copy groups."""
        if n <= 0:
            return []
        grouping = {"group_by_field": "copy_group"} if one_per_group else {}
        result = self.call(
            self.client.search, self.passages, data=data, anns_field=field_name, limit=min(n, PAGE), filter=expr,
            output_fields=["id"], search_params=params, **grouping,
        )  # fmt: skip
        return list(result[0]) if result else []

    def insert(self, collection: str, rows: list[dict]) -> None:
        for i in range(0, len(rows), BATCH):
            self.call(self.client.insert, collection, rows[i : i + BATCH])

    def delete(self, expr: str) -> None:
        """Delete the passage and article rows matching ``expr`` (on ``born`` and ``article_id``)."""
        for collection in (self.passages, self.articles):
            self.call(self.client.delete, collection, filter=expr)

    def write_meta(self, manifest: Manifest, state: WriteState) -> None:
        value = json.dumps({"manifest": json.loads(manifest.to_json()), "retired": state.retired, "retired_all": state.retired_all,
                            "earlier": state.earlier})  # fmt: skip
        self.call(self.client.upsert, self.meta, [{"key": "manifest", "value": value, "v": [0.0, 0.0]}])

    def has_copy_groups(self) -> bool:
        """Whether the passages collection has the ``copy_group`` field (collections built before it do not)."""
        fields = self.call(self.client.describe_collection, self.passages).get("fields", [])
        return any(f.get("name") == "copy_group" for f in fields)

    def read_meta(self) -> tuple[Manifest, WriteState]:
        shown = self.location.shown
        try:
            rows = self.client.get(self.meta, ids=["manifest"], output_fields=["value"])
        except Exception as e:  # noqa: BLE001
            raise StoreUnavailableError(f"The Milvus store {shown} could not be read: {e}") from e
        if not rows:
            raise IndexNotFoundError(f"The Milvus collection {self.location.collection!r} in {shown} has no manifest: "
                                     f"it was never finished. Ingest again: rag ingest PATH --store {shown}")  # fmt: skip
        data = json.loads(rows[0]["value"])
        manifest = Manifest.from_json(json.dumps(data["manifest"]), Path(shown))
        earlier = data.get("earlier")
        return manifest, WriteState(list(data.get("retired", [])), bool(data.get("retired_all")), (earlier[0], list(earlier[1]), bool(earlier[2])) if earlier else None)

    def create(self, dim: int) -> None:
        _create_collections(self.client, self.location.collection, dim)


def passage_row(article: Article, p: Passage, vector: list[float], born: int, copy_group: str) -> dict[str, Any]:
    title = article.title[:2000]
    return {
        "id": p.id, "article_id": article.id, "ordinal": p.ordinal, "start": p.start, "end": p.end, "text": p.text,
        "title": title, "source": (article.source or "")[:_SHORT], "source_lc": (article.source or "")[:_SHORT].lower(),
        "url": article.url or "", "date": (article.date or "")[:_SHORT], "lang": (article.lang or "")[:_SHORT],
        "born": born, "search_text": text_for_embedding(title, p.text), "dense": vector, "copy_group": copy_group,
    }  # fmt: skip


def article_rows(article: Article, born: int, copy_group: str, agency: str, fingerprint: str) -> list[dict[str, Any]]:
    """The parts of one article (its copy group, and in part 0 the fingerprint that ``rag.stores.milvus_copies``
    groups by and its agency); the key has ``born`` in it so that an edited article's new rows
    never share a primary key with the old ones (Milvus would let the new row shadow the old one
    before the commit, and a delete of the old one take the new one with it)."""
    pieces = [article.text[i : i + TEXT_PART] for i in range(0, len(article.text), TEXT_PART)] or [""]
    return [
        {
            "key": f"{article.id}#{born}#{n}", "article_id": article.id, "part": n, "title": article.title[:2000], "text": piece,
            "source": (article.source or "")[:_SHORT], "url": article.url or "", "date": (article.date or "")[:_SHORT],
            "lang": (article.lang or "")[:_SHORT], "place": (article.place or "")[:_SHORT], "origin": (article.origin or "")[:2000],
            "content_hash": article.content_hash, "born": born, "v": [0.0, 0.0], "copy_group": copy_group,
            "agency": agency[:_SHORT] if n == 0 else "", "fingerprint": fingerprint if n == 0 else "",
        }  # fmt: skip
        for n, piece in enumerate(pieces)
    ]


def _create_collections(client: MilvusClient, name: str, dim: int) -> None:
    from pymilvus import DataType, Function, FunctionType

    def varchar(schema: Any, field_name: str, length: int = 2048, **kw: Any) -> None:
        schema.add_field(field_name, DataType.VARCHAR, max_length=length, **kw)

    passages = client.create_schema(auto_id=False, enable_dynamic_field=False)
    passages.add_field("id", DataType.INT64, is_primary=True)
    for f in ("ordinal", "start", "end", "born"):
        passages.add_field(f, DataType.INT64)
    for f in ("article_id", "title", "source", "source_lc", "date", "lang", "copy_group"):
        varchar(passages, f, 8192 if f == "title" else 2048)
    varchar(passages, "url", 8192)
    varchar(passages, "text", 65535)
    # Milvus's own BM25: it tokenises search_text (title + passage, as the FTS5 table does) into a sparse vector.
    varchar(passages, "search_text", 65535, enable_analyzer=True, analyzer_params={"tokenizer": "standard", "filter": ["lowercase"]})
    passages.add_field("sparse", DataType.SPARSE_FLOAT_VECTOR)
    passages.add_field("dense", DataType.FLOAT_VECTOR, dim=dim)
    passages.add_function(Function(name="bm25", function_type=FunctionType.BM25, input_field_names=["search_text"], output_field_names=["sparse"]))
    index = client.prepare_index_params()
    index.add_index("dense", index_type="AUTOINDEX", metric_type="IP")
    index.add_index("sparse", index_type="SPARSE_INVERTED_INDEX", metric_type="BM25")
    client.create_collection(f"{name}_passages", schema=passages, index_params=index)

    articles = client.create_schema(auto_id=False, enable_dynamic_field=False)
    varchar(articles, "key", 2100, is_primary=True)
    articles.add_field("part", DataType.INT64)
    articles.add_field("born", DataType.INT64)
    for f in ("article_id", "source", "date", "lang", "place", "origin", "content_hash", "copy_group", "agency"):
        varchar(articles, f)
    varchar(articles, "fingerprint", 65535)
    varchar(articles, "title", 8192)
    varchar(articles, "url", 8192)
    varchar(articles, "text", 65535)
    articles.add_field("v", DataType.FLOAT_VECTOR, dim=2)  # Milvus wants a vector field in every collection
    _create_with_placeholder_vector(client, f"{name}_articles", articles)

    meta = client.create_schema(auto_id=False, enable_dynamic_field=False)
    varchar(meta, "key", 64, is_primary=True)
    varchar(meta, "value", 65535)
    meta.add_field("v", DataType.FLOAT_VECTOR, dim=2)
    _create_with_placeholder_vector(client, f"{name}_meta", meta)


def _create_with_placeholder_vector(client: MilvusClient, name: str, schema: Any) -> None:
    index = client.prepare_index_params()
    index.add_index("v", index_type="AUTOINDEX", metric_type="L2")
    client.create_collection(name, schema=schema, index_params=index)
