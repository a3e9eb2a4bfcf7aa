"""Server-sent events for a streamed draft: the outbox a slow client reads from, and the task that fills it."""

from __future__ import annotations

import asyncio
import json
import logging
from collections import deque
from collections.abc import AsyncIterator
from typing import Any

from .guard import INTERNAL
from .models import ApiError

log = logging.getLogger("replydraft.service")


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


async def drive_stream(draft, outbox: Outbox, done) -> None:
    """One streamed draft: progress into the outbox, then the result or an error event, always an end."""

    async def progress(event: str, data: dict) -> None:
        outbox.put(event, data)

    try:
        result = await draft(on_progress=progress)
        outbox.put("result", result.model_dump(mode="json"))
    except ApiError as exc:
        outbox.put("error", {"error": exc.error, "message": exc.message})
    except Exception as exc:
        log.error("internal error while streaming: %s", type(exc).__name__)
        log.debug("internal error while streaming", exc_info=True)
        outbox.put("error", {"error": "internal", "message": INTERNAL})
    finally:
        done()
        outbox.put(None)
