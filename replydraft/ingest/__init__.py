"""Read a customer mail (.eml, helpdesk JSON, HTML or plain text) into an `Email`.

    read_email(Path("mail.eml"))             # a file: kind from its extension, else sniffed
    read_email(raw_bytes)                    # bytes: sniffed (JSON object, RFC 822 headers, HTML, text)
    read_email("Waar blijft mijn pakket?")   # a str is always the mail's content, never a file name

Every kind ends the same way: `assemble` has `split` cut the text into the new message (`body`),
the quoted earlier messages (`history`, newest first, as mail clients quote them) and the sign-off
(`signature`), then reads language and register. The modules, in the order a mail passes them:
`decode` (bytes to text), `sniff` (which kind), `eml`, `helpdesk_json` or `html` (one kind each;
`headers` reads header values for all of them), `assemble`, `split`.

Unreadable input raises InputError naming what is wrong: a missing file, binary data, invalid JSON
(with line and column), an unknown JSON key, or a mail with no new text.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from ..errors import InputError
from ..types import Email
from .assemble import email_from_text
from .decode import WIDE_BOMS, bytes_to_text, reject_binary, to_text
from .eml import email_from_eml
from .helpdesk_json import FROM_KEYS, JSON_KEYS, THREAD_KEYS, email_from_json
from .html import html_to_text
from .sniff import sniff_kind
from .split import PARSER_LANGUAGES, SIGN_OFF_PHRASES, split_message

__all__ = [
    "FROM_KEYS", "JSON_KEYS", "PARSER_LANGUAGES", "SIGN_OFF_PHRASES", "THREAD_KEYS", "Kind",
    "html_to_text", "read_email", "reject_binary", "split_message",
]

Kind = Literal["auto", "text", "eml", "json"]
_EXTENSIONS = {".eml": "eml", ".json": "json", ".txt": "text", ".text": "text", ".html": "html", ".htm": "html"}


def read_email(source: str | bytes | Path, *, kind: Kind = "auto") -> Email:
    """Read one customer mail into an `Email` with body, history, signature, language and register.

    `source`: a `pathlib.Path` is read from disk; `bytes` and `str` are the mail itself.
    `kind`: "eml", "json" or "text" forces the format; "auto" goes by the file extension
    (.eml, .json, .txt, .html) and otherwise sniffs the content.
    """
    if kind not in ("auto", "text", "eml", "json"):
        raise InputError(f"unknown kind {kind!r}: use 'auto', 'text', 'eml' or 'json'")
    data, extension = _contents(source)
    if isinstance(data, bytes) and data.startswith(WIDE_BOMS):
        data = bytes_to_text(data)  # UTF-16/32 (Notepad's "Unicode"): decode before sniffing
    if kind == "auto":
        kind = _guess_kind(data, extension)  # type: ignore[assignment]
    if kind == "eml":
        return email_from_eml(data)
    text = to_text(data, extension)
    if kind == "json":
        return email_from_json(text)
    if kind == "html":
        return email_from_text(html_to_text(text), what="HTML mail")
    return email_from_text(text)


def _contents(source: str | bytes | Path) -> tuple[str | bytes, str]:
    """The mail's content and, for a file, its extension."""
    if isinstance(source, Path):
        return _read_file(source), source.suffix.lower()
    if isinstance(source, (bytes, bytearray, memoryview)):
        return bytes(source), ""
    if isinstance(source, str):
        return source, ""
    raise InputError(f"cannot read a mail from {type(source).__name__}: pass a str, bytes or pathlib.Path")


def _guess_kind(data: str | bytes, extension: str) -> str:
    kind = _EXTENSIONS.get(extension) or sniff_kind(data)
    if kind == "text" and extension in (".txt", ".text") and sniff_kind(data) == "eml":
        return "eml"  # a mail saved as .txt with its RFC 822 headers
    return kind


def _read_file(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"mail file not found: {path}") from None
    except IsADirectoryError:
        raise InputError(f"{path} is a directory, not a mail file") from None
    except OSError as exc:
        raise InputError(f"cannot read mail file {path}: {exc.strerror or exc}") from None
