"""FakeBackend: queued replies and a call history, for tests (ours and integrators').

>>> fake = FakeBackend([{"questions": []}, "Beste Jan, ...", "Beste Jan, ..."])
>>> # draft_reply(email, backend=fake); then inspect fake.calls
"""

from __future__ import annotations

import asyncio
import json
import time
from collections import deque
from typing import Callable, Iterable, Union

from ..budget import count_messages, count_tokens
from .base import ChatRequest, ChatResponse

Reply = Union[str, dict, list, Exception, Callable[[ChatRequest], Union[str, dict]]]


class FakeBackend:
    """Answers each call with the next queued reply.

    A reply is a string (returned as is), a dict or list (returned as JSON), an exception (raised),
    or a function of the request (its result is returned). `calls` records every request.
    `latency` seconds are slept per call (asyncio.sleep in the async path), for load tests.
    """

    def __init__(self, replies: Iterable[Reply] = (), *, model: str = "fake", latency: float = 0.0,
                 default: Reply | None = None) -> None:
        self.model = model
        self.latency = latency
        self.default = default
        self._replies: deque[Reply] = deque(replies)
        self.calls: list[ChatRequest] = []

    def queue(self, *replies: Reply) -> "FakeBackend":
        self._replies.extend(replies)
        return self

    @property
    def remaining(self) -> int:
        return len(self._replies)

    def _answer(self, request: ChatRequest) -> ChatResponse:
        self.calls.append(request)
        if self._replies:
            reply = self._replies.popleft()
        elif self.default is not None:
            reply = self.default
        else:
            raise AssertionError(f"FakeBackend has no reply queued for call {len(self.calls)} ({request.phase})")
        if callable(reply) and not isinstance(reply, Exception):
            reply = reply(request)
        if isinstance(reply, Exception):
            raise reply
        content = reply if isinstance(reply, str) else json.dumps(reply, ensure_ascii=False)
        return ChatResponse(
            content=content,
            prompt_tokens=count_messages(request.messages, self.model),
            completion_tokens=count_tokens(content, self.model),
            model=self.model,
            finish_reason="stop",
        )

    def complete(self, request: ChatRequest) -> ChatResponse:
        if self.latency:
            time.sleep(self.latency)
        return self._answer(request)

    async def acomplete(self, request: ChatRequest) -> ChatResponse:
        if self.latency:
            await asyncio.sleep(self.latency)
        return self._answer(request)
