"""The index as a user relies on it: idempotent ingest, edits replace, removals remove, nothing is lost."""

from __future__ import annotations

import json
import sqlite3
import threading
from dataclasses import replace
from pathlib import Path

import pytest

from rag.errors import IndexLockedError, IndexMismatchError, IndexNotFoundError
from rag.index import Index
from rag.locking import WriterLock
from tests.helpers import make_article

STORIES = [
    make_article("The harbour bridge in Eastport closed on Monday after engineers found cracks. Traffic was diverted.", "Bridge closed", url="https://example.com/bridge"),
    make_article("Farmers in the valley reported a record apple harvest this autumn. Prices fell.", "Record harvest"),
    make_article("The city council voted to build a new library near the central station.", "New library"),
]


@pytest.fixture
def index(tmp_path: Path) -> Index:
    ix = Index.create(tmp_path / "ix", embedder="hashing")
    ix.add(STORIES)
    yield ix
    ix.close()


def _passages_match_articles(ix: Index) -> None:
    articles = {a.id: a for a in ix.articles()}
    for hit in ix.search("bridge harvest library council", k=50):
        assert articles[hit.passage.article_id].text[hit.passage.start : hit.passage.end] == hit.passage.text


def test_same_input_twice_adds_nothing(index: Index) -> None:
    generation = index.manifest.generation
    report = index.add(STORIES)
    assert (report.new, report.updated, report.unchanged, report.passages_embedded) == (0, 0, 3, 0)
    assert index.manifest.generation == generation  # nothing was rewritten
    assert index.status().articles == 3


def test_edited_article_replaces_its_old_passages(index: Index) -> None:
    edited = make_article("The harbour bridge in Eastport reopened on Friday after repairs.", "Bridge reopened", url="https://example.com/bridge")
    assert edited.id == STORIES[0].id
    report = index.add([edited])
    assert (report.new, report.updated) == (0, 1)
    texts = [h.passage.text for h in index.search("harbour bridge Eastport", k=10)]
    assert any("reopened" in t for t in texts) and not any("cracks" in t for t in texts)
    assert index.status().passages == 3
    assert index.check() == []
    _passages_match_articles(index)


def test_remove_by_id_and_url(index: Index) -> None:
    report = index.remove([STORIES[1].id, "https://example.com/bridge", "no-such-article"])
    assert sorted(report.removed) == sorted([STORIES[0].id, STORIES[1].id])
    assert report.not_found == ["no-such-article"]
    assert [a.id for a in index.articles()] == [STORIES[2].id]
    assert all(h.passage.article_id == STORIES[2].id for h in index.search("bridge apples", k=10))
    assert index.check() == []


def test_rebuild_keeps_every_article_and_stays_consistent(index: Index) -> None:
    before = {a.id: a.content_hash for a in index.articles()}
    report = index.rebuild()
    assert report.updated == 3 and report.passages_embedded == 3
    assert {a.id: a.content_hash for a in index.articles()} == before
    assert index.check() == []
    assert index.search("apple harvest", k=1)[0].passage.article_id == STORIES[1].id


def test_other_embedder_is_a_clear_error(index: Index) -> None:
    with pytest.raises(IndexMismatchError) as e:
        Index.open(index.path, embedder="sentence-transformers:all-MiniLM-L6-v2")
    assert "'hashing'" in str(e.value) and "rag index rebuild" in str(e.value)


def test_other_format_version_is_a_clear_error(index: Index) -> None:
    db = sqlite3.connect(index.path / "corpus.sqlite")
    manifest = json.loads(db.execute("SELECT value FROM meta WHERE key='manifest'").fetchone()[0])
    db.execute("UPDATE meta SET value=? WHERE key='manifest'", (json.dumps({**manifest, "format_version": 99}),))
    db.commit()
    with pytest.raises(IndexMismatchError, match="format version 99"):
        Index.open(index.path)


def test_missing_index_says_how_to_build_one(tmp_path: Path) -> None:
    with pytest.raises(IndexNotFoundError, match="rag ingest PATH --index"):
        Index.open(tmp_path / "nothing-here")


def test_second_writer_is_refused_and_nothing_changes(index: Index) -> None:
    new = make_article("A new ferry line opens between the islands next spring.", "Ferry")
    with WriterLock(index.path):
        with pytest.raises(IndexLockedError, match="being written by process"):
            index.add([new])
    assert index.status().articles == 3
    assert index.add([new]).new == 1  # the lock is released with its holder


def test_reader_picks_up_a_writers_commit(index: Index) -> None:
    reader = Index.open(index.path)
    index.add([make_article("Snow closed the mountain pass road for two days.", "Snow")])
    assert reader.status().articles == 4
    assert reader.search("snow mountain pass", k=1)[0].title == "Snow"


def test_readers_never_see_a_half_written_index(index: Index) -> None:
    """A reader opening and checking the index while a writer commits again and again."""
    errors: list[str] = []

    def write() -> None:
        for i in range(15):
            index.add([make_article(f"Report number {i} about the regional election count.", f"Report {i}")])
            index.remove([STORIES[i % 3].id])
            index.add([STORIES[i % 3]])

    writer = threading.Thread(target=write)
    writer.start()
    checks = 0
    while writer.is_alive() or checks == 0:
        with Index.open(index.path) as reader:
            errors += reader.check()
            reader.search("election", k=3)
        checks += 1
    writer.join()
    assert errors == [] and checks > 1
    assert index.status().articles == 18


def test_status_reports_languages_sources_and_size(index: Index) -> None:
    index.add([replace(make_article("Harga beras naik di pasar Jakarta.", "Harga beras", source="Kompas", lang="id"))])
    st = index.status()
    assert (st.articles, st.embedder, st.dim) == (4, "hashing", 256)
    assert st.languages == {"en": 3, "id": 1}
    assert st.sources == {"Test Wire": 3, "Kompas": 1}
    assert st.size_bytes > 0 and st.updated_at
    manifest = json.loads((index.path / "manifest.json").read_text())
    assert manifest["generation"] == st.generation and manifest["articles"] == 4
