"""Register and language: u/je kept consistent, and the draft speaks the customer's language and register."""

from __future__ import annotations

import re

from .. import language as _language
from ..language import detect_language, detect_register
from ..types import Finding
from .base import CheckContext, flag

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
            findings.append(flag(
                "register_mix",
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
            findings.append(flag(
                "register_mismatch",
                f"The customer writes in the '{expected}' register and the draft answers in '{register}'",
                None,
                f"Answer in '{expected}', as the customer writes.",
            ))
    return findings


def detect_language_mismatch(ctx: CheckContext) -> list[Finding]:
    if ctx.email is None or not ctx.email.body.strip():
        return []
    expected = ctx.email.language or detect_language(ctx.email.body)
    if expected == ctx.language:
        return _paragraph_findings(ctx, expected)
    return [flag(
        "language_mismatch",
        f"The customer wrote in '{expected}' and the draft is in '{ctx.language}'",
        None,
        f"Write the reply in '{expected}'.",
    )]


# A paragraph (or one long sentence) in another language inside a draft in the right one: a translated
# part the whole-draft verdict misses. Quotes of the customer's words, quoted lines, links, addresses
# and anything with a digit are left out; what is left must be long enough and clearly another language.
MIN_WORDS = 8
MIN_CONFIDENCE = 0.95
_PARAGRAPH = re.compile(r"[^\n]+(?:\n(?![ \t]*\n)[^\n]*)*")
_QUOTE = re.compile(r"\"[^\"\n]*\"|“[^”\n]*”|‘[^’\n]*’|«[^»\n]*»|(?<!\w)'[^'\n]*'(?!\w)|^>.*$", re.MULTILINE)
_LONG_SENTENCE = re.compile(r"[^.!?\n]+[.!?]*")


def foreign_language(text: str, allowed: set[str]) -> str | None:
    """The language of `text` when it is clearly one outside `allowed` (identifier and function words agree)."""
    words = _language._WORD.findall(_language._clean(_QUOTE.sub(" ", text)))
    if len(words) < MIN_WORDS:
        return None
    joined = " ".join(w.lower() for w in words)
    found, confidence = _language._identifier().classify(joined[: _language._MAX_CHARS])
    if found in allowed or confidence < MIN_CONFIDENCE:
        return None
    voted, _ = _language._vote(joined.split())
    return found if voted in (None, found) else None


def _paragraph_findings(ctx: CheckContext, expected: str) -> list[Finding]:
    allowed = {expected, ctx.language}
    for m in _PARAGRAPH.finditer(ctx.text):
        pieces = [m] if len(m.group(0).split()) < 2 * MIN_WORDS else list(_LONG_SENTENCE.finditer(ctx.text, m.start(), m.end()))
        for piece in [m, *pieces] if len(pieces) > 1 else pieces:
            found = foreign_language(piece.group(0), allowed)
            if found:
                return [flag(
                    "language_mismatch",
                    f"The customer wrote in '{expected}' and this part of the draft is in '{found}'",
                    piece.span(),
                    f"Write the whole reply in '{expected}'; remove the part in '{found}'.",
                )]
    return []


def found_register(ctx: CheckContext) -> str:
    return ctx.memo(draft_register)


def _register_findings(ctx: CheckContext) -> list[Finding]:
    return check_register(ctx, found_register(ctx))


def detect_mix(ctx: CheckContext) -> list[Finding]:
    return [f for f in ctx.memo(_register_findings) if f.code == "register_mix"]


def detect_mismatch(ctx: CheckContext) -> list[Finding]:
    return [f for f in ctx.memo(_register_findings) if f.code == "register_mismatch"]
