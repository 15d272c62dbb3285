"""Which copy groups are looked at again, and the other copies' passages fetched for them (rag/other_copies.py).

The real-embedder case (the follow-up answered from the Gatra copy) is tests/test_other_copies_real.py;
here the model-free ``hashing`` embedder serves the logic: MinHash groups the Indonesian copies of the
seed story without vectors.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from rag.evidence import Evidence, SentenceBank
from rag.other_copies import other_copies, unanswered_groups
from rag.retrieval import RetrievalSettings, Retriever
from rag.types import CopyMember, Hit, Passage
from tests.helpers import DATA, load_jsonl

ISRAEL = "Blinken arrived in Israel for talks with Netanyahu."
CAIRO = "Blinken met Sameh Shoukry."


def _hit(article_id: str, text: str, also_in: tuple[str, ...] = ()) -> Hit:
    """A source of a copy group (with the members that print its passage, ``also_in``)."""
    members = tuple(CopyMember(a, a) for a in also_in)
    return Hit(Passage(article_id, 0, 0, len(text), text), 1.0, article_id, copy_group=article_id, also_in=members)


def _ungrouped(article_id: str, text: str) -> Hit:
    """A source of a store that keeps no copy groups."""
    return Hit(Passage(article_id, 0, 0, len(text), text), 1.0, article_id)


def _bank(*hits: Hit) -> SentenceBank:
    sentences = [Evidence(n, 0, len(h.passage.text), h.passage.text, 0.0, h) for n, h in enumerate(hits, 1)]
    return SentenceBank(hits, sentences, np.zeros((len(sentences), 4), np.float32))


def _about_israel(sentence: str) -> bool:
    return "Israel" in sentence


def test_every_group_is_looked_at_again_when_nothing_answered() -> None:
    grouped, alone, ungrouped = _hit("ap", ISRAEL, ("gatra",)), _hit("antara", CAIRO), _ungrouped("other", CAIRO)
    # a source whose passage no other outlet prints may still have copies whose other passages answer
    assert unanswered_groups(_bank(grouped, alone, ungrouped), [], None) == [grouped, alone]


def test_a_group_whose_passage_answered_is_not_looked_at_again() -> None:
    grouped = _hit("ap", ISRAEL, ("gatra",))
    bank = _bank(grouped)
    assert unanswered_groups(bank, [bank.sentences[0]], _about_israel) == []


def test_with_an_answer_elsewhere_only_a_group_ruled_out_as_another_place_is_looked_at_again() -> None:
    israel, cairo, single = _hit("ap", ISRAEL, ("gatra",)), _hit("antara", CAIRO, ("kabar",)), _ungrouped("other", CAIRO)
    bank = _bank(israel, cairo, single)
    answer = [bank.sentences[2]]
    assert unanswered_groups(bank, answer, _about_israel) == [israel]
    assert unanswered_groups(bank, answer, None) == []  # a question that names no place rules nothing out


@pytest.fixture(params=["default", "milvus"])
def store(request: pytest.FixtureRequest, hashing_index, tmp_path: Path) -> Iterator[object]:  # noqa: ANN001
    # the same-language copies: MinHash groups them without vectors
    wire = [a for a in load_jsonl(DATA / "copies" / "wire.jsonl") if a.lang == "id"]
    if request.param == "default":
        yield hashing_index(wire)
        return
    pytest.importorskip("milvus_lite")
    from rag.stores.milvus import MilvusStore

    milvus = MilvusStore.create(str(tmp_path / "news.db"), embedder="hashing")
    milvus.add(wire)
    yield milvus
    milvus.close()


def test_the_other_copies_give_their_best_passage_each_scored_as_their_group(store) -> None:  # noqa: ANN001
    question = "Blinken konferensi pers Kairo Menteri Luar Negeri Mesir"
    retrieval = Retriever(store, RetrievalSettings(k=1)).find(question, translate=False)  # the group's best passage alone
    representative = next(h for h in retrieval.hits if h.also_in)
    group = {representative.passage.article_id} | {m.article_id for m in representative.also_in}
    copies = other_copies(store, [representative], retrieval.query_vector, retrieval.hits)
    fetched = [h.passage.article_id for h in copies]
    assert fetched
    assert sorted(fetched) == sorted(group - {h.passage.article_id for h in retrieval.hits})  # one passage per other copy
    assert all(h.score == representative.score for h in copies)  # comparable with the sources they join
    vectors = store.passage_vectors([h.passage.id for h in copies])
    for hit, vector in zip(copies, vectors):  # each copy's passage closest to the question
        own = store.passage_vectors(list(store.passage_ids_of([hit.passage.article_id])))
        assert float(vector @ retrieval.query_vector) >= float((own @ retrieval.query_vector).max()) - 1e-6
        assert {m.article_id for m in hit.also_in} <= group - {hit.passage.article_id}
