"""Register and language: u/je kept consistent, and the draft speaks the customer's language and register."""

from __future__ import annotations

import re

from ..language import detect_language, detect_register
from ..types import Finding
from .base import CheckContext, finding

_U = re.compile(r"(?<![\w'’-])(u|uw|uzelf)(?![\w'’-])", re.IGNORECASE)
_JE = re.compile(r"(?<![\w'’-])(je|jij|jou|jouw|jezelf|jouwe)(?![\w'’-])", re.IGNORECASE)


def draft_register(ctx: CheckContext) -> str:
    if ctx.language != "nl":
        return detect_register(ctx.text, ctx.language)
    u, je = len(_U.findall(ctx.text)), len(_JE.findall(ctx.text))
    if not (u or je):
        return "unknown"
    return "u" if u >= je else "je"


def customer_register(ctx: CheckContext) -> str | None:
    if ctx.expected_register:
        return ctx.expected_register
    if ctx.email is None:
        return None
    if ctx.email.register and ctx.email.register != "unknown":
        return ctx.email.register
    language = ctx.email.language or detect_language(ctx.email.body)
    found = detect_register(ctx.email.body, language)
    return None if found == "unknown" else found


def check_register(ctx: CheckContext, register: str) -> list[Finding]:
    findings: list[Finding] = []
    if ctx.language == "nl":
        u_hits, je_hits = list(_U.finditer(ctx.text)), list(_JE.finditer(ctx.text))
        if u_hits and je_hits:
            minority = je_hits if register == "u" else u_hits
            m = minority[0]
            findings.append(finding(
                "register_mix", "warning", "GR6",
                f"Mixes 'u' ({len(u_hits)}×) and 'je' ({len(je_hits)}×); '{m.group(0)}' breaks the register",
                (m.start(), m.end()),
                "Use 'u' throughout." if register == "u" else "Use 'je' throughout.",
            ))
    expected = customer_register(ctx)
    if expected and register != "unknown" and expected != register:
        mismatch = (
            ctx.language == "nl" and {expected, register} == {"u", "je"}
        ) or (ctx.language == "en" and expected == "formal" and register == "informal")
        if mismatch:
            findings.append(finding(
                "register_mismatch", "warning", "GR6",
                f"The customer writes in the '{expected}' register and the draft answers in '{register}'",
                None,
                f"Answer in '{expected}', as the customer writes.",
            ))
    return findings


def check_language(ctx: CheckContext) -> list[Finding]:
    if ctx.email is None or not ctx.email.body.strip():
        return []
    expected = ctx.email.language or detect_language(ctx.email.body)
    if expected == ctx.language:
        return []
    return [finding(
        "language_mismatch", "error", "GR6",
        f"The customer wrote in '{expected}' and the draft is in '{ctx.language}'",
        None,
        f"Write the reply in '{expected}'.",
    )]


def found_register(ctx: CheckContext) -> str:
    return ctx.memo(draft_register)


def _register_findings(ctx: CheckContext) -> list[Finding]:
    return check_register(ctx, found_register(ctx))


def detect_mix(ctx: CheckContext) -> list[Finding]:
    return [f for f in ctx.memo(_register_findings) if f.code == "register_mix"]


def detect_mismatch(ctx: CheckContext) -> list[Finding]:
    return [f for f in ctx.memo(_register_findings) if f.code == "register_mismatch"]


detect_language_mismatch = check_language
