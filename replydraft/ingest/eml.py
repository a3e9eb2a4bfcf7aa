""".eml (RFC 822 / MIME) mail: its text part, decoded headers, and the names of its attachments."""

from __future__ import annotations

import email
import email.header
import email.policy
import mimetypes
import re

from ..types import Email
from .assemble import assemble_email
from .decode import SNIFF_BYTES, clean_str, decode, looks_like_text, reject_binary
from .headers import one_line, parse_address, parse_date, safe_filename
from .html import html_to_text, looks_html


def email_from_eml(data: str | bytes) -> Email:
    message, from_str = _parse(data)
    body_text = _body_text(message, from_str)
    attachments = tuple(_attachment_names(message))
    sender = _sender(message)
    return assemble_email(
        body_text,
        what="the e-mail",
        subject=_header(message, "subject"),
        sender=sender,
        received_at=parse_date(_header(message, "date")),
        attachments=attachments,
    )


def _parse(data: str | bytes):
    """The parsed message, and whether it came from a str (then 8-bit parts are text already)."""
    if isinstance(data, str):
        raw = data.lstrip("\ufeff \t\r\n")
        reject_binary(raw[:SNIFF_BYTES], "the e-mail")
        return email.message_from_string(raw, policy=email.policy.default), True
    raw_bytes = data.lstrip(b"\xef\xbb\xbf").lstrip()
    reject_binary(raw_bytes[:SNIFF_BYTES], "the e-mail")
    return email.message_from_bytes(raw_bytes, policy=email.policy.default), False


_MAX_HEADER = 4000  # the stdlib decodes a huge header very slowly; nobody reads past this


def _raw_header(message, name: str) -> str | None:
    for key, value in message.raw_items():
        if key.lower() == name:
            raw = str(value)
            return raw[:_MAX_HEADER].rsplit(None, 1)[0] if len(raw) > _MAX_HEADER else raw
    return None


def _header(message, name: str) -> str:
    """A header decoded (RFC 2047 words, any charset), or "" when absent or undecodable."""
    raw = _raw_header(message, name)
    if raw is None:
        return ""
    try:
        return clean_str(str(email.policy.default.header_factory(name, raw)))
    except Exception:  # a header policy.default cannot parse: the older decoder, then the raw text
        try:
            return clean_str(str(email.header.make_header(email.header.decode_header(raw))))
        except Exception:
            return clean_str(raw)


def _sender(message) -> tuple[str, str]:
    raw = _raw_header(message, "from")
    if raw is None:
        return "", ""
    try:
        addresses = email.policy.default.header_factory("from", raw).addresses
        if addresses:
            return one_line(addresses[0].display_name or ""), one_line(addresses[0].addr_spec or "")
    except Exception:
        pass
    return parse_address(_header(message, "from"))


def _part_text(part, from_str: bool) -> str:
    try:
        payload = part.get_payload()
        cte = str(part.get("content-transfer-encoding", "") or "").strip().lower()
        if from_str and isinstance(payload, str) and cte not in ("base64", "quoted-printable", "x-uuencode", "uuencode"):
            return clean_str(payload)
        data = part.get_payload(decode=True)
        if data is None:
            return clean_str(payload) if isinstance(payload, str) else ""
        return clean_str(decode(data, part.get_content_charset()))
    except Exception:
        return ""


def _find_part(message, subtype: str):
    try:
        return message.get_body(preferencelist=(subtype,))
    except Exception:
        return None


def _body_text(message, from_str: bool) -> str:
    plain = _find_part(message, "plain")
    if plain is not None:
        text = _part_text(plain, from_str)
        if text.strip() and not looks_html(text):
            return text
    html = _find_part(message, "html")
    if html is not None:
        text = _part_text(html, from_str)
        if text.strip():
            return html_to_text(text)
    if plain is not None:
        return html_to_text(_part_text(plain, from_str))
    if not message.is_multipart() and message.get_content_maintype() in ("text", "message"):
        return _part_text(message, from_str)
    return _salvaged_text(message, from_str)


_MIME_LINE = re.compile(r"^(?:--\S*|content-[\w-]+:.*|mime-version:.*)$", re.IGNORECASE)


def _salvaged_text(message, from_str: bool) -> str:
    """Text a mail program still shows when no part is declared text/plain or text/html: a part
    labelled application/plain (seen in S/MIME), a mail that is one .txt attachment, or the raw
    text of a multipart whose first boundary is broken (minus the MIME lines)."""
    try:
        for part in message.walk():
            if part.is_multipart():
                continue
            lone_txt = part is message and _filename(part).lower().endswith(".txt")
            if part.get_content_subtype() == "plain" or lone_txt:
                text = _part_text(part, from_str)
                if text.strip() and looks_like_text(text):
                    return text
        if message.get_content_maintype() == "multipart" and not message.is_multipart():
            payload = message.get_payload()
            if isinstance(payload, str):
                return "\n".join(line for line in clean_str(payload).split("\n") if not _MIME_LINE.match(line.strip()))
    except Exception:  # a structure the stdlib cannot walk: nothing to salvage
        pass
    return ""


def _attachment_names(message) -> list[str]:
    names: list[str] = []
    counter = 0

    def visit(part, top: bool) -> None:
        nonlocal counter
        ctype = part.get_content_type()
        maintype = part.get_content_maintype()
        if ctype == "message/rfc822" and not top:
            name = _filename(part)
            if not name:
                inner = part.get_payload()
                inner = inner[0] if isinstance(inner, list) and inner else inner
                subject = _header(inner, "subject") if hasattr(inner, "get") else ""
                name = f"{safe_filename(subject) or 'message'}.eml"
            names.append(name)
            return
        if part.is_multipart():
            for sub in part.iter_parts() if hasattr(part, "iter_parts") else part.get_payload():
                visit(sub, False)
            return
        if top:
            return
        name = _filename(part)
        disposition = (part.get_content_disposition() or "").lower()
        if name:
            names.append(name)
        elif disposition == "attachment" or maintype in ("image", "application", "audio", "video", "font", "model"):
            counter += 1
            extension = mimetypes.guess_extension(ctype) or ".bin"
            names.append(f"attachment-{counter}{extension}")

    try:
        visit(message, True)
    except Exception:
        pass
    return names


def _filename(part) -> str:
    try:
        name = part.get_filename()
    except Exception:
        name = None
    return safe_filename(name or "")

