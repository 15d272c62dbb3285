"""Corpus files in JSON Lines (one article record per line) and JSON (a list, or one record).

The record schema is ``{"id", "title", "date", "source", "url", "lang", "text", ...}``; only
``text`` is required. A record's own ``id`` is kept, because evaluation sets refer to it, and
its ``text`` is kept byte for byte, because offsets into it may have been computed elsewhere.
Bad records are reported by line number and the good ones are still read.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from rag.readers import files
from rag.readers.article import FileOutcome, SkipFile, make_article
from rag.readers.decoding import decode_text, guess_encoding
from rag.types import Problem

# Keys under which a JSON object may hold its list of records ({"articles": [...]}).
_LIST_KEYS = ("articles", "items", "records", "data", "documents")

# What each kind of bad line is called in a Problem, and what to do about it.
_REASONS = {
    "undecodable": "{things} {are} not valid {encoding} text; re-save the file as UTF-8",
    "too_long": "{things} {are} longer than the {limit} limit; split the record or raise --max-file-mb",
    "malformed": "{things} {are} not valid JSON ({detail}); fix or remove {them}",
    "not_object": '{things} {are} not a JSON object; each record must look like {{"title": ..., "text": ...}}',
    "no_text": '{things} {have} no "text" (missing, empty or not a string); add the article text or remove {them}',
    "internal": "{things} could not be made into articles (unexpected {detail}); {them_were} skipped, the rest "
    "of the file was read; please report this with the file",
    "cut_off": "{things} {are} cut off where the compressed file ends (truncated or corrupt), so {them_were} skipped; "
    "every complete record before it was read. Download or create the archive again",
}
_WHITESPACE = re.compile(r"[ \t\n\r]*")


class _Collector:
    """Turns records into articles and gathers the bad ones, by kind, for one Problem each."""

    def __init__(self, path: Path, *, unit: str, encoding: str = "UTF-8", limit: int = 0) -> None:
        self.path = path
        self.unit = unit  # "line" for JSON Lines, "record" for a JSON list
        self.outcome = FileOutcome()
        self.nonblank = 0
        self._bad: dict[str, list[tuple[int | None, int]]] = {}
        self._detail: dict[str, str] = {}
        self._context = {"encoding": encoding, "limit": files.format_size(limit)}

    def bad(self, kind: str, line: int | None, number: int, detail: str = "") -> None:
        """Record that record ``number`` (at ``line``, when known) was skipped for ``kind``."""
        self._bad.setdefault(kind, []).append((line, number))
        self._detail.setdefault(kind, detail)  # the first error explains the kind well enough

    def add_line(self, line: str, lineno: int) -> None:
        """Parse one JSON Lines line; blank lines are allowed and ignored."""
        if not line.strip():
            return
        self.nonblank += 1
        try:
            value = json.loads(line)
        except (ValueError, RecursionError) as exc:  # JSONDecodeError is a ValueError
            where = f"line {lineno}, column {exc.colno}" if isinstance(exc, json.JSONDecodeError) else f"line {lineno}"
            message = exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc)
            self.bad("malformed", lineno, lineno, f"{where}: {message.removesuffix(' at')}")
            return
        self.add_record(value, lineno, lineno)

    def add_record(self, record: object, line: int | None, number: int) -> None:
        """Turn one decoded record into an article, or note why it cannot be one."""
        if not isinstance(record, dict):
            self.bad("not_object", line, number)
            return
        text = record.get("text")
        if not isinstance(text, str) or not text.strip():
            self.bad("no_text", line, number)
            return
        try:
            article = make_article(
                text=text,
                origin=f"{self.path}:{line}" if line is not None else str(self.path),
                title=record.get("title") or "",
                source=record.get("source"),
                url=record.get("url"),
                date=record.get("date"),
                lang=record.get("lang") or record.get("language"),
                place=record.get("place"),
                explicit_id=record.get("id"),
            )
        except SkipFile:  # its text was nothing but control characters
            self.bad("no_text", line, number)
            return
        except Exception as exc:  # one record's surprise must not cost the file its other records
            self.bad("internal", line, number, f"{type(exc).__name__}: {str(exc)[:200]}")
            return
        self.outcome.articles.append(article)

    def finish(self) -> FileOutcome:
        """The articles, plus one Problem per kind of bad record, naming their lines."""
        if not self.outcome.articles and not self._bad:
            raise SkipFile("empty file (no records); add article records or remove it")
        for kind, where in self._bad.items():
            lines = tuple(line for line, _ in where if line is not None)
            n = len(where)
            words = {
                "things": f"{n} {self.unit}{'s' if n != 1 else ''}",
                "are": "are" if n != 1 else "is",
                "have": "have" if n != 1 else "has",
                "them": "them" if n != 1 else "it",
                "them_were": "they were" if n != 1 else "it was",
            }
            reason = _REASONS[kind].format(detail=self._detail[kind], **words, **self._context)
            if len(lines) != n:  # records from a JSON object's list have no line: name them by number
                numbers = ", ".join(str(number) for _, number in where[:10]) + (", …" if n > 10 else "")
                reason += f" ({'records' if n != 1 else 'record'} {numbers})"
            self.outcome.problems.append(Problem(str(self.path), reason, lines))
        return self.outcome


def _iter_lines(handle: BinaryIO, max_line: int) -> Iterator[tuple[int, bytes | None]]:
    """``(line number, bytes)`` for each line, or ``None`` for a line longer than ``max_line``.

    ``readline`` with a cap keeps memory bounded even for a file with no newlines at all.
    """
    lineno = 0
    while True:
        raw = handle.readline(max_line + 1)
        if not raw:
            return
        lineno += 1
        if len(raw) > max_line and not raw.endswith(b"\n"):
            while raw and not raw.endswith(b"\n"):  # skip the rest of the oversized line
                raw = handle.readline(1 << 20)
            yield lineno, None
            continue
        yield lineno, raw


def _line_encoding(head: bytes) -> str:
    """The encoding to decode each line with, judged from the file's first bytes."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise SkipFile("JSON Lines must be UTF-8, but this file is UTF-16 or UTF-32; re-save it as UTF-8")
    try:
        # Incremental, so a character cut in two at the end of the sample is not an error.
        codecs.getincrementaldecoder("utf-8")().decode(head.removeprefix(codecs.BOM_UTF8), final=False)
        return "utf-8"
    except UnicodeDecodeError:
        return guess_encoding(head) or "utf-8"


def read_jsonl(path: Path, max_line_bytes: int, max_decompressed_bytes: int = files.DEFAULT_MAX_DECOMPRESSED_BYTES) -> FileOutcome:
    """Stream a JSON Lines file line by line; its total size is not limited (a compressed one's
    is, to ``max_decompressed_bytes``), each line is. A compression bomb found midway keeps the
    records before it; so does a truncated archive (its cut-off last line is named)."""
    with files.open_input(path, max_decompressed_bytes) as source:
        handle = source.handle
        if source.compressed is None:
            head = handle.read(files.SNIFF_BYTES)
            handle.seek(0)
        else:  # a decompressing stream cannot seek back cheaply; look without consuming
            head = handle.peek(files.SNIFF_BYTES)[: files.SNIFF_BYTES]  # type: ignore[attr-defined]
        files.check_not_binary(head)
        encoding = _line_encoding(head)
        lineno = 0
        collector = _Collector(path, unit="line", encoding=encoding.upper(), limit=max_line_bytes)
        try:
            for lineno, raw in _iter_lines(handle, max_line_bytes):
                if raw is None:
                    collector.bad("too_long", lineno, lineno)
                    continue
                if source.truncated and not raw.endswith(b"\n"):
                    collector.bad("cut_off", lineno, lineno)  # the partial last line of a cut archive
                    continue
                if lineno == 1:
                    raw = raw.removeprefix(codecs.BOM_UTF8)
                try:
                    line = raw.decode(encoding)
                except UnicodeDecodeError:
                    collector.bad("undecodable", lineno, lineno)
                    continue
                collector.add_line(line, lineno)
        except SkipFile as skip:  # a bomb found midway: keep what came before it
            if not collector.outcome.articles:
                raise
            collector.outcome.problems.append(Problem(str(path), f"{skip.reason} (after {lineno:,} lines, which were read)"))
        if source.truncated and "cut_off" not in collector._bad:
            collector.outcome.problems.append(Problem(str(path), f"{files.TRUNCATED}; every complete line before the cut was read"))
    return collector.finish()


def _element_lines(text: str) -> list[int] | None:
    """The line on which each element of the top-level JSON array in ``text`` starts.

    Walks the array with ``raw_decode`` (the text is already known to be valid JSON), so
    problems in a JSON list can name lines just like JSON Lines problems do.
    """
    decoder = json.JSONDecoder()
    pos = _WHITESPACE.match(text, 0).end()  # type: ignore[union-attr]  # always matches
    if text[pos : pos + 1] != "[":
        return None
    pos += 1
    lines: list[int] = []
    line, counted_to = 1, 0
    while True:
        pos = _WHITESPACE.match(text, pos).end()  # type: ignore[union-attr]
        if text[pos : pos + 1] in ("]", ""):
            return lines
        line += text.count("\n", counted_to, pos)
        counted_to = pos
        lines.append(line)
        _, pos = decoder.raw_decode(text, pos)
        pos = _WHITESPACE.match(text, pos).end()  # type: ignore[union-attr]
        if text[pos : pos + 1] == ",":
            pos += 1


def read_json_prefix(path: Path, data: bytes) -> FileOutcome:
    """The complete records of a JSON list whose end was lost (a truncated ``.json.gz``)."""
    text = decode_text(data)
    decoder = json.JSONDecoder()
    pos = _WHITESPACE.match(text, 0).end()  # type: ignore[union-attr]
    if text[pos : pos + 1] != "[":
        raise SkipFile(f"{files.TRUNCATED}, and what is left is not a JSON list of records. {files.TRUNCATED_ADVICE}")
    collector = _Collector(path, unit="record")
    pos, number, line, counted_to = pos + 1, 0, 1, 0
    while True:
        pos = _WHITESPACE.match(text, pos).end()  # type: ignore[union-attr]
        line += text.count("\n", counted_to, pos)
        counted_to = pos
        try:
            record, pos = decoder.raw_decode(text, pos)
        except (ValueError, RecursionError):
            break  # the cut-off record
        number += 1
        collector.add_record(record, line, number)
        pos = _WHITESPACE.match(text, pos).end()  # type: ignore[union-attr]
        if text[pos : pos + 1] != ",":
            break
        pos += 1
    if not collector.outcome.articles:
        raise SkipFile(f"{files.TRUNCATED}, and no complete record is left before the cut. {files.TRUNCATED_ADVICE}")
    collector.outcome.problems.append(
        Problem(str(path), f"{files.TRUNCATED}; the {number} complete records before the cut were read, the rest is lost. "
                f"{files.TRUNCATED_ADVICE}", (line,))
    )
    return collector.finish()


def _first_line_is_object(text: str) -> bool:
    first = text.lstrip().split("\n", 1)[0]
    try:
        return isinstance(json.loads(first), dict)
    except ValueError:
        return False


def read_json(path: Path, data: bytes) -> FileOutcome:
    """Read a ``.json`` file: a list of records, one record, or ``{"articles": [...]}``.

    JSON Lines saved under a ``.json`` name is recognised and read as JSON Lines.
    """
    text = decode_text(data)
    files.check_not_empty(text)
    try:
        value = json.loads(text)
    except (ValueError, RecursionError) as exc:
        if isinstance(exc, json.JSONDecodeError) and exc.msg == "Extra data" and _first_line_is_object(text):
            collector = _Collector(path, unit="line")
            for lineno, line in enumerate(text.split("\n"), 1):
                collector.add_line(line, lineno)
            return collector.finish()
        if isinstance(exc, json.JSONDecodeError):
            raise SkipFile(
                f"not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}; fix the file",
                (exc.lineno,),
            ) from None
        raise SkipFile(f"not valid JSON ({exc}); fix the file") from None
    collector = _Collector(path, unit="record")
    if isinstance(value, list):
        if not value:
            raise SkipFile("the JSON list is empty: no articles; add article records or remove it")
        lines = _element_lines(text) or []
        for number, record in enumerate(value, 1):
            collector.add_record(record, lines[number - 1] if len(lines) == len(value) else None, number)
    elif isinstance(value, dict) and "text" not in value and any(isinstance(value.get(k), list) for k in _LIST_KEYS):
        key = next(k for k in _LIST_KEYS if isinstance(value.get(k), list))
        for number, record in enumerate(value[key], 1):
            collector.add_record(record, None, number)
    elif isinstance(value, dict):
        if not isinstance(value.get("text"), str) or not value["text"].strip():
            raise SkipFile('the JSON object has no "text" (missing, empty or not a string); add the article text')
        collector.add_record(value, None, 1)
    else:
        raise SkipFile('JSON must be an article object {"title": ..., "text": ...} or a list of them')
    return collector.finish()
