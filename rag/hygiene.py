"""Text hygiene: the one place where text from outside becomes text we store, print or embed.

Everything a reader produces goes through :func:`clean_text` (article fields, in
``rag.readers.article.make_article``) or :func:`display_path` (file names, in articles'
``origin`` and in every ``Problem``), so no later stage — SQLite, the terminal, ``--json``, the
TUI — ever meets a lone surrogate, a NUL byte or an undecodable file name.

- Lone surrogates (``"\\ud83d"``, half an emoji, which ``json.loads`` accepts; or the
  ``\\udcff`` that Python uses for an undecodable byte) become U+FFFD and are counted, because
  they cannot be encoded as UTF-8 and SQLite refuses them.
- NUL and the other control characters (C0 except tab, newline and carriage return; DEL; C1)
  are dropped: they are never text a reader sees, and some terminals act on them.
- The result is Unicode NFC, so that "é" typed two ways is one word for search and dedup.

A path is *shown*, not repaired: an undecodable byte becomes ``\\xff`` and a control character
its escape, so the user can still find the file the message is about.
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass

REPLACEMENT = "\ufffd"

_SURROGATE = re.compile("[\ud800-\udfff]")
# C0 controls except \t \n \r, DEL, and the C1 block.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_PATH_UNSAFE = re.compile("[\ud800-\udfff\x00-\x1f\x7f-\x9f]")


@dataclass
class Repairs:
    """What :func:`clean_text` changed, summed over everything it cleaned."""

    surrogates: int = 0
    controls: int = 0

    def add(self, other: Repairs) -> None:
        self.surrogates += other.surrogates
        self.controls += other.controls


def clean_text(text: str, repairs: Repairs | None = None) -> str:
    """``text`` with lone surrogates replaced by U+FFFD, control characters dropped, in NFC.

    Counts what it changed into ``repairs`` when given. Linear in the length of ``text``.
    """
    if text.isascii() and text.isprintable():
        return text  # the common case, checked at C speed
    surrogates = len(_SURROGATE.findall(text))
    if surrogates:
        text = _SURROGATE.sub(REPLACEMENT, text)
    cleaned = _CONTROL.sub("", text)
    if repairs is not None:
        repairs.surrogates += surrogates
        repairs.controls += len(text) - len(cleaned)
    if not cleaned.isascii():
        cleaned = unicodedata.normalize("NFC", cleaned)
    return cleaned


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:  # an undecodable byte, as os.fsdecode keeps it
        return f"\\x{code - 0xDC00:02x}"
    if 0xD800 <= code <= 0xDFFF:
        return f"\\u{code:04x}"
    return f"\\x{code:02x}"


def display_path(path: str | os.PathLike[str] | bytes) -> str:
    """A file name safe to store and print: undecodable bytes and control characters escaped.

    ``b"berita-\\xff\\xfe-rusak.txt"`` (or its ``os.fsdecode`` form) → ``"berita-\\\\xff\\\\xfe-rusak.txt"``.
    """
    text = os.fsdecode(path) if isinstance(path, bytes) else os.fspath(path)
    if text.isascii() and text.isprintable():
        return text
    return _PATH_UNSAFE.sub(_escape, text)
