"""The model calls of one draft and the time spent per phase: the pipeline's one place for both."""

from __future__ import annotations

import time
from contextlib import contextmanager
from dataclasses import dataclass, field

from ..backends.base import ChatRequest
from ..budget import count_messages, count_system_prompt
from ..policy import Policy
from ..types import CallUsage
from .profiles import CLOSING_STOPS, MARKER_STOPS, TEXT_CAP, Profile


def ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


@dataclass
class Stopwatch:
    """Milliseconds per phase, summed over the draft ("render", "check", "analysis", ...)."""

    timings: dict[str, float] = field(default_factory=dict)

    def add(self, phase: str, seconds: float) -> None:
        self.timings[phase] = self.timings.get(phase, 0.0) + ms(seconds)

    @contextmanager
    def time(self, phase: str):
        started = time.perf_counter()
        try:
            yield
        finally:
            self.add(phase, time.perf_counter() - started)


class Calls:
    """Builds each phase's request (its cap and stops) and records what each call cost."""

    def __init__(self, policy: Policy, model: str, system: str, profile: Profile, language: str) -> None:
        self.policy, self.model, self.system, self.profile = policy, model, system, profile
        self.static_tokens = count_system_prompt(system, model)
        self.usage: list[CallUsage] = []
        self.clock = Stopwatch()
        closing = CLOSING_STOPS.get(language)
        self.text_stops = MARKER_STOPS + ((closing,) if closing else ())

    def ask(self, phase: str, user: str, *, schema: dict | None = None, history_messages=()) -> ChatRequest:
        messages = [{"role": "system", "content": self.system}, {"role": "user", "content": user}, *history_messages]
        cap = self.profile.caps.get(phase, TEXT_CAP)
        return ChatRequest(
            phase=phase, messages=messages, max_tokens=min(cap, self.policy.budget.max_output_tokens),
            json_schema=schema, schema_name="analysis" if schema else "output",
            stop=() if schema else self.text_stops,
        )

    def call(self, request: ChatRequest):
        """Yield the request, record what came back, return the response (use with `yield from`)."""
        response, seconds = yield request
        self.usage.append(CallUsage(
            phase=request.phase,
            prompt_tokens=response.prompt_tokens,
            completion_tokens=response.completion_tokens,
            static_prompt_tokens=self.static_tokens,
            estimated_prompt_tokens=count_messages(request.messages, self.model),
            seconds=round(seconds, 3),
            max_tokens=request.max_tokens,
            finish_reason=response.finish_reason,
        ))
        self.clock.add(request.phase, seconds)
        return response
