"""A mail's text and header values to an `Email`: split, then language and register read from the new message."""

from __future__ import annotations

from datetime import datetime

from ..errors import InputError
from ..language import detect_language, detect_register
from ..types import Email
from .decode import reject_unreadable
from .headers import leading_headers, one_line, parse_address, parse_date
from .html import html_to_text, looks_html
from .split import split_mail


def assemble_email(
    text: str,
    *,
    what: str,
    subject: str = "",
    sender: tuple[str, str] = ("", ""),
    received_at: datetime | None = None,
    attachments: tuple[str, ...] = (),
    extra_history: str = "",
) -> Email:
    """Every kind of mail ends here. `what` names the text in error messages; `extra_history` is
    earlier messages that came apart from the text (a helpdesk thread)."""
    reject_unreadable(text, what)
    if looks_html(text):
        text = html_to_text(text)
    parts = split_mail(text, subject)
    forwarded = parts.forwarded_headers
    if forwarded:  # a forward with no comment: the forwarded mail is the customer's
        subject = forwarded.get("subject") or subject
        if forwarded.get("from"):
            sender = parse_address(forwarded["from"])
        received_at = parse_date(forwarded.get("date")) or received_at
    body, signature = parts.body, parts.signature
    if not body.strip():
        reason = "it has no text at all" if not text.strip() else "it has no new text above the quoted history or signature"
        raise InputError(f"the mail is empty (de e-mail is leeg): {what} has no new message; {reason}")
    language = detect_language(body)
    closing = "\n".join(signature.split("\n")[:2])
    register = detect_register(f"{body}\n{closing}" if closing else body, language)
    return Email(
        body=body,
        subject=one_line(subject),
        sender_name=one_line(sender[0]),
        sender_address=one_line(sender[1]),
        received_at=received_at,
        history=(parts.history + "\n\n" + extra_history).strip() if extra_history else parts.history,
        signature=signature,
        attachments=attachments,
        language=language,
        register=register,
    )


def email_from_text(text: str, what: str = "the text") -> Email:
    """A plain-text mail, with the header block pasted at its top if there is one."""
    headers, rest = leading_headers(text)
    return assemble_email(
        rest,
        what=what,
        subject=headers.get("subject", ""),
        sender=parse_address(headers.get("from", "")),
        received_at=parse_date(headers.get("date")),
    )
