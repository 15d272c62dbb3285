"""Finding a speaker's stored quotes: "Blinken" = "Antony Blinken" = "Menteri Luar Negeri Amerika
Serikat Antony Blinken" = "Menlu AS" (when the role is all the asker gives), filtered by date,
outlet, place and topic. Used by ``rag quotes``, the attribution answers and the TUI."""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from rag.news.lexicon import LEXICON_DIR, lexicon, place_names
from rag.news.store import StoredQuote, fold, terms

if False:  # typing only, without importing the index at module load
    from rag.index import Index


def _all_lexicons() -> list:
    return [lexicon(p.stem) for p in sorted(LEXICON_DIR.glob("??.toml"))]  # the per-language files: en.toml, id.toml


def name_terms(speaker: str) -> list[str]:
    """The words of a speaker's description that can name a person (titles, roles and places dropped)."""
    lexes = _all_lexicons()
    drop = set().union(*(lx.titles | lx.role_words | lx.function_words for lx in lexes))
    return [t for t in terms(speaker) if t not in drop]


@dataclass(frozen=True)
class SpeakerQuery:
    speaker: str
    about: str | None = None
    since: str | None = None
    until: str | None = None
    sources: tuple[str, ...] = ()
    place: str | None = None
    direct_only: bool = False


def find_quotes(index: Index, query: SpeakerQuery) -> list[StoredQuote]:
    """The quotes of ``query.speaker``, newest first, filtered by the rest of the query."""
    filters = dict(since=query.since, until=query.until, sources=list(query.sources))
    names = name_terms(query.speaker)
    found = index.quotes(names, **filters) if names else []
    if not found:  # "Menlu AS", "the minister": only a role was given
        role = [t for t in terms(query.speaker) if t not in {"the", "a", "an"}]
        found = [q for q in index.quotes(role[:1], **filters) if set(role) <= set(terms(q.quote.speaker_role) + terms(q.quote.speaker))] if role else []
    found = [q for q in found if q.quote.speaker]
    if query.direct_only:
        found = [q for q in found if q.quote.direct]
    if query.place:
        found = [q for q in found if same_place(q.quote.place, query.place)]
    if query.about:
        found = [q for q in found if mentions(q.quote.statement, query.about)]
    return found


def mentions(statement: str, about: str) -> bool:
    """Whether a statement shares a content word (by its first five letters) with ``about``."""
    words = {t[:5] for t in terms(about) if len(t) > 3}
    return bool(words & {t[:5] for t in terms(statement) if len(t) > 3})


def same_place(a: str | None, b: str | None) -> bool:
    """"Kairo" = "Cairo": places compared by their canonical names (``lexicons/places.toml``)."""
    if not a or not b:
        return False
    aliases = _place_aliases()
    ca, cb = fold(a).strip(), fold(b).strip()
    return aliases.get(ca, ca) == aliases.get(cb, cb)


@functools.cache
def _place_aliases() -> dict[str, str]:
    return {fold(variant): fold(canonical) for canonical, variants in place_names().items() for variant in [canonical, *variants]}


def citation(q: StoredQuote) -> str:
    """Where to check a quote: outlet, article id and the statement's offsets."""
    return f"{q.source or '?'} · {q.quote.article_id} @{q.quote.statement_start}-{q.quote.statement_end}" + (f" · {q.url}" if q.url else "")


def short_date(iso: str | None) -> str:
    """"2024-03-21" → "21 Mar 2024"."""
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", iso or "")
    if not m:
        return iso or "undated"
    months = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
    return f"{int(m.group(3))} {months[int(m.group(2)) - 1]} {m.group(1)}"


def to_json(q: StoredQuote) -> dict:
    return {**q.quote.to_json(), "quote_id": q.id, "passage_id": q.passage_id, "title": q.title, "source": q.source,
            "url": q.url, "lang": q.lang, "citation": citation(q)}  # fmt: skip


def group_by_speaker(quotes: Sequence[StoredQuote]) -> dict[str, list[StoredQuote]]:
    out: dict[str, list[StoredQuote]] = {}
    for q in quotes:
        out.setdefault(q.quote.speaker or "", []).append(q)
    return out
