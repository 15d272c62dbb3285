"""Writes tests/data/hostile/: one file for every hostile-input case of issue 10 (see its README).

Run from the project root: ``python tests/data/make_hostile.py``. The output is committed; this
script documents how each file was made and rebuilds them byte for byte (fixed mtimes, no names
inside the gzip headers). All texts were written for this project.
"""

from __future__ import annotations

import bz2
import gzip
import io
import json
import lzma
import random
from pathlib import Path

OUT = Path(__file__).parent / "hostile"

STORY = (
    "Jakarta, Warta Kota - Pemerintah kota membuka tiga jalur bus listrik baru pada Senin pagi. "
    "Jalur itu menghubungkan terminal Kampung Rambutan dengan kawasan Sudirman, Kota Tua dan Ancol. "
    "Kepala dinas perhubungan mengatakan tarif tetap Rp3.500 selama masa uji coba dua bulan. "
    "Penumpang pertama menyebut perjalanan lebih tenang dan sejuk dibanding bus solar. "
)
HARBOUR = (
    "The harbour authority opened a new ferry terminal on Thursday after two years of building work. "
    "The terminal can handle four ferries at once and has a covered waiting hall for 600 passengers. "
    "Officials said the first crossings to the islands ran on time despite strong winds. "
)


def _gzip(data: bytes) -> bytes:
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0, filename="") as f:
        f.write(data)
    return buffer.getvalue()


def record(i: int, **fields: object) -> dict:
    base = {"id": f"hx-{i:03d}", "title": f"Berita uji {i}", "date": "2024-06-0" + str(1 + i % 9), "source": "Warta Kota", "lang": "id"}
    return base | {"text": STORY} | fields


def jsonl(records: list) -> bytes:
    return "".join(json.dumps(r, ensure_ascii=True) + "\n" for r in records).encode()


def bloated_page() -> bytes:
    """A 30 MB saved page: a real story, then 10 MB of inline app state and 20 MB of comment markup."""
    article = "".join(f"<p>{HARBOUR} Paragraph {i} of the report.</p>\n" for i in range(8))
    state = "<script>window.__STATE__ = " + json.dumps({"items": ["x" * 90] * 100_000}) + ";</script>\n"
    comment = '<li class="comment"><div class="meta"><a href="/u/1">reader</a> <time>1h</time></div><p>Great news, thanks!</p></li>\n'
    comments = "<section class=\"comments\"><ul>\n" + comment * (20_000_000 // len(comment)) + "</ul></section>\n"
    page = (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>New ferry terminal opens | Harbour Herald</title>'
        '<meta property="og:title" content="New ferry terminal opens">'
        '<meta property="article:published_time" content="2024-06-06T08:00:00+00:00"></head><body>'
        f"<main><article><h1>New ferry terminal opens</h1>\n{article}</article></main>\n{state}{comments}</body></html>\n"
    )
    return page.encode()


def one_line() -> bytes:
    """2,000,000 characters of news text on a single line (a dump whose newlines were lost)."""
    sentence = HARBOUR
    text = (sentence * (2_000_000 // len(sentence) + 1))[:2_000_000]
    return text.encode()


def main() -> None:
    OUT.mkdir(exist_ok=True)
    files: dict[str, bytes] = {}
    # The good article whose copy the test renames to b"berita-\xff\xfe-rusak.txt" (not valid UTF-8).
    files["berita-rusak.txt"] = ("Bus listrik mulai melayani tiga jalur baru\n\n" + STORY).encode()
    # Lone surrogates (half an emoji) in text and title, escaped the way json.dumps writes them.
    files["surrogates.jsonl"] = (
        jsonl([record(1)])
        + b'{"id": "hx-002", "title": "Setengah emoji \\ud83d", "source": "Warta Kota", "text": "Warga berkumpul di alun-alun setempat. \\ud83d Acara berlangsung meriah hingga malam."}\n'
        + b'{"id": "hx-003", "title": "Emoji utuh", "source": "Warta Kota", "text": "Perayaan ditutup dengan kembang api \\ud83c\\udf86 di pantai."}\n'
    )
    files["surrogates.json"] = b'[{"id": "hx-004", "title": "Daftar \\udc80 rusak", "text": "Harga cabai turun tajam di pasar induk. \\udfff Pedagang lega."}, ' + json.dumps(record(5)).encode() + b"]\n"
    # NUL and other control characters inside text (a few: still text, not binary).
    files["controls.txt"] = ("Listrik padam di tiga kecamatan\n\nPLN menyebut gangguan\x00 pada gardu induk\x07 menyebabkan pemadaman\x1b selama dua jam. "
                             "Teknisi memperbaiki\x0b kabel yang terbakar pada Selasa malam.\n").encode()
    # Arbitrary JSON values in every field: the good records stay, each bad one is named.
    files["odd-values.jsonl"] = jsonl([
        record(6, title=["a", "list"], date={"y": 2024}, source=12, url=None, lang=7, place=True),
        record(7, id=None, title=None, date="not a date at all", text=STORY + " Tambahan."),
        {"id": "hx-008", "text": 42},
        [1, 2, 3],
        "just a string",
        None,
        record(9, text="   "),
        record(10, date="9" * 500, title="x" * 5000),
    ]) + b'{"id": "hx-011", "text": "unterminated\n'
    # Compressed inputs, one per format and compression.
    files["archive.jsonl.gz"] = _gzip(jsonl([record(i, text=STORY + f" Laporan nomor {i}.") for i in range(20, 23)]))
    files["archive.json.gz"] = _gzip(json.dumps([record(i, text=STORY + f" Arsip {i}.") for i in range(30, 32)]).encode())
    files["story.txt.bz2"] = bz2.compress(("Title: Pelabuhan baru dibuka\nDate: 2024-06-06\n\n" + HARBOUR).encode())
    feed = ('<?xml version="1.0"?><rss version="2.0"><channel><title>Harbour Herald</title>'
            f"<item><title>Ferry terminal opens</title><link>https://herald.example/ferry</link><description>{HARBOUR}</description></item>"
            "</channel></rss>\n")
    files["feed.rss.xz"] = lzma.compress(feed.encode())
    # A truncated archive: the complete lines before the cut are kept, the cut-off one named.
    rng = random.Random(10)
    words = STORY.replace(".", "").split()
    varied = [" ".join(rng.choice(words) for _ in range(120)) + "." for _ in range(10)]  # little to compress
    whole = _gzip(jsonl([record(40 + i, text=STORY + " " + v) for i, v in enumerate(varied)]))
    files["truncated.jsonl.gz"] = whole[: len(whole) * 6 // 10]
    # A compression bomb: 64 MB of spaces in 50-odd bytes, over the 50 MB whole-file limit.
    files["bomb.json.bz2"] = bz2.compress(b"[" + b" " * (64 * 1024 * 1024) + b"]")
    # Broken markup: a feed cut off mid-entry, a page of unclosed tags.
    files["broken-feed.rss"] = (feed[: feed.index("</description>")] + "<item><title>Second").encode()
    files["broken-page.html"] = ("<html><body><div><div><p>" + HARBOUR + "<p><b><i>" + HARBOUR + "<table><tr><td>" * 50 + "&#xD800; &bogus; <!-- open").encode()
    # The two inputs that used to hang ingest for minutes (compressed: 30 MB and 2 MB unpacked).
    files["bloated-page.html.gz"] = _gzip(bloated_page())
    files["one-line.txt.xz"] = lzma.compress(one_line())
    for name, data in files.items():
        (OUT / name).write_bytes(data)
        print(f"{name}: {len(data):,} bytes")


if __name__ == "__main__":
    main()
