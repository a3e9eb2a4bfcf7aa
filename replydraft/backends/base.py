"""The one small interface every backend implements: a chat request in, a chat response out."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Literal, Protocol, runtime_checkable

StructuredOutput = Literal["json_schema", "json_object", "none"]


@dataclass(frozen=True)
class ChatRequest:
    phase: str
    messages: list[dict]
    max_tokens: int
    temperature: float = 0.2
    json_schema: dict | None = None
    schema_name: str = "output"
    stop: tuple[str, ...] = ()  # the answer is done when one of these would come next


@dataclass(frozen=True)
class ChatResponse:
    content: str
    prompt_tokens: int
    completion_tokens: int
    model: str = ""
    finish_reason: str | None = None
    extra: dict = field(default_factory=dict)


# Receives the number of tokens generated so far in a streaming call, for a progress display.
TokenProgress = Callable[[int], None]


@runtime_checkable
class Backend(Protocol):
    model: str

    def complete(self, request: ChatRequest) -> ChatResponse: ...

    async def acomplete(self, request: ChatRequest) -> ChatResponse: ...
