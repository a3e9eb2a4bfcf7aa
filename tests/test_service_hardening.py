"""The service against hostile or broken clients: undecodable text, wrong hosts, tokens before bodies,
slow bodies and idle connections, framing and its headers, and the operator's origin settings."""

from __future__ import annotations

import asyncio
import json
import socket
import time

import pytest

pytest.importorskip("fastapi")

from fastapi.testclient import TestClient  # noqa: E402

from replydraft import FakeBackend  # noqa: E402
from replydraft.errors import ConfigError, UsageError  # noqa: E402
from replydraft.service import create_app  # noqa: E402
from replydraft.service.config import parse_origin, parse_origins, read_config  # noqa: E402

from .browser import live_service  # noqa: E402
from .test_service import AUTH, MAIL, TOKEN, client, fake_reply  # noqa: E402

JSON = {**AUTH, "Content-Type": "application/json"}
LONE = "\\ud800"  # as it stands in the JSON text: a high surrogate with no low one after it


# --- text that is not valid Unicode: 422 naming the field, on every endpoint, never a 500 ---------------

SURROGATES = [
    ("/v1/drafts", f'{{"mail": "Wanneer komt mijn pakket? {LONE}"}}', "mail"),
    ("/v1/drafts", f'{{"mail": {{"subject": "Pakket", "body": "Waar is het? {LONE}"}}}}', "mail.body"),
    ("/v1/drafts", f'{{"mail": {{"body": "Waar is het?", "thread": [{{"body": "eerder \\udc00"}}]}}}}', "mail.thread.0.body"),
    ("/v1/drafts", f'{{"mail": {{"body": "Waar is het?", "{LONE}": "x"}}}}', "mail.\\ud800"),
    ("/v1/drafts", f'{{"mail": "Waar is mijn pakket?", "note": "al verstuurd {LONE}"}}', "note"),
    ("/v1/drafts", f'{{"mail": "Waar is mijn pakket?", "policy": "energie{LONE}"}}', "policy"),
    ("/v1/drafts?stream=true", f'{{"mail": "Waar is mijn pakket?", "note": "{LONE}"}}', "note"),
    ("/v1/drafts?stream=true", f'{{"mail": "Waar is mijn pakket? {LONE}"}}', "mail"),
    ("/v1/checks", f'{{"text": "Beste Kees, {LONE}"}}', "text"),
    ("/v1/checks", f'{{"text": "Beste Kees,", "mail": "Waar? {LONE}"}}', "mail"),
    ("/v1/checks", f'{{"text": "Beste Kees,", "mail": {{"body": "Waar? {LONE}"}}}}', "mail.body"),
    ("/v1/checks", f'{{"text": "Beste Kees,", "language": "{LONE}"}}', "language"),
    ("/v1/checks", f'{{"text": "Beste Kees,", "register": "{LONE}"}}', "register"),
    ("/v1/checks", f'{{"text": "Beste Kees,", "policy": "{LONE}"}}', "policy"),
]


@pytest.mark.parametrize("path, body, field", SURROGATES)
def test_a_lone_surrogate_in_any_text_field_is_a_422_naming_the_field(path, body, field):
    backend = FakeBackend(default=fake_reply())
    response = client(backend=backend).post(path, content=body.encode(), headers=JSON)
    assert response.status_code == 422, response.text
    assert response.json()["error"] == "invalid_input"
    assert response.json()["message"].startswith(f"{field}: not valid Unicode text")
    assert backend.calls == []


@pytest.mark.parametrize("path, body, field", [
    ("/v1/drafts", b'{"mail": "Waar is mijn pakket? \xff\xfe"}', "mail"),
    ("/v1/drafts", b'{"mail": {"body": "caf\xe9"}, "note": "ok"}', "mail.body"),  # Latin-1, not UTF-8
    ("/v1/checks", b'{"text": "Beste \xc3\x28 Kees"}', "text"),
    ("/v1/checks", b'{"text": "Beste \xff', "body"),  # neither UTF-8 nor JSON
])
def test_bytes_that_are_not_utf8_are_a_422_naming_the_field(path, body, field):
    response = client().post(path, content=body, headers=JSON)
    assert response.status_code == 422 and response.json()["error"] == "invalid_input", response.text
    assert response.json()["message"].startswith(f"{field}: not valid Unicode text")


def test_surrogate_pairs_and_escaped_backslashes_are_text_like_any_other():
    http = client()
    pair = '{"mail": "Waar is mijn pakket? \\ud83d\\udce6", "note": "letterlijk \\\\ud800"}'
    assert http.post("/v1/drafts", content=pair.encode(), headers=JSON).status_code == 200
    assert http.post("/v1/checks", content=b'{"text": "Beste Kees, \\ud83d\\ude00"}', headers=JSON).status_code == 200


def test_undecodable_text_that_slips_past_the_guard_is_still_a_422():
    from replydraft.service.app import ApiError, _email

    with pytest.raises(ApiError) as refused:
        _email("Waar is mijn pakket? \ud800")
    assert refused.value.status == 422


# --- the headers on every response ---------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/", "/static/sidebar.js", "/static/sidebar.css", "/healthz", "/openapi.json",
                                  "/v1/policies", "/nope"])
def test_every_response_carries_the_security_headers(path):
    response = client(frame_origins=["https://acme.zendesk.com", "http://localhost:3000"]).get(path)
    assert "frame-ancestors https://acme.zendesk.com http://localhost:3000" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"


def test_without_origins_only_the_services_own_pages_may_frame_it_and_the_sidebar_gets_none():
    http = client()
    page = http.get("/")
    assert page.headers["content-security-policy"].endswith("frame-ancestors 'self'")
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert '<body data-frame-origins="">' in page.text
    assert http.post("/v1/drafts", json={"mail": MAIL}).headers["content-security-policy"] == "frame-ancestors 'self'"


def test_the_sidebar_page_is_told_its_configured_origins():
    page = client(frame_origins=["HTTPS://Acme.Zendesk.com:443/", "http://localhost:3000"]).get("/")
    assert '<body data-frame-origins="https://acme.zendesk.com http://localhost:3000">' in page.text


def test_swagger_ui_is_off_unless_asked_for_and_the_schema_is_always_served():
    http = client()
    assert http.get("/docs").status_code == 404 and http.get("/redoc").status_code == 404
    assert "/v1/drafts" in http.get("/openapi.json").json()["paths"]
    assert client(docs=True).get("/docs").status_code == 200


# --- origins: checked at start, from the CLI and the config file -----------------------------------------

@pytest.mark.parametrize("origin", ["*", "https://acme.zendesk.com/agent", "acme.zendesk.com", "ftp://a.example",
                                    "https://user@a.example", "https://a.example?x=1", "null", "https://a.example:99999"])
def test_an_origin_that_is_not_scheme_host_port_is_refused(origin):
    with pytest.raises(ValueError, match="is not an origin"):
        parse_origin(origin)
    with pytest.raises(ConfigError, match="--frame-origin"):
        parse_origins([origin], "--frame-origin")
    with pytest.raises(UsageError):
        create_app(backend=FakeBackend(), tokens=[TOKEN], frame_origins=[origin])


def test_origins_are_written_as_the_browser_writes_them():
    assert parse_origins(["https://Acme.Zendesk.com:443", "http://[::1]:8080/", "https://acme.zendesk.com"], "x") == [
        "https://acme.zendesk.com", "http://[::1]:8080"]


def test_serve_takes_origins_from_the_flag_and_the_config_file(tmp_path, monkeypatch, capsys):
    import uvicorn

    from replydraft.cli import main

    served = []
    monkeypatch.setattr(uvicorn.Server, "run", lambda self: served.append(self.config))
    monkeypatch.delenv("REPLYDRAFT_API_TOKENS", raising=False)
    monkeypatch.setenv("REPLYDRAFT_BASE_URL", "http://127.0.0.1:9/v1")  # a backend to start with; never called
    monkeypatch.setenv("REPLYDRAFT_MODEL", "test-model")
    path = tmp_path / "service.toml"
    path.write_text('tokens = ["s3cret"]\nframe_origins = ["https://helpdesk.example.nl"]\n', encoding="utf-8")
    assert read_config(str(path)) == {"tokens": ["s3cret"], "frame_origins": ["https://helpdesk.example.nl"],
                                      "database_url": None, "retention_days": None}
    assert main(["serve", "--config", str(path), "--frame-origin", "https://acme.zendesk.com", "--read-timeout", "3"]) == 0
    http = TestClient(served[0].app)
    assert 'data-frame-origins="https://acme.zendesk.com https://helpdesk.example.nl"' in http.get("/").text
    assert served[0].timeout_keep_alive == 5 and served[0].http.head_timeout == 3
    assert http.get("/docs").status_code == 404

    path.write_text('tokens = ["s3cret"]\nframe_origins = ["https://helpdesk.example.nl/tickets"]\n', encoding="utf-8")
    assert main(["serve", "--config", str(path)]) == 2
    assert str(path) in capsys.readouterr().err
    assert main(["serve", "--no-auth", "--frame-origin", "*"]) == 2
    assert "--frame-origin" in capsys.readouterr().err
    assert len(served) == 1


# --- DNS rebinding: without tokens, only loopback Host headers ---------------------------------------------

@pytest.mark.parametrize("host", ["127.0.0.1:8080", "localhost:8080", "[::1]:8080", "localhost", "LOCALHOST:80"])
def test_without_tokens_loopback_hosts_are_served(host):
    http = client(tokens=None, auth=False)
    assert http.get("/healthz", headers={"Host": host}).status_code == 200
    assert http.post("/v1/drafts", json={"mail": MAIL}, headers={"Host": host}).status_code == 200


@pytest.mark.parametrize("host", ["evil.example:8080", "evil.example", "127.0.0.1.evil.example", "localhost.evil.example:8080",
                                  "10.0.0.5:8080", ""])
def test_without_tokens_any_other_host_is_a_json_421_before_the_app(host):
    backend = FakeBackend(default=fake_reply())
    http = client(tokens=None, auth=False, backend=backend)
    for response in (http.get("/", headers={"Host": host}), http.post("/v1/drafts", json={"mail": MAIL}, headers={"Host": host})):
        assert response.status_code == 421
        assert response.json()["error"] == "wrong_host" and "127.0.0.1" in response.json()["message"]
    assert backend.calls == []


def test_with_tokens_the_host_is_not_checked():
    assert client().post("/v1/drafts", json={"mail": MAIL}, headers={**AUTH, "Host": "replydraft.example.nl"}).status_code == 200


# --- the token before the body --------------------------------------------------------------------------

def asgi_post(app, headers: list[tuple[bytes, bytes]], body: bytes = b'{"mail": "Waar is mijn pakket?"}'):
    """One POST /v1/drafts straight into the app; (status, response body, how often it asked for the body)."""
    reads, sent = [], []

    async def receive():
        reads.append(1)
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST", "scheme": "http",
             "path": "/v1/drafts", "raw_path": b"/v1/drafts", "query_string": b"", "root_path": "",
             "headers": [(b"host", b"t"), (b"content-type", b"application/json"),
                         (b"content-length", str(len(body)).encode()), *headers],
             "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 80)}
    asyncio.run(app(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    return start["status"], b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body"), len(reads), start


@pytest.mark.parametrize("headers", [[], [(b"authorization", b"Bearer wrong")], [(b"authorization", TOKEN.encode())]])
def test_a_wrong_token_is_refused_before_the_body_is_read(headers):
    app = create_app(backend=FakeBackend(default=fake_reply()), tokens=[TOKEN], warm_up=False)
    status, body, reads, start = asgi_post(app, headers)
    assert status == 401 and reads == 0
    assert json.loads(body) == {"error": "unauthorized", "message": "a valid bearer token is required (Authorization: Bearer <token>)"}
    assert (b"www-authenticate", b"Bearer") in start["headers"] and (b"connection", b"close") in start["headers"]
    status, _, reads, _ = asgi_post(app, [(b"authorization", f"Bearer {TOKEN}".encode())])
    assert status == 200 and reads >= 1


def test_a_token_in_the_query_string_is_refused():
    assert client().get(f"/v1/policies?token={TOKEN}").status_code == 401
    assert client().post(f"/v1/drafts?token={TOKEN}", json={"mail": MAIL}).status_code == 401


# --- slow and idle clients, over real sockets on loopback ---------------------------------------------------

READ_TIMEOUT = 1.0
BOUND = 10.0  # generous: the service closes at READ_TIMEOUT (+ a scheduling tick); CI is a busy 2-core machine


def closed_within(sockets: list[socket.socket], bound: float) -> list[tuple[float, bytes]]:
    """For each socket, (seconds from now until the server closed it, what it sent first); inf if still open."""
    started, results = time.monotonic(), []
    for sock in sockets:
        received, closed_at = b"", float("inf")
        while True:
            left = started + bound - time.monotonic()
            if left <= 0:
                break
            sock.settimeout(left)
            try:
                chunk = sock.recv(65536)
            except (TimeoutError, socket.timeout):
                break
            except ConnectionResetError:
                chunk = b""
            if not chunk:
                closed_at = time.monotonic() - started
                break
            received += chunk
        results.append((closed_at, received))
        sock.close()
    return results


def test_slow_bodies_and_idle_connections_are_closed_within_the_read_timeout():
    app = create_app(backend=FakeBackend(default=fake_reply()), tokens=[TOKEN], warm_up=False, read_timeout=READ_TIMEOUT)
    with live_service(app) as url:
        port = int(url.rsplit(":", 1)[1])
        head = (f"POST /v1/drafts HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAuthorization: Bearer {TOKEN}\r\n"
                "Content-Type: application/json\r\nContent-Length: 5000\r\n\r\n").encode()
        sockets = [socket.create_connection(("127.0.0.1", port)) for _ in range(6)]
        sockets[0].sendall(head)                       # the head, then no body at all
        sockets[1].sendall(head + b'{"mail": "Waar')  # a body that stops
        sockets[2].sendall(head[:40])                  # half a head
        sockets[3].sendall(b"GET /healthz HTTP/1.1\r\n")  # a request line, no headers
        # sockets[4] and [5]: connected, nothing sent
        results = closed_within(sockets, BOUND)

        assert all(at < BOUND for at, _ in results), results
        for at, received in results[:2]:
            assert received.startswith(b"HTTP/1.1 408 ") and b'"error":"timeout"' in received, received
        assert all(received == b"" for _, received in results[2:])
        # A client that sends its request in time is served as before.
        with socket.create_connection(("127.0.0.1", port)) as ok:
            body = json.dumps({"text": "Beste Kees, het pakket komt morgen."}).encode()
            ok.sendall(head.replace(b"/v1/drafts", b"/v1/checks").replace(b"5000", str(len(body)).encode()) + body)
            ok.settimeout(BOUND)
            assert ok.recv(65536).startswith(b"HTTP/1.1 200 ")
    print(f"slowest close: {max(at for at, _ in results):.2f} s with read_timeout {READ_TIMEOUT} s")


def test_a_body_that_trickles_in_is_cut_off_at_the_read_timeout():
    app = create_app(backend=FakeBackend(default=fake_reply()), tokens=[TOKEN], warm_up=False, read_timeout=READ_TIMEOUT)
    with live_service(app) as url:
        port = int(url.rsplit(":", 1)[1])
        sock = socket.create_connection(("127.0.0.1", port))
        sock.sendall((f"POST /v1/checks HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {TOKEN}\r\n"
                      "Content-Length: 100000\r\n\r\n").encode())
        started, received = time.monotonic(), b""
        sock.settimeout(0.2)
        while time.monotonic() - started < BOUND:
            try:
                sock.sendall(b" ")  # one byte every 0.2 s: never idle, never done
                chunk = sock.recv(65536)
            except (TimeoutError, socket.timeout):
                continue
            except (BrokenPipeError, ConnectionResetError):
                break
            if not chunk:
                break
            received += chunk
        elapsed = time.monotonic() - started
        sock.close()
        assert received.startswith(b"HTTP/1.1 408 ") and elapsed < BOUND, (elapsed, received)


def test_without_a_token_a_large_announced_body_is_refused_at_once_and_the_connection_closed():
    # A read timeout far beyond the bound below: the body is never waited for.
    app = create_app(backend=FakeBackend(default=fake_reply()), tokens=[TOKEN], warm_up=False, read_timeout=60)
    with live_service(app) as url:
        port = int(url.rsplit(":", 1)[1])
        sock = socket.create_connection(("127.0.0.1", port))
        sock.sendall(f"POST /v1/drafts HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: 900000\r\n\r\n".encode())
        [(at, received)] = closed_within([sock], BOUND)
        assert received.startswith(b"HTTP/1.1 401 ") and b"bearer token" in received
        assert at < BOUND


@pytest.mark.parametrize("line, problem", [
    ('database_url = ""', "database_url in"),
    ("retention_days = 0", "retention_days in"),
    ('retention_days = "90"', "retention_days in"),
])
def test_the_config_files_store_settings_are_checked(tmp_path, line, problem):
    path = tmp_path / "service.toml"
    path.write_text(line + "\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=problem):
        read_config(str(path))
