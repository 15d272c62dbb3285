"""Readers: turn files and folders of news into :class:`~rag.types.Article` objects.

One entry point, :func:`read_paths`. It never raises for bad input: every file (or line, or
feed entry) it has to skip becomes a :class:`~rag.types.Problem` saying why, so a messy
folder can be ingested and the user told exactly what was left out.

Formats, by extension: plain text and Markdown (``.txt .text .md .markdown`` and files
without an extension), JSON Lines (``.jsonl .ndjson``), JSON (``.json``), HTML article pages
(``.html .htm .xhtml``) and RSS/Atom feeds (``.rss .atom``, and ``.xml`` that is a feed).

Importing this package is cheap: the parsing libraries (trafilatura, feedparser,
charset-normalizer, py3langid) are imported by the functions that use them.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path

from rag.hygiene import display_path
from rag.readers.article import DEFAULT_MAX_ARTICLE_CHARS, ReadSession, SkipFile, reading
from rag.readers.dispatch import FORMATS, read_file, supported_extensions
from rag.readers.files import DEFAULT_MAX_DECOMPRESSED_BYTES, DEFAULT_MAX_FILE_BYTES
from rag.readers.walk import iter_files
from rag.types import Problem, ReadResult

__all__ = [
    "DEFAULT_MAX_ARTICLE_CHARS", "DEFAULT_MAX_DECOMPRESSED_BYTES", "DEFAULT_MAX_FILE_BYTES", "FORMATS",
    "read_paths", "supported_extensions",
]  # fmt: skip


def _read_one(path: Path, max_file_bytes: int, max_decompressed_bytes: int, result: ReadResult) -> None:
    """Read one file into ``result``; whatever goes wrong becomes a Problem for this file only."""
    where = display_path(path)
    try:
        outcome = read_file(path, max_file_bytes=max_file_bytes, max_decompressed_bytes=max_decompressed_bytes)
    except SkipFile as skip:
        result.problems.append(Problem(where, skip.reason, skip.lines))
        return
    except PermissionError:
        result.problems.append(Problem(where, "permission denied; check the file's permissions"))
        return
    except OSError as exc:
        result.problems.append(Problem(where, f"could not read the file: {exc.strerror or exc}"))
        return
    except Exception as exc:  # one bad file must never stop the rest
        # A parser bug or a pathological file: name the exception so it can be reported.
        reason = (
            f"unexpected error while reading ({type(exc).__name__}: {str(exc)[:300]}); the file was skipped, "
            "the other files were read; please report this with the file"
        )
        result.problems.append(Problem(where, reason))
        return
    result.articles.extend(outcome.articles)
    result.problems.extend(outcome.problems)
    if outcome.articles:
        result.files_read += 1


def read_paths(
    paths: Sequence[str | os.PathLike[str]],
    *,
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES,
    max_article_chars: int = DEFAULT_MAX_ARTICLE_CHARS,
    max_decompressed_bytes: int = DEFAULT_MAX_DECOMPRESSED_BYTES,
    on_file: Callable[[Path], None] | None = None,
) -> ReadResult:
    """Read every article in ``paths`` (files and folders, recursively, in sorted order).

    Returns the articles in a deterministic order, every skipped input as a Problem, and
    ``files_read``, the number of files that gave at least one article. ``on_file`` is
    called with each file's path just before it is read, for progress display.

    ``max_file_bytes`` limits any one file read whole (after decompression); JSON Lines files are
    streamed and limited per line instead, and a compressed one to ``max_decompressed_bytes`` in
    all. ``max_article_chars`` cuts longer articles (with a warning among the problems).
    Every text field has been through :func:`rag.hygiene.clean_text`; ``repairs`` counts the changes.
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]  # a lone path, not a sequence of one-character paths
    result = ReadResult()
    with reading(ReadSession(max_article_chars=max_article_chars, repairs=result.repairs)) as session:
        for item in iter_files(paths):
            if isinstance(item, Problem):
                result.problems.append(item)
                continue
            if on_file is not None:
                on_file(item)
            _read_one(item, max_file_bytes, max_decompressed_bytes, result)
            result.problems.extend(session.warnings)
            session.warnings.clear()
    return result
