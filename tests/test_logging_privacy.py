"""No mail text in logs or in the reason an agent reads, whether the draft succeeds or fails.

The library has no debug switch that logs mail content, so every record at DEBUG (ours, the openai
SDK's, httpx's) is checked: none may carry the mail's words, its IBAN or its phone number.
"""

from __future__ import annotations

import asyncio
import json
import logging
import sys
from pathlib import Path

import httpx
import pytest

from replydraft import Email, FakeBackend, OpenAIBackend, draft_reply
from replydraft.backends.fake import plausible_reply
from replydraft.errors import BackendError
from replydraft.ingest import read_email
from replydraft.pipeline import adraft_reply

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from fault_matrix import shortened  # noqa: E402

SENTENCE = "De blauwe olifant van tante Gerda staat sinds dinsdag in mijn schuur."
IBAN = "NL91ABNA0417164300"
PHONE = "06 12345678"
SECRETS = (SENTENCE, "blauwe olifant", "tante Gerda", IBAN, "0417164300", PHONE, "12345678")
RAW = (
    "From: Gerda de Boer <gerda@example.nl>\nSubject: Terugbetaling\n\n"
    f"Goedemiddag,\n\n{SENTENCE} Wanneer krijg ik mijn geld terug op {IBAN}? Bel me gerust op {PHONE}.\n\n"
    "Groet,\nGerda"
)


@pytest.fixture(autouse=True)
def quick_backoff(monkeypatch):
    import openai._base_client as base

    monkeypatch.setattr(base.BaseClient, "_calculate_retry_timeout", shortened(base.BaseClient._calculate_retry_timeout))


@pytest.fixture
def mail() -> Email:
    return read_email(RAW.encode())


def assert_nothing_leaked(caplog, *results) -> None:
    logged = [record.getMessage() for record in caplog.records] + [caplog.text]
    for secret in SECRETS:
        assert not any(secret in line for line in logged), f"{secret!r} reached a log"
        for result in results:
            assert secret not in (result.error or ""), f"{secret!r} is in the agent's error reason"


def http_backend(handler, *, asynchronous: bool = False) -> OpenAIBackend:
    transport = httpx.MockTransport(handler)
    client = dict(async_http_client=httpx.AsyncClient(transport=transport)) if asynchronous else dict(http_client=httpx.Client(transport=transport))
    return OpenAIBackend(base_url="http://llm.test/v1", api_key="sk-test", model="m", max_retries=1, **client)


def test_a_successful_draft_logs_no_mail_text(caplog, mail):
    caplog.set_level(logging.DEBUG)  # the root logger: every library's records
    result = draft_reply(mail, backend=FakeBackend(default=plausible_reply))
    also = asyncio.run(adraft_reply(mail, backend=FakeBackend(default=plausible_reply)))
    assert result.status in ("ready", "needs_review") and also.status in ("ready", "needs_review")
    assert_nothing_leaked(caplog, result, also)


def test_failing_drafts_log_no_mail_text_and_their_reasons_quote_none(caplog, mail):
    caplog.set_level(logging.DEBUG)
    analysis_echoing_the_mail = f"Sure! The customer says: {SENTENCE} {IBAN} {PHONE}"
    results = [
        draft_reply(mail, backend=FakeBackend(default=BackendError("the model server at http://llm is rate-limiting us (429)"))),
        draft_reply(mail, backend=FakeBackend([analysis_echoing_the_mail, analysis_echoing_the_mail])),
        draft_reply(mail, backend=FakeBackend([{"questions": []}, ""])),
    ]
    assert [r.status for r in results] == ["error"] * 3
    assert_nothing_leaked(caplog, *results)


@pytest.mark.parametrize("asynchronous", [False, True], ids=["sync", "async"])
def test_the_openai_backend_logs_no_mail_text_at_debug_even_when_the_server_fails(caplog, mail, asynchronous):
    caplog.set_level(logging.DEBUG)
    seen = []

    def failing(request: httpx.Request) -> httpx.Response:
        seen.append(json.loads(request.content))
        return httpx.Response(500, json={"error": {"message": "internal error"}})

    def echoing(request: httpx.Request) -> httpx.Response:
        # A validator that repeats its input, as pydantic-based servers do in a 400.
        prompt = json.loads(request.content)["messages"][-1]["content"]
        start = prompt.index("De blauwe")
        return httpx.Response(400, json={"error": {"message": f"Input should be shorter [input_value='{prompt[start:start + 90]}']"}})

    def run(handler):
        backend = http_backend(handler, asynchronous=asynchronous)
        return asyncio.run(adraft_reply(mail, backend=backend)) if asynchronous else draft_reply(mail, backend=backend)

    results = [run(failing), run(echoing)]
    assert [r.status for r in results] == ["error", "error"]
    assert "answered HTTP 500: internal error" in results[0].error
    assert "HTTP 400" in results[1].error and "quotes our request" in results[1].error
    assert SENTENCE in seen[0]["messages"][-1]["content"], "the model did see the mail (so the check above means something)"
    assert any(r.name.startswith(("openai", "httpx")) for r in caplog.records), "the SDK's DEBUG records were captured"
    assert_nothing_leaked(caplog, *results)
