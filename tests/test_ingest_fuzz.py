"""Property-based fuzzing of ingest: any input is an Email or an InputError, never another exception.

Deterministic (derandomize) and quick: 200 examples per property, a few seconds for the file.
"""

from __future__ import annotations

import base64
import json
import quopri

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from replydraft.errors import InputError
from replydraft.ingest import read_email
from replydraft.types import Email

FUZZ = settings(max_examples=200, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])

words = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200)
dutchish = st.lists(st.sampled_from([
    "Beste", "klantenservice,", "Waar", "blijft", "mijn", "pakket?", "Groet,", "Op", "di 3 nov. 2026", "schreef",
    "Jan <jan@example.nl>:", ">", "-----Oorspronkelijk bericht-----", "Van:", "Verzonden:", "\n", "\n\n", "IBAN", "€", "49,95",
    "Verstuurd vanaf mijn iPhone", "=?utf-8?q?caf=C3=A9?=", "<p>", "</p>", "<br>", "&nbsp;", "<blockquote>", "</blockquote>",
    "Met vriendelijke groet,", "-- ", "Bedankt!", "- Jan", "P.S.", "\r\n", "\t", "\x0c", "\u200b", "\ufeff", "ï»¿",
]), max_size=60).map(" ".join)


def outcome(source, **kwargs) -> None:
    try:
        email = read_email(source, **kwargs)
    except InputError as exc:
        assert str(exc) and "Traceback" not in str(exc)
        return
    assert isinstance(email, Email)
    assert isinstance(email.body, str) and email.body.strip()
    assert all(isinstance(getattr(email, f), str) for f in ("subject", "history", "signature", "sender_name", "sender_address"))
    assert all(isinstance(a, str) for a in email.attachments)


kinds = st.sampled_from(["auto", "text", "eml", "json"])


@FUZZ
@given(st.one_of(words, dutchish), kinds)
def test_any_text(text, kind):
    outcome(text, kind=kind)


@FUZZ
@given(st.one_of(st.binary(max_size=2_000), st.tuples(st.sampled_from([b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff",
                                                                      b"\x00\x00\xfe\xff", b"\xd0\xcf\x11\xe0"]),
                                                     st.binary(max_size=500)).map(b"".join)), kinds)
def test_any_bytes(data, kind):
    outcome(data, kind=kind)


sender = st.one_of(st.text(max_size=40), st.fixed_dictionaries({}, optional={"name": st.text(max_size=30), "email": st.text(max_size=40)}))
json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
                           max_leaves=5)
dates = st.one_of(st.text(max_size=30), st.just("2026-11-03T10:00:00+01:00"), st.just("Tue, 3 Nov 2026 10:00:00 +0100"),
                  st.integers(), st.floats(), json_values)


@FUZZ
@given(st.fixed_dictionaries({}, optional={
    "subject": st.one_of(st.text(max_size=60), json_values),
    "body": st.one_of(dutchish, words, json_values),
    "from": st.one_of(sender, json_values),
    "received_at": dates,
    "thread": st.one_of(st.lists(st.one_of(st.fixed_dictionaries({"body": st.one_of(dutchish, json_values)},
                                                                  optional={"from": st.one_of(sender, json_values), "sent_at": dates}),
                                           dutchish, json_values), max_size=3), json_values),
    "attachments": st.one_of(st.lists(st.text(max_size=20), max_size=3), json_values),
}), st.dictionaries(st.text(max_size=10), json_values, max_size=1))
def test_helpdesk_json(data, extra):
    outcome(json.dumps(data).encode())
    outcome(json.dumps({**data, **extra}))  # an unknown key is an InputError that names it


header_names = st.sampled_from(["From", "To", "Subject", "Date", "Content-Type", "Content-Transfer-Encoding", "MIME-Version",
                                "Content-Disposition", "X-Odd", "Received"])
header_values = st.one_of(
    st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=60),
    st.sampled_from(['text/plain; charset="iso-8859-1"', "text/html; charset=windows-1252", "multipart/alternative; boundary=XYZ",
                     'text/plain; charset="x-unknown"', "base64", "quoted-printable", "8bit", "=?utf-8?b?w6nDqQ==?=",
                     "=?x-bogus?q?=FF=FE?=", "=?utf-8?b?!!!?=", "=?iso-2022-jp?b?GyRCJEgbKEI=?=", "Jan <jan@example.nl>",
                     '"Jansen, Jan" <jan@example.nl>, <@broken', "Tue, 3 Nov 2026 10:00:00 +0100", "Tue, 99 Nov 99999 99:99 +9999",
                     'attachment; filename="../../etc/passwd"', "message/rfc822", "multipart/mixed"]),
)


@FUZZ
@given(st.lists(st.tuples(header_names, header_values), min_size=1, max_size=8), st.one_of(dutchish, words),
       st.sampled_from(["utf-8", "latin-1", "cp1252"]))
def test_rfc822_mails(headers, body, charset):
    raw = "".join(f"{name}: {value}\r\n" for name, value in headers) + "\r\n" + body
    outcome(raw.encode(charset, errors="replace"))
    outcome(raw)  # the same mail as a str


CHARSETS = ["utf-8", "iso-8859-1", "windows-1252", "iso-8859-15", "utf-16", "utf-16-le", "utf-32", "koi8-r", "shift_jis",
            "iso-2022-jp", "gb2312", "big5", "utf-7", "x-unknown", "", "us-ascii"]
ENCODINGS = ["7bit", "8bit", "base64", "quoted-printable", "x-uuencode", "binary", "bogus"]
SUBTYPES = ["plain", "html"]


def encode(text: str, charset: str, encoding: str, *, truncate: int | None) -> bytes:
    try:
        data = text.encode(charset or "utf-8", errors="replace")
    except LookupError:
        data = text.encode("utf-8")
    if encoding == "base64":
        data = base64.encodebytes(data)
    elif encoding == "quoted-printable":
        data = quopri.encodestring(data)
    return data[:truncate] if truncate is not None else data


part = st.tuples(st.one_of(dutchish, words), st.sampled_from(CHARSETS), st.sampled_from(CHARSETS), st.sampled_from(ENCODINGS),
                 st.sampled_from(SUBTYPES), st.one_of(st.none(), st.integers(0, 200)))


def mime_part(text, written_in, labelled, encoding, subtype, truncate) -> bytes:
    """One text part: written in one charset, labelled (sometimes wrongly) as another, possibly cut off."""
    body = f"<p>{text}</p>" if subtype == "html" else text
    label = f'; charset="{labelled}"' if labelled else ""
    head = f"Content-Type: text/{subtype}{label}\r\nContent-Transfer-Encoding: {encoding}\r\n\r\n".encode()
    return head + encode(body, written_in, encoding, truncate=truncate)


@FUZZ
@given(st.lists(part, min_size=1, max_size=3), st.sampled_from(["single", "alternative", "mixed", "no-final-boundary", "no-boundary"]),
       st.one_of(st.none(), st.sampled_from(["invoice.pdf", "=?utf-8?q?f=C3=A9?=.txt", "", "a" * 300])),
       st.one_of(dutchish, header_values))
def test_mime_with_random_charsets_and_transfer_encodings(parts, shape, attachment, subject):
    top = f"From: Jan <jan@example.nl>\r\nSubject: {subject}\r\nMIME-Version: 1.0\r\n".encode("utf-8", "surrogatepass")
    if shape == "single":
        raw = top + mime_part(*parts[0])
    else:
        kind = "alternative" if shape == "alternative" else "mixed"
        boundary = "" if shape == "no-boundary" else "=_b"
        pieces = [b"--=_b\r\n" + mime_part(*p) + b"\r\n" for p in parts]
        if attachment is not None:
            pieces.append(f'--=_b\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename="{attachment}"\r\n'
                          "Content-Transfer-Encoding: base64\r\n\r\nAAEC\r\n".encode())
        end = b"" if shape == "no-final-boundary" else b"--=_b--\r\n"
        raw = top + f'Content-Type: multipart/{kind}; boundary="{boundary}"\r\n\r\n'.encode() + b"".join(pieces) + end
    outcome(raw)
    outcome(raw, kind="eml")
