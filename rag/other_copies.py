"""When the passage that stands for a copy group does not answer, another copy of the report may.

Retrieval keeps one passage per copy group (``rag.news.reports.one_per_report``): the best-scoring
outlet's. Its passage can be the wrong part of the report for the question: the AP copy's lead
about Blinken heading to Israel, where the Gatra copy's best passage for "Who did Blinken meet in
Cairo?" holds "… konferensi pers di Kairo bersama Menteri Luar Negeri Mesir Sameh Shoukry". Only
then (no evidence, or a group's passage ruled out as about another place) are the other members'
passages searched, among themselves, for the one each that matches the question best, and the
evidence selected again from them. A member that answers takes its group's place among the
sources, its citation opening its own passage, the rest of the group listed as ``also_in``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from rag.evidence import Evidence, SentenceBank, SentenceVectors
from rag.news.reports import attributed
from rag.types import Hit

if TYPE_CHECKING:
    import numpy as np

    from rag.stores import Store

Select = Callable[[SentenceBank, bool], list[Evidence]]
"""``(bank, cross_lingual)`` → the evidence of ``bank`` (``rag.evidence.select_evidence`` as the pipeline calls it)."""


@dataclass(frozen=True)
class Reselected:
    """The sources and evidence once a group's other copy answered in its representative's place."""

    hits: tuple[Hit, ...]
    bank: SentenceBank
    evidence: list[Evidence]


def unanswered_groups(bank: SentenceBank, evidence: Sequence[Evidence], excluded: Callable[[str], bool] | None) -> list[Hit]:
    """The sources of a copy group that did not answer: every one when nothing did, else those not
    cited with a sentence ``excluded`` (about another place than asked). Whether a group has other
    members is not known yet: ``hit.also_in`` names only those that print this very passage."""
    grouped = [h for h in bank.hits if h.copy_group is not None]
    if not evidence:
        return grouped
    if excluded is None:
        return []
    ruled_out = {id(e.hit) for e in bank.sentences if excluded(e.text)}
    return [h for h in grouped if h is not evidence[0].hit and id(h) in ruled_out]


def other_copies(store: Store, representatives: Sequence[Hit], query_vector: np.ndarray, hits: Sequence[Hit]) -> list[Hit]:
    """The passage of each other member of the representatives' copy groups (not among ``hits``) that is
    closest to the question, best first, scored as its representative was (retrieval's fused score, so
    that it compares with the other sources')."""
    taken = {h.passage.article_id for h in hits}
    groups = store.copy_groups(h.passage.article_id for h in representatives)
    stands_for = {m.article_id: rep for rep in representatives for m in groups.get(rep.passage.article_id, ("", ()))[1]
                  if m.article_id not in taken}  # fmt: skip
    if not stands_for:
        return []
    allowed = store.passage_ids_of(sorted(stands_for))
    ids, scores = store.dense(query_vector, len(allowed), allowed)
    best: dict[str, Hit] = {}
    for hit in store.hits(ids.tolist(), scores.tolist()):  # best first: an article's first passage is its best
        best.setdefault(hit.passage.article_id, hit)
    members = [replace(hit, score=stands_for[article_id].score) for article_id, hit in best.items()]
    texts_of = lambda article_ids: {a.id: a.text for a in store.articles(list(article_ids))}  # noqa: E731
    return attributed(members, texts_of)  # also_in: only the outlets whose text holds this passage


def from_other_copies(
    store: Store,
    bank: SentenceBank,
    evidence: list[Evidence],
    query_vector: np.ndarray | None,
    vectors: SentenceVectors,
    select: Select,
    lang: str,
    excluded: Callable[[str], bool] | None,
) -> Reselected | None:
    """The sources and evidence with a group's other copy in its representative's place, when one
    answers better than ``evidence`` (or at all); None otherwise (most questions: no search is made).

    The copies of each language are selected from apart: the evidence floor depends on whether the
    question is in the passages' language (``EvidenceSettings.min_score_cross_lingual``), so copies in
    the asker's language are held to its floor and translations to theirs.
    """
    from rag.answer_context import is_foreign

    representatives = unanswered_groups(bank, evidence, excluded)
    if query_vector is None or not representatives:
        return None
    members = other_copies(store, representatives, query_vector, bank.hits)
    by_language: dict[str, list[Hit]] = {}
    for member in members:
        by_language.setdefault(member.lang or "", []).append(member)
    found = [select(SentenceBank.build(same, vectors), is_foreign(same[0], lang)) for same in by_language.values()]
    best = max((e for e in found if e), key=lambda e: e[0].score, default=None)
    if best is None or (evidence and best[0].score <= evidence[0].score):
        return None
    member = best[0].hit
    assert member is not None
    # the group's best-ranked source that did not answer gives its place (and its number) to the copy that did
    standing = {id(r) for r in representatives}
    number = next(n for n, h in enumerate(bank.hits, 1) if h.copy_group == member.copy_group and id(h) in standing)
    sources = tuple(member if n == number else h for n, h in enumerate(bank.hits, 1))
    return Reselected(sources, SentenceBank.build(sources, vectors), [replace(e, source=number) for e in best])

