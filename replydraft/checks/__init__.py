"""The post-check: deterministic, no LLM, a few milliseconds. It gates every draft.

`check()` tokenises once, runs every rule on the shared tokens, and returns a CheckReport whose
status is `needs_review` whenever any finding has severity `error`.
"""

from __future__ import annotations

import gc
import threading
from contextlib import contextmanager

from ..errors import InputError
from ..ingest import reject_binary
from ..language import detect_language
from ..packs.alternation import phrase_scope
from ..policy import Policy, load_policy
from ..tokenizer import tokenize
from ..types import Analysis, CheckReport, Conditionality, Email, Finding, Promise
from .base import CheckContext
from .conditionality import check_conditionality
from .promises import check_promises
from .readability import b1_result
from .register import found_register
from .registry import FINDING_CODES, detectors
from .responsiveness import mirroring

__all__ = ["FINDING_CODES", "acheck", "check", "extract_promises", "validate_text"]


def validate_text(text: str, what: str = "text") -> str:
    if not isinstance(text, str):
        raise InputError(f"the {what} must be a string, got {type(text).__name__}")
    reject_binary(text, f"the {what}")
    stripped = text.strip()
    if not stripped:
        raise InputError(f"the {what} is empty")
    odd = sum(1 for c in stripped if not (c.isprintable() or c in "\n\r\t"))
    if odd / len(stripped) > 0.1:
        raise InputError(f"the {what} looks binary ({odd} of {len(stripped)} characters are not printable)")
    return text


# Above this size check() pauses the automatic garbage collector: tokenising a large text makes millions of
# small objects, and the collections they trigger cost much of a large check's time, finding nothing
# (docs/performance.md).
_GC_PAUSE_ABOVE = 100_000
_gc_lock = threading.Lock()
_gc_pausers = 0
_gc_was_enabled = False


@contextmanager
def _gc_paused(size: int):
    """Pause automatic collection while a large text is checked; the collector is process-wide, so
    concurrent checks count in and out, and the last one out restores the state found by the first."""
    global _gc_pausers, _gc_was_enabled
    if size <= _GC_PAUSE_ABOVE:
        yield
        return
    with _gc_lock:
        if _gc_pausers == 0:
            _gc_was_enabled = gc.isenabled()
            gc.disable()
        _gc_pausers += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_pausers -= 1
            if _gc_pausers == 0 and _gc_was_enabled:
                gc.enable()


def check(
    text: str,
    *,
    language: str | None = None,
    register: str | None = None,
    policy: Policy | str | None = None,
    email: Email | None = None,
    analysis: Analysis | None = None,
    id: str | None = None,
) -> CheckReport:
    """Check a draft reply against B1 plain language and the Golden Rules.

    `language` is the draft's language (detected when None); `register` is the register the
    draft should use (the customer's), which enables `register_mismatch` without a mail.
    `email` and `analysis` enable the checks that need context.

    >>> report = check("Als u een review achterlaat, krijgt u 10% korting.", language="nl")
    >>> report.status, [f.code for f in report.findings][:1]
    ('needs_review', ['conditionality'])
    """
    validate_text(text)
    with _gc_paused(len(text)):
        return _check(text, language, register, load_policy(policy), email, analysis, id)


# Above this many characters (the reply and the mail) acheck() runs the check on a worker thread: a short
# reply checks faster than a thread hop costs, a long one must not stall the event loop.
THREAD_ABOVE_CHARS = 20_000


async def acheck(text: str, **options) -> CheckReport:
    """`check` for an event loop (the same keyword arguments): inline for a reply of ordinary size, on a
    worker thread for a long one, so the loop is never stalled."""
    import asyncio
    import functools

    email = options.get("email")
    size = len(text) + (len(email.body) + len(email.history) if email is not None else 0)
    run = functools.partial(check, text, **options)
    return await asyncio.to_thread(run) if size > THREAD_ABOVE_CHARS else run()


def _check(text, language, register, policy, email, analysis, id) -> CheckReport:
    language = (language or detect_language(text)).lower()
    ctx = CheckContext(
        doc=tokenize(text), language=language, policy=policy, email=email, analysis=analysis, expected_register=register,
    )
    with phrase_scope(text, [s.text for s in ctx.doc.sentences]):
        findings = _grouped([f for detect in detectors() for f in detect(ctx)], text)
    findings.sort(key=lambda f: (f.start is None, f.start or 0, f.code))
    readability, b1, _ = b1_result(ctx)
    score, _ = ctx.memo(check_conditionality)
    promises, _ = ctx.memo(check_promises)
    share, _ = ctx.memo(mirroring)
    notes = [] if ctx.calibrated else [f"Readability and B1 checks skipped: not calibrated for language '{language}'."]
    return CheckReport(
        id=id,
        language=language,
        register=found_register(ctx),
        status="needs_review" if any(f.severity == "error" for f in findings) else "ready",
        readability=readability,
        b1=b1,
        conditionality=Conditionality(score=score),
        findings=findings,
        promises=promises,
        mirroring=share,
        notes=notes,
    )


def _grouped(findings: list[Finding], text: str) -> list[Finding]:
    """One finding per code and text: a model that loops repeats one sentence twenty times, and the
    agent needs to read the point once, with how often it was found (the first span is kept)."""
    groups: dict[tuple, list[Finding]] = {}
    for finding in findings:
        spanned = finding.start is not None and finding.end is not None
        key = (finding.code, " ".join(text[finding.start : finding.end].split()).lower()) if spanned else (finding.code, id(finding))
        groups.setdefault(key, []).append(finding)
    grouped = []
    for same in groups.values():
        first = same[0]
        if len(same) > 1:
            first = first.model_copy(update={"message": f"{first.message} (found {len(same)} times)"})
        grouped.append(first)
    return grouped


def extract_promises(text: str, language: str) -> list[Promise]:
    """The commitments in a text, without the rest of the check (the pipeline keeps the draft's promise times)."""
    ctx = CheckContext(doc=tokenize(text), language=language, policy=load_policy(None))
    promises, _ = check_promises(ctx)
    return promises
