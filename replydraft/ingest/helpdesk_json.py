"""The helpdesk JSON mail: {"subject", "body", "from", "received_at", "thread", "attachments", "ticket_id"}."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone

from ..errors import InputError
from ..types import Email
from .assemble import assemble_email
from .decode import clean_str, reject_binary
from .headers import one_line, parse_address, parse_date, safe_filename
from .html import html_to_text, looks_html

JSON_KEYS = frozenset({"subject", "body", "from", "received_at", "thread", "attachments", "ticket_id"})
THREAD_KEYS = frozenset({"body", "from", "sent_at"})
FROM_KEYS = frozenset({"name", "email"})


def email_from_json(text: str) -> Email:
    data = _load(text)
    body = _json_str(data, "body")
    subject = _json_str(data, "subject")
    sender = _json_sender(data.get("from"), "from")
    received_at = _json_date(data.get("received_at"), "received_at")
    attachments = _attachments(data.get("attachments", []))
    thread = _thread(data.get("thread", []))
    ticket_id = _ticket_id(data.get("ticket_id"))
    mail = assemble_email(
        body,
        what="the JSON mail's body",
        subject=subject,
        sender=sender,
        received_at=received_at,
        attachments=attachments,
        extra_history=_thread_history(thread),
    )
    return mail.model_copy(update={"ticket_id": one_line(ticket_id)}) if ticket_id is not None else mail


def _load(text: str) -> dict:
    """The parsed JSON object, with a 'body' and no key we do not know."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}") from None
    except RecursionError:
        raise InputError("invalid JSON: nested too deeply") from None
    if not isinstance(data, dict):
        raise InputError(f"the JSON mail must be an object with a 'body', got {type(data).__name__}")
    unknown = sorted(set(data) - JSON_KEYS)
    if unknown:
        raise InputError(
            f"unknown key {unknown[0]!r} in the JSON mail (known keys: {', '.join(sorted(JSON_KEYS))})"
        )
    if "body" not in data:
        raise InputError("the JSON mail has no 'body'")
    return data


def _attachments(value) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(a, str) for a in value):
        raise InputError("'attachments' in the JSON mail must be a list of file names")
    return tuple(safe_filename(a) for a in value if a.strip())


def _thread(value) -> list:
    if value is None:
        return []
    if not isinstance(value, list):
        raise InputError(f"'thread' in the JSON mail must be a list, got {type(value).__name__}")
    return value


def _ticket_id(value) -> str | None:
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)  # helpdesks number their tickets
    if value is not None and (not isinstance(value, str) or not 0 < len(value.strip()) <= 200):
        raise InputError("'ticket_id' in the JSON mail must be the helpdesk's ticket id: a string or number, 1 to 200 characters")
    if value is not None:
        reject_binary(value, "'ticket_id' in the JSON mail")
    return value


def _json_str(data: dict, key: str, where: str = "") -> str:
    value = data.get(key, "")
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InputError(f"'{where}{key}' in the JSON mail must be a string, got {type(value).__name__}")
    return clean_str(value)


def _json_sender(value, where: str) -> tuple[str, str]:
    if value is None or value == "":
        return "", ""
    if isinstance(value, str):
        return parse_address(value)
    if isinstance(value, dict):
        unknown = sorted(set(value) - FROM_KEYS)
        if unknown:
            raise InputError(f"unknown key {unknown[0]!r} in '{where}' of the JSON mail (known: email, name)")
        name, address = _json_str(value, "name", f"{where}."), _json_str(value, "email", f"{where}.")
        return one_line(name), one_line(address)
    raise InputError(f"'{where}' in the JSON mail must be \"Name <address>\" or {{\"name\", \"email\"}}")


def _json_date(value, where: str) -> datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise InputError(f"'{where}' in the JSON mail must be a date string, got {type(value).__name__}")
    if isinstance(value, (int, float)):
        try:
            return datetime.fromtimestamp(value, tz=timezone.utc)
        except (OverflowError, OSError, ValueError):
            return None
    return parse_date(value)


@dataclass(frozen=True)
class _Earlier:
    """One message of a helpdesk thread. `sent_at_text`: the `sent_at` string as given, shown when it does not parse."""

    position: int
    body: str
    sender: tuple[str, str]
    sent_at: datetime | None
    sent_at_text: str


def _thread_history(thread: list) -> str:
    """Earlier messages of a helpdesk thread, newest first like quoted mail history.

    The list is taken as oldest first (as helpdesks export it) unless every entry has a `sent_at`
    that parses, in which case that order wins.
    """
    entries = [entry for i, item in enumerate(thread) if (entry := _earlier(i, item)).body]
    if entries and all(e.sent_at is not None for e in entries):
        try:
            entries.sort(key=lambda e: (_aware(e.sent_at), e.position))
        except TypeError:
            pass
    return "\n\n".join(_quoted(entry) for entry in reversed(entries))


def _earlier(i: int, item) -> _Earlier:
    """Thread entry i, a plain string or {"body", "from", "sent_at"}; its body as text, stripped."""
    where = f"thread[{i}]"
    if isinstance(item, str):
        body, sender, sent_at, sent_at_text = clean_str(item), ("", ""), None, ""
    elif isinstance(item, dict):
        unknown = sorted(set(item) - THREAD_KEYS)
        if unknown:
            raise InputError(
                f"unknown key {unknown[0]!r} in {where} of the JSON mail (known: {', '.join(sorted(THREAD_KEYS))})"
            )
        body = _json_str(item, "body", f"{where}.")
        sender = _json_sender(item.get("from"), f"{where}.from")
        sent_at_text = item.get("sent_at") if isinstance(item.get("sent_at"), str) else ""
        sent_at = _json_date(item.get("sent_at"), f"{where}.sent_at")
    else:
        raise InputError(f"{where} in the JSON mail must be a string or an object, got {type(item).__name__}")
    if looks_html(body):
        body = html_to_text(body)
    return _Earlier(i, body.strip(), sender, sent_at, sent_at_text)


def _quoted(entry: _Earlier) -> str:
    """The entry under a header line, as a mail client quotes an earlier message."""
    name, address = entry.sender
    who = f"{name} <{address}>" if name and address else name or address
    stamp = entry.sent_at.isoformat(sep=" ", timespec="minutes") if entry.sent_at else entry.sent_at_text
    label = " | ".join(p for p in (f"From: {who}" if who else "", f"Sent: {stamp}" if stamp else "") if p)
    return f"----- {label or 'Earlier message'} -----\n{entry.body}"


def _aware(when: datetime) -> datetime:
    return when if when.tzinfo else when.replace(tzinfo=timezone.utc)
