"""LLM faults at the HTTP level, under the real openai client: what an agent sees for each.

    python benchmarks/fault_matrix.py

Each fault is a scripted OpenAI-compatible server behind httpx.MockTransport. The backend keeps the
SDK's bounded retries (max_retries=2: at most 3 attempts per call) and its backoff, shortened here to
10 ms so the table takes seconds; a server's short Retry-After is still honoured as sent. The
table shows the attempts at the faulty call, the DraftResult's status and the reason an agent reads.
tests/test_faults.py asserts the same matrix, for draft_reply and adraft_reply.
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
MAX_RETRIES = 2
RETRY_AFTER = 0.05  # seconds: small, so the suite stays fast, yet measurable


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


def reply(status: int, payload: dict | None = None, headers: dict | None = None, text: str | None = None) -> Callable[[httpx.Request], httpx.Response]:
    if text is not None:
        return lambda request: httpx.Response(status, text=text, headers=headers)
    return lambda request: httpx.Response(status, json=payload, headers=headers)


ERROR = {"error": {"message": "server trouble", "type": "server_error"}}
PROXY_PAGE = ("<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n"
              "<hr><center>nginx/1.25.3</center>\r\n</body>\r\n</html>\r\n")
AZURE_FILTER = {"error": {"code": "content_filter", "message": "The response was filtered due to the prompt triggering Azure "
                          "OpenAI's content management policy.", "type": None, "param": "prompt", "status": 400}}


@dataclass(frozen=True)
class Fault:
    name: str
    script: Callable[[], list[Callable[[httpx.Request], httpx.Response]]]  # the first requests' answers; then `good`
    status: str  # the DraftResult's status: "ok" (a draft) or "error"
    first_call_attempts: int  # HTTP requests for the first model call (retries of it repeat its exact body)
    reason: str  # in the agent's message ("" when the draft succeeds)


FAULTS = [
    Fault(f"429 with Retry-After: {RETRY_AFTER}, then OK", lambda: [reply(429, ERROR, {"retry-after": str(RETRY_AFTER)})], "ok", 2, ""),
    Fault("429 every time (Retry-After: 0)", lambda: [reply(429, ERROR, {"retry-after": "0"})] * 3, "error", 3, "rate-limiting us (429)"),
    Fault("429 with Retry-After: 3600", lambda: [reply(429, ERROR, {"retry-after": "3600"})], "error", 1,
          "rate-limiting us (429) and asks us to wait 60 minutes"),
    Fault("500, then OK", lambda: [reply(500, ERROR)], "ok", 2, ""),
    Fault("500 every time", lambda: [reply(500, ERROR)] * 3, "error", 3, "answered HTTP 500: server trouble (3 attempts)"),
    Fault("503, 503, then OK", lambda: [reply(503, ERROR)] * 2, "ok", 3, ""),
    Fault("503 every time", lambda: [reply(503, ERROR)] * 3, "error", 3, "answered HTTP 503: server trouble (3 attempts)"),
    Fault("502 from a proxy (HTML page) every time", lambda: [reply(502, text=PROXY_PAGE, headers={"content-type": "text/html"})] * 3,
          "error", 3, "answered HTTP 502: 502 Bad Gateway (3 attempts)"),
    Fault("read timeout, then OK", lambda: [raise_(httpx.ReadTimeout, "timed out")], "ok", 2, ""),
    Fault("read timeout every time", lambda: [raise_(httpx.ReadTimeout, "timed out")] * 3, "error", 3, "did not answer in time"),
    Fault("connect timeout, then OK", lambda: [raise_(httpx.ConnectTimeout, "connect timed out")], "ok", 2, ""),
    Fault("connect timeout every time", lambda: [raise_(httpx.ConnectTimeout, "connect timed out")] * 3, "error", 3, "did not answer in time"),
    Fault("connection reset, then OK", lambda: [raise_(httpx.RemoteProtocolError, "Server disconnected without sending a response.")],
          "ok", 2, ""),
    Fault("connection reset every time", lambda: [raise_(httpx.RemoteProtocolError, "Server disconnected without sending a response.")] * 3,
          "error", 3, "cannot reach the model server"),
    Fault("connection refused every time", lambda: [raise_(httpx.ConnectError, "[Errno 111] Connection refused")] * 3,
          "error", 3, "cannot reach the model server"),
    Fault("choices: [] (empty completion)", lambda: [reply(200, completion("", choices=False))], "error", 1, "returned no choices"),
    Fault("200 with a proxy's text page", lambda: [reply(200, text="upstream connect error or disconnect/reset before headers")],
          "error", 1, "not a chat completion"),
    Fault("200 with an error object", lambda: [reply(200, {"error": {"message": "model overloaded"}})], "error", 1,
          "answered with an error instead of a completion: model overloaded"),
    Fault("200 with a cut-off JSON body", lambda: [reply(200, text='{"id": "chatcmpl-fault", "choices": [{"message": {"content": "{\\"que',
                                                               headers={"content-type": "application/json"})],
          "error", 1, "not valid JSON"),
    Fault('content "" for the analysis twice', lambda: [reply(200, completion(""))] * 2, "error", 1, "not valid JSON twice"),
    Fault("truncated analysis JSON, then valid", lambda: [reply(200, completion('{"questions": [{"quote": "Wanneer', "length"))],
          "ok", 1, ""),
    Fault("invalid analysis JSON twice", lambda: [reply(200, completion("Sure! Here is the analysis."))] * 2, "error", 1,
          "not valid JSON twice"),
    Fault('content "" for the draft', lambda: [good, reply(200, completion(""))], "error", 1, "returned an empty draft"),
    Fault("content filter (finish_reason)", lambda: [reply(200, completion(None, "content_filter"))], "error", 1, "content filter"),
    Fault("content filter (Azure's 400)", lambda: [reply(400, AZURE_FILTER)], "error", 1, "content filter"),
]


class ScriptedServer:
    """Answers with the fault's script, then as a healthy server; every request body is kept."""

    def __init__(self, fault: Fault) -> None:
        self.script = fault.script()
        self.bodies: list[dict] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.bodies.append(json.loads(request.content))
        handler = self.script.pop(0) if self.script else good
        return handler(request)


def backend_for(server: Callable[[httpx.Request], httpx.Response], *, asynchronous: bool = False,
                max_retries: int = MAX_RETRIES) -> OpenAIBackend:
    transport = httpx.MockTransport(server)
    client = dict(async_http_client=httpx.AsyncClient(transport=transport)) if asynchronous else dict(http_client=httpx.Client(transport=transport))
    return OpenAIBackend(base_url="http://llm.test/v1", api_key="sk-test", model="fault-model", max_retries=max_retries, **client)


def shortened(original):
    """The SDK's retry delay with its backoff (0.5 s doubling, plus jitter) cut to 10 ms; a server's
    Retry-After of up to 1 s is kept, as the SDK honours it (the SDK waits up to 2 minutes; longer, it
    does not retry at all)."""

    def delay(self, remaining_retries, options, response_headers=None):
        retry_after = self._parse_retry_after_header(response_headers)
        if retry_after is not None and 0 < retry_after <= 1:
            return original(self, remaining_retries, options, response_headers)
        return 0.01

    return delay


def fast_backoff() -> None:
    import openai._base_client as base

    base.BaseClient._calculate_retry_timeout = shortened(base.BaseClient._calculate_retry_timeout)


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
    draft_reply(MAIL, backend=backend_for(good))  # warm-up: templates, tokenizer, checks
    print(f"max_retries={MAX_RETRIES}; the SDK's backoff shortened to 10 ms, a server's Retry-After up to 1 s kept\n")
    print("| fault | HTTP attempts (faulty call) | HTTP requests in all | result status | reason shown to the agent | seconds |")
    print("|---|---:|---:|---|---|---:|")
    for fault in FAULTS:
        server = ScriptedServer(fault)
        started = time.perf_counter()
        result = draft_reply(MAIL, backend=backend_for(server))
        seconds = time.perf_counter() - started
        reason = (result.error or "(a draft)").replace("|", "\\|")
        print(f"| {fault.name} | {first_call_attempts(server)} | {len(server.bodies)} | {result.status} | {reason} | {seconds:.2f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
