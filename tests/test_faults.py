"""LLM faults at the HTTP level under the real openai client: bounded retries, then a readable error result.

The matrix lives in benchmarks/fault_matrix.py (which prints it); here every row is asserted, for the
sync and the async path, and a batch run is shown to keep every other item and everything written.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from pathlib import Path

import httpx
import pytest

from replydraft import draft_reply, load_policy
from replydraft.pipeline import adraft_reply

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from fault_matrix import FAULTS, MAIL, ScriptedServer, backend_for, fast_backoff, first_call_attempts  # noqa: E402


@pytest.fixture(autouse=True)
def quick_backoff(monkeypatch):
    import openai._base_client as base

    monkeypatch.setattr(base.BaseClient, "_calculate_retry_timeout", base.BaseClient._calculate_retry_timeout)
    fast_backoff()  # undone by monkeypatch after each test


@pytest.mark.parametrize("asynchronous", [False, True], ids=["sync", "async"])
@pytest.mark.parametrize("fault", FAULTS, ids=[f.name for f in FAULTS])
def test_each_fault_ends_in_a_draft_or_a_readable_error(fault, asynchronous):
    server = ScriptedServer(fault)
    backend = backend_for(server, asynchronous=asynchronous)
    started = time.perf_counter()
    result = asyncio.run(adraft_reply(MAIL, backend=backend)) if asynchronous else draft_reply(MAIL, backend=backend)
    seconds = time.perf_counter() - started

    assert first_call_attempts(server) == fault.first_call_attempts
    if fault.status == "ok":
        assert result.status in ("ready", "needs_review") and result.text
    else:
        assert result.status == "error" and result.text == ""
        assert fault.reason in result.error
        assert "Traceback" not in result.error and len(result.error) < 300
    # The structured-output mode is a setting: a retry after a 500 or 429 sends the same format.
    formats = {json.dumps(b.get("response_format"), sort_keys=True) for b in server.bodies[: fault.first_call_attempts]}
    assert len(formats) == 1
    if fault.name.startswith("429 with Retry-After: 1"):
        assert seconds >= 0.9, "the server's Retry-After was honoured"


def test_retries_are_bounded_by_the_setting():
    fault = next(f for f in FAULTS if f.name == "503 every time")
    for retries, attempts in ((0, 1), (1, 2), (2, 3)):
        server = ScriptedServer(fault)
        backend = backend_for(server)
        backend._client = backend._client.with_options(max_retries=retries)
        assert draft_reply(MAIL, backend=backend).status == "error"
        assert len(server.bodies) == attempts


def test_in_a_batch_run_a_failing_item_is_isolated_and_finished_work_is_kept(tmp_path):
    from replydraft.evaluation.runner import run_eval

    from .test_eval_runner import make_items

    items = make_items(5)
    poisoned = items[2][1].mail.body.splitlines()[2]

    def handler(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        if any(poisoned in m["content"] for m in body["messages"]):
            return httpx.Response(503, json={"error": {"message": "down"}})
        wants_json = "response_format" in body
        from fault_matrix import ANALYSIS, DRAFT, completion
        return httpx.Response(200, json=completion(json.dumps(ANALYSIS) if wants_json else DRAFT))

    from replydraft import OpenAIBackend

    backend = OpenAIBackend(base_url="http://llm.test/v1", api_key="sk-test", model="fault-model", max_retries=1,
                            async_http_client=httpx.AsyncClient(transport=httpx.MockTransport(handler)))
    out = tmp_path / "run"
    records = asyncio.run(run_eval(items, backend=backend, policy=load_policy("default"), out=out, concurrency=2, backoff=0.0))
    by_id = {r["id"]: r for r in records}
    assert by_id[items[2][1].id]["status"] == "error" and "503" in by_id[items[2][1].id]["error"]
    assert all(by_id[item.id]["status"] != "error" for _, item in items if item.id != items[2][1].id)
    written = [json.loads(line) for line in (out / "results.jsonl").read_text().splitlines()]
    assert sorted(r["id"] for r in written) == sorted(item.id for _, item in items)
    before = {r["id"]: r for r in written if r["status"] != "error"}

    # Run again: only the failed item is tried; everything already written stays as it was.
    asyncio.run(run_eval(items, backend=backend, policy=load_policy("default"), out=out, concurrency=2, backoff=0.0))
    after = {json.loads(line)["id"]: json.loads(line) for line in (out / "results.jsonl").read_text().splitlines()}
    assert all(after[i] == record for i, record in before.items())
