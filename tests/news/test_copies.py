"""Copy groups at ingest (rag/news/copies.py): grouping, the canonical rule, incremental add/remove, rebuild.

The model-free hashing embedder is enough here: MinHash groups same-language copies without vectors.
Cross-language copies, stories and retrieval use the real embedder (tests/news/test_copies_real.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest

from rag.index import Index
from rag.news.boilerplate import agency_name, strip_boilerplate
from rag.news.fingerprint import are_copies, fingerprint
from rag.readers.dateline import parse_dateline
from rag.render import also_in_text
from rag.types import Article, CopyMember, Hit, Passage
from tests.helpers import DATA, load_jsonl

SEED = "gatra-595212"


@pytest.fixture
def wire() -> list[Article]:
    """The seed story, two Indonesian outlet copies, its English original, a follow-up report (tests/data/copies)."""
    return load_jsonl(DATA / "copies" / "wire.jsonl")


def by_rule(articles: list[Article]) -> str:
    """The documented canonical rule, computed independently: earliest date, longest text without boilerplate, smallest id."""
    return min(articles, key=lambda a: (a.date or "9999", -len(strip_boilerplate(a.text, a.lang).text), a.id)).id


def indonesian(wire: list[Article]) -> list[Article]:
    return [a for a in wire if a.lang == "id"]


def group_of(index: Index, article_id: str) -> list[str]:
    return next(members for members in index.copy_table().values() if article_id in members)


def test_boilerplate_is_stripped_and_the_agency_kept() -> None:
    s = strip_boilerplate("JAKARTA (ANTARA) - Presiden berkata.\nBaca juga: Harga beras naik\nPenulis: Redaksi\nIsi kedua (ant/rfa)", "id")
    assert s.text == "Presiden berkata.\nIsi kedua" and s.agency == "ANTARA"
    s = strip_boilerplate("By Matthew Lee, Associated Press\nCAIRO (AP) — Blinken said.\nRead more: Markets slip\nPhoto: a man", "en")
    assert s.text == "Blinken said." and s.agency == "AP"


def test_copies_are_grouped_and_distinct_reports_are_not(hashing_index: Callable[..., Index], wire: list[Article], mini_articles: list[Article]) -> None:
    index = hashing_index([*mini_articles, *wire])
    table = index.copy_table()
    ids = indonesian(wire)
    group = group_of(index, SEED)
    assert sorted(group) == sorted(a.id for a in ids)  # the English original needs the embedder (other test)
    assert group[0] == by_rule(ids)  # canonical first, by the rule
    assert all(len(members) == 1 for g, members in table.items() if SEED not in members)  # the mini corpus: one report each


def test_a_trimmed_reordered_copy_is_a_copy_and_another_story_is_not(wire: list[Article], mini_articles: list[Article]) -> None:
    seed, copy = (fingerprint(a) for a in indonesian(wire)[:2])
    assert are_copies(seed.minhash, seed.shingles, copy.minhash, copy.shingles)
    other = fingerprint(next(a for a in mini_articles if a.id != SEED and a.lang == "id"))
    assert not are_copies(seed.minhash, seed.shingles, other.minhash, other.shingles)


def test_adding_one_copy_at_a_time_and_removing_the_canonical_keep_groups_right(hashing_index: Callable[..., Index], wire: list[Article]) -> None:
    ids = indonesian(wire)
    index = hashing_index(ids[:1])
    for n in range(2, len(ids) + 1):
        index.add(ids[:n])  # one new article per write: one LSH query
        assert group_of(index, SEED)[0] == by_rule(ids[:n]) and len(group_of(index, SEED)) == n
    canonical = by_rule(ids)
    index.remove([canonical])
    rest = [a for a in ids if a.id != canonical]
    assert group_of(index, rest[0].id)[0] == by_rule(rest)  # the next member is promoted
    assert sorted(group_of(index, rest[0].id)) == sorted(a.id for a in rest)
    index.add(ids)
    assert group_of(index, canonical)[0] == canonical


def test_an_earlier_copy_becomes_canonical_and_groups_survive_rebuild_and_reopen(hashing_index: Callable[..., Index], wire: list[Article]) -> None:
    ids = indonesian(wire)
    earlier = replace(ids[2], date="2024-03-20", content_hash="earlier")
    index = hashing_index([*ids[:2], earlier])
    assert group_of(index, SEED)[0] == earlier.id
    before = index.copy_table()
    index.rebuild()
    assert index.copy_table() == before
    path = index.path
    index.close()
    with Index.open(path) as reopened:
        reopened.add([replace(ids[1], text=ids[1].text + "\nSatu paragraf tambahan dari redaksi.", content_hash="edited")])
        assert sorted(group_of(reopened, SEED)) == sorted(a.id for a in ids)  # the LSH, rebuilt from the table, still finds them


def test_an_edited_article_that_is_no_longer_a_copy_leaves_its_group(hashing_index: Callable[..., Index], wire: list[Article], mini_articles: list[Article]) -> None:
    ids = indonesian(wire)
    index = hashing_index(ids)
    other = next(a for a in mini_articles if a.id != SEED)
    index.add([replace(ids[1], text=other.text, content_hash="rewritten")])
    assert ids[1].id not in group_of(index, SEED)


def test_hits_name_the_other_outlets(hashing_index: Callable[..., Index], wire: list[Article]) -> None:
    index = hashing_index(indonesian(wire))
    hit = index.search("Blinken Rafah kesalahan", 1)[0]
    others = {a.source for a in indonesian(wire) if a.id != hit.passage.article_id}
    assert {m.source for m in hit.also_in} == others and hit.copy_group == group_of(index, SEED)[0]


def _hit(source: str, members: list[tuple[str, str | None]]) -> Hit:
    also = tuple(CopyMember(f"id-{n}", "t", s, None, "2024-03-21", "en", agency) for n, (s, agency) in enumerate(members))
    return Hit(Passage("a", 0, 0, 1, "x"), 1.0, "t", source=source, also_in=also)


def test_also_in_text() -> None:
    assert also_in_text(_hit("Gatra.com", [])) is None
    assert also_in_text(_hit("Gatra.com", [("Gatra.com", None)])) is None  # the same outlet twice is no other outlet
    assert also_in_text(_hit("Gatra.com", [("Antara", None)])) == "also in: Antara (1 outlet)"
    many = [("MyNorthwest", "AP"), ("West Hawaii Today", None), ("Arkansas Democrat-Gazette", None), ("Lakeside Ledger", None)]
    assert also_in_text(_hit("Gatra.com", many)) == "also in: AP via MyNorthwest, West Hawaii Today, Arkansas Democrat-Gazette, … (4 outlets)"
    # Each agency with its own outlets: the English AP copy is not ANTARA's, whatever order the members come in.
    mixed = [("Antara", "ANTARA", "id"), ("West Hawaii Today", "AP", "en"), ("Kabar Nusantara", None, "id")]
    assert also_in_text(_hit_in("Gatra.com", mixed)) == "also in: ANTARA via Antara, Kabar Nusantara; AP via West Hawaii Today (3 outlets)"
    # An untagged outlet whose language's outlets name two agencies has no agency to be listed under.
    two = [("Antara", "ANTARA", "id"), ("Tempo", "AFP", "id"), ("Kabar Nusantara", None, "id")]
    assert also_in_text(_hit_in("Gatra.com", two)) == "also in: ANTARA via Antara; AFP via Tempo; Kabar Nusantara (3 outlets)"
    five = [*mixed, ("Lakeside Ledger", "AP", "en"), ("Tribun", None, "id")]
    assert also_in_text(_hit_in("Gatra.com", five)) == "also in: ANTARA via Antara, Kabar Nusantara, Tribun; AP via West Hawaii Today, … (5 outlets)"


def _hit_in(source: str, members: list[tuple[str, str | None, str]]) -> Hit:
    also = tuple(CopyMember(f"id-{n}", "t", s, None, "2024-03-21", lang, agency) for n, (s, agency, lang) in enumerate(members))
    return Hit(Passage("a", 0, 0, 1, "x"), 1.0, "t", source=source, lang="id", also_in=also)


def test_each_copy_carries_the_agency_its_own_dateline_names(hashing_index: Callable[..., Index], wire: list[Article]) -> None:
    index = hashing_index(wire)
    members = {m.article_id: m for _, group in index.copy_groups([a.id for a in wire]).values() for m in group}
    for a in wire:
        dateline = parse_dateline(a.text)
        tagged = dateline is not None and dateline.source is not None and "." not in dateline.source  # "(AP)", not "Gatra.com"
        assert members[a.id].agency == (agency_name(dateline.source) if tagged else None), a.id
    assert members["wire-blinken-en"].agency == "AP" and members["gatra-595212~copy1"].agency == "ANTARA"
