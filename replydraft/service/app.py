"""The HTTP service behind the "draft reply" button: a thin FastAPI layer over `adraft_reply` and `check`.

    POST /v1/drafts            mail JSON (as the CLI reads it) + optional note and policy -> DraftResult
    POST /v1/drafts?stream=true  server-sent events: analysis, preview (unchecked, masked), result | error
    POST /v1/checks            the post-check on a reply an agent wrote
    GET  /v1/policies, /healthz, /openapi.json, /   (the agent sidebar)

Every error is JSON `{"error", "message"}`; clients never see a stack trace, and logs never carry a
mail body (log level DEBUG adds request sizes, still no text).
"""

from __future__ import annotations

import asyncio
import functools
import hmac
import json
import logging
import time
from pathlib import Path
from typing import Any, AsyncIterator

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, StreamingResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import __version__
from ..backends import resolve_backend
from ..backends.base import Backend
from ..checks import check
from ..errors import ReplydraftError, UsageError
from ..ingest import read_email
from ..pipeline import adraft_reply
from ..policy import available_policies, load_policy
from ..types import CheckReport, DraftResult

log = logging.getLogger("replydraft.service")
STATIC = Path(__file__).resolve().parent / "static"

DEFAULT_MAX_CONCURRENCY = 32
DEFAULT_MAX_BODY_BYTES = 1_000_000
DEFAULT_REQUEST_TIMEOUT = 300.0
LARGE_TEXT_CHARS = 20_000


class ApiError(Exception):
    def __init__(self, status: int, error: str, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.error, self.message, self.headers = status, error, message, headers or {}


class DraftRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    mail: dict[str, Any] | str = Field(description="the customer's mail: helpdesk JSON as the CLI reads it, or plain text / a raw .eml")
    note: str | None = Field(default=None, description="the agent's note for this draft")
    policy: str | None = Field(default=None, description="a shipped policy name; the service's own when left out")


class CheckRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(description="the reply to check")
    mail: dict[str, Any] | str | None = Field(default=None, description="the customer's mail, for the checks that need it")
    language: str | None = None
    register: str | None = None
    policy: str | None = None


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
) -> FastAPI:
    """The app; `backend` defaults to the configured one (the embedded model without an API key)."""
    if auth and not tokens:
        raise UsageError("the service needs API tokens (REPLYDRAFT_API_TOKENS or the config file), or --no-auth on 127.0.0.1")
    default_policy = load_policy(policy)  # a wrong policy fails at start, not on the first request
    backend = resolve_backend(backend)
    limits = Limits(max_concurrency)
    app = FastAPI(
        title="replydraft", version=__version__,
        description="Draft replies to customer e-mails, checked against the Golden Rules and B1 plain language.",
    )
    app.state.limits = limits

    async def authorised(request: Request) -> None:
        if not auth:
            return
        header = request.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not any(hmac.compare_digest(token.strip(), t) for t in tokens or ()):
            raise ApiError(401, "unauthorized", "a valid bearer token is required (Authorization: Bearer <token>)",
                           {"WWW-Authenticate": "Bearer"})

    @app.middleware("http")
    async def body_limit(request: Request, call_next):
        length = request.headers.get("content-length")
        if length and length.isdigit() and int(length) > max_body_bytes:
            return _error(413, "too_large", f"the request is {int(length):,} bytes; the limit is {max_body_bytes:,}")
        started = time.perf_counter()
        response = await call_next(request)
        log.info("%s %s %d %.0f ms", request.method, request.url.path, response.status_code, (time.perf_counter() - started) * 1000)
        log.debug("request of %s bytes", length or "?")
        return response

    @app.exception_handler(ApiError)
    async def api_error(_: Request, exc: ApiError):
        return _error(exc.status, exc.error, exc.message, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, exc: RequestValidationError):
        first = exc.errors()[0] if exc.errors() else {"loc": (), "msg": "invalid request"}
        where = ".".join(str(p) for p in first.get("loc", ()) if p != "body") or "body"
        return _error(422, "invalid_input", f"{where}: {first.get('msg')}")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, exc: StarletteHTTPException):
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        return _error(exc.status_code, code, str(exc.detail))

    @app.exception_handler(Exception)
    async def internal(_: Request, exc: Exception):
        log.error("internal error: %s", type(exc).__name__)  # the type only: messages can quote the mail
        return _error(500, "internal", "something went wrong inside replydraft; the request was not completed")

    @app.get("/healthz")
    async def healthz() -> dict:
        return {"status": "ok", "model": backend.model, "version": __version__}

    @app.get("/v1/policies", dependencies=[Depends(authorised)])
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

    @app.post("/v1/checks", dependencies=[Depends(authorised)], response_model=CheckReport)
    async def checks(body: CheckRequest) -> CheckReport:
        email = _email(body.mail) if body.mail is not None else None
        chosen = _policy(body.policy, default_policy)
        limits.take()
        try:
            run = functools.partial(check, body.text, language=body.language, register=body.register, policy=chosen, email=email)
            # A short reply checks in a few ms, less than a thread hop costs; a long one must not stall the loop.
            if len(body.text) + (len(email.body) + len(email.history) if email else 0) > LARGE_TEXT_CHARS:
                return await asyncio.to_thread(run)
            return run()
        except UsageError as exc:
            raise ApiError(422, "invalid_input", str(exc)) from None
        finally:
            limits.release()

    @app.post("/v1/drafts", dependencies=[Depends(authorised)], response_model=DraftResult)
    async def drafts(body: DraftRequest, stream: bool = False):
        email = _email(body.mail)
        chosen = _policy(body.policy, default_policy)
        limits.take()
        if stream:  # the stream gives its slot back when it ends
            return StreamingResponse(
                _events(email, chosen, body.note, backend, request_timeout, limits.release),
                media_type="text/event-stream", headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
            )
        try:
            result = await asyncio.wait_for(adraft_reply(email, policy=chosen, backend=backend, note=body.note), request_timeout)
        except asyncio.TimeoutError:
            raise ApiError(504, "timeout", f"no draft within {request_timeout:.0f} s; try again or write this one by hand") from None
        except UsageError as exc:
            raise ApiError(422, "invalid_input", str(exc)) from None
        finally:
            limits.release()
        return JSONResponse(result.model_dump(mode="json"))

    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/", include_in_schema=False)
    async def sidebar():
        return FileResponse(STATIC / "index.html", headers={"Cache-Control": "no-cache"})

    return app


def _error(status: int, error: str, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": error, "message": message}, status_code=status, headers=headers)


def _email(mail: dict | str):
    try:
        if isinstance(mail, dict):
            return read_email(json.dumps(mail, ensure_ascii=False).encode(), kind="json")
        return read_email(mail.encode("utf-8"))
    except ReplydraftError as exc:
        raise ApiError(422, "invalid_input", str(exc)) from None


def _policy(name: str | None, default):
    if name is None:
        return default
    if name not in available_policies():  # names only: a client never picks a file on the server
        raise ApiError(422, "invalid_input", f"unknown policy {name!r}; known: {', '.join(available_policies())}")
    return load_policy(name)


def _sse(event: str, data: dict) -> bytes:
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n".encode()


async def _events(email, policy, note, backend, timeout: float, done) -> AsyncIterator[bytes]:
    queue: asyncio.Queue[bytes | None] = asyncio.Queue()

    async def progress(event: str, data: dict) -> None:
        await queue.put(_sse(event, data))

    async def run() -> None:
        try:
            result = await asyncio.wait_for(
                adraft_reply(email, policy=policy, backend=backend, note=note, on_progress=progress), timeout
            )
            await queue.put(_sse("result", result.model_dump(mode="json")))
        except asyncio.TimeoutError:
            await queue.put(_sse("error", {"error": "timeout", "message": f"no draft within {timeout:.0f} s"}))
        except ReplydraftError as exc:
            await queue.put(_sse("error", {"error": "invalid_input", "message": str(exc)}))
        except Exception as exc:  # noqa: BLE001 - the stream must end with an event, never a cut connection
            log.error("internal error while streaming: %s", type(exc).__name__)
            await queue.put(_sse("error", {"error": "internal", "message": "something went wrong inside replydraft"}))
        finally:
            await queue.put(None)

    task = asyncio.create_task(run())
    try:
        while (item := await queue.get()) is not None:
            yield item
    finally:
        task.cancel()
        done()
