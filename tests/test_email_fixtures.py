"""Real-world mails (malformed MIME, odd charsets, HTML-only, bounces, Dutch clients) through ingest and drafting.

Every fixture in ../shared/data/email-fixtures must end as a draft or, when it truly has no readable new
text, as an InputError that says so; never as any other exception.
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


@pytest.mark.skipif(not FILES, reason=f"no e-mail fixtures at {FIXTURES}")
@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(FIXTURES)) for p in FILES])
def test_every_fixture_is_drafted_or_refused_with_a_reason(path):
    started = time.perf_counter()
    try:
        email = read_email(path)
    except InputError as exc:
        message = str(exc)
        assert message and "Traceback" not in message
        assert "empty" in message or "binary" in message or "cannot" in message, message
        return
    assert time.perf_counter() - started < 5, "ingest of one mail must not take seconds"
    assert email.body.strip()
    result = draft_reply(email, backend=FakeBackend(default=plausible_reply))
    assert result.status in ("ready", "needs_review"), result.error
    assert result.text.strip()


def test_the_fixture_set_is_mostly_readable():
    if not FILES:
        pytest.skip(f"no e-mail fixtures at {FIXTURES}")
    refused = []
    for path in FILES:
        try:
            read_email(path)
        except InputError:
            refused.append(path.name)
    # Refusals are for mails with no text part at all (an empty file, S/MIME with a non-text part, bounces).
    assert len(refused) <= 0.1 * len(FILES), refused


def test_a_huge_html_mail_is_read_and_drafted_quickly():
    row = "<tr><td>Bestelling 4471829</td><td>€ 49,95</td><td>verzonden</td></tr>"
    html = f"<html><body><p>Waar blijft mijn pakket?</p><table>{row * 40_000}</table></body></html>"
    started = time.perf_counter()
    email = read_email(html.encode("utf-8"))
    assert time.perf_counter() - started < 10
    assert email.body.startswith("Waar blijft mijn pakket?")
    fake = FakeBackend(default=plausible_reply)
    result = draft_reply(email, backend=fake)
    assert result.status in ("ready", "needs_review")
    assert time.perf_counter() - started < 30
    assert max(c.prompt_tokens for c in result.calls) <= 6000 + 900  # the policy's input budget (+ the reply it quotes)
    assert any("input budget" in n for n in result.notes)
