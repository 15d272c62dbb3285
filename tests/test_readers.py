"""Readers: every good article in a messy folder is read, every bad input is named with its reason."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import BinaryIO

import pytest

import rag.readers.dispatch as dispatch
import rag.readers.files as files
from rag.language import detect_language
from rag.readers import read_paths
from rag.types import Article, Problem, ReadResult

DATA = Path(__file__).parent / "data"
MESSY = DATA / "messy"
FORMATS = DATA / "formats"


def by_title(result: ReadResult) -> dict[str, Article]:
    return {article.title: article for article in result.articles}


def problems_for(result: ReadResult, name: str) -> list[Problem]:
    return [problem for problem in result.problems if Path(problem.path).name == name]


def only_problem(result: ReadResult, name: str) -> Problem:
    found = problems_for(result, name)
    assert len(found) == 1, result.problems
    return found[0]


def read_one(path: Path, **kwargs: object) -> Article:
    result = read_paths([path], **kwargs)  # type: ignore[arg-type]
    assert result.problems == [], result.problems
    assert len(result.articles) == 1
    return result.articles[0]


# --- the messy folder -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def messy() -> ReadResult:
    return read_paths([MESSY])


def test_messy_folder_yields_every_good_article(messy: ReadResult) -> None:
    assert sorted(a.title for a in messy.articles) == sorted(
        [
            "Harbour city opens its first floating solar farm",  # article.html
            "Banjir rendam ratusan rumah di Demak",  # broken.jsonl line 1
            "Harga beras naik menjelang Ramadan",  # broken.jsonl line 2
            "",  # broken.jsonl line 3: a null title stays empty
            "Gunung Lewotobi kembali erupsi, status tetap Siaga",  # feed.rss
            "Bandara Komodo tambah rute ke Bali",  # feed.rss
            "Kereta cepat Jakarta–Bandung catat satu juta penumpang",  # good.md
            "Le café de la gare de Lyon rouvre après trois mois de travaux",  # latin1.txt
        ]
    )
    assert messy.files_read == 5  # article.html, broken.jsonl, feed.rss, good.md, latin1.txt


def test_messy_folder_names_each_bad_input_with_its_reason(messy: ReadResult) -> None:
    assert "empty" in only_problem(messy, "empty.txt").reason
    assert "binary" in only_problem(messy, "binary.txt").reason
    assert "no entries" in only_problem(messy, "empty-feed.xml").reason
    unsupported = only_problem(messy, "notes.pdf").reason
    assert "unsupported" in unsupported and ".pdf" in unsupported and ".txt" in unsupported and ".jsonl" in unsupported

    broken = {p.lines: p.reason for p in problems_for(messy, "broken.jsonl")}
    assert set(broken) == {(4, 5), (6,)}
    assert "not valid JSON" in broken[(4, 5)]
    assert 'no "text"' in broken[(6,)]
    assert len(messy.problems) == 6
    assert "lines 4, 5" in str(next(p for p in messy.problems if p.lines == (4, 5)))


def test_results_are_in_sorted_order_and_deterministic(messy: ReadResult) -> None:
    origins = [Path(a.origin.split(":")[0]).name for a in messy.articles if a.origin]
    assert origins == sorted(origins)
    again = read_paths([MESSY])
    assert again.articles == messy.articles
    assert again.problems == messy.problems


def test_jsonl_records_keep_their_own_id_and_fields(messy: ReadResult) -> None:
    demak = by_title(messy)["Banjir rendam ratusan rumah di Demak"]
    assert demak.id == "kb-001"
    assert demak.date == "2024-03-15"
    assert demak.source == "Kabar Pesisir"
    assert demak.lang == "id"
    assert demak.origin == f"{MESSY / 'broken.jsonl'}:1"
    untitled = by_title(messy)[""]
    assert untitled.id == "kb-003"
    assert untitled.source is None and untitled.url is None and untitled.date is None
    assert untitled.lang == "en"  # detected, since the record's lang is null


def test_latin1_text_is_decoded_correctly(messy: ReadResult) -> None:
    cafe = by_title(messy)["Le café de la gare de Lyon rouvre après trois mois de travaux"]
    assert "Le célèbre café de la gare" in cafe.text
    assert "« Nous avons gardé l'âme du lieu »" in cafe.text
    assert cafe.lang == "fr"


def test_markdown_front_matter_and_repeated_heading(messy: ReadResult) -> None:
    train = by_title(messy)["Kereta cepat Jakarta–Bandung catat satu juta penumpang"]
    assert train.date == "2024-02-20"
    assert train.source == "Warta Rel"
    assert train.url == "https://wartarel.example/2024/02/20/kereta-cepat-sejuta"
    assert train.lang == "id"
    assert train.text.startswith("Operator kereta cepat")  # no front matter, no repeated "# title"
    assert "---" not in train.text and "tags:" not in train.text


def test_html_page_without_boilerplate(messy: ReadResult) -> None:
    page = by_title(messy)["Harbour city opens its first floating solar farm"]
    assert page.url == "https://coastalcourier.example/2024/05/07/floating-solar-farm"
    assert page.source == "Coastal Courier"
    assert page.date == "2024-05-07"
    assert page.lang == "en"
    assert page.text.startswith("A floating solar farm on the city's disused northern reservoir")
    assert "monitor water quality for five years" in page.text
    for boilerplate in ("cookies", "Subscribe", "All rights reserved", "Privacy policy", "Market hall", "dataLayer"):
        assert boilerplate not in page.text
    assert len(page.text.split("\n")) == 4  # the four paragraphs


def test_rss_entries(messy: ReadResult) -> None:
    volcano = by_title(messy)["Gunung Lewotobi kembali erupsi, status tetap Siaga"]
    assert volcano.url == "https://hariannusantara.example/2024/01/12/lewotobi-erupsi"
    assert volcano.source == "Harian Nusantara"
    assert volcano.date == "2024-01-12"  # the local date written in pubDate, not UTC
    assert volcano.lang == "id"
    assert volcano.text.split("\n")[1].startswith("Pusat Vulkanologi")  # <p> → one line each
    assert "kawah & mewaspadai" in volcano.text and "<p>" not in volcano.text


# --- one good file per format -----------------------------------------------------------------


def test_text_with_dateline_gives_place_source_and_untouched_text() -> None:
    path = FORMATS / "gatra-blinken-cairo-2024-03-21.txt"
    article = read_one(path)
    assert article.text.startswith("Cairo, Gatra.com - Menteri Luar Negeri")
    assert article.text == path.read_text(encoding="utf-8").strip()  # offsets index the file body
    assert article.place == "Cairo"
    assert article.source == "Gatra.com"
    assert article.title == "Gatra blinken cairo"  # the first line is a dateline, so the name is used
    assert article.date == "2024-03-21"
    assert article.lang == "id"


def test_text_header_block_wins_over_dateline_and_crlf_is_normalised() -> None:
    article = read_one(FORMATS / "headers.txt")
    assert article.title == "Pemkot Surabaya perluas jalur sepeda"
    assert article.date == "2024-06-05"  # "5 Juni 2024"
    assert article.source == "Suara Kota"  # the header, not the dateline's SuaraKota.com
    assert article.place == "Surabaya"
    assert article.url == "https://suarakota.example/2024/06/05/jalur-sepeda"
    assert article.text.startswith("SURABAYA, SuaraKota.com - ")
    assert "\r" not in article.text and article.text.count("\n") == 1


def test_short_first_line_markdown_heading_and_extensionless_file_give_titles() -> None:
    first = read_one(FORMATS / "first-line-title.txt")
    assert first.title == "Library extends opening hours during exam season"
    assert first.text.startswith("The central public library")
    assert first.text == first.text.strip()
    heading = read_one(FORMATS / "markdown-heading.md")
    assert heading.title == "Night market returns to the old town square"
    assert heading.text.startswith("The weekly night market")
    plain = read_one(FORMATS / "bulletin")
    assert plain.title == "Water supply interrupted in three districts"


def test_long_first_paragraph_is_body_and_title_comes_from_file_name(tmp_path: Path) -> None:
    body = "Residents " + "waited for the ferry while the storm passed over the islands, " * 4 + "and then went home."
    path = tmp_path / "ferry_delays_2024-02-29.txt"
    path.write_text(body + "\nA second paragraph.\n", encoding="utf-8")
    article = read_one(path)
    assert article.title == "Ferry delays"
    assert article.date == "2024-02-29"
    assert article.text.startswith("Residents waited")


def test_json_list_and_single_object() -> None:
    listed = read_paths([FORMATS / "corpus-list.json"])
    assert listed.problems == []
    assert [a.id for a in listed.articles] == ["fx-101", "fx-102"]
    assert listed.articles[1].url is None and listed.articles[1].lang == "id"
    assert listed.articles[0].origin == f"{FORMATS / 'corpus-list.json'}:2"  # the line the record starts on
    single = read_one(FORMATS / "single.json")
    assert single.title == "Council approves new bus depot"
    assert single.date == "2024-07-09"
    assert single.id.startswith("u-")  # no id in the record: the URL gives it


def test_json_problems_name_their_records(tmp_path: Path) -> None:
    path = tmp_path / "mixed.json"
    path.write_text('[\n  {"text": "A story about the harbour and its new cranes."},\n  {"title": "no text"},\n  7\n]\n')
    result = read_paths([path])
    assert [a.text for a in result.articles] == ["A story about the harbour and its new cranes."]
    assert {p.lines for p in result.problems} == {(3,), (4,)}
    bad = tmp_path / "bad.json"
    bad.write_text('[{"text": "x"},\n {"text": }]')
    assert only_problem(read_paths([bad]), "bad.json").lines == (2,)


def test_jsonl_with_bom_crlf_and_blank_lines(tmp_path: Path) -> None:
    path = tmp_path / "dump.ndjson"
    path.write_bytes(b'\xef\xbb\xbf{"id": "a", "text": "First story text."}\r\n\r\n{"id": "b", "text": "Second."}\r\n')
    result = read_paths([path])
    assert result.problems == []
    assert [a.id for a in result.articles] == ["a", "b"]
    assert [a.origin for a in result.articles] == [f"{path}:1", f"{path}:3"]


def test_atom_and_xml_feeds() -> None:
    atom = by_title(read_paths([FORMATS / "feed.atom"]))
    seagrass = atom["Seagrass meadows recovering in the bay"]
    assert seagrass.url == "https://coastalcourier.example/2024/08/02/seagrass"
    assert seagrass.date == "2024-08-02"
    assert seagrass.source == "Coastal Courier: Science"
    assert seagrass.text.count("\n") == 1
    turbine = atom["University tests tidal turbine prototype"]  # no content: the summary is the text
    assert turbine.text.startswith("Engineers lowered a small tidal turbine")
    xml_feed = read_one(FORMATS / "feed.xml")  # a feed saved as .xml is sniffed
    assert xml_feed.title == "Harga cabai turun di pasar Bantul"
    assert xml_feed.date == "2024-08-10"


# --- identities -------------------------------------------------------------------------------


def test_ids_are_stable_and_follow_text_edits_unless_there_is_a_url(tmp_path: Path) -> None:
    no_url = tmp_path / "gatra-blinken-cairo-2024-03-21.txt"
    shutil.copy(FORMATS / no_url.name, no_url)
    with_url = tmp_path / "headers.txt"
    shutil.copy(FORMATS / with_url.name, with_url)
    first = read_paths([tmp_path]).articles
    second = read_paths([tmp_path]).articles
    assert [(a.id, a.content_hash) for a in first] == [(a.id, a.content_hash) for a in second]

    for path in (no_url, with_url):
        path.write_text(path.read_text(encoding="utf-8") + "Ditambahkan kemudian.\n", encoding="utf-8")
    edited = {a.origin: a for a in read_paths([tmp_path]).articles}
    before = {a.origin: a for a in first}
    assert edited[str(no_url)].id != before[str(no_url)].id  # content-derived id changes
    assert edited[str(with_url)].id == before[str(with_url)].id  # the URL keeps its id...
    assert edited[str(with_url)].content_hash != before[str(with_url)].content_hash  # ...and the hash says "changed"


# --- bad inputs -------------------------------------------------------------------------------


def test_nonexistent_path_is_reported(tmp_path: Path) -> None:
    result = read_paths([tmp_path / "missing.txt", FORMATS / "bulletin"])
    assert "no such file or directory" in only_problem(result, "missing.txt").reason
    assert len(result.articles) == 1
    assert [a.title for a in read_paths(str(FORMATS / "bulletin")).articles] == [result.articles[0].title]  # a lone str


def test_whitespace_only_and_nul_bytes_and_undecodable(tmp_path: Path) -> None:
    (tmp_path / "blank.md").write_text("  \n\n\t \n")
    (tmp_path / "nul.txt").write_bytes(b"looks like text\x00\x00\x01 but is not")
    (tmp_path / "archive.txt").write_bytes(b"\x1f\x8b\x08\x00" + bytes(40))
    (tmp_path / "garbage.txt").write_bytes(bytes(range(128, 256)) * 4)
    result = read_paths([tmp_path])
    assert result.articles == []
    assert "empty" in only_problem(result, "blank.md").reason
    assert "binary" in only_problem(result, "nul.txt").reason
    assert "gzip" in only_problem(result, "archive.txt").reason
    assert "cannot decode" in only_problem(result, "garbage.txt").reason


def test_utf16_with_bom_is_text_not_binary(tmp_path: Path) -> None:
    path = tmp_path / "wide.txt"
    path.write_bytes("Judul\n\nIsi berita dengan huruf é.\n".encode("utf-16"))
    article = read_one(path)
    assert (article.title, article.text) == ("Judul", "Isi berita dengan huruf é.")


def test_too_large_file_is_reported_but_jsonl_is_streamed(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_text("Headline\n\n" + "x" * 490)
    reason = only_problem(read_paths([big], max_file_bytes=100), "big.txt").reason
    assert "500 bytes" in reason and "100 bytes" in reason and "split it or raise --max-file-mb" in reason

    dump = tmp_path / "dump.jsonl"
    lines = [f'{{"id": "r{i}", "text": "Story number {i} about the harbour."}}' for i in range(20)]
    lines.append('{"id": "huge", "text": "' + "y" * 300 + '"}')
    dump.write_text("\n".join(lines) + "\n")
    result = read_paths([dump], max_file_bytes=200)  # the file is ~1.3 KB, each good line < 200 bytes
    assert len(result.articles) == 20
    assert only_problem(result, "dump.jsonl").lines == (21,)


def test_unreadable_file_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Tests run as root, where chmod 000 blocks nothing: make opening this one file fail instead.
    locked = tmp_path / "locked.txt"
    locked.write_text("Title\n\nSome text.\n")
    (tmp_path / "open.txt").write_text("Another title\n\nMore text.\n")
    real_open = files.open_binary

    def guarded(path: Path) -> BinaryIO:
        if path.name == "locked.txt":
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path)

    monkeypatch.setattr(files, "open_binary", guarded)
    result = read_paths([tmp_path])
    assert "permission denied" in only_problem(result, "locked.txt").reason
    assert [a.title for a in result.articles] == ["Another title"]


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root reads files whatever their mode")
def test_chmod_000_file_is_reported(tmp_path: Path) -> None:
    locked = tmp_path / "locked.txt"
    locked.write_text("Title\n\nSome text.\n")
    locked.chmod(0)
    try:
        assert "permission denied" in only_problem(read_paths([locked]), "locked.txt").reason
    finally:
        locked.chmod(0o644)


def test_symlink_loops_terminate_and_are_reported_once(tmp_path: Path) -> None:
    root = tmp_path / "news"
    (root / "sub").mkdir(parents=True)
    (root / "sub" / "story.txt").write_text("Headline\n\nBody text.\n")
    (root / "sub" / "up").symlink_to(root, target_is_directory=True)  # a directory cycle
    (root / "a.txt").symlink_to(root / "b.txt")  # a -> b -> a
    (root / "b.txt").symlink_to(root / "a.txt")
    result = read_paths([root])
    assert [a.title for a in result.articles] == ["Headline"]  # read once
    loops = [p for p in result.problems if "symbolic link loop" in p.reason]
    assert sorted(Path(p.path).name for p in loops) == ["a.txt", "b.txt", "up"]
    assert len(result.problems) == 3


def test_broken_link_fifo_and_non_feed_xml(tmp_path: Path) -> None:
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "gone.txt")
    os.mkfifo(tmp_path / "pipe.txt")  # reading it would block forever
    (tmp_path / "config.xml").write_text('<?xml version="1.0"?><settings><a>1</a></settings>')
    result = read_paths([tmp_path])
    assert "broken symbolic link" in only_problem(result, "dangling.txt").reason
    assert "not a regular file" in only_problem(result, "pipe.txt").reason
    assert "not an RSS or Atom feed" in only_problem(result, "config.xml").reason


def test_html_without_article_and_feeds_without_text(tmp_path: Path) -> None:
    index_page = "<html><head><title>Home</title></head><body><nav><a href='/'>Home</a></nav></body></html>"
    (tmp_path / "index.html").write_text(index_page)
    (tmp_path / "teasers.rss").write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
        "<item><title>Has text</title><description>Some words about the weather today.</description></item>"
        "<item><title>Only a title</title></item></channel></rss>"
    )
    (tmp_path / "not-a-feed.rss").write_text("this is not xml")
    result = read_paths([tmp_path])
    assert "no article text" in only_problem(result, "index.html").reason
    assert "'Only a title'" in only_problem(result, "teasers.rss").reason
    assert "not a valid RSS or Atom feed" in only_problem(result, "not-a-feed.rss").reason
    assert [a.title for a in result.articles] == ["Has text"]


def test_a_reader_crash_is_one_problem_and_the_rest_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(path: Path, data: bytes) -> object:
        raise RuntimeError("parser bug")

    monkeypatch.setitem(dispatch._READERS, "html", explode)
    result = read_paths([FORMATS / "page.html", FORMATS / "bulletin"])
    reason = only_problem(result, "page.html").reason
    assert "RuntimeError" in reason and "parser bug" in reason
    assert [a.title for a in result.articles] == ["Water supply interrupted in three districts"]


# --- walking ----------------------------------------------------------------------------------


def test_hidden_entries_are_skipped_unless_named_and_on_file_reports_progress(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (tmp_path / ".draft.txt").write_text("Draft\n\nNot ready.\n")
    (tmp_path / "b.txt").write_text("B title\n\nB text.\n")
    (tmp_path / "a.txt").write_text("A title\n\nA text.\n")
    seen: list[Path] = []
    result = read_paths([tmp_path], on_file=seen.append)
    assert result.problems == []
    assert [p.name for p in seen] == ["a.txt", "b.txt"]
    assert [a.title for a in result.articles] == ["A title", "B title"]
    assert read_one(tmp_path / ".draft.txt").title == "Draft"


# --- language and import cost -----------------------------------------------------------------


def test_detect_language() -> None:
    assert detect_language("Presiden meresmikan jalan tol baru yang menghubungkan dua kota di Jawa Tengah.") == "id"
    assert detect_language("The minister arrived in Cairo on Thursday for talks about a ceasefire.") == "en"
    assert detect_language("hello") is None
    assert detect_language("12345 67890 !!!") is None


def test_importing_readers_does_not_load_parsers() -> None:
    code = (
        "import sys, rag.readers\n"
        "heavy = {'trafilatura', 'feedparser', 'charset_normalizer', 'py3langid', 'dateutil'}\n"
        "print(sorted(heavy & set(sys.modules)))"
    )
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert out.stdout.strip() == "[]"
