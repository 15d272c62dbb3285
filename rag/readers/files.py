"""Getting a file's bytes off disk safely: size limits, decompression, emptiness and binary sniffing.

Everything that touches the file system for reading goes through :func:`open_binary`, so
tests (which run as root, where ``chmod 000`` blocks nothing) can simulate an unreadable
file by replacing that one function.

Compressed files (``.gz``, ``.bz2``, ``.xz`` after any supported extension: ``news.jsonl.gz``)
are decompressed while read, never whole on disk or in memory, and never past a limit: a file
that decompresses to more than the limit is named as a possible compression bomb and skipped. A
truncated archive gives what decompressed before the cut, with :attr:`Input.truncated` set.
"""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from rag.limits import DEFAULT_MAX_DECOMPRESSED_BYTES, DEFAULT_MAX_FILE_BYTES
from rag.readers.article import SkipFile

TRUNCATED = "the compressed file is truncated (it ends before its end-of-stream marker) or corrupt"
TRUNCATED_ADVICE = "Download or create the archive again."

COMPRESSIONS: dict[str, str] = {".gz": "gzip", ".bz2": "bzip2", ".xz": "xz"}
_OPENERS = {
    "gzip": lambda f: gzip.GzipFile(fileobj=f, mode="rb"),
    "bzip2": lambda f: bz2.BZ2File(f, mode="rb"),
    "xz": lambda f: lzma.LZMAFile(f, mode="rb"),
}
# What each library raises for data that is not (or no longer) in its format.
_CORRUPT = (gzip.BadGzipFile, OSError, zlib.error, lzma.LZMAError, ValueError)

# How much of a file's start the binary sniff looks at: enough to see a NUL byte in any
# real binary format, small enough to be free.
SNIFF_BYTES = 8192

# Magic numbers of formats people plausibly drop into a news folder by mistake, with the
# advice that makes each actionable.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF document; extract its text to a .txt file first"),
    (b"\x1f\x8b", "gzip-compressed; name it with .gz after its format (news.jsonl.gz) to have it read"),
    (b"PK\x03\x04", "a ZIP archive (or a Word/OpenDocument file); unpack or export it to text first"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"BZh91AY&SY", "bzip2-compressed; name it with .bz2 after its format to have it read"),  # level 9, the default
    (b"\xfd7zXZ\x00", "xz-compressed; name it with .xz after its format to have it read"),
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


def compression_of(path: Path) -> str | None:
    """``"gzip"``, ``"bzip2"`` or ``"xz"`` when ``path`` names a compressed file, else None."""
    return COMPRESSIONS.get(path.suffix.lower())


def logical_path(path: Path) -> Path:
    """``path`` without its compression suffix: what the file is once decompressed."""
    return path.with_suffix("") if compression_of(path) else path


class _Decompressed(io.RawIOBase):
    """A compressed file read as its decompressed bytes, bounded, tolerant of a truncated end."""

    def __init__(self, path: Path, kind: str, limit: int, limit_option: str) -> None:
        self._file = open_binary(path)
        self._stream = _OPENERS[kind](self._file)
        self.path, self.kind, self.limit, self.limit_option = path, kind, limit, limit_option
        self.produced = 0
        self.truncated = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # noqa: ANN001 - a writable buffer
        if self.truncated:
            return 0
        try:
            data = self._stream.read1(min(len(buffer), self.limit + 1 - self.produced) or 1)  # read1: a cut keeps what came before it
        except EOFError:  # the archive ends before its end-of-stream marker
            self.truncated = True
            return 0
        except _CORRUPT as exc:
            if self.produced == 0:
                raise SkipFile(f"not a valid {self.kind} file ({exc}); check that the file is what its name says") from None
            self.truncated = True  # corrupt from here on: keep what came before
            return 0
        self.produced += len(data)
        if self.produced > self.limit:
            raise SkipFile(bomb_reason(self.path, self.limit, self.limit_option))
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        try:
            self._stream.close()
            self._file.close()
        finally:
            super().close()


def bomb_reason(path: Path, limit: int, option: str) -> str:
    try:
        compressed = path.stat().st_size
    except OSError:
        compressed = 0
    ratio = f", a ratio over {limit // max(compressed, 1):,}:1" if compressed else ""
    return (
        f"decompresses to more than {format_size(limit)} (from {format_size(compressed)} compressed{ratio}): "
        f"a compression bomb, or an archive too large to read whole; skipped. Decompress it yourself if it is real, "
        f"or raise {option}"
    )


@dataclass
class Input:
    """An opened input: a binary stream of its (decompressed) bytes."""

    handle: BinaryIO
    compressed: _Decompressed | None = None

    @property
    def truncated(self) -> bool:
        return self.compressed is not None and self.compressed.truncated

    def __enter__(self) -> Input:
        return self

    def __exit__(self, *exc: object) -> None:
        self.handle.close()


def open_input(path: Path, max_decompressed_bytes: int, limit_option: str = "--max-decompressed-mb") -> Input:
    """Open ``path`` for reading its bytes, decompressing by its suffix."""
    kind = compression_of(path)
    if kind is None:
        return Input(open_binary(path))
    raw = _Decompressed(path, kind, max_decompressed_bytes, limit_option)
    return Input(io.BufferedReader(raw, buffer_size=1 << 16), raw)  # type: ignore[arg-type]


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


def read_limited(path: Path, max_bytes: int) -> tuple[bytes, bool]:
    """Read the whole file (decompressed), refusing (with :class:`SkipFile`) one larger than ``max_bytes``.

    Returns the bytes and whether a compressed file was truncated. Reads at most one byte past
    the limit rather than trusting ``stat``, so a file that grows while being read, or reports a
    size of 0 (``/proc``-like files), or decompresses without end, still cannot exhaust memory.
    """
    with open_input(path, max_bytes, "--max-file-mb") as source:
        data = source.handle.read(max_bytes + 1)
        if len(data) > max_bytes:
            if source.compressed is not None:
                raise SkipFile(bomb_reason(path, max_bytes, "--max-file-mb"))
            source.handle.seek(0, 2)
            raise SkipFile(too_large_reason(max(source.handle.tell(), len(data)), max_bytes))
        return data, source.truncated


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
    # A stray NUL or two in a text file is damage that text hygiene drops; binary data (or
    # UTF-16 without a byte-order mark) has them in every few bytes.
    nuls = head.count(b"\x00")
    controls = sum(1 for byte in head if byte in _CONTROL)
    if head and nuls and (nuls / len(head) > 0.01 or controls / len(head) > 0.05):
        return "contains NUL bytes"
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
