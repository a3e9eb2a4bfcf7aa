"""One draft as a generator: it yields each model request (and progress events), takes each answer, and
returns the DraftResult. A generator, so that any driver can run it: one call at a time, on an event
loop, or every item's next request in one Batch API job (see driver.py)."""

from __future__ import annotations

import time
from collections.abc import Generator
from dataclasses import dataclass, field

from ..backends.base import ChatRequest, ChatResponse
from ..budget import cost_estimate, count_tokens, trim_history
from ..language import detect_language, detect_register
from ..masking import Masked, mask_email
from ..policy import Policy
from ..prompts import render, template_hash
from ..types import Analysis, CheckReport, DraftResult, Email
from .analysis import analyse, verified, with_question_floor
from .calls import Calls
from .profiles import PROFILES, Profile
from .writing import Gate, restored, revise, unfilled_placeholders, with_findings, write


@dataclass(frozen=True)
class AnalysisReady:
    """Progress: the verified questions (still masked) as the draft will answer them."""

    questions: list[dict]
    language: str
    register: str

    event = "analysis"

    def data(self) -> dict:
        return {"questions": self.questions, "language": self.language, "register": self.register}


Steps = Generator[ChatRequest | AnalysisReady, tuple[ChatResponse, float] | None, DraftResult]


@dataclass
class Prepared:
    """The mail as the model will see it, and what the draft needs to know about it."""

    email: Email  # masked and within the input budget
    raw_email: Email
    note: str | None
    masking: Masked | None
    language: str
    register: str
    history: str
    calls: Calls
    notes: list[str] = field(default_factory=list)


def _language_and_register(email: Email, policy: Policy, notes: list[str]) -> tuple[str, str]:
    language = email.language or detect_language(email.body)
    register = email.register if email.register not in (None, "unknown") else detect_register(email.body, language)
    if register == "unknown":
        register = policy.tone.default_register if language == "nl" else "formal"
    if language not in ("nl", "en"):
        notes.append(f"The mail is in '{language}': the reply is drafted in that language; the B1 checks are not calibrated for it.")
    return language, register


def _masked(email: Email, note: str | None, policy: Policy, notes: list[str]):
    """Personal data never reaches the model: every prompt and every check sees placeholders,
    and only the final draft gets the values back (where it uses their placeholder)."""
    if not policy.masking.enabled:
        return email, note, None
    email, note, masking = mask_email(email, note)
    if masking.entities:
        kinds = sorted({e.type for e in masking.entities})
        notes.append(f"masked before the model saw the mail: {len(masking.entities)} value(s) ({', '.join(kinds)})")
    return email, note, masking


def _within_budget(email: Email, calls: Calls, notes: list[str]) -> tuple[Email, str]:
    """A mail longer than the input budget (a pasted log, a 40,000-row HTML table) keeps its start,
    where the customer writes; the model is never sent more than the policy allows."""
    budget, model = calls.policy.budget.max_input_tokens - calls.static_tokens - 800, calls.model
    body, cut = trim_history(email.body, max(200, budget), model)
    if cut:
        email = email.model_copy(update={"body": body})
        notes.append("the mail was longer than the policy's input budget: only its start was used")
    history, trimmed = trim_history(email.history, max(0, budget - count_tokens(email.body, model)), model)
    if trimmed:
        notes.append("the oldest quoted history was trimmed to the policy's input budget")
    return email, history


def prepare(email: Email, policy: Policy, note: str | None, model: str, profile: Profile) -> Prepared:
    """Language and register, personal data masked, the system prompt, the input budget."""
    started = time.perf_counter()
    notes: list[str] = []
    language, register = _language_and_register(email, policy, notes)
    masked, masked_note, masking = _masked(email, note, policy, notes)
    calls = Calls(policy, model, render("system.j2", policy=policy), profile, language)
    masked, history = _within_budget(masked, calls, notes)
    calls.clock.add("prepare", time.perf_counter() - started)
    return Prepared(masked, email, masked_note, masking, language, register, history, calls, notes)


def steps(email: Email, policy: Policy, note: str | None, model: str, profile: Profile = PROFILES["full"]) -> Steps:
    """The pipeline: prepare, analyse, write, gate and revise, restore, result."""
    mail = prepare(email, policy, note, model, profile)
    calls, language, register = mail.calls, mail.language, mail.register
    analysis = yield from analyse(calls, mail.email, mail.history, mail.note)
    analysis, dropped = verified(analysis, mail.email)
    mail.notes.extend(dropped)
    analysis = with_question_floor(analysis, mail.email, language)
    yield AnalysisReady([q.model_dump(mode="json") for q in analysis.questions], language, register)
    draft_text, text = yield from write(calls, mail.email, analysis, mail.note, language, register)

    signature = policy.company.signature_en if language == "en" else policy.company.signature
    gate = Gate(calls, draft_text, signature, language, register, analysis)
    masked_email = mail.email.model_copy(update={"language": language})
    raw_email = mail.raw_email.model_copy(update={"language": language})
    text, report = yield from revise(calls, gate, text, masked_email, language, register)
    text, report, analysis = restored(mail.masking, gate, text, report, analysis, raw_email)
    report = with_findings(report, unfilled_placeholders(text))
    return result(calls, report, analysis, f"{text}\n\n{signature}", mail.notes)


def result(calls: Calls, report: CheckReport, analysis: Analysis, text: str, notes: list[str]) -> DraftResult:
    prompt_tokens = sum(c.prompt_tokens for c in calls.usage)
    completion_tokens = sum(c.completion_tokens for c in calls.usage)
    timings = calls.clock.timings
    timings["non_llm"] = round(sum(v for k, v in timings.items() if k in ("prepare", "render", "check")), 2)
    timings["llm"] = round(sum(c.seconds for c in calls.usage) * 1000, 2)
    return DraftResult(
        status=report.status, text=text, analysis=analysis, checks=report, promises=report.promises,
        calls=calls.usage, prompt_tokens=prompt_tokens, completion_tokens=completion_tokens,
        cost_estimate=cost_estimate(calls.policy, calls.model, prompt_tokens, completion_tokens),
        timings_ms=timings, model=calls.model, prompt_hash=template_hash(), notes=notes,
    )
