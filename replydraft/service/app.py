"""The HTTP service behind the "draft reply" button: a thin FastAPI layer over `adraft_reply` and `check`.

    POST /v1/drafts            mail JSON (as the CLI reads it) + optional note and policy -> DraftResult
    POST /v1/drafts?stream=true  server-sent events: analysis, preview (unchecked, masked), result | error
    POST /v1/checks            the post-check on a reply an agent wrote
    POST /v1/feedback          what the agent did with a draft: sent (with the text) or discarded
    GET  /v1/policies, /healthz, /openapi.json, /   (the agent sidebar); /docs only with docs=True

Before the app sees a request, `Guard` (guard.py) refuses what must not get in: under --no-auth a Host
that is not loopback (DNS rebinding), a missing or wrong token (before the body is read), a body over the
limit or too slow to arrive, and text that is not valid Unicode. Every response carries the security
headers (frame-ancestors for the configured helpdesk origins, nosniff, no-referrer).

Every error is JSON `{"error", "message"}`; clients never see a stack trace, and logs never carry a
mail body (at DEBUG, unexpected errors are logged with their traceback, which can quote one).
A model fault is a DraftResult with status "error" (HTTP 200): the agent reads the reason.
"""

from __future__ import annotations

import asyncio
import functools
import gc
import html
import json
import logging
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, StreamingResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import __version__
from ..backends import resolve_backend
from ..backends.base import Backend
from ..checks import acheck
from ..errors import ReplydraftError, UsageError
from ..feedback import FeedbackStore, UnknownDraft
from ..ingest import read_email
from ..pipeline import adraft_reply, draft_reply, profile_for
from ..policy import Policy, available_policies, load_policy
from ..types import CheckReport, DraftResult, Email
from .config import parse_origins
from .guard import DEFAULT_MAX_BODY_BYTES, UNAUTHORIZED, Guard, error_response, token_ok
from .models import (
    ERRORS,
    ApiError,
    CheckRequest,
    DraftRequest,
    FeedbackRequest,
    FeedbackResponse,
)
from .server import DEFAULT_READ_TIMEOUT
from .streaming import Outbox, drive_stream

log = logging.getLogger("replydraft.service")
STATIC = Path(__file__).resolve().parent / "static"

DEFAULT_MAX_CONCURRENCY = 32
DEFAULT_REQUEST_TIMEOUT = 300.0
RETENTION_INTERVAL_S = 24 * 3600


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


@dataclass
class Service:
    """What the routes share, made once in `create_app`: the app's state, in one place."""

    backend: Backend
    default_policy: Policy
    limits: Limits
    accepted: list[bytes] | None  # None: --no-auth
    request_timeout: float
    store: FeedbackStore | None
    running: set[asyncio.Task] = field(default_factory=set)


def _service(request: Request) -> Service:
    return request.app.state.service


async def authorised(request: Request) -> None:
    # Guard has refused a wrong token before the body was read; this is the second lock on the route.
    accepted = _service(request).accepted
    if accepted is not None and not token_ok(request.headers.get("authorization", "").encode("latin-1"), accepted):
        raise ApiError(401, "unauthorized", UNAUTHORIZED, {"WWW-Authenticate": "Bearer"})


routes = APIRouter()
api = APIRouter(prefix="/v1", dependencies=[Depends(authorised)])


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
    service = Service(resolve_backend(backend), load_policy(policy), Limits(max_concurrency),  # a wrong policy fails now
                      accepted if auth else None, request_timeout, store)
    profile_for(service.backend)  # a wrong REPLYDRAFT_PROFILE fails at start, not on the first request
    app = FastAPI(
        title="replydraft", version=__version__, lifespan=_lifespan(service, warm_up, retention_days),
        docs_url="/docs" if docs else None, redoc_url=None,  # both load their scripts from a CDN
        description="Draft replies to customer e-mails, checked against the Golden Rules and B1 plain language.",
    )
    app.state.service = service
    app.state.read_timeout = read_timeout  # the server's deadline for a request head too (server.py)
    app.add_middleware(Guard, max_body_bytes=max_body_bytes, read_timeout=read_timeout,
                       tokens=service.accepted, frame_origins=origins)
    _add_error_handlers(app)
    app.include_router(routes)
    app.include_router(api)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    # The sidebar takes messages from, and posts drafts to, these origins only (sidebar.js).
    page = (STATIC / "index.html").read_text(encoding="utf-8").replace(
        "<body>", f'<body data-frame-origins="{html.escape(" ".join(origins))}">', 1)

    async def sidebar() -> HTMLResponse:
        return HTMLResponse(page, headers={"Cache-Control": "no-cache"})

    app.add_api_route("/", sidebar, include_in_schema=False)
    return app


def _lifespan(service: Service, warm_up: bool, retention_days: int | None):
    @asynccontextmanager
    async def lifespan(_: FastAPI):
        if warm_up:
            await asyncio.to_thread(_warm_up, service.default_policy, service.backend.model)
        store = service.store
        retention = asyncio.create_task(_apply_retention(store, retention_days)) if store and retention_days else None
        yield
        if retention:
            retention.cancel()

    return lifespan


def _add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def api_error(_: Request, exc: ApiError):
        return error_response(exc.status, exc.error, exc.message, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, exc: RequestValidationError):
        first = exc.errors()[0] if exc.errors() else {"loc": (), "msg": "invalid request"}
        if first.get("type") == "json_invalid":
            return error_response(422, "invalid_input", f"the request body is not valid JSON (at character {first['loc'][-1]})")
        where = ".".join(str(p) for p in first.get("loc", ()) if p != "body") or "body"
        return error_response(422, "invalid_input", f"{where}: {first.get('msg')}")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, exc: StarletteHTTPException):
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        return error_response(exc.status_code, code, str(exc.detail))


@routes.get("/healthz")
async def healthz(request: Request) -> dict:
    return {"status": "ok", "model": _service(request).backend.model, "version": __version__}


@api.get("/policies", responses={401: ERRORS[401]})
async def policies(request: Request) -> dict:
    listed = []
    for name in available_policies():
        p = load_policy(name)
        listed.append({
            "name": name, "company": p.company.name, "register": p.tone.default_register,
            "language": p.tone.default_language, "masking": p.masking.enabled,
            "default": p == _service(request).default_policy,
        })
    return {"policies": listed}


@api.post("/checks", response_model=CheckReport, responses={s: ERRORS[s] for s in (401, 413, 422, 429, 500)})
async def checks(body: CheckRequest, request: Request) -> CheckReport:
    service = _service(request)
    email = _email(body.mail) if body.mail is not None else None
    chosen = _policy(body.policy, service.default_policy)
    service.limits.take()
    try:
        return await acheck(body.text, language=body.language, register=body.register, policy=chosen, email=email)
    except UsageError as exc:
        raise ApiError(422, "invalid_input", str(exc)) from None
    finally:
        service.limits.release()


@api.post("/drafts", response_model=DraftResult,
          responses={200: {"content": {"text/event-stream": {}},
                           "description": "the DraftResult; with ?stream=true, events analysis, preview, result | error"},
                     **{s: e for s, e in ERRORS.items() if s not in (404, 503)}})
async def drafts(body: DraftRequest, request: Request, stream: bool = False):
    service = _service(request)
    email = _email(body.mail)
    chosen = _policy(body.policy, service.default_policy)
    service.limits.take()
    draft = functools.partial(_draft, service, email, chosen, body.note)
    if not stream:
        try:
            result = await draft()
        finally:
            service.limits.release()
        return JSONResponse(result.model_dump(mode="json"))
    # The draft runs as its own task that gives the slot back when it ends, even if the client leaves
    # before the stream's first byte (a generator that never started has no `finally` to run).
    outbox = Outbox()
    task = asyncio.create_task(drive_stream(draft, outbox, service.limits.release))
    service.running.add(task)
    task.add_done_callback(service.running.discard)
    return StreamingResponse(outbox.stream(task), media_type="text/event-stream",
                             headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})


@api.post("/feedback", response_model=FeedbackResponse, responses={s: ERRORS[s] for s in (401, 404, 413, 422, 500, 503)})
async def feedback(body: FeedbackRequest, request: Request) -> FeedbackResponse:
    # Not counted against the drafts' limit: an outcome is a quick write, and losing one loses the lesson.
    store = _service(request).store
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


WARM_UP_MAILS = (
    Email(subject="Terugbetaling", sender_name="Kees Jansen", body="Goedemiddag,\n\nWanneer krijg ik mijn geld terug op "
          "NL91ABNA0417164300? Bel me gerust op 06 12345678.\n\nGroet,\nKees"),
    Email(subject="Refund", sender_name="Kate Smith", body="Hello,\n\nWhen will I get my money back? My order number is 4471829."),
)


def _warm_up(policy, model: str) -> None:
    """Offline drafts of a Dutch and an English mail before the first request, then a frozen heap.

    The word lists, tokeniser tables and phone number plans load here, not during the first requests,
    where loading them also set off full collections that every draft in flight paid (docs/performance.md).
    Then what was loaded is frozen out of the cyclic GC's sight (gc.freeze), so a later full collection
    does not walk it again.
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


async def _draft(service: Service, email, policy, note, on_progress=None) -> DraftResult:
    """`adraft_reply` within the service's time limit; what is not a draft becomes an ApiError."""
    timeout = service.request_timeout
    try:
        return await asyncio.wait_for(adraft_reply(
            email, policy=policy, backend=service.backend, note=note, on_progress=on_progress, store=service.store), timeout)
    except TimeoutError:
        raise ApiError(504, "timeout", f"no draft within {timeout:.0f} s; try again or write this one by hand") from None
    except UsageError as exc:
        raise ApiError(422, "invalid_input", str(exc)) from None


async def _apply_retention(store: FeedbackStore, days: int) -> None:
    """Remove drafts older than `days` now and once a day; a failure is logged and tried again tomorrow."""
    while True:
        try:
            removed = await asyncio.to_thread(store.purge, days)
            log.info("retention: removed %d drafts older than %d days", removed, days)
        except Exception as exc:  # noqa: BLE001 - the service keeps serving when the store is down
            log.error("retention: %s", type(exc).__name__)
        await asyncio.sleep(RETENTION_INTERVAL_S)


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
