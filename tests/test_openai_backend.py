"""The OpenAI-compatible adapter against an httpx.MockTransport: formats, retries, timeouts, errors."""

from __future__ import annotations

import json

import httpx
import pytest

from replydraft import draft_reply
from replydraft.backends import ChatRequest, OpenAIBackend, resolve_backend
from replydraft.errors import BackendError, BackendTimeout, ConfigError

from .helpers import GOOD_DRAFT, GOOD_REWRITE, MAIL, analysis

SCHEMA = {"type": "object", "properties": {"questions": {"type": "array"}}}


def completion(content: str, prompt_tokens: int = 120, completion_tokens: int = 30, finish_reason: str = "stop") -> dict:
    return {
        "id": "chatcmpl-test", "object": "chat.completion", "created": 0, "model": "test-model",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": finish_reason}],
        "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens, "total_tokens": prompt_tokens + completion_tokens},
    }


class Server:
    """A scripted OpenAI-compatible server: each handler answers one request; requests are kept."""

    def __init__(self, *handlers):
        self.handlers = list(handlers)
        self.requests: list[dict] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(json.loads(request.content))
        handler = self.handlers.pop(0)
        return handler(request) if callable(handler) else handler


def backend(server: Server, **kwargs) -> OpenAIBackend:
    return OpenAIBackend(
        base_url="http://llm.test/v1", api_key="sk-test", model="test-model",
        http_client=httpx.Client(transport=httpx.MockTransport(server)), **kwargs,
    )


def request(schema=SCHEMA) -> ChatRequest:
    return ChatRequest(phase="analysis", messages=[{"role": "user", "content": "hoi"}], max_tokens=50, json_schema=schema)


def test_json_schema_mode_sends_a_json_schema_response_format():
    server = Server(httpx.Response(200, json=completion('{"questions": []}')))
    response = backend(server).complete(request())
    assert server.requests[0]["response_format"]["type"] == "json_schema"
    assert server.requests[0]["response_format"]["json_schema"]["schema"] == SCHEMA
    assert response.content == '{"questions": []}' and response.prompt_tokens == 120


def test_json_object_mode_sends_the_schema_inside_json_object():
    server = Server(httpx.Response(200, json=completion("{}")))
    backend(server, structured_output="json_object").complete(request())
    assert server.requests[0]["response_format"] == {"type": "json_object", "schema": SCHEMA}


def test_plain_calls_send_no_response_format():
    server = Server(httpx.Response(200, json=completion("Beste klant")))
    backend(server).complete(request(schema=None))
    assert "response_format" not in server.requests[0]


def test_a_500_is_retried_as_a_fault_and_never_switches_the_format():
    server = Server(httpx.Response(500, json={"error": {"message": "boom"}}), httpx.Response(200, json=completion("{}")))
    backend(server, max_retries=1).complete(request())
    assert len(server.requests) == 2
    assert all(r["response_format"]["type"] == "json_schema" for r in server.requests)


def test_persistent_500_becomes_a_backend_error():
    server = Server(*[httpx.Response(500, json={"error": {"message": "boom"}})] * 2)
    with pytest.raises(BackendError, match="HTTP 500"):
        backend(server, max_retries=1).complete(request())


def test_timeout_becomes_backend_timeout():
    def slow(request):
        raise httpx.ReadTimeout("timed out", request=request)

    with pytest.raises(BackendTimeout, match="did not answer in time"):
        backend(Server(slow), max_retries=0).complete(request())


def test_content_filter_is_a_readable_error():
    server = Server(httpx.Response(200, json=completion("", finish_reason="content_filter")))
    with pytest.raises(BackendError, match="content filter"):
        backend(server).complete(request())


def test_full_draft_over_http_and_usage_taken_from_the_server():
    server = Server(
        httpx.Response(200, json=completion(json.dumps(analysis()), 900, 200)),
        httpx.Response(200, json=completion(GOOD_DRAFT, 1000, 150)),
        httpx.Response(200, json=completion(GOOD_REWRITE, 700, 140)),
    )
    result = draft_reply(MAIL, backend=backend(server))
    assert result.status == "ready", result.checks.findings
    assert result.prompt_tokens == 2600 and result.completion_tokens == 490
    assert [r["messages"][0]["content"] for r in server.requests].count(server.requests[0]["messages"][0]["content"]) == 3


def test_timeout_during_a_draft_gives_an_error_result():
    def slow(request):
        raise httpx.ReadTimeout("timed out", request=request)

    result = draft_reply(MAIL, backend=backend(Server(slow), max_retries=0))
    assert result.status == "error" and "did not answer in time" in result.error


def test_environment_configures_the_backend_and_explicit_arguments_win(monkeypatch):
    monkeypatch.setenv("REPLYDRAFT_BASE_URL", "http://127.0.0.1:9999/v1")
    monkeypatch.setenv("REPLYDRAFT_MODEL", "env-model")
    monkeypatch.setenv("REPLYDRAFT_STRUCTURED_OUTPUT", "json_object")
    from_env = resolve_backend(None)
    assert isinstance(from_env, OpenAIBackend)
    assert from_env.model == "env-model" and from_env.structured_output == "json_object"
    explicit = OpenAIBackend(model="arg-model", structured_output="json_schema")
    assert explicit.model == "arg-model" and explicit.structured_output == "json_schema"


def test_unknown_structured_output_setting_is_refused(monkeypatch):
    monkeypatch.setenv("REPLYDRAFT_BASE_URL", "http://127.0.0.1:9999/v1")
    with pytest.raises(ConfigError, match="json_schema, json_object or none"):
        OpenAIBackend(structured_output="guess")
