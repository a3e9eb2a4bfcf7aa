"""LLM faults at the HTTP level, under the real openai client: what an agent sees for each.

    python benchmarks/fault_matrix.py

Each fault is a scripted OpenAI-compatible server behind httpx.MockTransport. The backend keeps the
SDK's bounded retries (max_retries=2: at most 3 attempts per call) and backoff; the table shows the
attempts, the DraftResult's status and the reason an agent reads. tests/test_faults.py asserts the same matrix.
"""

from __future__ import annotations

import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from replydraft import Email, OpenAIBackend, draft_reply  # noqa: E402

MAIL = Email(
    subject="Waar blijft mijn pakket?",
    body="Goedemiddag,\n\nIk heb op 3 november besteld, bestelnummer 4471829. Wanneer wordt mijn pakket bezorgd?\n\nGroet,\nMarieke",
    sender_name="Marieke de Vries", language="nl", register="u",
)
ANALYSIS = {"questions": [{"quote": "Wanneer wordt mijn pakket bezorgd?", "kind": "question", "topic": "levering"}],
            "facts_given": [{"kind": "bestelnummer", "value": "4471829"}]}
DRAFT = "Beste Marieke de Vries,\n\nUw pakket wordt morgen voor 12.00 uur bezorgd. Dat is later dan beloofd, sorry."


def completion(content: str | None, finish_reason: str = "stop", choices: bool = True) -> dict:
    return {
        "id": "chatcmpl-fault", "object": "chat.completion", "created": 0, "model": "fault-model",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": finish_reason}] if choices else [],
        "usage": {"prompt_tokens": 100, "completion_tokens": 20, "total_tokens": 120},
    }


def good(request: httpx.Request) -> httpx.Response:
    """A healthy server: the analysis as JSON, then the draft for every text phase."""
    body = json.loads(request.content)
    wants_json = "response_format" in body
    return httpx.Response(200, json=completion(json.dumps(ANALYSIS) if wants_json else DRAFT))


def raise_(exc: type[Exception], message: str) -> Callable[[httpx.Request], httpx.Response]:
    def handler(request: httpx.Request) -> httpx.Response:
        raise exc(message, request=request)
    return handler


def reply(status: int, payload: dict, headers: dict | None = None) -> Callable[[httpx.Request], httpx.Response]:
    return lambda request: httpx.Response(status, json=payload, headers=headers)


ERROR = {"error": {"message": "server trouble", "type": "server_error"}}


@dataclass(frozen=True)
class Fault:
    name: str
    script: Callable[[], list[Callable[[httpx.Request], httpx.Response]]]  # the first requests' answers; then `good`
    status: str  # the DraftResult's status
    first_call_attempts: int  # HTTP requests for the first model call
    reason: str  # in the agent's message ("" when the draft succeeds)


FAULTS = [
    Fault("429 with Retry-After: 1, then OK", lambda: [reply(429, ERROR, {"retry-after": "1"})], "ok", 2, ""),
    Fault("429 every time", lambda: [reply(429, ERROR, {"retry-after": "0"})] * 3, "error", 3, "rate-limiting us (429)"),
    Fault("500, then OK", lambda: [reply(500, ERROR)], "ok", 2, ""),
    Fault("503 every time", lambda: [reply(503, ERROR)] * 3, "error", 3, "answered HTTP 503"),
    Fault("read timeout every time", lambda: [raise_(httpx.ReadTimeout, "timed out")] * 3, "error", 3, "did not answer in time"),
    Fault("connect timeout, then OK", lambda: [raise_(httpx.ConnectTimeout, "connect timed out")], "ok", 2, ""),
    Fault("connection reset every time", lambda: [raise_(httpx.RemoteProtocolError, "Server disconnected without sending a response.")] * 3,
          "error", 3, "cannot reach the model server"),
    Fault("connection refused every time", lambda: [raise_(httpx.ConnectError, "[Errno 111] Connection refused")] * 3,
          "error", 3, "cannot reach the model server"),
    Fault("no choices in the completion", lambda: [reply(200, completion("", choices=False))], "error", 1, "returned no choices"),
    Fault("empty analysis twice", lambda: [reply(200, completion(""))] * 2, "error", 1, "not valid JSON twice"),
    Fault("truncated JSON, then valid", lambda: [reply(200, completion('{"questions": [{"quote": "Wanneer', "length"))], "ok", 1, ""),
    Fault("invalid JSON twice", lambda: [reply(200, completion("Sure! Here is the analysis."))] * 2, "error", 1, "not valid JSON twice"),
    Fault("empty draft", lambda: [good, reply(200, completion(""))], "error", 1, "returned an empty draft"),
    Fault("content filter (finish_reason)", lambda: [reply(200, completion(None, "content_filter"))], "error", 1, "content filter"),
    Fault("content filter (Azure 400)", lambda: [reply(400, {"error": {"code": "content_filter", "message": "The response was filtered",
                                                                       "type": None, "param": "prompt"}})],
          "error", 1, "content filter"),
]


class ScriptedServer:
    def __init__(self, fault: Fault) -> None:
        self.script = fault.script()
        self.bodies: list[dict] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.bodies.append(json.loads(request.content))
        handler = self.script.pop(0) if self.script else good
        return handler(request)


def backend_for(server: ScriptedServer, *, asynchronous: bool = False) -> OpenAIBackend:
    transport = httpx.MockTransport(server)
    client = dict(async_http_client=httpx.AsyncClient(transport=transport)) if asynchronous else dict(http_client=httpx.Client(transport=transport))
    return OpenAIBackend(base_url="http://llm.test/v1", api_key="sk-test", model="fault-model", max_retries=2, **client)


def fast_backoff() -> None:
    """The SDK's own backoff (0.5 s doubling) shortened to 10 ms, except where the server sent Retry-After."""
    import openai._base_client as base

    original = base.BaseClient._calculate_retry_timeout

    def shortened(self, remaining_retries, options, response_headers):
        if response_headers is not None and ("retry-after" in response_headers or "retry-after-ms" in response_headers):
            return original(self, remaining_retries, options, response_headers)
        return 0.01

    base.BaseClient._calculate_retry_timeout = shortened


def first_call_attempts(server: ScriptedServer) -> int:
    """Requests until the first model call ended: retries of one call repeat its exact body."""
    first = server.bodies[0]
    count = 0
    for body in server.bodies:
        if body != first:
            break
        count += 1
    return count


def main() -> int:
    fast_backoff()
    print("| fault | HTTP attempts (first call) | DraftResult status | what the agent reads | seconds |")
    print("|---|---:|---|---|---:|")
    for fault in FAULTS:
        server = ScriptedServer(fault)
        started = time.perf_counter()
        result = draft_reply(MAIL, backend=backend_for(server))
        seconds = time.perf_counter() - started
        print(f"| {fault.name} | {first_call_attempts(server)} | {result.status} | {result.error or '(a draft)'} | {seconds:.2f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
