"""Property-based fuzzing of every reader: whatever the bytes, the JSON values, the markup or the
file name, reading ends in articles and named problems, never an exception; and what comes out
is always safe to store and print (valid UTF-8, no control characters, NFC)."""

from __future__ import annotations

import bz2
import gzip
import json
import os
import tempfile
import unicodedata
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rag.embedding import HashingEmbedder
from rag.index import Index
from rag.readers import FORMATS, read_paths
from rag.types import ReadResult

EXTENSIONS = sorted(ext for ext in FORMATS if ext) + ["", ".jsonl.gz", ".json.bz2", ".txt.xz", ".html.gz", ".rss.gz"]
FIELDS = ["id", "title", "date", "source", "url", "lang", "language", "place", "text"]
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
# Text that json.dumps writes with \\u escapes, lone surrogates included (they are legal JSON).
nasty_text = st.text(alphabet=st.characters(codec=None, categories=None), max_size=200) | st.sampled_from(
    ["\ud83d", "a\udcff b", "\x00\x07\x1b", "e\u0301", "   ", "x" * 3000]
)


def _assert_clean(result: ReadResult) -> None:
    for article in result.articles:
        for value in (article.id, article.title, article.text, article.source, article.url, article.lang, article.place, article.origin):
            if value is None:
                continue
            value.encode("utf-8")  # strict: no lone surrogates
            assert not any(unicodedata.category(ch) == "Cc" and ch not in "\t\n\r" for ch in value), repr(value)
        assert unicodedata.is_normalized("NFC", article.text)
        assert article.text.strip()
    for problem in result.problems:
        problem.path.encode("utf-8")
        problem.reason.encode("utf-8")
        assert problem.reason


def _read(name: str | bytes, data: bytes) -> ReadResult:
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(os.fsencode(tmp), os.fsencode(name))
        with open(path, "wb") as f:
            f.write(data)
        result = read_paths([Path(os.fsdecode(path))])
    _assert_clean(result)
    return result


def _compress(name: str, data: bytes) -> bytes:
    if name.endswith(".gz"):
        return gzip.compress(data)
    if name.endswith(".bz2"):
        return bz2.compress(data)
    if name.endswith(".xz"):
        import lzma

        return lzma.compress(data)
    return data


@SETTINGS
@given(ext=st.sampled_from(EXTENSIONS), data=st.binary(max_size=2000))
def test_arbitrary_bytes_in_every_format(ext: str, data: bytes) -> None:
    _read("input" + ext, data)
    _read("input" + ext, _compress(ext, data))  # the same bytes inside a valid archive


@SETTINGS
@given(records=st.lists(st.dictionaries(st.sampled_from(FIELDS), json_values | nasty_text, max_size=9), min_size=1, max_size=5))
def test_arbitrary_json_values_in_every_field(records: list[dict]) -> None:
    lines = "\n".join(json.dumps(r) for r in records).encode()
    for name, data in (("c.jsonl", lines), ("c.json", json.dumps(records).encode()), ("c.jsonl.gz", gzip.compress(lines))):
        result = _read(name, data)
        good = [r for r in records if isinstance(r.get("text"), str) and r["text"].strip() and "\x00" not in r["text"]]
        # Every record is an article or is named (one Problem per kind, naming its lines)
        assert len(result.articles) + sum(len(p.lines) or 1 for p in result.problems if not p.warning) >= len(records) or not good


@SETTINGS
@given(
    kind=st.sampled_from([".html", ".rss", ".atom", ".xml"]),
    parts=st.lists(
        st.sampled_from(["<html>", "<body>", "<p>", "</p>", "<div", "<!--", "-->", "<script>", "</script", "<![CDATA[", "]]>",
                         "<rss version='2.0'>", "<channel>", "<item>", "<title>", "</title>", "<description>", "&amp;", "&#xD800;",
                         "&bogus;", "<?xml version='1.0'?>", "<feed xmlns='http://www.w3.org/2005/Atom'>", "<entry>", "<content>",
                         "Berita hari ini tentang banjir di kota.", "\x00", "\ud83d", ">", "<", "\n"]),
        max_size=60,
    ),
)  # fmt: skip
def test_broken_markup(kind: str, parts: list[str]) -> None:
    _read("page" + kind, "".join(parts).encode("utf-8", "surrogatepass"))


@SETTINGS
@given(name=st.binary(min_size=1, max_size=40).filter(lambda b: b"/" not in b and b"\x00" not in b and b not in (b".", b"..")))
def test_odd_file_names_are_read_and_stored(name: bytes) -> None:
    text = b"Title: Kabar kota\n\nPemerintah kota membuka jalur bus baru pada hari Senin pagi untuk warga."
    with tempfile.TemporaryDirectory() as tmp:
        folder = os.path.join(os.fsencode(tmp), b"news")
        os.mkdir(folder)
        with open(os.path.join(folder, name + b".txt"), "wb") as f:
            f.write(text)
        result = read_paths([Path(os.fsdecode(folder))])
        _assert_clean(result)
        assert len(result.articles) == 1 or (name.startswith(b".") and not result.articles)
        if result.articles:  # storing it never crashes SQLite
            with Index.create(Path(tmp) / "ix", embedder=HashingEmbedder()) as index:
                report = index.add(result.articles)
                assert report.new == 1 and not report.problems
                assert index.check() == []
