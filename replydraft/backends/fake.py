"""FakeBackend: queued replies and a call history, for tests (ours and integrators').

>>> fake = FakeBackend([{"questions": []}, "Beste Jan, ...", "Beste Jan, ..."])
>>> # draft_reply(email, backend=fake); then inspect fake.calls
"""

from __future__ import annotations

import asyncio
import json
import re
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

    async def astream(self, request: ChatRequest, on_text) -> ChatResponse:
        """The reply in word-sized pieces, its latency spread over them; `on_text(text so far)` is awaited per piece."""
        response = self._answer(request)
        pieces = re.findall(r"\S+\s*", response.content) or [response.content]
        for n in range(1, len(pieces) + 1):
            if self.latency:
                await asyncio.sleep(self.latency / len(pieces))
            await on_text("".join(pieces[:n]))
        return response


_MAIL = re.compile(r"<<<MAIL\n(.*?)\nMAIL>>>", re.DOTALL)
_REPLY = re.compile(r"<<<REPLY\n(.*?)\nREPLY>>>", re.DOTALL)
_QUESTION = re.compile(r"[^.!?\n]*\?")


def plausible_reply(request: ChatRequest) -> Union[str, dict]:
    """A reply for every phase, made from the request alone: for load tests and eval plumbing, not quality.

    The analysis quotes each sentence of the mail that ends in "?"; the draft is a short fixed reply
    in the language the prompt asks for; rewrite and revision hand the reply back unchanged.

    >>> fake = FakeBackend(default=plausible_reply, latency=0.2)
    """
    prompt = request.messages[-1]["content"]
    if request.phase.startswith("analysis"):
        mail = _MAIL.search(prompt)
        quotes = [q.strip() for q in _QUESTION.findall(mail.group(1))] if mail else []
        return {"questions": [{"quote": q, "kind": "question", "topic": ""} for q in quotes if len(q) > 3]}
    if request.phase in ("rewrite", "revision"):
        reply = _REPLY.search(prompt)
        return reply.group(1) if reply else ""
    if "in English" in prompt.split("\n", 1)[0]:
        return "Hello,\n\nThank you for your message. We will send you a full answer tomorrow before 12:00."
    return "Beste klant,\n\nDank voor uw bericht. Wij sturen u morgen voor 12.00 uur een volledig antwoord."
