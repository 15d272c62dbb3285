"""Getting a file's bytes off disk safely: size limit, emptiness and binary sniffing.

Everything that touches the file system for reading goes through :func:`open_binary`, so
tests (which run as root, where ``chmod 000`` blocks nothing) can simulate an unreadable
file by replacing that one function.
"""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from rag.readers.article import SkipFile

# How much of a file's start the binary sniff looks at: enough to see a NUL byte in any
# real binary format, small enough to be free.
SNIFF_BYTES = 8192

# Magic numbers of formats people plausibly drop into a news folder by mistake, with the
# advice that makes each actionable.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF document; extract its text to a .txt file first"),
    (b"\x1f\x8b", "gzip-compressed; decompress it first"),
    (b"PK\x03\x04", "a ZIP archive (or a Word/OpenDocument file); unpack or export it to text first"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"BZh91AY&SY", "bzip2-compressed; decompress it first"),  # level 9, the default; others fail the NUL check
    (b"\xfd7zXZ\x00", "xz-compressed; decompress it first"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive; unpack it first"),
    (b"\x7fELF", "a program (ELF executable)"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office document; export it to text first"),
)

# Byte-order marks of encodings whose text legitimately contains NUL bytes; a file that
# starts with one of these is text, whatever the NUL check would say.
_WIDE_BOMS = (b"\xff\xfe", b"\xfe\xff")

# C0 control bytes that never occur in text (tab, newline, form feed, carriage return and
# escape do occur, so they are not in this set).
_CONTROL = frozenset(range(0, 32)) - {9, 10, 11, 12, 13, 27}


def open_binary(path: Path) -> BinaryIO:
    """Open ``path`` for reading bytes. The single point tests patch to simulate errors."""
    return open(path, "rb")  # the caller closes it (``with``)


def format_size(n: int) -> str:
    """A size in words a user recognises: ``"512 bytes"``, ``"3.2 KB"``, ``"63 MB"``."""
    if n < 1024:
        return f"{n} bytes"
    value = float(n)
    for unit in ("KB", "MB", "GB"):
        value /= 1024
        if value < 1024:
            break
    return f"{value:.1f}".removesuffix(".0") + f" {unit}"


def too_large_reason(size: int, limit: int) -> str:
    """The reason given for a file over the whole-file size limit."""
    return (
        f"file is too large ({format_size(size)}; the limit is {format_size(limit)}); "
        "split it or raise --max-file-mb"
    )


def read_limited(path: Path, max_bytes: int) -> bytes:
    """Read the whole file, refusing (with :class:`SkipFile`) one larger than ``max_bytes``.

    Reads at most one byte past the limit rather than trusting ``stat``, so a file that grows
    while being read, or reports a size of 0 (``/proc``-like files), still cannot exhaust memory.
    """
    with open_binary(path) as handle:
        data = handle.read(max_bytes + 1)
        if len(data) > max_bytes:
            handle.seek(0, 2)
            raise SkipFile(too_large_reason(max(handle.tell(), len(data)), max_bytes))
    return data


def binary_kind(head: bytes) -> str | None:
    """Describe ``head`` (a file's first bytes) if it is binary rather than text, else None.

    A known magic number gives a specific description; otherwise NUL bytes, or many
    control bytes, mean binary. UTF-16/32 text with a byte-order mark is not binary even
    though it is full of NULs.
    """
    for magic, what in _MAGIC:
        if head.startswith(magic):
            return what
    head = head[:SNIFF_BYTES]
    if head.startswith(_WIDE_BOMS):
        return None
    if b"\x00" in head:
        return "contains NUL bytes"
    controls = sum(1 for byte in head if byte in _CONTROL)
    if head and controls / len(head) > 0.1:
        return "contains many control characters"
    return None


def check_not_binary(head: bytes) -> None:
    """Raise :class:`SkipFile` when ``head`` looks binary, with advice on what to do."""
    kind = binary_kind(head)
    if kind is not None:
        # Magic-number descriptions that carry their own advice say so after a ";".
        advice = "" if ";" in kind else "; remove it or convert it to text"
        raise SkipFile(f"binary file, not text: {kind}{advice}")


def check_not_empty(data: bytes | str) -> None:
    """Raise :class:`SkipFile` for a file with nothing but whitespace in it."""
    if not data.strip():
        raise SkipFile("empty file (nothing but whitespace); add text or remove it")
