"""The HTTP service behind the "draft reply" button: a thin FastAPI layer over `adraft_reply` and `check`.

    POST /v1/drafts            mail JSON (as the CLI reads it) + optional note and policy -> DraftResult
    POST /v1/drafts?stream=true  server-sent events: analysis, preview (unchecked, masked), result | error
    POST /v1/checks            the post-check on a reply an agent wrote
    POST /v1/feedback          what the agent did with a draft: sent (with the text) or discarded
    GET  /v1/policies, /healthz, /openapi.json, /   (the agent sidebar); /docs only with docs=True

Before the app sees a request, `Guard` refuses what must not get in: under --no-auth a Host that is not
loopback (DNS rebinding), a missing or wrong token (before the body is read), a body over the limit or
too slow to arrive, and text that is not valid Unicode. Every response carries the security headers
(frame-ancestors for the configured helpdesk origins, nosniff, no-referrer).

Every error is JSON `{"error", "message"}`; clients never see a stack trace, and logs never carry a
mail body (at DEBUG, unexpected errors are logged with their traceback, which can quote one).
A model fault is a DraftResult with status "error" (HTTP 200): the agent reads the reason.
"""

from __future__ import annotations

import asyncio
import functools
import gc
import hmac
import html
import json
import logging
import re
import time
from collections import deque
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, AsyncIterator, Literal

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, StreamingResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import __version__
from ..backends import resolve_backend
from ..backends.base import Backend
from ..checks import check
from ..errors import ConfigError, ReplydraftError, UsageError
from ..feedback import FeedbackStore, UnknownDraft
from ..ingest import read_email
from ..pipeline import LARGE_MAIL_CHARS, adraft_reply, draft_reply
from ..policy import available_policies, load_policy
from ..prompts import template_hash
from ..types import CheckReport, DraftResult, Email
from .config import parse_origins
from .server import DEFAULT_READ_TIMEOUT

log = logging.getLogger("replydraft.service")
STATIC = Path(__file__).resolve().parent / "static"

DEFAULT_MAX_CONCURRENCY = 32
DEFAULT_MAX_BODY_BYTES = 1_000_000
DEFAULT_REQUEST_TIMEOUT = 300.0
INTERNAL = "something went wrong inside replydraft; the request was not completed"
UNAUTHORIZED = "a valid bearer token is required (Authorization: Bearer <token>)"
LOOPBACK_HOST = re.compile(rb"(?:127\.0\.0\.1|localhost|\[::1\])(?::[0-9]{1,5})?", re.IGNORECASE)
# A JSON escape of a UTF-16 surrogate: paired ones decode to one character, a lone one cannot be encoded.
SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


class ApiError(Exception):
    def __init__(self, status: int, error: str, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.error, self.message, self.headers = status, error, message, headers or {}


class ErrorBody(BaseModel):
    error: str = Field(description="unauthorized, wrong_host, too_large, invalid_input, busy, timeout, internal, not_found, no_store")
    message: str = Field(description="what went wrong, for a person")


class DraftRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    mail: dict[str, Any] | str = Field(description="the customer's mail: helpdesk JSON as the CLI reads it, or plain text / a raw .eml")
    note: str | None = Field(default=None, description="the agent's note for this draft")
    policy: str | None = Field(default=None, description="a shipped policy name; the service's own when left out")


class FeedbackRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    draft_id: str = Field(min_length=1, max_length=64, description="the draft's draft_id from POST /v1/drafts")
    outcome: Literal["sent", "discarded"] = Field(description="sent: the agent sent a reply based on it; discarded: thrown away")
    sent_text: str | None = Field(default=None, description="the reply as the agent sent it (masked before it is stored)")
    agent: str | None = Field(default=None, max_length=200, description="the helpdesk's id for the agent")


class FeedbackResponse(BaseModel):
    draft_id: str
    outcome: str
    similarity: float | None = Field(description="0..1, the draft vs the sent text; null without sent_text")
    kind: str = Field(description="as_is, edited, discarded or sent_unknown")


class CheckRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(description="the reply to check")
    mail: dict[str, Any] | str | None = Field(default=None, description="the customer's mail, for the checks that need it")
    language: str | None = None
    register: str | None = None
    policy: str | None = None


ERRORS = {
    status: {"model": ErrorBody, "description": description}
    for status, description in {
        401: "unauthorized: a missing or wrong bearer token", 413: "too_large: the body is over the limit",
        422: "invalid_input: a mail or policy that cannot be used", 429: "busy: try again after Retry-After seconds",
        500: "internal: an unexpected fault (never a stack trace)", 504: "timeout: no draft within the time limit",
        404: "not_found: no draft with that draft_id", 503: "no_store: the service keeps no feedback store",
    }.items()
}


class Limits:
    """At most `max_concurrency` drafts and checks at once; the rest are told to come back, not queued."""

    def __init__(self, max_concurrency: int) -> None:
        self.max_concurrency = max_concurrency
        self.active = 0

    def take(self) -> None:
        if self.active >= self.max_concurrency:
            raise ApiError(429, "busy", f"the service is drafting {self.active} replies already; try again in a second",
                           {"Retry-After": "1"})
        self.active += 1

    def release(self) -> None:
        self.active -= 1


def create_app(
    *,
    backend: Backend | None = None,
    policy: str | None = None,
    tokens: list[str] | None = None,
    auth: bool = True,
    max_concurrency: int = DEFAULT_MAX_CONCURRENCY,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    request_timeout: float = DEFAULT_REQUEST_TIMEOUT,
    warm_up: bool = True,
    frame_origins: list[str] | tuple[str, ...] = (),
    read_timeout: float = DEFAULT_READ_TIMEOUT,
    docs: bool = False,
    store: FeedbackStore | None = None,
    retention_days: int | None = None,
) -> FastAPI:
    """The app; `backend` defaults to the configured one (the embedded model without an API key).

    `frame_origins` are the helpdesk pages (scheme://host[:port]) that may embed the sidebar and talk to it;
    none: no page may frame it but its own origin, and it takes no messages. A request body must arrive
    within `read_timeout` seconds. `docs` serves Swagger UI at /docs (it loads its scripts from a CDN).
    With a `store`, every draft is recorded and POST /v1/feedback takes outcomes; `retention_days` then
    removes older drafts at start and daily.

    >>> app = create_app(backend=FakeBackend(default=plausible_reply), tokens=["s3cret"])  # doctest: +SKIP
    >>> uvicorn.run(app, host="127.0.0.1", port=8080)  # doctest: +SKIP
    """
    # An empty token would let "Authorization: Bearer " in; bytes, because compare_digest refuses non-ASCII str.
    accepted = [t.strip().encode() for t in tokens or () if t and t.strip()]
    if auth and not accepted:
        raise UsageError("the service needs API tokens (REPLYDRAFT_API_TOKENS or the config file), or --no-auth on 127.0.0.1")
    origins = parse_origins(list(frame_origins), "frame_origins")
    default_policy = load_policy(policy)  # a wrong policy fails at start, not on the first request
    backend = resolve_backend(backend)
    limits = Limits(max_concurrency)
    running: set[asyncio.Task] = set()

    @asynccontextmanager
    async def lifespan(_: FastAPI):
        if warm_up:
            await asyncio.to_thread(_warm_up, default_policy, backend.model)
        retention = asyncio.create_task(_apply_retention(store, retention_days)) if store and retention_days else None
        yield
        if retention:
            retention.cancel()

    app = FastAPI(
        title="replydraft", version=__version__, lifespan=lifespan,
        docs_url="/docs" if docs else None, redoc_url=None,  # both load their scripts from a CDN
        description="Draft replies to customer e-mails, checked against the Golden Rules and B1 plain language.",
    )
    app.state.limits = limits
    app.state.read_timeout = read_timeout  # the server's deadline for a request head too (server.py)
    app.add_middleware(Guard, max_body_bytes=max_body_bytes, read_timeout=read_timeout,
                       tokens=accepted if auth else None, frame_origins=origins)

    async def authorised(request: Request) -> None:
        # Guard has refused a wrong token before the body was read; this is the second lock on the route.
        if auth and not _token_ok(request.headers.get("authorization", "").encode("latin-1"), accepted):
            raise ApiError(401, "unauthorized", UNAUTHORIZED, {"WWW-Authenticate": "Bearer"})

    @app.exception_handler(ApiError)
    async def api_error(_: Request, exc: ApiError):
        return _error(exc.status, exc.error, exc.message, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, exc: RequestValidationError):
        first = exc.errors()[0] if exc.errors() else {"loc": (), "msg": "invalid request"}
        if first.get("type") == "json_invalid":
            return _error(422, "invalid_input", f"the request body is not valid JSON (at character {first['loc'][-1]})")
        where = ".".join(str(p) for p in first.get("loc", ()) if p != "body") or "body"
        return _error(422, "invalid_input", f"{where}: {first.get('msg')}")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, exc: StarletteHTTPException):
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        return _error(exc.status_code, code, str(exc.detail))

    @app.get("/healthz")
    async def healthz() -> dict:
        return {"status": "ok", "model": backend.model, "version": __version__}

    @app.get("/v1/policies", dependencies=[Depends(authorised)], responses={401: ERRORS[401]})
    async def policies() -> dict:
        listed = []
        for name in available_policies():
            p = load_policy(name)
            listed.append({
                "name": name, "company": p.company.name, "register": p.tone.default_register,
                "language": p.tone.default_language, "masking": p.masking.enabled,
                "default": p == default_policy,
            })
        return {"policies": listed}

    @app.post("/v1/checks", dependencies=[Depends(authorised)], response_model=CheckReport,
              responses={s: ERRORS[s] for s in (401, 413, 422, 429, 500)})
    async def checks(body: CheckRequest) -> CheckReport:
        email = _email(body.mail) if body.mail is not None else None
        chosen = _policy(body.policy, default_policy)
        limits.take()
        try:
            run = functools.partial(check, body.text, language=body.language, register=body.register, policy=chosen, email=email)
            # A short reply checks in a few ms, less than a thread hop costs; a long one must not stall the loop.
            if len(body.text) + (len(email.body) + len(email.history) if email else 0) > LARGE_MAIL_CHARS:
                return await asyncio.to_thread(run)
            return run()
        except UsageError as exc:
            raise ApiError(422, "invalid_input", str(exc)) from None
        finally:
            limits.release()

    @app.post("/v1/drafts", dependencies=[Depends(authorised)], response_model=DraftResult,
              responses={200: {"content": {"text/event-stream": {}},
                               "description": "the DraftResult; with ?stream=true, events analysis, preview, result | error"},
                         **{s: e for s, e in ERRORS.items() if s not in (404, 503)}})
    async def drafts(body: DraftRequest, stream: bool = False):
        email = _email(body.mail)
        chosen = _policy(body.policy, default_policy)
        limits.take()
        draft = functools.partial(_draft, email, chosen, body.note, backend, request_timeout, store)
        if not stream:
            try:
                result = await draft()
            finally:
                limits.release()
            return JSONResponse(result.model_dump(mode="json"))
        # The draft runs as its own task that gives the slot back when it ends, even if the client leaves
        # before the stream's first byte (a generator that never started has no `finally` to run).
        outbox = Outbox()
        task = asyncio.create_task(_drive(draft, outbox, limits.release))
        running.add(task)
        task.add_done_callback(running.discard)
        return StreamingResponse(outbox.stream(task), media_type="text/event-stream",
                                 headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})

    @app.post("/v1/feedback", dependencies=[Depends(authorised)], response_model=FeedbackResponse,
              responses={s: ERRORS[s] for s in (401, 404, 413, 422, 500, 503)})
    async def feedback(body: FeedbackRequest) -> FeedbackResponse:
        # Not counted against the drafts' limit: an outcome is a quick write, and losing one loses the lesson.
        if store is None:
            raise ApiError(503, "no_store", "this service keeps no feedback store; start it with replydraft serve")
        try:
            recorded = await asyncio.to_thread(store.record_outcome, body.draft_id, body.outcome,
                                               sent_text=body.sent_text, agent=body.agent)
        except UnknownDraft as exc:
            raise ApiError(404, "not_found", str(exc)) from None
        except UsageError as exc:
            raise ApiError(422, "invalid_input", str(exc)) from None
        return FeedbackResponse(**recorded)

    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    # The sidebar takes messages from, and posts drafts to, these origins only (sidebar.js).
    page = (STATIC / "index.html").read_text(encoding="utf-8").replace(
        "<body>", f'<body data-frame-origins="{html.escape(" ".join(origins))}">', 1)

    @app.get("/", include_in_schema=False)
    async def sidebar():
        return HTMLResponse(page, headers={"Cache-Control": "no-cache"})

    return app


WARM_UP_MAILS = (
    Email(subject="Terugbetaling", sender_name="Kees Jansen", body="Goedemiddag,\n\nWanneer krijg ik mijn geld terug op "
          "NL91ABNA0417164300? Bel me gerust op 06 12345678.\n\nGroet,\nKees"),
    Email(subject="Refund", sender_name="Kate Smith", body="Hello,\n\nWhen will I get my money back? My order number is 4471829."),
)


def _warm_up(policy, model: str) -> None:
    """Offline drafts of a Dutch and an English mail before the first request, then a frozen heap.

    The word lists, tokeniser tables and phone number plans load here (about 1 s), not during the first
    requests, where loading them also set off full collections of 40-75 ms that every draft in flight
    paid: p95 overhead at 10 concurrent drafts about 45 ms without the warm-up, about 30 ms with it
    (benchmarks/service_load.py). Then what was loaded is frozen out of the cyclic GC's sight
    (gc.freeze), so a later full collection does not walk its ~150,000 objects again.
    """
    from ..backends.fake import FakeBackend, plausible_reply

    try:
        fake = FakeBackend(default=plausible_reply, model=model)
        for mail in WARM_UP_MAILS:
            draft_reply(mail, policy=policy, backend=fake)
    except Exception as exc:  # noqa: BLE001 - a slower first request, never a service that does not start
        log.warning("warm-up failed (%s); the first requests will be slower", type(exc).__name__)
    gc.collect()
    gc.freeze()


class Guard:
    """Outermost layer (pure ASGI, no per-request task): what must not reach the app, one log line per
    request, the security headers on every response, and a JSON 500 for anything unexpected, caught here
    so the server never logs a traceback that quotes a mail.

    In this order, each before anything of the request body is read but the last two:
    - under --no-auth (`tokens` None) a Host that is not loopback: 421 (a DNS-rebinding page cannot reach us);
    - a missing or wrong bearer token on /v1/: 401, and the connection closes if a body was announced;
    - a body over the limit: 413; one that does not arrive within `read_timeout` s: 408, and the connection
      closes. The body is read whole before the app sees it, so a chunked upload without Content-Length is
      held to the limit too; the app then reads it from memory (it is parsed whole anyway);
    - text that is not valid Unicode (a lone surrogate, bytes that are not UTF-8): 422 naming the field.
    """

    def __init__(self, app, max_body_bytes: int = DEFAULT_MAX_BODY_BYTES, read_timeout: float = DEFAULT_READ_TIMEOUT,
                 tokens: list[bytes] | None = None, frame_origins: list[str] | tuple[str, ...] = ()) -> None:
        self.app, self.max_body_bytes, self.read_timeout, self.tokens = app, max_body_bytes, read_timeout, tokens
        ancestors = " ".join(frame_origins) or "'self'"
        common = [(b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"no-referrer")]
        self.headers = [(b"content-security-policy", f"frame-ancestors {ancestors}".encode()), *common]
        # The sidebar page and its files: nothing from elsewhere, no inline script, no plug-ins.
        self.page_headers = [(b"content-security-policy", (
            "default-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; "
            f"frame-ancestors {ancestors}").encode()), *common]

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started, status = time.perf_counter(), 0
        extra = self.page_headers if scope["path"] == "/" or scope["path"].startswith("/static/") else self.headers

        async def sending(message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                named = {name.lower() for name, _ in message.get("headers", ())}
                message = {**message, "headers": [*message.get("headers", ()), *(h for h in extra if h[0] not in named)]}
            await send(message)

        try:
            refusal = self._refusal(scope)
            if refusal is None and _has_body(scope):
                receive, refusal = await self._body(scope, receive)
            await (refusal or self.app)(scope, receive, sending)
        except Exception as exc:  # noqa: BLE001 - the last line of defence: a JSON 500, the type in the log
            log.error("internal error: %s", type(exc).__name__)  # the type only: messages can quote the mail
            log.debug("internal error", exc_info=True)
            if not status:
                await _error(500, "internal", INTERNAL)(scope, receive, sending)
        finally:
            log.info("%s %s %d %.0f ms", scope["method"], scope["path"], status, (time.perf_counter() - started) * 1000)

    def _refusal(self, scope) -> JSONResponse | None:
        """The answer to a request refused on its head alone (wrong Host, no token), or None."""
        if self.tokens is None and not LOOPBACK_HOST.fullmatch(_header(scope, b"host").strip()):
            return _error(421, "wrong_host", "without tokens (--no-auth) the service answers only to 127.0.0.1, "
                          "localhost or [::1] in the Host header", _closing(scope))
        path = scope["path"]
        if self.tokens is not None and (path == "/v1" or path.startswith("/v1/")) \
                and not _token_ok(_header(scope, b"authorization"), self.tokens):
            return _error(401, "unauthorized", UNAUTHORIZED, {"WWW-Authenticate": "Bearer", **_closing(scope)})
        return None

    async def _body(self, scope, receive):
        """(the receive the app gets, a refusal or None): the body read within the time and size limits."""
        try:
            async with asyncio.timeout(self.read_timeout):
                read = await self._read_body(scope, receive)
        except TimeoutError:
            return receive, _error(408, "timeout", f"the request body did not arrive within {self.read_timeout:g} s",
                                   {"Connection": "close"})
        if read is None:
            return receive, _error(413, "too_large", f"the request is over the limit of {self.max_body_bytes:,} bytes")
        replay, body = read
        field = _undecodable_field(body)
        if field is not None:
            return receive, _error(422, "invalid_input", f"{field}: not valid Unicode text (a lone UTF-16 surrogate "
                                   "or bytes that are not UTF-8); send the text as UTF-8")
        return replay, None

    async def _read_body(self, scope, receive):
        """(a receive that replays the whole body, the body), or None when it is over the limit."""
        length = _header(scope, b"content-length")
        if length.isdigit() and int(length) > self.max_body_bytes:
            return None
        chunks, size, more = [], 0, True
        while more:
            message = await receive()
            if message["type"] != "http.request":  # the client left: let the app see the disconnect
                return receive, b""
            chunks.append(message.get("body", b""))
            size += len(chunks[-1])
            if size > self.max_body_bytes:
                return None
            more = message.get("more_body", False)
        log.debug("request of %d bytes", size)
        body, replayed = b"".join(chunks), False

        async def replay():
            nonlocal replayed
            if replayed:
                return await receive()  # after the body: the disconnect a streaming response listens for
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        return replay, body


def _header(scope, name: bytes) -> bytes:
    """The first value of a request header, b"" without one."""
    return next((value for key, value in scope["headers"] if key == name), b"")


def _has_body(scope) -> bool:
    return scope["method"] in ("POST", "PUT", "PATCH") or _header(scope, b"content-length") not in (b"", b"0") \
        or bool(_header(scope, b"transfer-encoding"))


def _closing(scope) -> dict[str, str]:
    """Connection: close for a refused request whose body is on its way: it is never read."""
    return {"Connection": "close"} if _has_body(scope) else {}


def _token_ok(authorization: bytes, accepted: list[bytes]) -> bool:
    # bytes, because compare_digest refuses non-ASCII str
    scheme, _, token = authorization.partition(b" ")
    token = token.strip()
    return scheme.lower() == b"bearer" and bool(token) and any(hmac.compare_digest(token, t) for t in accepted)


def _undecodable_field(body: bytes) -> str | None:
    """Where a JSON body holds text that is not valid Unicode ("mail.body", "note"), or None.

    Bytes that are not UTF-8 are read as lone surrogates (surrogateescape), so both kinds are found the same
    way; a body that is not JSON is left to the app's own error ("body" when it is not UTF-8 either).
    """
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        text = body.decode("utf-8", "surrogateescape") if json.detect_encoding(body) == "utf-8" else None
        if text is None:
            return None
    else:
        if not SURROGATE_ESCAPE.search(body):
            return None
    try:
        data = json.loads(text)
    except ValueError:
        return None if _encodable(text) else "body"
    return _surrogate_at(data, ())


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _surrogate_at(value, path: tuple) -> str | None:
    """The dotted path of the first string (or key) in `value` that UTF-8 cannot encode."""
    if isinstance(value, str):
        return None if _encodable(value) else ".".join(path) or "body"
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, item in items:
        name = str(key).encode("utf-8", "backslashreplace").decode("utf-8")
        if not _encodable(str(key)):
            return ".".join((*path, name))
        found = _surrogate_at(item, (*path, name))
        if found:
            return found
    return None


class Outbox:
    """Server-sent events waiting for the client. Each preview carries the text so far, so an unsent one is
    replaced by the next of its phase: a slow client gets fewer, fresher previews, and JSON is made only
    for what is sent."""

    def __init__(self) -> None:
        self._items: deque[tuple[str | None, Any]] = deque()
        self._ready = asyncio.Event()

    def put(self, event: str | None, data: Any = None) -> None:
        last = self._items[-1] if self._items else None
        if event == "preview" and last and last[0] == "preview" and last[1]["phase"] == data["phase"]:
            self._items[-1] = (event, data)
        else:
            self._items.append((event, data))
        self._ready.set()

    async def stream(self, task: asyncio.Task) -> AsyncIterator[bytes]:
        try:
            while True:
                while not self._items:
                    self._ready.clear()
                    await self._ready.wait()
                event, data = self._items.popleft()
                if event is None:
                    return
                yield f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n".encode()
        finally:
            task.cancel()  # the client left: stop drafting for nobody


async def _drive(draft, outbox: Outbox, done) -> None:
    """One streamed draft: progress into the outbox, then the result or an error event, always an end."""

    async def progress(event: str, data: dict) -> None:
        outbox.put(event, data)

    try:
        result = await draft(on_progress=progress)
        outbox.put("result", result.model_dump(mode="json"))
    except ApiError as exc:
        outbox.put("error", {"error": exc.error, "message": exc.message})
    except Exception as exc:  # noqa: BLE001 - the stream must end with an event, never a cut connection
        log.error("internal error while streaming: %s", type(exc).__name__)
        log.debug("internal error while streaming", exc_info=True)
        outbox.put("error", {"error": "internal", "message": INTERNAL})
    finally:
        done()
        outbox.put(None)


async def _draft(email, policy, note, backend: Backend, timeout: float, store=None, on_progress=None) -> DraftResult:
    """`adraft_reply` within the service's time limit; what is not a draft becomes an ApiError."""
    try:
        return await asyncio.wait_for(
            adraft_reply(email, policy=policy, backend=backend, note=note, on_progress=on_progress, store=store), timeout
        )
    except TimeoutError:
        raise ApiError(504, "timeout", f"no draft within {timeout:.0f} s; try again or write this one by hand") from None
    except ConfigError as exc:
        # The model's settings (a refused API key, an unknown model), not the request: like a model fault,
        # the agent reads why; the operator finds it in the log (our own message, no mail text).
        log.error("model configuration: %s", exc)
        return DraftResult(status="error", text="", error=str(exc), model=backend.model, prompt_hash=template_hash())
    except UsageError as exc:
        raise ApiError(422, "invalid_input", str(exc)) from None


RETENTION_INTERVAL_S = 24 * 3600


async def _apply_retention(store: FeedbackStore, days: int) -> None:
    """Remove drafts older than `days` now and once a day; a failure is logged and tried again tomorrow."""
    while True:
        try:
            removed = await asyncio.to_thread(store.purge, days)
            log.info("retention: removed %d drafts older than %d days", removed, days)
        except Exception as exc:  # noqa: BLE001 - the service keeps serving when the store is down
            log.error("retention: %s", type(exc).__name__)
        await asyncio.sleep(RETENTION_INTERVAL_S)


def _error(status: int, error: str, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": error, "message": message}, status_code=status, headers=headers)


def _email(mail: dict | str):
    try:
        if isinstance(mail, dict):
            return read_email(json.dumps(mail, ensure_ascii=False).encode(), kind="json")
        return read_email(mail.encode("utf-8"))
    except ReplydraftError as exc:
        raise ApiError(422, "invalid_input", str(exc)) from None
    except UnicodeError:  # Guard refuses these first; never a 500 if one gets through
        raise ApiError(422, "invalid_input", "mail: not valid Unicode text; send the text as UTF-8") from None


def _policy(name: str | None, default):
    if name is None:
        return default
    if name not in available_policies():  # names only: a client never picks a file on the server
        raise ApiError(422, "invalid_input", f"unknown policy {name!r}; known: {', '.join(available_policies())}")
    return load_policy(name)
