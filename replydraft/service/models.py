"""The service's request and response bodies, and its one error shape `{"error", "message"}`."""

from __future__ import annotations

import warnings
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class ApiError(Exception):
    def __init__(self, status: int, error: str, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.error, self.message, self.headers = status, error, message, headers or {}


class ErrorBody(BaseModel):
    error: str = Field(description="unauthorized, wrong_host, too_large, invalid_input, busy, timeout, internal, not_found, no_store")
    message: str = Field(description="what went wrong, for a person")


class DraftRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    mail: dict[str, Any] | str = Field(description="the customer's mail: helpdesk JSON as the CLI reads it, or plain text / a raw .eml")
    note: str | None = Field(default=None, description="the agent's note for this draft")
    policy: str | None = Field(default=None, description="a shipped policy name; the service's own when left out")


class FeedbackRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    draft_id: str = Field(min_length=1, max_length=64, description="the draft's draft_id from POST /v1/drafts")
    outcome: Literal["sent", "discarded"] = Field(description="sent: the agent sent a reply based on it; discarded: thrown away")
    sent_text: str | None = Field(default=None, description="the reply as the agent sent it (masked before it is stored)")
    agent: str | None = Field(default=None, max_length=200, description="the helpdesk's id for the agent")


class FeedbackResponse(BaseModel):
    draft_id: str
    outcome: str
    similarity: float | None = Field(description="0..1, the draft vs the sent text; null without sent_text")
    kind: str = Field(description="as_is, edited, discarded or sent_unknown")


# "register" is the contract's JSON key; pydantic's warning that it shadows ABCMeta.register is harmless,
# and silenced here only, never globally.
with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message='Field name "register"', category=UserWarning)

    class CheckRequest(BaseModel):
        model_config = ConfigDict(extra="forbid")

        text: str = Field(description="the reply to check")
        mail: dict[str, Any] | str | None = Field(default=None, description="the customer's mail, for the checks that need it")
        language: str | None = None
        register: str | None = None
        policy: str | None = None


ERRORS = {
    status: {"model": ErrorBody, "description": description}
    for status, description in {
        401: "unauthorized: a missing or wrong bearer token", 413: "too_large: the body is over the limit",
        422: "invalid_input: a mail or policy that cannot be used", 429: "busy: try again after Retry-After seconds",
        500: "internal: an unexpected fault (never a stack trace)", 504: "timeout: no draft within the time limit",
        404: "not_found: no draft with that draft_id", 503: "no_store: the service keeps no feedback store",
    }.items()
}
