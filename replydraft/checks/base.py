"""What every check receives: the draft tokenised once, its language, and the optional context."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from ..policy import Policy
from ..text import Doc, Sentence, tokenize
from ..types import Analysis, Email, Finding, Severity

CALIBRATED_LANGUAGES = ("nl", "en")

# Sentence-level cues that a phrase is denied rather than asked: "U hoeft geen formulier in te vullen".
_DENIED = re.compile(
    r"\b(hoeft|hoef|hoeven|geen|niet|zonder|nergens|no need|don't|do not|doesn't|does not|won't|"
    r"never|not|without|hoeft u)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class CheckContext:
    doc: Doc
    language: str
    policy: Policy
    email: Email | None = None
    analysis: Analysis | None = None
    expected_register: str | None = None

    @property
    def text(self) -> str:
        return self.doc.text

    @property
    def calibrated(self) -> bool:
        return self.language in CALIBRATED_LANGUAGES

    @cached_property
    def email_doc(self) -> Doc | None:
        return tokenize(self.email.body) if self.email and self.email.body.strip() else None


def finding(
    code: str,
    severity: Severity,
    rule: str,
    message: str,
    span: tuple[int, int] | Sentence | None = None,
    suggestion: str | None = None,
) -> Finding:
    if isinstance(span, Sentence):
        span = (span.start, span.end)
    start, end = span if span else (None, None)
    return Finding(code=code, severity=severity, rule=rule, message=message, start=start, end=end, suggestion=suggestion)


def denied_before(sentence_text: str, match_start: int) -> bool:
    """True when the sentence denies what follows: 'U hoeft geen aangetekende brief te sturen'."""
    return _DENIED.search(sentence_text[:match_start]) is not None


def compile_phrases(phrases: list[str]) -> re.Pattern:
    """One case-insensitive pattern for a list of regex phrases, matched on word boundaries."""
    body = "|".join(f"(?:{p})" for p in sorted(phrases, key=len, reverse=True))
    return re.compile(rf"(?<![\w])(?:{body})(?![\w])", re.IGNORECASE)


def quote(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return f"“{text}”" if len(text) <= limit else f"“{text[: limit - 1]}…”"
