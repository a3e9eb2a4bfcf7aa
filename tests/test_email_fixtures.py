"""Real-world mails (malformed MIME, odd charsets, HTML-only, bounces, S/MIME, Dutch clients) through ingest and drafting.

Every file under ../shared/data/email-fixtures (flanker and talon: Apache-2.0; mail-parser-reply: MIT;
licences beside the files) ends as a draft or, when it truly has no readable new text, as an
InputError that says so; never as any other exception.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from replydraft import FakeBackend, draft_reply
from replydraft.backends.fake import plausible_reply
from replydraft.errors import InputError
from replydraft.ingest import read_email

FIXTURES = Path(__file__).resolve().parents[2] / "shared" / "data" / "email-fixtures"
FILES = sorted(p for p in FIXTURES.rglob("*") if p.is_file() and not p.name.upper().startswith(("LICENSE", "README", "NOTICE", "COPYING"))) \
    if FIXTURES.is_dir() else []
needs_fixtures = pytest.mark.skipif(not FILES, reason=f"the e-mail fixtures are not checked out at {FIXTURES}")

# The only fixtures with no readable new text, and why: each must be refused with "empty".
NO_TEXT = {
    "flanker/messages_big.eml": "a 0-byte file",
    "flanker/messages_false-multipart.eml": "multipart headers over an empty body",
    "flanker/bounce_delayed-broken.eml": "a delivery-status report whose text parts are empty",
}
# Mails that once came out empty although a mail program shows their text.
SALVAGED = {
    "flanker/messages_signed.eml": "a pöstal sign of our times",  # S/MIME with the text in an application/plain part
    "flanker/messages_outlook-express.eml": "текстовое вложение",  # the whole mail is one base64 .txt attachment
    "flanker/messages_mailformed-headers.eml": "Hello",  # the first boundary is broken; the text is still there
}


def name(path: Path) -> str:
    return path.relative_to(FIXTURES).as_posix()


@needs_fixtures
@pytest.mark.parametrize("path", FILES, ids=[name(p) for p in FILES])
def test_every_fixture_is_drafted_or_refused_with_a_reason(path):
    started = time.perf_counter()
    try:
        email = read_email(path)
    except InputError as exc:
        message = str(exc)
        assert name(path) in NO_TEXT, f"refused although it has text: {message}"
        assert message and "Traceback" not in message and "empty" in message
        return
    # Generous for a busy 2-core CI machine; the regressions this guards against took minutes.
    assert time.perf_counter() - started < 30, "ingest of one mail must not take minutes"
    assert name(path) not in NO_TEXT
    assert isinstance(email.body, str) and email.body.strip()
    if name(path) in SALVAGED:
        assert email.body.strip() == SALVAGED[name(path)]
    result = draft_reply(email, backend=FakeBackend(default=plausible_reply))
    assert result.status in ("ready", "needs_review"), result.error
    assert result.text.strip()


@needs_fixtures
def test_the_fixture_set_is_all_there():
    kinds = {p.relative_to(FIXTURES).parts[0] for p in FILES}
    assert {"flanker", "talon", "mail-parser-reply-nl"} <= kinds and len(FILES) >= 70
    assert all((FIXTURES / n).is_file() for n in (*NO_TEXT, *SALVAGED))


def test_a_huge_html_mail_is_read_and_drafted_quickly():
    # Regression: signature detection looked at every later line from every line (a 2.8 MB table: 155 s).
    row = "<tr><td>Bestelling 4471829</td><td>€ 49,95</td><td>verzonden</td></tr>"
    html = f"<html><body><p>Waar blijft mijn pakket?</p><table>{row * 40_000}</table></body></html>"
    started = time.perf_counter()
    email = read_email(html.encode("utf-8"))
    assert time.perf_counter() - started < 60  # was 155 s; generous for a busy machine
    assert email.body.startswith("Waar blijft mijn pakket?")
    fake = FakeBackend(default=plausible_reply)
    result = draft_reply(email, backend=fake)
    assert result.status in ("ready", "needs_review")
    assert time.perf_counter() - started < 120
    assert max(c.prompt_tokens for c in result.calls) <= 6000 + 900  # the policy's input budget (+ the reply it quotes)
    assert any("input budget" in n for n in result.notes)


@pytest.mark.parametrize("padding", [
    "\n" * 200_000,  # blank lines
    "\t \r\n" * 200_000,  # whitespace-only lines, CRLF
    " " * 500_000 + "x",  # one long run of spaces inside a line
    "\u00a0\u2028" * 200_000 + "x",
], ids=["blank lines", "whitespace lines", "spaces in a line", "unicode spaces"])
def test_long_whitespace_is_read_in_linear_time(padding):
    # Regression: mail-parser-reply's `\s*^` backtracked over whitespace runs (8,000 blank lines: 4 s; 200,000: minutes).
    started = time.perf_counter()
    email = read_email(f"Waar blijft mijn pakket?{padding}\n\nGroet,\nMarieke")
    assert time.perf_counter() - started < 30  # the regression took minutes; generous for a busy machine
    assert email.body.startswith("Waar blijft mijn pakket?")
