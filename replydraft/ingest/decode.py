"""Bytes to text: byte-order marks, charset labels, and the signs of a binary file (NUL bytes, control characters)."""

from __future__ import annotations

import re

from ..errors import InputError

SNIFF_BYTES = 8192  # how far into the input sniffing and the control-character test look

_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
         (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
WIDE_BOMS = (b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")  # UTF-16/32, Notepad's "Unicode"
_LATIN_1_LABELS = frozenset({"latin-1", "latin1", "iso-8859-1", "iso8859-1", "iso_8859-1", "l1", "us-ascii", "ascii", "cp819"})
_WIDE_LABELS = ("utf-16", "utf-32", "utf16", "utf32", "ucs")
_JUNK = re.compile("[\x01-\x08\x0e-\x1f\x7f-\x9f\ufffd]")  # control and replacement characters
_JUNK_SHARE = 0.05  # more of them than this in the head: not text
_SURROGATE = re.compile("[\ud800-\udfff]")


def reject_binary(data: str | bytes, what: str = "the input") -> None:
    """Raise InputError when `data` holds a NUL byte: text never does, binary files nearly always do."""
    nul = b"\x00" if isinstance(data, (bytes, bytearray)) else "\x00"
    if nul in data:
        raise InputError(f"{what} looks binary (it contains NUL bytes), not text")


def reject_unreadable(text: str, what: str = "the input") -> None:
    """reject_binary, and text whose head is mostly control or replacement characters (a file read
    with the wrong charset, or binary data decoded as text)."""
    reject_binary(text, what)
    sample = text[:SNIFF_BYTES]
    if sample.strip() and _mostly_junk(sample):
        odd = len(_JUNK.findall(sample))
        raise InputError(
            f"{what} looks binary or undecodable ({odd} of {len(sample)} characters are control or "
            "replacement characters)"
        )


def looks_like_text(text: str) -> bool:
    sample = text[:SNIFF_BYTES]
    return "\x00" not in sample and not _mostly_junk(sample)


def _mostly_junk(sample: str) -> bool:
    return len(_JUNK.findall(sample)) > _JUNK_SHARE * len(sample)


def decode(data: bytes, charset: str | None = None) -> str:
    """Bytes to text, never failing. Valid UTF-8 wins over the label (mail that says latin-1 but is
    UTF-8 is common; latin-1 text that happens to be valid UTF-8 is not), except for UTF-16/32
    labels. Latin-1 labels are read as Windows-1252, as mail clients do. Unknown labels fall back
    to UTF-8, then Windows-1252 with replacement characters."""
    label = (charset or "").strip().strip("\"'").lower()
    if label in _LATIN_1_LABELS:
        label = "cp1252"
    if not label.startswith(_WIDE_LABELS):
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            pass
    for name in (label, "cp1252"):
        if not name:
            continue
        try:
            return data.decode(name)
        except (LookupError, UnicodeDecodeError, ValueError):
            continue
    try:
        return data.decode(label or "cp1252", errors="replace")
    except LookupError:
        return data.decode("cp1252", errors="replace")


def bytes_to_text(data: bytes) -> str:
    """A whole input's bytes to text: by its byte-order mark, else as `decode` reads it."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(codec, errors="replace")
    reject_binary(data)
    return decode(data)


def to_text(data: str | bytes, extension: str = "") -> str:
    """An input that is text (not an .eml) as clean text; InputError when it is binary."""
    if isinstance(data, bytes):
        if extension == ".msg" and data.startswith(b"\xd0\xcf\x11\xe0"):
            raise InputError("Outlook .msg files are not supported: save the mail as .eml")
        data = bytes_to_text(data)
    text = clean_str(data).lstrip("\ufeff")
    reject_unreadable(text)
    return text


def clean_str(text: str) -> str:
    """Lone surrogates (from undecodable bytes) back to text, and CRLF/CR line ends to LF."""
    if _SURROGATE.search(text):
        try:
            text = decode(text.encode("utf-8", "surrogateescape"))
        except UnicodeEncodeError:
            text = text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text
