"""Header values, whichever kind of mail they come from: a pasted header block, senders, dates, file names."""

from __future__ import annotations

import email.utils
import re
from datetime import datetime

from .decode import clean_str

_TEXT_HEADER = re.compile(
    r"^[*_ ]*(from|van|to|aan|subject|onderwerp|date|datum|sent|verzonden|cc|bcc|reply-to)[*_ ]*:[*_ ]*(.*)$",
    re.IGNORECASE,
)
_HEADER_NAMES = {
    "from": "from", "van": "from", "subject": "subject", "onderwerp": "subject",
    "date": "date", "datum": "date", "sent": "date", "verzonden": "date",
}


def leading_headers(text: str) -> tuple[dict[str, str], str]:
    """A pasted header block at the top of a plain-text mail ("Van: ...", "Onderwerp: ...", then a
    blank line): its sender, subject and date, and the text after it."""
    lines = text.lstrip("\n").split("\n")
    found: dict[str, str] = {}
    for i, line in enumerate(lines[:12]):
        if not line.strip():
            if found and i < len(lines) - 1:
                return found, "\n".join(lines[i + 1:])
            return {}, text
        m = _TEXT_HEADER.match(line.strip())
        if not m:
            return {}, text
        name = _HEADER_NAMES.get(m.group(1).lower())
        if name and name not in found:
            found[name] = m.group(2).strip()
    return {}, text


def one_line(value: str) -> str:
    return " ".join(clean_str(value or "").split())


def parse_address(value: str) -> tuple[str, str]:
    """(name, address) of "Name <address>"; a value with no address is all name."""
    value = one_line(value)
    if not value:
        return "", ""
    name, address = email.utils.parseaddr(value)
    if "@" not in address:
        return value.strip("<>\" "), ""
    return name.strip().strip('"'), address


def parse_date(value) -> datetime | None:
    """An ISO 8601 or RFC 2822 date, or None."""
    if not isinstance(value, str) or not value.strip():
        return None
    value = value.strip()
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00") if value.endswith("Z") else value)
    except ValueError:
        pass
    try:
        return email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


def safe_filename(name: str) -> str:
    """An attachment's file name without its folders or unprintable characters."""
    name = one_line(name).replace("\\", "/").rsplit("/", 1)[-1]
    return "".join(c for c in name if c.isprintable())[:200]
