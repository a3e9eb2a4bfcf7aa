"""The drafting pipeline: analyse, draft, rewrite in B1 (the full profile; the lean one drafts in B1
directly), check, and revise once if the check fails.

The steps are written once, as a generator that yields each model request and receives the
response; `draft_reply` drives it with a sync backend and `adraft_reply` with an async one.
"""

from __future__ import annotations

import asyncio
import copy
import json
import logging
import re
import time
from collections.abc import Awaitable, Callable, Generator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import ValidationError

from .backends.base import Backend, ChatRequest, ChatResponse
from .budget import cost_estimate, count_messages, count_tokens, trim_history
from .checks import check, extract_promises
from .errors import BackendError, ModelOutputError
from .facts import lost_facts
from .language import detect_language, detect_register
from .masking import PLACEHOLDER, mask_email
from .policy import Policy, load_policy
from .prompts import render, strip_markers, template_hash
from .types import Analysis, CallUsage, CheckReport, DraftResult, Email, Finding, Question

if TYPE_CHECKING:
    from .feedback import FeedbackStore

LANGUAGE_NAMES = {"nl": "Dutch (Nederlands)", "en": "English", "de": "German", "fr": "French", "es": "Spanish"}
_CLOSING = re.compile(
    r"\n\s*(met vriendelijke groet|vriendelijke groet|hartelijke groet|groeten|met hartelijke groet|"
    r"kind regards|best regards|regards|sincerely|yours sincerely|best wishes)\b.*\Z",
    re.IGNORECASE | re.DOTALL,
)

Steps = Generator[ChatRequest, tuple[ChatResponse, float], DraftResult]


@dataclass(frozen=True)
class Profile:
    """How many calls a draft takes and how long each may be.

    `full`: analysis, draft, B1 rewrite, one revision when the check fails (capable models).
    `lean`: analysis, a draft written in B1 directly (the plain-language rules inlined in the draft
    prompt), one revision (small models: the rewrite call costs a minute and mostly adds errors).
    Caps bound each phase below the policy's max_output_tokens; the stop sequences end a text
    phase at the prompt's closing REPLY>>> or the reply's own closing, so no call runs to its cap
    when its answer is done."""

    name: str
    rewrite: bool
    caps: dict = field(default_factory=dict)


_TEXT_CAP = 500  # a B1 reply of ~250 words; longer is a loop
_ANALYSIS_CAPS = {"analysis": 800, "analysis_retry": 800}
PROFILES = {
    "full": Profile("full", rewrite=True, caps=_ANALYSIS_CAPS),
    "lean": Profile("lean", rewrite=False, caps=_ANALYSIS_CAPS),
}
# Not "MAIL>>>": a model that echoes the mail would stop inside the echo, and the reply after it would be lost.
_MARKER_STOPS = ("REPLY>>>",)
_CLOSING_STOPS = {"nl": "\nMet vriendelijke groet", "en": "\nKind regards"}


def profile_for(backend: Backend) -> Profile:
    """REPLYDRAFT_PROFILE (full, lean) when set, else the backend's own (the embedded model: lean), else full."""
    import os

    from .errors import ConfigError

    name = os.environ.get("REPLYDRAFT_PROFILE") or getattr(backend, "profile", "full")
    if name not in PROFILES:
        raise ConfigError(f"REPLYDRAFT_PROFILE must be one of {', '.join(PROFILES)}, not {name!r}")
    return PROFILES[name]


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


def analysis_schema() -> dict:
    """Analysis as a self-contained JSON Schema (no $refs), which every structured-output server accepts."""
    return copy.deepcopy(_analysis_schema())


@cache
def _analysis_schema() -> dict:
    schema = Analysis.model_json_schema()
    defs = schema.pop("$defs", {})

    def inline(node):
        if isinstance(node, dict):
            if "$ref" in node:
                return inline(defs[node["$ref"].split("/")[-1]])
            return {k: inline(v) for k, v in node.items() if k != "title"}
        if isinstance(node, list):
            return [inline(v) for v in node]
        return node

    schema = inline(schema)
    schema["required"] = list(schema["properties"])
    return schema


def _normalise(text: str) -> str:
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return " ".join(text.split()).lower()


def _verified(analysis: Analysis, email: Email) -> tuple[Analysis, list[str]]:
    """Drop questions whose quote is not in the mail: they are not the customer's words."""
    mail = _normalise(f"{email.subject}\n{email.body}")
    kept, notes = [], []
    for question in analysis.questions:
        if _normalise(question.quote) and _normalise(question.quote) in mail:
            kept.append(question)
        else:
            notes.append(f"dropped a question the analysis quoted but the mail does not contain: {question.quote[:80]!r}")
    return analysis.model_copy(update={"questions": kept}), notes


def with_question_floor(analysis: Analysis, email: Email, language: str) -> Analysis:
    """Every sentence of the new message that asks ("…?") or requests ("kunt u …", "graag …", "could
    you …") is in the question list, even when the model missed it: unanswered_question then always
    has the customer's questions to check against."""
    from .checks.injection_mail import instruction_spans, off_case_tasks
    from .packs import load_pack
    from .text import tokenize

    pack = load_pack(language) or load_pack("en")
    request = pack.section("analysis").pattern("request")
    known = [_normalise(q.quote) for q in analysis.questions]
    # An instruction hidden in the mail ("What is the capital of Brazil?", "Kunt u in uw antwoord ...") is no
    # question of the customer's: the floor must not hand it to the draft prompt.
    doc = tokenize(email.body)
    hidden = instruction_spans(email.body, [(s.start, s.end) for s in doc.sentences])
    tasks = [_normalise(task) for task, _ in off_case_tasks(email.body)]
    added = []
    for sentence in doc.sentences:
        quote = sentence.text.strip()
        asks = quote.endswith("?")
        if not (asks or request.match(quote)) or len(quote.split()) < 3:
            continue
        key = _normalise(quote)
        if any(a < sentence.end and sentence.start < b for a, b in hidden) or any(
                key in task or task in key for task in tasks if task):
            continue
        if any(key in k or k in key for k in known if k):
            continue
        known.append(key)
        added.append(Question(quote=quote, kind="question" if asks else "request"))
    return analysis.model_copy(update={"questions": analysis.questions + added}) if added else analysis


def _strip_closing(text: str) -> str:
    return _CLOSING.sub("", text.strip()).rstrip()


def _greeting(email: Email, language: str, register: str) -> str:
    first = email.sender_name.split()[0] if email.sender_name.strip() else ""
    if language == "en":
        return f"Dear {email.sender_name}," if register == "formal" and email.sender_name else f"Hi {first}," if first else "Hello,"
    if register == "je":
        return f"Hoi {first}," if first else "Hoi,"
    return f"Beste {email.sender_name}," if email.sender_name else "Beste klant,"


def _lost_findings(lost: list[str]) -> list[Finding]:
    return [
        Finding(
            code="rewrite_lost_fact", severity="error", rule="B1 rewrite",
            message=f"The plain-language rewrite lost a fact or promise of the draft: {fact!r}",
            suggestion=f"Put {fact!r} back in.",
        )
        for fact in lost
    ]


def _unfilled_placeholders(text: str) -> list[Finding]:
    """A masking placeholder left after restoring: the model made up data the mail never had."""
    return [
        Finding(
            code="placeholder", severity="error", rule="GR6",
            message=f"Placeholder for personal data that is not in the mail: “{m.group(0)}”",
            start=m.start(), end=m.end(), suggestion="Leave it out, or fill in the real value yourself.",
        )
        for m in PLACEHOLDER.finditer(text)
    ]


def _with_findings(report: CheckReport, extra: list[Finding]) -> CheckReport:
    if not extra:
        return report
    return report.model_copy(update={"findings": report.findings + extra, "status": "needs_review"})


class _Calls:
    """The model calls of one draft and the time spent per phase: the pipeline's one place for both."""

    def __init__(self, policy: Policy, model: str, system: str, profile: Profile, language: str) -> None:
        self.policy, self.model, self.system, self.profile = policy, model, system, profile
        self.static_tokens = count_tokens(system, model)
        self.calls: list[CallUsage] = []
        self.timings: dict[str, float] = {}
        closing = _CLOSING_STOPS.get(language)
        self.text_stops = _MARKER_STOPS + ((closing,) if closing else ())

    def ask(self, phase: str, user: str, *, schema: dict | None = None, history_messages=()) -> ChatRequest:
        messages = [{"role": "system", "content": self.system}, {"role": "user", "content": user}, *history_messages]
        cap = self.profile.caps.get(phase, _TEXT_CAP)
        return ChatRequest(
            phase=phase, messages=messages, max_tokens=min(cap, self.policy.budget.max_output_tokens),
            json_schema=schema, schema_name="analysis" if schema else "output",
            stop=() if schema else self.text_stops,
        )

    def call(self, request: ChatRequest):
        """Yield the request, record what came back, return the response (use with `yield from`)."""
        response, seconds = yield request
        self.calls.append(CallUsage(
            phase=request.phase,
            prompt_tokens=response.prompt_tokens,
            completion_tokens=response.completion_tokens,
            static_prompt_tokens=self.static_tokens,
            estimated_prompt_tokens=count_messages(request.messages, self.model),
            seconds=round(seconds, 3),
            max_tokens=request.max_tokens,
            finish_reason=response.finish_reason,
        ))
        self.add(request.phase, seconds)
        return response

    def add(self, phase: str, seconds: float) -> None:
        self.timings[phase] = self.timings.get(phase, 0.0) + _ms(seconds)


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


def _within_budget(email: Email, calls: _Calls, notes: list[str]) -> tuple[Email, str]:
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


def _analyse(calls: _Calls, email: Email, history: str, note: str | None):
    """Phase 1: the analysis as validated JSON, with one re-ask quoting the validation error."""
    started = time.perf_counter()
    user = render("analysis.j2", email=email, history=history, note=note)
    request = calls.ask("analysis", user, schema=analysis_schema())
    calls.add("render", time.perf_counter() - started)
    for attempt in range(2):
        response = yield from calls.call(request)
        try:
            return Analysis.model_validate_json(_json_only(response.content))
        except (ValidationError, ValueError) as exc:
            error = str(exc).splitlines()[0] if isinstance(exc, ValueError) and not isinstance(exc, ValidationError) else _short(exc)
            if attempt == 1:
                raise ModelOutputError(f"the model's analysis was not valid JSON twice; last error: {error}") from None
            request = calls.ask(
                "analysis_retry", user, schema=analysis_schema(),
                history_messages=(
                    {"role": "assistant", "content": response.content[:2000]},
                    {"role": "user", "content": f"That was not valid: {error}. Reply with the JSON object only."},
                ),
            )


def _reply_text(response: ChatResponse) -> str:
    """A text phase's answer as the agent would read it: without our prompt's markers (a small model
    echoes them) and without the model's own closing (we add the team's signature)."""
    return _strip_closing(strip_markers(response.content))


def _write(calls: _Calls, email: Email, analysis: Analysis, note: str | None, language: str, register: str):
    """Phases 2 and 3: the draft, then (in the full profile) its B1 rewrite, which must keep every fact and promise."""
    language_name = LANGUAGE_NAMES.get(language, language)
    started = time.perf_counter()
    request = calls.ask("draft", render(
        "draft.j2", email=email, analysis=analysis, policy=calls.policy, note=note, language_name=language_name,
        register=register, greeting=_greeting(email, language, register), plain=not calls.profile.rewrite,
    ))
    calls.add("render", time.perf_counter() - started)
    draft_text = _reply_text((yield from calls.call(request)))
    if not draft_text:
        raise ModelOutputError("the model returned an empty draft")
    if not calls.profile.rewrite:
        return draft_text, draft_text
    request = calls.ask("rewrite", render("rewrite.j2", text=draft_text, language_name=language_name, register=register))
    text = _reply_text((yield from calls.call(request))) or draft_text
    return draft_text, text


class _Gate:
    """The post-check of a draft body with our signature; the draft's own language is detected on the
    body alone and compared with the customer's, which the mail carries."""

    def __init__(self, calls: _Calls, draft_text: str, signature: str, language: str, register: str, analysis: Analysis) -> None:
        self.calls, self.draft_text, self.signature, self.register, self.analysis = calls, draft_text, signature, register, analysis
        started = time.perf_counter()
        self.promise_times = [p.when for p in extract_promises(draft_text, language) if p.when]
        calls.add("check", time.perf_counter() - started)

    def __call__(self, body: str, email: Email, analysis: Analysis | None = None, compare_facts: bool = True) -> CheckReport:
        started = time.perf_counter()
        lost = lost_facts(self.draft_text, body, self.promise_times) if compare_facts else []
        report = check(
            f"{body}\n\n{self.signature}", language=detect_language(body), register=self.register,
            policy=self.calls.policy, email=email, analysis=analysis or self.analysis,
        )
        self.calls.add("check", time.perf_counter() - started)
        return _with_findings(report, _lost_findings(lost))


def _revise(calls: _Calls, gate: _Gate, text: str, email: Email, language: str, register: str):
    """Phase 4: one revision round listing what failed, then the check again."""
    report = gate(text, email)
    errors = [f for f in report.findings if f.severity == "error"]
    if not errors:
        return text, report
    request = calls.ask("revision", render(
        "revise.j2", findings=errors, text=text, email=email, language_name=LANGUAGE_NAMES.get(language, language),
        register=register,
    ))
    revised = _reply_text((yield from calls.call(request)))
    if revised and revised != text:  # an unchanged text keeps its report
        return revised, gate(revised, email)
    return text, report


def _restored(masking, gate: _Gate, text: str, report: CheckReport, analysis: Analysis, raw_email: Email):
    """The agent gets the real values back, in the draft and in the analysis (JSON-safe values only).
    The final check reads what the agent will send against the real mail, even when the draft uses no
    placeholder: a value the model was never shown is still the customer's, or an attacker's."""
    if masking is None or not masking.entities:
        return text, report, analysis
    text = masking.restore(text)
    analysis = Analysis.model_validate(json.loads(masking.restore(json.dumps(analysis.model_dump(mode="json")))))
    kept = [f for f in report.findings if f.code == "rewrite_lost_fact"]
    # Facts lost in the rewrite were judged on the masked texts; the restored text differs from the
    # masked draft in every value, so it is not compared again and the earlier verdict is kept.
    final = gate(text, raw_email, analysis, compare_facts=False)
    return text, _with_findings(final, kept), analysis


def _steps(email: Email, policy: Policy, note: str | None, model: str, events: list | None = None,
           profile: Profile = PROFILES["full"]) -> Steps:
    """The pipeline; `events`, when given, collects (event, data) progress for a live view to send."""
    notes: list[str] = []
    started = time.perf_counter()
    language, register = _language_and_register(email, policy, notes)
    raw_email = email
    email, note, masking = _masked(email, note, policy, notes)
    calls = _Calls(policy, model, render("system.j2", policy=policy), profile, language)
    email, history = _within_budget(email, calls, notes)
    calls.add("prepare", time.perf_counter() - started)

    analysis = yield from _analyse(calls, email, history, note)
    analysis, dropped = _verified(analysis, email)
    notes += dropped
    analysis = with_question_floor(analysis, email, language)
    if events is not None:  # the verified questions, still masked, as the draft will answer them
        events.append(("analysis", {
            "questions": [q.model_dump(mode="json") for q in analysis.questions], "language": language, "register": register,
        }))
    draft_text, text = yield from _write(calls, email, analysis, note, language, register)

    signature = policy.company.signature_en if language == "en" else policy.company.signature
    gate = _Gate(calls, draft_text, signature, language, register, analysis)
    email = email.model_copy(update={"language": language})
    raw_email = raw_email.model_copy(update={"language": language})
    text, report = yield from _revise(calls, gate, text, email, language, register)
    text, report, analysis = _restored(masking, gate, text, report, analysis, raw_email)
    report = _with_findings(report, _unfilled_placeholders(text))
    return _result(calls, report, analysis, f"{text}\n\n{signature}", notes)


def _result(calls: _Calls, report: CheckReport, analysis: Analysis, text: str, notes: list[str]) -> DraftResult:
    prompt_tokens = sum(c.prompt_tokens for c in calls.calls)
    completion_tokens = sum(c.completion_tokens for c in calls.calls)
    timings = calls.timings
    timings["non_llm"] = round(sum(v for k, v in timings.items() if k in ("prepare", "render", "check")), 2)
    timings["llm"] = round(sum(c.seconds for c in calls.calls) * 1000, 2)
    return DraftResult(
        status=report.status,
        text=text,
        analysis=analysis,
        checks=report,
        promises=report.promises,
        calls=calls.calls,
        prompt_tokens=prompt_tokens,
        completion_tokens=completion_tokens,
        cost_estimate=cost_estimate(calls.policy, calls.model, prompt_tokens, completion_tokens),
        timings_ms=timings,
        model=calls.model,
        prompt_hash=template_hash(),
        notes=notes,
    )


def _short(exc: ValidationError) -> str:
    first = exc.errors()[0]
    return f"{'.'.join(str(p) for p in first['loc']) or 'root'}: {first['msg']}"


def _json_only(content: str) -> str:
    """Small models wrap JSON in prose or a code fence; keep the outermost object."""
    start, end = content.find("{"), content.rfind("}")
    if start == -1 or end <= start:
        raise ValueError("no JSON object in the reply")
    return content[start : end + 1]


def _as_email(email: Email | str | Path) -> Email:
    if isinstance(email, Email):
        return email
    from .ingest import read_email

    return read_email(email)


def _error_result(exc: BackendError, model: str, timings: dict) -> DraftResult:
    return DraftResult(status="error", text="", error=str(exc), model=model, prompt_hash=template_hash(), timings_ms=timings)


SyncProgress = Callable[[str, dict], None]


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
    from .backends import resolve_backend

    started = time.perf_counter()
    email = _as_email(email)
    ingest_ms = _ms(time.perf_counter() - started)
    policy = load_policy(policy)
    backend = resolve_backend(backend)
    steps = _steps(email, policy, note, backend.model, profile=profile_for(backend))
    try:
        request = next(steps)
        while True:
            call_started = time.perf_counter()
            response = _complete(backend, request, progress)
            request = steps.send((response, time.perf_counter() - call_started))
    except StopIteration as done:
        result: DraftResult = done.value
    except BackendError as exc:
        return _error_result(exc, backend.model, {"ingest": ingest_ms})
    return recorded(finish(result, ingest_ms, started), email, policy, store)


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
    from .backends import resolve_backend

    started = time.perf_counter()
    email = _as_email(email)
    ingest_ms = _ms(time.perf_counter() - started)
    policy = load_policy(policy)
    backend = resolve_backend(backend)
    events: list | None = [] if on_progress else None
    steps = _steps(email, policy, note, backend.model, events, profile_for(backend))
    try:
        # The steps between calls (rendering, token counting, the post-check) are CPU work. For an
        # ordinary mail they take 1-2 ms, less than a worker-thread hop costs under the GIL (measured:
        # p95 service overhead 26 ms inline vs 65 ms threaded at 10 concurrent drafts), so they run
        # inline; a large mail's steps go to a worker thread so they never stall the event loop.
        step = _threaded_step if _is_large(email) else _inline_step
        request, result = await step(steps, None)
        while result is None:
            while events:
                await on_progress(*events.pop(0))
            call_started = time.perf_counter()
            response = await _acall(backend, request, on_progress)
            seconds = time.perf_counter() - call_started
            request, result = await step(steps, (response, seconds))
    except BackendError as exc:
        return _error_result(exc, backend.model, {"ingest": ingest_ms})
    result = finish(result, ingest_ms, started)
    return await asyncio.to_thread(recorded, result, email, policy, store) if store else result


Progress = Callable[[str, dict], Awaitable[None]]
LARGE_MAIL_CHARS = 20_000


def _is_large(email: Email) -> bool:
    return len(email.body) + len(email.history) + len(email.signature) > LARGE_MAIL_CHARS


async def _inline_step(steps: Steps, sent):
    return advance(steps, sent)


async def _threaded_step(steps: Steps, sent):
    return await asyncio.to_thread(advance, steps, sent)


_TEXT_PHASES = ("draft", "rewrite", "revision")


async def _acall(backend: Backend, request: ChatRequest, on_progress: Progress | None) -> ChatResponse:
    if on_progress is None or request.phase not in _TEXT_PHASES:
        return await backend.acomplete(request)

    async def preview(text: str) -> None:
        await on_progress("preview", {"phase": request.phase, "text": _strip_closing(text), "checked": False})

    stream = getattr(backend, "astream", None)
    if stream is None:
        response = await backend.acomplete(request)
        await preview(response.content)
        return response
    return await stream(request, preview)


def draft_steps(email: Email, *, policy: Policy | str | None = None, note: str | None = None, model: str = "",
                profile: str = "full") -> Steps:
    """The pipeline as a generator of model requests, for drivers that are not one live call at a time.

    The Batch API driver sends every item's next request in one batch, then feeds each answer back
    with `advance`. Errors from the steps (e.g. ModelOutputError) propagate from `advance`.
    """
    return _steps(email, load_policy(policy), note, model, profile=PROFILES[profile])


def advance(steps: Steps, sent: tuple[ChatResponse, float] | None):
    """One step of the generator as (next request, None) or (None, result).

    StopIteration cannot cross a thread's future (asyncio turns it into a hang), so it ends here.
    """
    try:
        return steps.send(sent), None
    except StopIteration as done:
        return None, done.value


def finish(result: DraftResult, ingest_ms: float, started: float) -> DraftResult:
    timings = {"ingest": ingest_ms, **result.timings_ms}
    timings["non_llm"] = round(timings["non_llm"] + ingest_ms, 2)
    timings["total"] = _ms(time.perf_counter() - started)
    return result.model_copy(update={"timings_ms": timings})


def result_json(result: DraftResult) -> str:
    return json.dumps(result.model_dump(mode="json"), ensure_ascii=False, indent=2)
