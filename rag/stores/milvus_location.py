"""Where a Milvus store lives (``--store``) and connecting to it: Milvus Lite in a file, or a server by URI."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from rag.errors import ConfigError, StoreUnavailableError

if TYPE_CHECKING:
    from pymilvus import MilvusClient

DEFAULT_COLLECTION = "newsrag"
DEFAULT_PORT = 19530
CONNECT_TIMEOUT = 10.0
"""Seconds to wait for a Milvus server before saying it is not there (a refused port fails at once)."""
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,200}$")


@dataclass(frozen=True)
class Location:
    shown: str  # as the user wrote it
    uri: str  # what MilvusClient connects to: a file path (Milvus Lite) or http(s)://host:port
    collection: str
    lite: bool

    def describe(self) -> str:
        """The backend, as ``rag index status`` names it."""
        kind = "milvus-lite" if self.lite else "milvus"
        return f"{kind} ({self.uri}, collection {self.collection})"


def parse_location(text: str) -> Location:
    """``milvus://HOST[:PORT]/COLLECTION`` (``milvuss://`` for TLS) or ``PATH.db[#COLLECTION]``."""
    if text.startswith(("milvus://", "milvuss://")):
        parts = urlsplit(text)
        try:
            port = parts.port
        except ValueError:
            raise ConfigError(f"--store {text!r} has a port that is not a number. Use milvus://HOST:{DEFAULT_PORT}/COLLECTION.") from None
        if not parts.hostname:
            raise ConfigError(f"--store {text!r} names no host. Use milvus://HOST:{DEFAULT_PORT}/COLLECTION.")
        scheme = "https" if parts.scheme == "milvuss" else "http"
        uri, collection, lite = f"{scheme}://{parts.hostname}:{port or DEFAULT_PORT}", parts.path.strip("/"), False
    else:
        path, _, collection = text.partition("#")
        uri, lite = str(Path(path).expanduser().resolve()), True
    collection = collection or DEFAULT_COLLECTION
    if not _NAME.match(collection):
        raise ConfigError(f"--store {text!r}: {collection!r} is not a Milvus collection name (letters, digits and _, not starting with a digit).")
    return Location(text, uri, collection, lite)


def connect(location: Location) -> MilvusClient:
    """A client for ``location``; :class:`StoreUnavailableError` (quickly) if nothing answers there."""
    # gRPC logs keep-alive complaints ("too_many_pings") to stderr while an ingest embeds.
    os.environ.setdefault("GRPC_VERBOSITY", "NONE")
    try:
        from pymilvus import MilvusClient
    except ImportError as e:
        raise ConfigError("The Milvus store needs pymilvus (and milvus-lite for a local file): pip install 'newsrag[milvus]'.") from e
    try:
        if location.lite:
            Path(location.uri).parent.mkdir(parents=True, exist_ok=True)
            return MilvusClient(location.uri)
        # The token is a secret: read where it is used, never kept in Settings.
        return MilvusClient(uri=location.uri, token=os.environ.get("NEWSRAG_MILVUS_TOKEN", ""), timeout=CONNECT_TIMEOUT)
    except Exception as e:  # noqa: BLE001 - pymilvus raises MilvusException or grpc errors for "cannot connect"
        if location.lite:
            raise StoreUnavailableError(f"Milvus Lite could not open {location.uri}: {e}. Is another process using it?") from e
        raise StoreUnavailableError(
            f"No Milvus server answered at {location.uri} (from --store {location.shown}): {e}. "
            "Start it (see the README: docker compose up -d), or check the host and port."
        ) from e
