"""Driving a draft's steps to its result: `Drive` is the one loop behind `draft_reply` (one call at a
time), `adraft_reply` (on an event loop, with a live view) and the eval's Batch API path (`draft_steps`
and `advance`: every item's next request in one batch). A BackendError ends here, as one failed result."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ..backends.base import Backend, ChatRequest, ChatResponse
from ..checks import THREAD_ABOVE_CHARS
from ..errors import BackendConfigError, BackendError
from ..policy import Policy, load_policy
from ..prompts import template_hash
from ..types import DraftResult, Email
from .calls import ms
from .profiles import PROFILES, profile_for
from .steps import AnalysisReady, Steps, steps
from .writing import strip_closing

if TYPE_CHECKING:
    from ..feedback import FeedbackStore

SyncProgress = Callable[[str, dict], None]
Progress = Callable[[str, dict], Awaitable[None]]
_TEXT_PHASES = ("draft", "rewrite", "revision")


class Drive:
    """One draft's steps, driven: send each answer, get the next request; progress events met on the
    way wait in `events`; when there is no next request, `result` holds the DraftResult."""

    def __init__(self, draft_steps: Steps) -> None:
        self._steps = draft_steps
        self.events: list[AnalysisReady] = []
        self.result: DraftResult | None = None

    def next_request(self, answer: tuple[ChatResponse, float] | None = None) -> ChatRequest | None:
        """Send the answer (response, seconds) to the last request (None at the start); the next request,
        or None when the draft is done. StopIteration ends here: it cannot cross a thread's future."""
        sent = answer
        while True:
            try:
                item = self._steps.send(sent)
            except StopIteration as done:
                self.result = done.value
                return None
            if isinstance(item, ChatRequest):
                return item
            self.events.append(item)
            sent = None


def _as_email(email: Email | str | Path) -> Email:
    if isinstance(email, Email):
        return email
    from ..ingest import read_email

    return read_email(email)


def _start(email: Email | str | Path, policy: Policy | str | None, backend: Backend | None, note: str | None):
    """The mail read, the policy loaded, the backend resolved, and the draft's Drive."""
    from ..backends import resolve_backend

    started = time.perf_counter()
    email = _as_email(email)
    ingest_ms = ms(time.perf_counter() - started)
    policy = load_policy(policy)
    backend = resolve_backend(backend)
    drive = Drive(steps(email, policy, note, backend.model, profile_for(backend)))
    return email, policy, backend, drive, ingest_ms, started


def draft_reply(
    email: Email | str | Path,
    *,
    policy: Policy | str | None = None,
    backend: Backend | None = None,
    note: str | None = None,
    progress: SyncProgress | None = None,
    store: FeedbackStore | None = None,
) -> DraftResult:
    """Draft a checked reply to one customer mail.

    `store`, when given, records the draft (masked) for the feedback report: a library caller opts in.
    `progress(event, data)`, when given, hears `("phase", {"phase"})` as each model call starts,
    `("tokens", {"phase", "tokens"})` while a backend that streams generates, and `("call", CallUsage
    fields)` as each call ends: for a progress display.

    >>> from replydraft import FakeBackend, draft_reply
    >>> result = draft_reply("Waar blijft mijn pakket?", backend=FakeBackend(...))  # doctest: +SKIP
    >>> result.status in ("ready", "needs_review")  # doctest: +SKIP
    True
    """
    email, policy, backend, drive, ingest_ms, started = _start(email, policy, backend, note)
    try:
        request = drive.next_request()
        while request is not None:
            call_started = time.perf_counter()
            response = _complete(backend, request, progress)
            request = drive.next_request((response, time.perf_counter() - call_started))
    except BackendError as exc:
        return _failed(exc, backend, ingest_ms)
    return recorded(finish(drive.result, ingest_ms, started), email, policy, store)


async def adraft_reply(
    email: Email | str | Path,
    *,
    policy: Policy | str | None = None,
    backend: Backend | None = None,
    note: str | None = None,
    on_progress: Progress | None = None,
    store: FeedbackStore | None = None,
) -> DraftResult:
    """`draft_reply` on the backend's async client, for the service and batch runs.

    `on_progress(event, data)` is awaited as the draft takes shape, for a live view:
    `("analysis", {"questions", "language", "register"})` once the analysis is in, then
    `("preview", {"phase", "text", "checked": False})` as each text phase is written (token by
    token when the backend can stream). Previews are unchecked and still masked; only the
    returned DraftResult is checked and has the customer's data back.
    """
    email, policy, backend, drive, ingest_ms, started = _start(email, policy, backend, note)
    # The steps between calls (rendering, token counting, the post-check) are CPU work that costs less
    # than a worker-thread hop for an ordinary mail, so they run inline; a large mail's steps go to a
    # worker thread so they never stall the event loop: the same rule as acheck's (docs/performance.md).
    large = len(email.body) + len(email.history) + len(email.signature) > THREAD_ABOVE_CHARS

    async def step(answer):
        return await asyncio.to_thread(drive.next_request, answer) if large else drive.next_request(answer)

    try:
        request = await step(None)
        while request is not None:
            if on_progress:
                for event in drive.events:
                    await on_progress(event.event, event.data())
            drive.events.clear()
            call_started = time.perf_counter()
            response = await _acall(backend, request, on_progress)
            request = await step((response, time.perf_counter() - call_started))
    except BackendError as exc:
        return _failed(exc, backend, ingest_ms)
    result = finish(drive.result, ingest_ms, started)
    return await asyncio.to_thread(recorded, result, email, policy, store) if store else result


def _failed(exc: BackendError, backend: Backend, ingest_ms: float) -> DraftResult:
    """No draft: one failed result for every front-end. The model's settings (a refused key, an unknown
    model) are the operator's to fix, so they are logged too: our own message, no mail text."""
    if isinstance(exc, BackendConfigError):
        logging.getLogger("replydraft.pipeline").error("model configuration: %s", exc)
    return DraftResult.failed(exc, model=backend.model, prompt_hash=template_hash(), timings_ms={"ingest": ingest_ms})


def draft_steps(email: Email, *, policy: Policy | str | None = None, note: str | None = None, model: str = "",
                profile: str = "full") -> Drive:
    """The pipeline as a Drive of model requests, for drivers that are not one live call at a time.

    The Batch API driver sends every item's next request in one batch, then feeds each answer back
    with `advance`. Errors from the steps (e.g. ModelOutputError) propagate from `advance`.
    """
    return Drive(steps(email, load_policy(policy), note, model, PROFILES[profile]))


def advance(drive: Drive, sent: tuple[ChatResponse, float] | None):
    """One step as (next request, None) or (None, result)."""
    request = drive.next_request(sent)
    return (request, None) if request is not None else (None, drive.result)


def finish(result: DraftResult, ingest_ms: float, started: float) -> DraftResult:
    timings = {"ingest": ingest_ms, **result.timings_ms}
    timings["non_llm"] = round(timings["non_llm"] + ingest_ms, 2)
    timings["total"] = ms(time.perf_counter() - started)
    return result.model_copy(update={"timings_ms": timings})


def recorded(result: DraftResult, email: Email, policy: Policy, store: FeedbackStore | None) -> DraftResult:
    """The result, recorded in the feedback store when there is one. A store that fails costs the
    record, never the draft: the agent still gets it, with a note, and the log says why."""
    if store is None or result.status == "error":
        return result
    from sqlalchemy.exc import SQLAlchemyError

    try:
        store.record_draft(result, email, policy=policy.name)
    except SQLAlchemyError as exc:
        logging.getLogger("replydraft.feedback").error("draft %s not recorded: %s", result.draft_id, type(exc).__name__)
        return result.model_copy(update={"notes": [*result.notes, "not recorded in the feedback store (see the log)"]})
    return result


def _complete(backend: Backend, request: ChatRequest, progress: SyncProgress | None) -> ChatResponse:
    if progress is None:
        return backend.complete(request)
    progress("phase", {"phase": request.phase})
    if getattr(backend, "streams_tokens", False):
        response = backend.complete(request, on_tokens=lambda n: progress("tokens", {"phase": request.phase, "tokens": n}))
    else:
        response = backend.complete(request)
    progress("call", {"phase": request.phase, "completion_tokens": response.completion_tokens,
                      "prompt_tokens": response.prompt_tokens, "finish_reason": response.finish_reason})
    return response


async def _acall(backend: Backend, request: ChatRequest, on_progress: Progress | None) -> ChatResponse:
    if on_progress is None or request.phase not in _TEXT_PHASES:
        return await backend.acomplete(request)

    async def preview(text: str) -> None:
        await on_progress("preview", {"phase": request.phase, "text": strip_closing(text), "checked": False})

    stream = getattr(backend, "astream", None)
    if stream is None:
        response = await backend.acomplete(request)
        await preview(response.content)
        return response
    return await stream(request, preview)


def result_json(result: DraftResult) -> str:
    return json.dumps(result.model_dump(mode="json"), ensure_ascii=False, indent=2)
