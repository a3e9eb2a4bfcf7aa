"""The HTTP service: contracts, auth, limits, streaming, errors, and what never reaches a log or a client."""

from __future__ import annotations

import asyncio
import json
import logging

import httpx
import pytest

pytest.importorskip("fastapi")

from fastapi.testclient import TestClient  # noqa: E402

from replydraft import FakeBackend  # noqa: E402
from replydraft.service import create_app  # noqa: E402

from .helpers import analysis  # noqa: E402

TOKEN = "test-token-123"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
MAIL = {
    "subject": "Terugbetaling",
    "from": {"name": "Kees Jansen", "email": "kees@example.nl"},
    "body": "Goedemiddag,\n\nWanneer krijg ik mijn geld terug op NL91ABNA0417164300?\n\nGroet,\nKees",
}
DRAFT = "Beste Kees Jansen,\n\nWe storten het geld morgen voor 12.00 uur terug op [IBAN_1]. Dat is onze fout, sorry."
CONDITIONAL = "Beste Kees Jansen,\n\nAls u een review schrijft, dan krijgt u 10% korting. We storten het geld morgen terug."


def fake_reply(draft: str = DRAFT):
    def reply(request):
        if request.phase.startswith("analysis"):
            return analysis(questions=[{"quote": "Wanneer krijg ik mijn geld terug op [IBAN_1]?"}], facts_given=[],
                            our_mistake=False, broken_promise=False)
        return draft
    return reply


def client(base_url: str = "http://testserver", **kwargs) -> TestClient:
    kwargs.setdefault("backend", FakeBackend(default=fake_reply()))
    kwargs.setdefault("tokens", [TOKEN])
    return TestClient(create_app(**kwargs), base_url=base_url, raise_server_exceptions=False)


def events(text: str) -> list[tuple[str, dict]]:
    parsed = []
    for block in text.strip().split("\n\n"):
        lines = dict(line.split(": ", 1) for line in block.splitlines())
        parsed.append((lines["event"], json.loads(lines["data"])))
    return parsed


def test_a_draft_comes_back_as_a_checked_draft_result_with_the_data_restored():
    response = client().post("/v1/drafts", json={"mail": MAIL}, headers=AUTH)
    assert response.status_code == 200
    result = response.json()
    assert result["status"] in ("ready", "needs_review")
    assert "NL91ABNA0417164300" in result["text"] and "[IBAN_1]" not in result["text"]
    assert result["analysis"]["questions"][0]["quote"] == "Wanneer krijg ik mijn geld terug op NL91ABNA0417164300?"


def test_plain_text_mails_and_a_named_policy_are_accepted():
    response = client().post("/v1/drafts", json={"mail": MAIL["body"], "policy": "energie", "note": "al terugbetaald"}, headers=AUTH)
    assert response.status_code == 200, response.text


@pytest.mark.parametrize("headers", [
    {}, {"Authorization": "Bearer wrong"}, {"Authorization": TOKEN}, {"Authorization": "Bearer "},
    {"Authorization": "Bearer t\u00f6ken".encode()},  # not ASCII: compare_digest on str would raise
])
def test_a_missing_or_wrong_token_is_a_json_401(headers):
    response = client(tokens=[TOKEN, "", "  "]).post("/v1/drafts", json={"mail": MAIL}, headers=headers)
    assert response.status_code == 401
    assert response.json()["error"] == "unauthorized" and response.headers["www-authenticate"] == "Bearer"


def test_without_tokens_the_app_refuses_to_start_unless_auth_is_off():
    from replydraft.errors import UsageError

    with pytest.raises(UsageError, match="REPLYDRAFT_API_TOKENS"):
        create_app(backend=FakeBackend(), tokens=[])
    assert client(tokens=None, auth=False, base_url="http://127.0.0.1:8080").post("/v1/drafts", json={"mail": MAIL}).status_code == 200


def test_a_body_over_the_limit_is_413_also_when_it_comes_chunked_without_a_length():
    response = client(max_body_bytes=2_000).post("/v1/drafts", json={"mail": "x" * 5_000}, headers=AUTH)
    assert response.status_code == 413 and response.json()["error"] == "too_large"

    backend = FakeBackend(default=fake_reply())
    app = create_app(backend=backend, tokens=[TOKEN], max_body_bytes=2_000)

    async def chunks():
        yield b'{"mail": "'
        for _ in range(10):
            yield b"x" * 500
        yield b'"}'

    async def send():
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as http:
            return await http.post("/v1/drafts", content=chunks(), headers={**AUTH, "Content-Type": "application/json"})

    response = asyncio.run(send())
    assert "content-length" not in response.request.headers
    assert response.status_code == 413 and response.json()["error"] == "too_large" and backend.calls == []


@pytest.mark.parametrize("body, where", [
    ({"mail": {"bodyy": "hoi"}}, "bodyy"),
    ({"mail": {"body": "   "}}, "empty"),
    ({"mail": MAIL, "policy": "../../etc/passwd"}, "unknown policy"),
    ({"text": "geen mail"}, "mail"),
    ('{"mail": ', "not valid JSON"),
])
def test_bad_input_is_a_422_naming_the_problem(body, where):
    if isinstance(body, str):
        response = client().post("/v1/drafts", content=body, headers={**AUTH, "Content-Type": "application/json"})
    else:
        response = client().post("/v1/drafts", json=body, headers=AUTH)
    assert response.status_code == 422
    assert response.json()["error"] == "invalid_input" and where in response.json()["message"]


def test_over_the_concurrency_limit_extra_requests_get_429_with_retry_after():
    app = create_app(backend=FakeBackend(default=fake_reply(), latency=0.2), tokens=[TOKEN], max_concurrency=2)

    async def burst():
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as http:
            return await asyncio.gather(*(http.post("/v1/drafts", json={"mail": MAIL}, headers=AUTH) for _ in range(5)))

    responses = asyncio.run(burst())
    codes = sorted(r.status_code for r in responses)
    assert codes == [200, 200, 429, 429, 429]
    busy = [r for r in responses if r.status_code == 429]
    assert all(r.headers["retry-after"] == "1" and r.json()["error"] == "busy" for r in busy)
    assert app.state.service.limits.active == 0  # every slot given back


def test_a_large_mails_steps_run_off_the_event_loop_and_a_small_ones_inline(monkeypatch):
    import replydraft.pipeline.driver as pipeline

    hops = []
    real = pipeline.asyncio.to_thread

    async def counting(*args):
        hops.append(args[0].__name__)
        return await real(*args)

    monkeypatch.setattr(pipeline.asyncio, "to_thread", counting)
    http = client()
    assert http.post("/v1/drafts", json={"mail": MAIL}, headers=AUTH).status_code == 200
    assert hops == []
    large = {**MAIL, "thread": [{"body": "Eerder schreef ik over mijn pakket. " * 800, "from": "Kees"}]}
    assert http.post("/v1/drafts", json={"mail": large}, headers=AUTH).status_code == 200
    assert hops and set(hops) == {"next_request"}


def test_a_draft_that_takes_too_long_is_a_504():
    response = client(backend=FakeBackend(default=fake_reply(), latency=0.5), request_timeout=0.3).post(
        "/v1/drafts", json={"mail": MAIL}, headers=AUTH)
    assert response.status_code == 504 and response.json()["error"] == "timeout"


def test_a_model_fault_is_a_draft_result_with_status_error_and_a_reason():
    from replydraft.errors import BackendError

    backend = FakeBackend(default=BackendError("the model server at http://llm is rate-limiting us (429)"))
    response = client(backend=backend).post("/v1/drafts", json={"mail": MAIL}, headers=AUTH)
    assert response.status_code == 200
    assert response.json()["status"] == "error" and "429" in response.json()["error"]


def test_an_unexpected_exception_is_a_500_without_a_stack_trace_for_the_client_or_the_server_log():
    backend = FakeBackend(default=ZeroDivisionError("secret internals NL91ABNA0417164300"))
    app = create_app(backend=backend, tokens=[TOKEN])

    async def send():
        # raise_app_exceptions: an exception leaving the app is what uvicorn would log with its traceback.
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=True)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
            return await http.post("/v1/drafts", json={"mail": MAIL}, headers=AUTH)

    response = asyncio.run(send())
    assert response.status_code == 500
    assert response.json() == {"error": "internal", "message": "something went wrong inside replydraft; the request was not completed"}
    assert "Traceback" not in response.text and "NL91" not in response.text


def test_the_stream_sends_analysis_then_unchecked_masked_previews_then_the_checked_result():
    # A little latency, spread over the fake's word-sized pieces, so the previews go out one by one.
    response = client(backend=FakeBackend(default=fake_reply(), latency=0.05)).post(
        "/v1/drafts?stream=true", json={"mail": MAIL}, headers=AUTH)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/event-stream")
    sent = events(response.text)
    names = [name for name, _ in sent]
    assert names[0] == "analysis" and names[-1] == "result"
    assert set(names[1:-1]) == {"preview"} and len(names) > 5  # token by token
    assert sent[0][1] == {"questions": [{"quote": "Wanneer krijg ik mijn geld terug op [IBAN_1]?", "kind": "question", "topic": ""}],
                          "language": "nl", "register": "u"}
    previews = [data for name, data in sent if name == "preview"]
    assert all(p["checked"] is False for p in previews)
    assert {p["phase"] for p in previews} >= {"draft", "rewrite"}
    assert all("NL91" not in p["text"] for p in previews) and "[IBAN_1]" in previews[-1]["text"]
    result = sent[-1][1]
    assert "NL91ABNA0417164300" in result["text"] and result["status"] in ("ready", "needs_review")


def test_a_stream_that_fails_ends_with_an_error_event():
    backend = FakeBackend(default=ZeroDivisionError("boom"))
    sent = events(client(backend=backend).post("/v1/drafts?stream=true", json={"mail": MAIL}, headers=AUTH).text)
    assert sent[-1] == ("error", {"error": "internal", "message": "something went wrong inside replydraft; the request was not completed"})


def test_unsent_previews_are_replaced_by_the_next_of_their_phase():
    from replydraft.service.app import Outbox

    async def scenario():
        outbox = Outbox()
        for text in ("Beste", "Beste Kees", "Beste Kees,"):
            outbox.put("preview", {"phase": "draft", "text": text, "checked": False})
        outbox.put("preview", {"phase": "rewrite", "text": "Beste", "checked": False})
        outbox.put("result", {"status": "ready"})
        outbox.put(None)
        return [chunk async for chunk in outbox.stream(asyncio.create_task(asyncio.sleep(0)))]

    sent = events(b"".join(asyncio.run(scenario())).decode())
    assert [(name, data.get("text")) for name, data in sent] == [
        ("preview", "Beste Kees,"), ("preview", "Beste"), ("result", None)]


def test_a_client_that_leaves_mid_stream_stops_the_draft_and_frees_its_slot():
    backend = FakeBackend(default=fake_reply(), latency=0.3)
    app = create_app(backend=backend, tokens=[TOKEN], max_concurrency=1)

    async def leave_early():
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as http:
            async with http.stream("POST", "/v1/drafts?stream=true", json={"mail": MAIL}, headers=AUTH) as response:
                async for line in response.aiter_lines():
                    if line.startswith("event: analysis"):
                        break
            for _ in range(50):
                if app.state.service.limits.active == 0:
                    break
                await asyncio.sleep(0.02)
            calls = len(backend.calls)
            await asyncio.sleep(0.5)
            return calls

    calls_when_left = asyncio.run(leave_early())
    assert app.state.service.limits.active == 0
    assert len(backend.calls) == calls_when_left  # no more model calls for nobody


def test_a_model_misconfiguration_is_a_draft_result_with_status_error_not_bad_input():
    from replydraft.errors import BackendConfigError

    backend = FakeBackend(default=BackendConfigError("the model server at http://llm refused the API key (401); check OPENAI_API_KEY"))
    http = client(backend=backend)
    result = http.post("/v1/drafts", json={"mail": MAIL}, headers=AUTH).json()
    assert result["status"] == "error" and "refused the API key" in result["error"]
    sent = events(http.post("/v1/drafts?stream=true", json={"mail": MAIL}, headers=AUTH).text)
    assert sent[-1][0] == "result" and sent[-1][1]["status"] == "error"


def test_checks_endpoint_finds_conditional_help():
    response = client().post("/v1/checks", json={"text": "Als u een review schrijft, dan krijgt u 10% korting.", "language": "nl"},
                             headers=AUTH)
    assert response.status_code == 200
    report = response.json()
    assert report["status"] == "needs_review" and "conditionality" in {f["code"] for f in report["findings"]}


def test_policies_health_openapi_and_the_sidebar_page():
    http = client()
    names = {p["name"] for p in http.get("/v1/policies", headers=AUTH).json()["policies"]}
    assert {"default", "energie"} <= names
    assert http.get("/v1/policies").status_code == 401
    assert http.get("/healthz").json()["status"] == "ok"
    paths = http.get("/openapi.json").json()["paths"]
    assert {"/v1/drafts", "/v1/checks", "/v1/policies", "/healthz"} <= set(paths)
    page = http.get("/")
    assert page.status_code == 200 and "sidebar.js" in page.text
    assert http.get("/static/sidebar.js").status_code == 200
    assert http.get("/nope").json()["error"] == "not_found"


def test_logs_carry_no_mail_text(caplog):
    caplog.set_level(logging.INFO)
    client().post("/v1/drafts", json={"mail": MAIL}, headers=AUTH)
    client(backend=FakeBackend(default=ZeroDivisionError("NL91ABNA0417164300"))).post("/v1/drafts", json={"mail": MAIL}, headers=AUTH)
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "POST /v1/drafts 200" in logged
    for secret in ("NL91ABNA0417164300", "Wanneer krijg ik", "kees@example.nl"):
        assert secret not in logged


def test_serve_refuses_no_auth_off_loopback_and_needs_tokens(monkeypatch, capsys):
    from replydraft.cli import main

    monkeypatch.delenv("REPLYDRAFT_API_TOKENS", raising=False)
    assert main(["serve", "--host", "0.0.0.0", "--no-auth"]) == 2
    assert "only allowed on 127.0.0.1" in capsys.readouterr().err
    assert main(["serve"]) == 2
    assert "REPLYDRAFT_API_TOKENS" in capsys.readouterr().err


@pytest.mark.parametrize("config", ['tokens = "s3cret"', 'tokens = ["s3cret", ""]', 'tokens = [1]', 'token = ["s3cret"]'])
def test_serve_refuses_a_config_file_whose_tokens_are_not_a_list_of_strings(tmp_path, monkeypatch, capsys, config):
    # A string would otherwise be read letter by letter: one-character tokens.
    from replydraft.cli import main

    monkeypatch.delenv("REPLYDRAFT_API_TOKENS", raising=False)
    path = tmp_path / "service.toml"
    path.write_text(config + "\n", encoding="utf-8")
    assert main(["serve", "--config", str(path)]) == 2
    assert str(path) in capsys.readouterr().err


def test_the_served_app_warms_up_once_before_the_first_request(monkeypatch):
    import replydraft.service.app as service

    warmed = []
    monkeypatch.setattr(service, "_warm_up", lambda policy, model: warmed.append(model))
    with TestClient(create_app(backend=FakeBackend(default=fake_reply(), model="m"), tokens=[TOKEN])) as http:
        assert warmed == ["m"]
        assert http.post("/v1/drafts", json={"mail": MAIL}, headers=AUTH).status_code == 200
    assert warmed == ["m"]
    with TestClient(create_app(backend=FakeBackend(), tokens=[TOKEN], warm_up=False)):
        assert warmed == ["m"]


def test_a_failing_warm_up_is_logged_and_never_stops_the_service(monkeypatch, caplog):
    import replydraft.service.app as service
    from replydraft.policy import load_policy

    def broken(*args, **kwargs):
        raise RuntimeError("NL91ABNA0417164300")

    monkeypatch.setattr(service, "draft_reply", broken)
    monkeypatch.setattr(service.gc, "freeze", lambda: None)
    service._warm_up(load_policy(None), "fake")
    assert "warm-up failed (RuntimeError)" in caplog.text and "NL91" not in caplog.text
