"""The service's outermost layer: what must not reach the app, and the headers every response carries."""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import re
import time

from fastapi.responses import JSONResponse

from .server import DEFAULT_READ_TIMEOUT

log = logging.getLogger("replydraft.service")

DEFAULT_MAX_BODY_BYTES = 1_000_000
INTERNAL = "something went wrong inside replydraft; the request was not completed"
UNAUTHORIZED = "a valid bearer token is required (Authorization: Bearer <token>)"
LOOPBACK_HOST = re.compile(rb"(?:127\.0\.0\.1|localhost|\[::1\])(?::[0-9]{1,5})?", re.IGNORECASE)
# A JSON escape of a UTF-16 surrogate: paired ones decode to one character, a lone one cannot be encoded.
SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


def error_response(status: int, error: str, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": error, "message": message}, status_code=status, headers=headers)


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
        except Exception as exc:
            log.error("internal error: %s", type(exc).__name__)  # the type only: messages can quote the mail
            log.debug("internal error", exc_info=True)
            if not status:
                await error_response(500, "internal", INTERNAL)(scope, receive, sending)
        finally:
            log.info("%s %s %d %.0f ms", scope["method"], scope["path"], status, (time.perf_counter() - started) * 1000)

    def _refusal(self, scope) -> JSONResponse | None:
        """The answer to a request refused on its head alone (wrong Host, no token), or None."""
        if self.tokens is None and not LOOPBACK_HOST.fullmatch(_header(scope, b"host").strip()):
            return error_response(421, "wrong_host", "without tokens (--no-auth) the service answers only to 127.0.0.1, "
                          "localhost or [::1] in the Host header", _closing(scope))
        path = scope["path"]
        if self.tokens is not None and (path == "/v1" or path.startswith("/v1/")) \
                and not token_ok(_header(scope, b"authorization"), self.tokens):
            return error_response(401, "unauthorized", UNAUTHORIZED, {"WWW-Authenticate": "Bearer", **_closing(scope)})
        return None

    async def _body(self, scope, receive):
        """(the receive the app gets, a refusal or None): the body read within the time and size limits."""
        try:
            async with asyncio.timeout(self.read_timeout):
                read = await self._read_body(scope, receive)
        except TimeoutError:
            return receive, error_response(408, "timeout", f"the request body did not arrive within {self.read_timeout:g} s",
                                   {"Connection": "close"})
        if read is None:
            return receive, error_response(413, "too_large", f"the request is over the limit of {self.max_body_bytes:,} bytes")
        replay, body = read
        field = _undecodable_field(body)
        if field is not None:
            return receive, error_response(422, "invalid_input", f"{field}: not valid Unicode text (a lone UTF-16 surrogate "
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


def token_ok(authorization: bytes, accepted: list[bytes]) -> bool:
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
