"""Helpers shared by the tests (fixtures live in conftest.py)."""

from __future__ import annotations

import json
from pathlib import Path

from rag.ids import article_id, content_hash
from rag.types import Article

DATA = Path(__file__).parent / "data"


def make_article(text: str, title: str = "", *, id: str | None = None, url: str | None = None, source: str = "Test Wire", date: str | None = None, lang: str = "en") -> Article:
    """An article as a reader would produce it (content-derived id and hash)."""
    return Article(
        id=article_id(explicit=id, url=url, source=source, title=title, text=text),
        title=title, text=text, source=source, url=url, date=date, lang=lang,
        content_hash=content_hash(title=title, text=text, source=source, url=url, date=date),
    )  # fmt: skip


def load_jsonl(path: Path) -> list[Article]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        d = json.loads(line)
        out.append(make_article(d["text"], d.get("title") or "", id=d["id"], url=d.get("url"), source=d.get("source"), date=d.get("date"), lang=d.get("lang")))
    return out
