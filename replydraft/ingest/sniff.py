"""Which kind a mail is when nothing says so: helpdesk JSON, RFC 822 (.eml), HTML or plain text, from its head."""

from __future__ import annotations

import re

from .decode import SNIFF_BYTES
from .html import HTML_START

_RFC_HEADER_LINE = re.compile(rb"^[!-9;-~]+:[ \t]?|^[ \t]+\S", re.ASCII)
_RFC_KNOWN = re.compile(
    rb"^(from|subject|mime-version|date|to|message-id|received|return-path|delivered-to|content-type|"
    rb"reply-to|x-[a-z0-9-]+|dkim-signature|authentication-results|arc-[a-z-]+|sender|cc):",
    re.IGNORECASE,
)


def sniff_kind(data: str | bytes) -> str:
    """The kind: "json", "eml", "html" or "text"."""
    head = _head_bytes(data).lstrip(b"\xef\xbb\xbf")
    stripped = head.lstrip()
    if stripped.startswith(b"{") and (stripped[1:].lstrip()[:1] in (b'"', b"}") or data.rstrip()[-1:] in ("}", b"}")):
        return "json"
    if _looks_rfc822(head):
        return "eml"
    if HTML_START.match(head):
        return "html"
    return "text"


def _head_bytes(data: str | bytes) -> bytes:
    head = data[:SNIFF_BYTES]
    return head if isinstance(head, bytes) else head.encode("utf-8", "surrogatepass")


def _looks_rfc822(head: bytes) -> bool:
    lines = head.lstrip(b" \t\r\n").splitlines()
    if lines and lines[0].startswith(b"From ") and b":" not in lines[0][:5]:
        lines = lines[1:]  # an mbox "From " separator line
    known = 0
    for line in lines[:60]:
        if not line.strip():
            break
        if not _RFC_HEADER_LINE.match(line):
            return False
        known += bool(_RFC_KNOWN.match(line))
    return known > 0
