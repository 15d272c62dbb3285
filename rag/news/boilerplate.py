"""Boilerplate an outlet wraps around a wire story, stripped before copies are compared.

Bylines, "Baca juga:" / "Read more:" links, photo captions, agency tags ("(AP)", "Jakarta
(ANTARA) -") and outlet datelines ("Cairo, Gatra.com -") differ between outlets running one
report; left in, they make two copies of it look less alike than they are. The patterns are data
(``lexicons/boilerplate.toml``, per language plus ``[all]``); the agency a tag names is kept,
because "AP via MyNorthwest, …" is how a copy group is shown.
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass

from rag.news.lexicon import LEXICON_DIR, LexiconError

BOILERPLATE_FILE = LEXICON_DIR / "boilerplate.toml"


@dataclass(frozen=True)
class Stripped:
    text: str
    """The article text without its boilerplate lines and spans (paragraphs kept, one per line)."""
    agency: str | None
    """The wire agency a tag or dateline names ("AP", "ANTARA"), when one does."""


@dataclass(frozen=True)
class _Patterns:
    lines: tuple[re.Pattern[str], ...]
    spans: tuple[re.Pattern[str], ...]


@functools.lru_cache(maxsize=1)
def _data() -> dict:
    try:
        return tomllib.loads(BOILERPLATE_FILE.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise LexiconError(f"Cannot read the boilerplate patterns {BOILERPLATE_FILE}: {exc}. Restore the file from the project.") from exc


@functools.lru_cache(maxsize=None)
def _patterns(lang: str | None) -> _Patterns:
    data = _data()
    tables = [data.get("all", {})] + ([data[lang]] if lang and lang in data and lang not in ("all", "agencies") else [])
    if not lang or lang not in data:  # unknown language: every language's patterns (they are anchored and specific)
        tables = [data.get("all", {})] + [v for k, v in data.items() if k not in ("all", "agencies")]
    flags = re.IGNORECASE | re.MULTILINE
    lines = tuple(re.compile(p, flags) for t in tables for p in t.get("lines", []))
    spans = tuple(re.compile(p, re.MULTILINE) for t in tables for p in t.get("spans", []))  # agency tags are case-sensitive
    return _Patterns(lines, spans)


def agency_name(raw: str) -> str:
    return _data().get("agencies", {}).get(raw.lower(), raw)


def strip_boilerplate(text: str, lang: str | None = None) -> Stripped:
    """``text`` without the boilerplate of ``lang`` (and of every language), and the agency named."""
    patterns = _patterns(lang)
    agency = None
    kept = []
    for line in text.splitlines():
        if not line.strip() or any(p.fullmatch(line) for p in patterns.lines):
            continue
        for p in patterns.spans:
            m = p.search(line)
            if m:
                if agency is None and "agency" in p.groupindex and m.group("agency"):
                    agency = agency_name(m.group("agency"))
                line = line[: m.start()] + line[m.end() :]
        if line.strip():
            kept.append(line.strip())
    return Stripped("\n".join(kept), agency)
