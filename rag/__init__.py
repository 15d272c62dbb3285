"""newsrag: grounded, cross-lingual, verifiable answers over news.

``import rag`` stays cheap: the public names load on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

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
