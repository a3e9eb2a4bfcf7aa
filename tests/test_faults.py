"""LLM faults at the HTTP level under the real openai client: bounded retries, then a readable error result.

The matrix lives in benchmarks/fault_matrix.py (which prints it); here every row is asserted, for the
sync and the async path, plus the streaming path the service uses, the exact retry bound, and a batch
run that keeps every other item and every line already written.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from pathlib import Path

import httpx
import pytest

from replydraft import OpenAIBackend, draft_reply, load_policy
from replydraft.pipeline import adraft_reply

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from fault_matrix import (  # noqa: E402
    ANALYSIS, DRAFT, ERROR, FAULTS, MAIL, RETRY_AFTER, ScriptedServer, backend_for, completion, first_call_attempts, good, raise_,
    reply, shortened,
)


@pytest.fixture(autouse=True)
def quick_backoff(monkeypatch):
    """The SDK's own retry loop, with its 0.5 s-doubling backoff cut to 10 ms (a short Retry-After is kept)."""
    import openai._base_client as base

    monkeypatch.setattr(base.BaseClient, "_calculate_retry_timeout", shortened(base.BaseClient._calculate_retry_timeout))


def run(backend, asynchronous: bool, **kwargs):
    return asyncio.run(adraft_reply(MAIL, backend=backend, **kwargs)) if asynchronous else draft_reply(MAIL, backend=backend, **kwargs)


def assert_readable_error(result, reason: str) -> None:
    assert result.status == "error" and result.text == ""
    assert reason in result.error, result.error
    assert "Traceback" not in result.error and "\n" not in result.error and len(result.error) < 300


@pytest.mark.parametrize("asynchronous", [False, True], ids=["sync", "async"])
@pytest.mark.parametrize("fault", FAULTS, ids=[f.name for f in FAULTS])
def test_each_fault_ends_in_a_draft_or_a_readable_error(fault, asynchronous):
    server = ScriptedServer(fault)
    started = time.perf_counter()
    result = run(backend_for(server, asynchronous=asynchronous), asynchronous)  # never raises
    seconds = time.perf_counter() - started

    assert first_call_attempts(server) == fault.first_call_attempts
    if fault.status == "ok":
        assert result.status in ("ready", "needs_review") and result.text and result.error is None
    else:
        assert_readable_error(result, fault.reason)
    # The structured-output mode is a setting: no retry, re-ask or 500 ever changes what is sent.
    formats = {json.dumps(b["response_format"], sort_keys=True) for b in server.bodies if "response_format" in b}
    assert len(formats) == 1 and json.loads(formats.pop())["type"] == "json_schema"
    if "Retry-After: 0.05" in fault.name:
        assert seconds >= RETRY_AFTER, "the server's Retry-After was honoured"


RETRIED = {
    "429": lambda: reply(429, ERROR, {"retry-after": "0"}),
    "500": lambda: reply(500, ERROR),
    "503": lambda: reply(503, ERROR),
    "read timeout": lambda: raise_(httpx.ReadTimeout, "timed out"),
    "connect timeout": lambda: raise_(httpx.ConnectTimeout, "timed out"),
    "connection reset": lambda: raise_(httpx.RemoteProtocolError, "Server disconnected without sending a response."),
    "connection refused": lambda: raise_(httpx.ConnectError, "[Errno 111] Connection refused"),
}


@pytest.mark.parametrize("kind", RETRIED)
@pytest.mark.parametrize("max_retries", [0, 1, 2])
def test_the_sdk_retries_each_transient_fault_exactly_max_retries_times(kind, max_retries):
    requests: list[httpx.Request] = []

    def always_failing(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        return RETRIED[kind]()(request)

    result = draft_reply(MAIL, backend=backend_for(always_failing, max_retries=max_retries))
    assert result.status == "error"
    assert len(requests) == max_retries + 1
    assert len({r.content for r in requests}) == 1, "a retry sends the same request, response_format included"


def test_a_client_error_is_not_retried():
    requests = []

    def refusing(request):
        requests.append(request)
        return httpx.Response(400, json={"error": {"message": "This model's maximum context length is 8192 tokens.",
                                                   "code": "context_length_exceeded"}})

    result = draft_reply(MAIL, backend=backend_for(refusing))
    assert_readable_error(result, "refused the request with HTTP 400: This model's maximum context length is 8192 tokens.")
    assert len(requests) == 1


# --- the streaming path (adraft_reply with on_progress, as the service calls it) ----------------


def sse(text: str, request: httpx.Request, *, break_after: int | None = None) -> httpx.Response:
    pieces = [text[i:i + 16] for i in range(0, len(text), 16)]

    async def events():
        for n, piece in enumerate(pieces):
            if n == break_after:
                raise httpx.RemoteProtocolError("peer closed connection without sending complete message body", request=request)
            chunk = {"id": "c", "object": "chat.completion.chunk", "created": 0, "model": "fault-model",
                     "choices": [{"index": 0, "delta": {"content": piece}, "finish_reason": None}]}
            yield f"data: {json.dumps(chunk)}\n\n".encode()
        yield b"data: [DONE]\n\n"

    return httpx.Response(200, headers={"content-type": "text/event-stream"}, content=events())


@pytest.mark.parametrize("fault", ["healthy", "503 every time", "broken off mid-stream", "read timeout every time"])
def test_the_streaming_path_ends_in_a_draft_or_a_readable_error(fault):
    requests = []

    def server(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        requests.append(body)
        if not body.get("stream"):
            return good(request)
        if fault == "503 every time":
            return httpx.Response(503, json=ERROR)
        if fault == "read timeout every time":
            raise httpx.ReadTimeout("timed out", request=request)
        return sse(DRAFT, request, break_after=2 if fault == "broken off mid-stream" else None)

    previews = []

    async def on_progress(event, data):
        previews.append(event)

    result = run(backend_for(server, asynchronous=True), True, on_progress=on_progress)
    streamed = [r for r in requests if r.get("stream")]
    if fault == "healthy":
        assert result.status in ("ready", "needs_review") and "morgen voor 12.00 uur" in result.text
        assert "preview" in previews
    elif fault == "broken off mid-stream":
        assert_readable_error(result, "broke off the reply while streaming it (32 characters in)")
        assert len(streamed) == 1, "a stream that has started is not retried"
    else:
        assert_readable_error(result, "answered HTTP 503" if fault.startswith("503") else "did not answer in time")
        assert len(streamed) == 3, "a stream that never started is retried like any call"


# --- a batch run ----------------------------------------------------------------------------------


def test_in_a_batch_run_a_failing_item_is_isolated_and_finished_work_is_kept(tmp_path):
    from replydraft.evaluation.runner import run_eval

    from .test_eval_runner import make_items

    items = make_items(5)
    failing = items[2][1]
    marker = failing.mail.body.splitlines()[2]
    out = tmp_path / "run"
    results = out / "results.jsonl"
    written_before_the_failure: list[str] = []
    failing_requests = []

    def server(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        if any(marker in m["content"] for m in body["messages"]):
            if not failing_requests:
                written_before_the_failure.extend(results.read_text(encoding="utf-8").splitlines() if results.exists() else [])
            failing_requests.append(body)
            return httpx.Response(500, json={"error": {"message": "internal error"}})
        wants_json = "response_format" in body
        return httpx.Response(200, json=completion(json.dumps(ANALYSIS) if wants_json else DRAFT))

    backend = OpenAIBackend(base_url="http://llm.test/v1", api_key="sk-test", model="fault-model", max_retries=1,
                            async_http_client=httpx.AsyncClient(transport=httpx.MockTransport(server)))
    records = asyncio.run(run_eval(items, backend=backend, policy=load_policy("default"), out=out, concurrency=2, backoff=0.0))

    by_id = {r["id"]: r for r in records}
    assert by_id[failing.id]["status"] == "error"
    assert "answered HTTP 500: internal error" in by_id[failing.id]["error"]
    assert by_id[failing.id]["attempts"] == 2 and len(failing_requests) == 2 * 2  # run_eval's retry x the SDK's
    assert all(by_id[item.id]["status"] in ("ready", "needs_review") for _, item in items if item.id != failing.id)
    assert {r["id"] for r in records} == {item.id for _, item in items}

    # Every line written before the failure is in the final (compacted) file, byte for byte.
    assert written_before_the_failure, "some items finished before the failing one started"
    final = results.read_text(encoding="utf-8").splitlines()
    assert all(line in final for line in written_before_the_failure)

    # A second run tries only the failed item; everything already written stays as it was.
    failing_requests.clear()
    asyncio.run(run_eval(items, backend=backend, policy=load_policy("default"), out=out, concurrency=2, backoff=0.0))
    again = results.read_text(encoding="utf-8").splitlines()
    assert [line for line in again if json.loads(line)["id"] != failing.id] == [line for line in final if json.loads(line)["id"] != failing.id]
    assert len(failing_requests) == 4
