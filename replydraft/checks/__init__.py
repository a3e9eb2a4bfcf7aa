"""The post-check: deterministic, no LLM, a few milliseconds. It gates every draft.

`check()` tokenises once, runs every rule on the shared tokens, and returns a CheckReport whose
status is `needs_review` whenever any finding has severity `error`.
"""

from __future__ import annotations

from ..errors import InputError
from ..language import detect_language
from ..policy import Policy, load_policy
from ..text import tokenize
from ..types import Analysis, CheckReport, Conditionality, Email, Promise
from .base import CheckContext
from .conditionality import check_conditionality
from .context import check_mistake, check_reasks, check_unanswered, mirroring
from .echo import check_echo, check_repetition
from .injection import check_injection
from .privacy import check_pii_leak
from .phrases import check_phrases
from .promises import check_promises
from .readability import check_b1
from .register import check_language, check_register, draft_register

__all__ = ["check", "extract_promises", "validate_text"]


def validate_text(text: str, what: str = "text") -> str:
    if not isinstance(text, str):
        raise InputError(f"the {what} must be a string, got {type(text).__name__}")
    if "\x00" in text:
        raise InputError(f"the {what} looks binary (it contains NUL bytes); pass plain text")
    stripped = text.strip()
    if not stripped:
        raise InputError(f"the {what} is empty")
    odd = sum(1 for c in stripped if not (c.isprintable() or c in "\n\r\t"))
    if odd / len(stripped) > 0.1:
        raise InputError(f"the {what} looks binary ({odd} of {len(stripped)} characters are not printable)")
    return text


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
    policy = load_policy(policy)
    doc = tokenize(text)
    language = (language or detect_language(text)).lower()
    ctx = CheckContext(doc=doc, language=language, policy=policy, email=email, analysis=analysis, expected_register=register)

    notes: list[str] = []
    readability, b1, findings = check_b1(ctx)
    if not ctx.calibrated:
        notes.append(f"Readability and B1 checks skipped: not calibrated for language '{language}'.")
    score, conditional = check_conditionality(ctx)
    findings += conditional
    findings += check_phrases(ctx)
    promises, promise_findings = check_promises(ctx)
    findings += promise_findings
    found_register = draft_register(ctx)
    findings += check_register(ctx, found_register)
    findings += check_language(ctx)
    findings += check_reasks(ctx)
    findings += check_unanswered(ctx)
    findings += check_mistake(ctx)
    findings += check_repetition(ctx)
    findings += check_echo(ctx)
    findings += check_pii_leak(ctx)
    findings += check_injection(ctx)
    share, mirror_findings = mirroring(ctx)
    findings += mirror_findings

    findings.sort(key=lambda f: (f.start is None, f.start or 0, f.code))
    status = "needs_review" if any(f.severity == "error" for f in findings) else "ready"
    return CheckReport(
        id=id,
        language=language,
        register=found_register,
        status=status,
        readability=readability,
        b1=b1,
        conditionality=Conditionality(score=score),
        findings=findings,
        promises=promises,
        mirroring=share,
        notes=notes,
    )


def extract_promises(text: str, language: str) -> list[Promise]:
    """The commitments in a text, without the rest of the check (the pipeline keeps the draft's promise times)."""
    ctx = CheckContext(doc=tokenize(text), language=language, policy=load_policy(None))
    promises, _ = check_promises(ctx)
    return promises
