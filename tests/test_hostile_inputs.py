"""The folder of hostile inputs (tests/data/hostile, one file per case of issue 10) as `rag ingest` meets it.

Every good article is stored, every bad input named with its reason, no traceback; the exit
status says something was skipped; the same folder again embeds nothing. The file whose name is
not valid UTF-8 is made here (a copy of ``berita-rusak.txt``), since git checkouts on other
systems cannot hold such a name.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import rag.readers.dispatch as dispatch
from rag.cli import cli
from rag.index import Index
from tests.helpers import DATA

HOSTILE = DATA / "hostile"
BAD_NAME = b"berita-\xff\xfe-rusak.txt"

KEPT = {
    "bloated-page.html.gz": ["New ferry terminal opens"],
    "berita-\\xff\\xfe-rusak.txt": ["Bus listrik mulai melayani tiga jalur baru"],
    "controls.txt": ["Listrik padam di tiga kecamatan"],
    "one-line.txt.xz": ["One line"],
    "story.txt.bz2": ["Pelabuhan baru dibuka"],
    "feed.rss.xz": ["Ferry terminal opens"],
    "broken-page.html": [""],
    "surrogates.jsonl": ["Berita uji 1", "Setengah emoji \ufffd", "Emoji utuh"],
    "surrogates.json": ["Daftar \ufffd rusak", "Berita uji 5"],
    "odd-values.jsonl": ["['a', 'list']", "", "x" * 1000],
    "archive.jsonl.gz": ["Berita uji 20", "Berita uji 21", "Berita uji 22"],
    "archive.json.gz": ["Berita uji 30", "Berita uji 31"],
    "truncated.jsonl.gz": ["Berita uji 40", "Berita uji 41", "Berita uji 42", "Berita uji 43", "Berita uji 44"],
}
# (file, lines, kind, words the reason must contain)
NAMED = [
    ("bloated-page.html.gz", [], "warning", "19.1 MB of markup"),
    ("one-line.txt.xz", [], "warning", "2,000,000 characters long"),
    ("bomb.json.bz2", [], "skipped", "compression bomb"),
    ("broken-feed.rss", [], "skipped", "no text"),
    ("odd-values.jsonl", [3, 7], "skipped", 'no "text"'),
    ("odd-values.jsonl", [4, 5, 6], "skipped", "not a JSON object"),
    ("odd-values.jsonl", [9], "skipped", "not valid JSON"),
    ("truncated.jsonl.gz", [6], "skipped", "cut off where the compressed file ends"),
]


def rag(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    target = tmp_path / "news"
    shutil.copytree(HOSTILE, target)
    os.rename(os.fsencode(target / "berita-rusak.txt"), os.fsencode(target) + b"/" + BAD_NAME)
    return target


def _name(path: str) -> str:
    return path.rsplit("/", 1)[-1].split(":")[0]


def test_the_hostile_folder_keeps_every_good_article_and_names_every_bad_input(folder: Path, tmp_path: Path) -> None:
    index = tmp_path / "ix"
    code, out, err = rag("ingest", str(folder), "--index", str(index), "--embedder", "hashing", "--json")
    assert code == 3, (out, err)  # stored, but something was skipped
    assert "Traceback" not in out + err
    report = json.loads(out)  # one JSON object, nothing else on stdout
    assert report["new"] == sum(len(titles) for titles in KEPT.values()) == 25
    assert report["repaired"] == {"lone_surrogates": 4, "control_characters": 4}
    named = [(_name(p["path"]), p["lines"], p["kind"]) for p in report["problems"]]
    assert sorted(named) == sorted((name, lines, kind) for name, lines, kind, _ in NAMED)
    for name, lines, kind, words in NAMED:
        reason = next(p["reason"] for p in report["problems"] if _name(p["path"]) == name and p["lines"] == lines)
        assert words in reason, (name, reason)
    assert report["skipped"] == 6 and report["warnings"] == 2

    with Index.open(index) as ix:
        assert ix.check() == []
        stored: dict[str, list[str]] = {}
        for article in ix.articles():
            stored.setdefault(_name(article.origin), []).append(article.title)
            article.text.encode("utf-8")  # strict: nothing unstorable got through
            assert "\x00" not in article.text and "\ud83d" not in article.text
    assert {name: sorted(titles) for name, titles in stored.items()} == {name: sorted(titles) for name, titles in KEPT.items()}


def test_the_same_folder_again_embeds_nothing(folder: Path, tmp_path: Path) -> None:
    index = tmp_path / "ix"
    rag("ingest", str(folder), "--index", str(index), "--embedder", "hashing")
    code, out, err = rag("ingest", str(folder), "--index", str(index))
    assert code == 3
    assert "0 new, 0 updated, 25 unchanged" in out and "0 passages embedded" in out
    assert "berita-\\xff\\xfe-rusak.txt" not in err  # it was read fine: not among the problems


def test_undecodable_name_is_shown_escaped_and_stored(folder: Path, tmp_path: Path) -> None:
    index = tmp_path / "ix"
    only = tmp_path / "only"
    only.mkdir()
    shutil.move(os.fsencode(folder) + b"/" + BAD_NAME, os.fsencode(only) + b"/" + BAD_NAME)
    code, out, err = rag("ingest", str(only), "--index", str(index), "--embedder", "hashing")
    assert code == 0, (out, err)
    with Index.open(index) as ix:
        (article,) = ix.articles()
    assert article.origin.endswith("berita-\\xff\\xfe-rusak.txt")
    code, out, _ = rag("search", "bus listrik", "--index", str(index))
    assert code == 0 and "Bus listrik" in out


def test_an_internal_error_names_the_file_and_the_rest_is_stored(folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken_reader(path: Path, data: bytes):  # noqa: ANN202 - stands in for a parser bug
        raise KeyError("parser bug")

    monkeypatch.setitem(dispatch._READERS, "html", broken_reader)
    index = tmp_path / "ix"
    code, out, err = rag("ingest", str(folder), "--index", str(index), "--embedder", "hashing", "--json")
    assert code == 3 and "Traceback" not in out + err
    report = json.loads(out)
    internal = [p for p in report["problems"] if "unexpected error" in p["reason"]]
    assert {_name(p["path"]) for p in internal} == {"bloated-page.html.gz", "broken-page.html"}
    assert all("KeyError" in p["reason"] and "report this" in p["reason"] for p in internal)
    assert report["new"] == 25 - 2


def test_strict_still_writes_nothing(folder: Path, tmp_path: Path) -> None:
    code, out, err = rag("ingest", str(folder), "--index", str(tmp_path / "ix"), "--embedder", "hashing", "--strict")
    assert code == 1 and "nothing was written" in err and "bomb.json.bz2" in err
    assert not Index.exists(tmp_path / "ix")
