"""The data that flows through replydraft: Email -> Analysis -> Draft -> CheckReport -> DraftResult.

Inputs are frozen; every model rejects unknown keys so a typo in an integration fails loudly,
except `Analysis`, which is parsed from model output and ignores keys the model adds.
"""

from __future__ import annotations

import uuid
import warnings
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Language = str  # ISO 639-1 code: "nl", "en", or whatever the detector found
Register = Literal["u", "je", "formal", "informal", "unknown"]
Severity = Literal["error", "warning", "info"]
Status = Literal["ready", "needs_review", "error"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


# "register" is the contract's JSON key. Pydantic warns that the field shadows ABCMeta.register, which
# is harmless; the warning is silenced where the two models with that field are made, never globally.
with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message='Field name "register"', category=UserWarning)

    class Email(_Frozen):
        """One customer mail, with its new message separated from quoted history and signature."""

        body: str
        subject: str = ""
        sender_name: str = ""
        sender_address: str = ""
        received_at: datetime | None = None
        history: str = ""
        signature: str = ""
        attachments: tuple[str, ...] = ()
        language: Language | None = None
        register: Register | None = None
        ticket_id: str | None = None  # the helpdesk's ticket, for the feedback store (and its erasure)


class Question(_Frozen):
    """A question or request from the mail, quoted word for word."""

    quote: str
    kind: Literal["question", "request"] = "question"
    topic: str = ""


class GivenFact(_Frozen):
    """Something the customer already told us: never ask for it again."""

    kind: str
    value: str


class Analysis(BaseModel):
    """The analysis phase's view of the mail, made before any answer is written."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    questions: list[Question] = Field(default_factory=list)
    question_behind: str = ""
    facts_given: list[GivenFact] = Field(default_factory=list)
    missing_info: list[str] = Field(default_factory=list)
    emotion: str = "neutraal"
    emotion_intensity: int = Field(default=0, ge=0, le=3)
    our_mistake: bool = False
    mistake_detail: str = ""
    broken_promise: bool = False
    thanks_given: bool = False
    intent: str = ""
    assumptions_to_verify: list[str] = Field(default_factory=list)


class Finding(_Frozen):
    code: str
    severity: Severity
    rule: str
    message: str
    start: int | None = None
    end: int | None = None
    suggestion: str | None = None


class Promise(_Frozen):
    text: str
    actor: str
    action: str
    when: str | None
    start: int
    end: int


class Readability(_Frozen):
    formula: str | None
    score: float | None
    words: int
    sentences: int
    words_per_sentence: float
    max_sentence_words: int
    long_word_ratio: float
    rare_word_ratio: float
    negations: int
    passive_sentences: int
    subordinate_max: int
    officialese: int


class B1Verdict(_Frozen):
    ok: bool | None
    reasons: list[str] = Field(default_factory=list)


class Conditionality(_Frozen):
    score: float


with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message='Field name "register"', category=UserWarning)

    class CheckReport(_Frozen):
        id: str | None = None
        language: Language
        register: Register = Field(...)  # explicit: without it pydantic takes ABCMeta.register as the default
        status: Literal["ready", "needs_review"]
        readability: Readability | None
        b1: B1Verdict
        conditionality: Conditionality
        findings: list[Finding] = Field(default_factory=list)
        promises: list[Promise] = Field(default_factory=list)
        mirroring: float | None = None
        notes: list[str] = Field(default_factory=list)

        def to_json_dict(self) -> dict:
            data = self.model_dump(mode="json", exclude_none=False)
            if self.id is None:
                data.pop("id")
            return data


class CallUsage(_Frozen):
    phase: str
    prompt_tokens: int
    completion_tokens: int
    static_prompt_tokens: int = 0
    estimated_prompt_tokens: int = 0
    seconds: float = 0.0
    max_tokens: int = 0  # the call's output cap
    finish_reason: str | None = None  # "length": the call stopped at its cap


class DraftResult(_Frozen):
    # Unique per draft: report what the agent did with it (POST /v1/feedback, replydraft.record_outcome).
    draft_id: str = Field(default_factory=lambda: uuid.uuid4().hex)
    status: Status
    text: str
    analysis: Analysis | None = None
    checks: CheckReport | None = None
    promises: list[Promise] = Field(default_factory=list)
    calls: list[CallUsage] = Field(default_factory=list)
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_estimate: float | None = None
    timings_ms: dict[str, float] = Field(default_factory=dict)
    model: str = ""
    prompt_hash: str = ""
    notes: list[str] = Field(default_factory=list)
    error: str | None = None

    @classmethod
    def failed(cls, error: Exception | str, *, model: str = "", prompt_hash: str = "",
               timings_ms: dict[str, float] | None = None) -> DraftResult:
        """No draft could be made: status "error" with the reason, the one shape every front-end presents."""
        return cls(status="error", text="", error=str(error), model=model, prompt_hash=prompt_hash,
                   timings_ms=timings_ms or {})
