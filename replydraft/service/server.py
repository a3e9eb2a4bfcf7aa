"""uvicorn as `replydraft serve` runs it: slow or idle clients do not hold connections open.

Three bounds, each `read_timeout` seconds unless said otherwise:
- the request head (request line and headers) must arrive within it, from the connection's start or from
  the first byte of a later request on it (`HeadDeadline`, for uvicorn's httptools protocol);
- the body must arrive within it once the head is in (the app's `Guard`: 408, then the connection closes);
- an idle keep-alive connection is closed after `timeout_keep_alive` (uvicorn's, 5 s).
"""

from __future__ import annotations

import asyncio

DEFAULT_READ_TIMEOUT = 20.0
KEEP_ALIVE_TIMEOUT = 5


def protocol(read_timeout: float):
    """uvicorn's httptools protocol with a deadline for each request head; "auto" without httptools."""
    try:
        from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
    except ImportError:  # pragma: no cover - uvicorn[standard] brings httptools
        return "auto"

    class HeadDeadline(HttpToolsProtocol):
        head_timeout = read_timeout
        _head_timer: asyncio.TimerHandle | None = None

        def connection_made(self, transport) -> None:
            super().connection_made(transport)
            self._arm()

        def on_message_begin(self) -> None:
            super().on_message_begin()
            self._arm()  # a later request on a kept-alive connection: its head gets the same bound

        def on_headers_complete(self) -> None:
            self._disarm()
            super().on_headers_complete()

        def connection_lost(self, exc) -> None:
            self._disarm()
            super().connection_lost(exc)

        def _arm(self) -> None:
            if self._head_timer is None:
                self._head_timer = self.loop.call_later(self.head_timeout, self._too_slow)

        def _disarm(self) -> None:
            if self._head_timer is not None:
                self._head_timer.cancel()
                self._head_timer = None

        def _too_slow(self) -> None:
            self._head_timer = None
            if not self.transport.is_closing():
                self.transport.close()

    return HeadDeadline


def uvicorn_config(app, *, host: str, port: int, **options):
    """The uvicorn.Config the service runs with (also the tests' live service); the head deadline is the
    app's own read timeout (`create_app(read_timeout=...)`)."""
    import uvicorn

    read_timeout = getattr(app.state, "read_timeout", DEFAULT_READ_TIMEOUT)
    return uvicorn.Config(app, host=host, port=port, http=protocol(read_timeout),
                          timeout_keep_alive=KEEP_ALIVE_TIMEOUT, **options)
