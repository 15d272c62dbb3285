"""One report per copy group in what retrieval returns, each naming the other outlets that ran it.

Retrieval ranks passages; five outlets running one AP story give five near-identical passages.
:func:`one_per_report` keeps the best-scoring member's passage of each copy group (so k sources are
k different reports) and drops another member's passage only when the kept article holds its text,
so a paragraph one outlet added (a local quote) stays a source of its own, attributed to that outlet.
:func:`attributed` narrows a hit's ``also_in`` to the outlets whose text really holds the cited
text: an outlet is never credited with a sentence it did not print.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace

from rag.news.boilerplate import strip_boilerplate
from rag.news.fingerprint import coverage as _coverage
from rag.types import Hit

COVERED = 0.8
"""A passage is "in" another article when this share of its 4-word shingles is (paragraph edits,
a changed dateline or a trimmed sentence keep a copy above it; an added paragraph falls below)."""

def coverage(text: str, by: str) -> float:
    """How much of ``text`` ``by`` holds: the least covered paragraph's share of shingles, both without
    boilerplate (a byline is no text of the report; one added paragraph is enough to differ)."""
    held = strip_boilerplate(by).text
    return min((_coverage(p, held) for p in strip_boilerplate(text).text.splitlines() if p.strip()), default=1.0)


TextsOf = Callable[[Iterable[str]], Mapping[str, str]]
"""article ids → their texts (``lambda ids: {a.id: a.text for a in index.articles(list(ids))}``)."""


def one_per_report(hits: Sequence[Hit], texts_of: TextsOf) -> list[Hit]:
    """``hits`` (best first) without the passages another kept member of their copy group already holds.

    A member in another language (a translation) is always dropped: shingles cannot compare its
    text, and the group was formed on the whole article's meaning.
    """
    kept: list[Hit] = []
    representative: dict[str, Hit] = {}  # copy group → the hit whose article stands for it
    texts: dict[str, str] = {}
    for hit in hits:
        group = hit.copy_group or hit.passage.article_id
        first = representative.setdefault(group, hit)
        if first.passage.article_id == hit.passage.article_id:
            kept.append(hit)
            continue
        if (first.lang or "") != (hit.lang or ""):
            continue
        if first.passage.article_id not in texts:
            texts.update(texts_of([first.passage.article_id]))
        if coverage(hit.passage.text, texts.get(first.passage.article_id, "")) < COVERED:
            kept.append(hit)  # text this outlet added: its own source
    return kept


def attributed(hits: Sequence[Hit], texts_of: TextsOf, cited: Mapping[int, str] | None = None) -> list[Hit]:
    """Each hit with ``also_in`` only the members whose text holds the hit's passage (or ``cited[passage id]``).

    Members in the hit's language are checked by their text. Members in other languages (translations)
    are credited when the text is the shared report: held by another outlet in the hit's language,
    or when no such outlet exists to tell.
    """
    wanted = {m.article_id for h in hits for m in h.also_in}
    if not wanted:
        return list(hits)
    texts = texts_of(wanted)
    out = []
    for hit in hits:
        text = (cited or {}).get(hit.passage.id or -1, hit.passage.text)
        same = [m for m in hit.also_in if (m.lang or "") == (hit.lang or "")]
        holding = {m.article_id for m in same if coverage(text, texts.get(m.article_id, "")) >= COVERED}
        shared = bool(holding) or not same
        members = tuple(m for m in hit.also_in if m.article_id in holding or (shared and m not in same))
        out.append(replace(hit, also_in=members) if members != hit.also_in else hit)
    return out


def outlets_by_agency(hit: Hit) -> list[tuple[str | None, list[str]]]:
    """The other outlets of ``hit``'s report (not its own; one name once), grouped under the agency
    each ran: ``[("ANTARA", ["Antara", "Kabar Nusantara"]), ("AP", ["West Hawaii Today"])]``, in
    order of first appearance, outlets of no known agency last (under None).

    An outlet's agency is the one its own tag or dateline names (``CopyMember.agency``). An untagged
    outlet in a language where the tagged outlets all name one agency is listed under it: same-language
    members of a copy group print the same text, so it ran that agency's report. Where they name
    several, or none, its agency is unknown, and it is not guessed from another language's copy (the
    English AP original says nothing of who translated it).
    """
    own = (hit.source or "").lower()
    named: dict[str, set[str]] = {}
    for m in hit.also_in:
        if m.agency:
            named.setdefault(m.lang or "", set()).add(m.agency)
    groups: dict[str | None, list[str]] = {}
    seen: set[str] = set()
    for m in hit.also_in:
        name = m.source or m.title
        if (m.source or "").lower() == own or name in seen:
            continue
        seen.add(name)
        in_language = named.get(m.lang or "", set())
        agency = m.agency or (next(iter(in_language)) if len(in_language) == 1 else None)
        groups.setdefault(agency, []).append(name)
    unknown = groups.pop(None, None)
    return [*groups.items(), *([(None, unknown)] if unknown else [])]
