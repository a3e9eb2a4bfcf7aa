"""Property-based fuzzing of ingest: any input is an Email or an InputError, never another exception."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from replydraft.errors import InputError
from replydraft.ingest import read_email
from replydraft.types import Email

FUZZ = settings(max_examples=150, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])

words = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200)
dutchish = st.lists(st.sampled_from([
    "Beste", "klantenservice,", "Waar", "blijft", "mijn", "pakket?", "Groet,", "Op", "di 3 nov. 2026", "schreef",
    "Jan <jan@example.nl>:", ">", "-----Oorspronkelijk bericht-----", "Van:", "Verzonden:", "\n", "\n\n", "IBAN", "€", "49,95",
    "Verstuurd vanaf mijn iPhone", "=?utf-8?q?caf=C3=A9?=", "<p>", "</p>", "<br>", "&nbsp;",
]), max_size=60).map(" ".join)


def outcome(source) -> None:
    try:
        email = read_email(source)
    except InputError as exc:
        assert str(exc)
        return
    assert isinstance(email, Email)
    assert isinstance(email.body, str) and email.body.strip()
    assert all(isinstance(getattr(email, f), str) for f in ("subject", "history", "signature", "sender_name", "sender_address"))


@FUZZ
@given(st.one_of(words, dutchish))
def test_any_text(text):
    outcome(text)


@FUZZ
@given(st.binary(max_size=2_000))
def test_any_bytes(data):
    outcome(data)


sender = st.one_of(st.text(max_size=40), st.fixed_dictionaries({}, optional={"name": st.text(max_size=30), "email": st.text(max_size=40)}))
json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=30), lambda inner: st.lists(inner, max_size=3), max_leaves=5)


@FUZZ
@given(st.fixed_dictionaries({}, optional={
    "subject": st.one_of(st.text(max_size=60), json_values),
    "body": st.one_of(dutchish, words, json_values),
    "from": st.one_of(sender, json_values),
    "received_at": st.one_of(st.text(max_size=30), st.just("2026-11-03T10:00:00+01:00"), json_values),
    "thread": st.one_of(st.lists(st.fixed_dictionaries({"body": dutchish}, optional={"from": sender, "sent_at": st.text(max_size=20)}), max_size=3), json_values),
    "attachments": st.one_of(st.lists(st.text(max_size=20), max_size=3), json_values),
}))
def test_helpdesk_json(data):
    outcome(json.dumps(data).encode())


header_names = st.sampled_from(["From", "To", "Subject", "Date", "Content-Type", "Content-Transfer-Encoding", "MIME-Version", "X-Odd"])
header_values = st.one_of(
    st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=60),
    st.sampled_from(['text/plain; charset="iso-8859-1"', "text/html; charset=windows-1252", "multipart/alternative; boundary=XYZ",
                     'text/plain; charset="x-unknown"', "base64", "quoted-printable", "8bit", "=?utf-8?b?w6nDqQ==?=",
                     "Jan <jan@example.nl>", "Tue, 3 Nov 2026 10:00:00 +0100"]),
)


@FUZZ
@given(st.lists(st.tuples(header_names, header_values), min_size=1, max_size=8), st.one_of(dutchish, words),
       st.sampled_from(["utf-8", "latin-1", "cp1252"]))
def test_rfc822_mails(headers, body, charset):
    raw = "".join(f"{name}: {value}\r\n" for name, value in headers) + "\r\n" + body
    outcome(raw.encode(charset, errors="replace"))
