"""Bytes to text: UTF-8 first, then the most plausible legacy encoding, else a clear refusal."""

from __future__ import annotations

import codecs
import re

from rag.readers.article import SkipFile

# BOMs that name their encoding outright; longest first so UTF-32-LE is not taken for UTF-16-LE.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# The legacy encoding we prefer when the detector finds it as plausible as its own pick:
# Windows-1252 (a superset of Latin-1) is by far the most common non-UTF-8 encoding of
# news text, and short Western texts are otherwise often labelled cp1250 ("après" → "aprčs").
_PREFERRED_LEGACY = "cp1252"

# Tolerances for "as plausible as": on short texts the detector's scores for encodings that
# decode the text identically but for a letter or two differ by about 0.01.
_CHAOS_TIE = 0.05
_COHERENCE_TIE = 0.02

_DETECT_BYTES = 1 << 20

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


def declared_html_charset(data: bytes) -> str | None:
    """The charset an HTML page declares in a ``<meta>`` tag near its start, if any."""
    match = _META_CHARSET.search(data[:4096])
    if not match:
        return None
    name = match.group(1).decode("ascii", "replace")
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None  # a made-up charset name is no better than none


def decode_text(data: bytes, *, declared: str | None = None) -> str:
    """Decode ``data`` to text, or raise :class:`SkipFile` saying it could not be decoded.

    Order: a byte-order mark; strict UTF-8; the encoding the file declares (HTML ``<meta>``);
    then charset-normalizer's best guess, preferring Windows-1252 on a tie.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as exc:
                name = encoding.upper().removesuffix("-SIG")
                why = f"it starts with a {name} byte-order mark but is not valid {name} ({exc.reason})"
                raise SkipFile(_undecodable(why)) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass  # legacy encodings below
    if declared and declared not in ("utf-8", "utf-8-sig"):
        try:
            return data.decode(declared)
        except (UnicodeDecodeError, LookupError):
            pass  # a wrong declaration is common; let the detector try
    encoding = guess_encoding(data)
    if encoding is None:
        raise SkipFile(_undecodable("it is not UTF-8 and no other text encoding fits"))
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        raise SkipFile(_undecodable(f"it looks like {encoding} but does not decode as such")) from None


def guess_encoding(data: bytes) -> str | None:
    """charset-normalizer's pick of a non-UTF-8 encoding for ``data``, or None if none fits.

    Prefers Windows-1252 whenever the detector rates it as plausible as its own pick.
    """
    from charset_normalizer import from_bytes  # lazy: keeps ``import rag.readers`` cheap

    # The detector's time grows with the input; a megabyte tells as much as the whole file.
    # (The caller then decodes all of it strictly, so a later byte that does not fit is still caught.)
    data = data[:_DETECT_BYTES]
    matches = list(from_bytes(data))
    if not matches:
        return None
    best = matches[0]
    for match in matches:
        as_good = match.chaos <= best.chaos + _CHAOS_TIE and match.coherence >= best.coherence - _COHERENCE_TIE
        if as_good and _PREFERRED_LEGACY in match.could_be_from_charset:
            try:
                data.decode(_PREFERRED_LEGACY)
            except UnicodeDecodeError:
                break  # cp1252 leaves 5 bytes undefined; then trust the detector's pick
            return _PREFERRED_LEGACY
    return str(best.encoding)


def _undecodable(why: str) -> str:
    return f"cannot decode the text: {why}; re-save the file as UTF-8"
