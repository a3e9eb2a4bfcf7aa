"""What every check receives: the draft tokenised once, its language, and the optional context."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from typing import Any, Callable

from ..packs import Pack, load_pack
from ..policy import Policy
from ..text import Doc, Sentence, tokenize
from ..types import Analysis, Email, Finding, Severity
from .registry import code as registered

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
        return self.pack is not None

    @cached_property
    def pack(self) -> Pack | None:
        return load_pack(self.language)

    def memo(self, compute: Callable[[CheckContext], Any]) -> Any:
        """`compute(self)`, once per context: a measurement several detectors and the report share."""
        memos = self.__dict__.setdefault("_memos", {})
        if compute not in memos:
            memos[compute] = compute(self)
        return memos[compute]

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


def flag(
    code: str,
    message: str,
    span: tuple[int, int] | Sentence | None = None,
    suggestion: str | None = None,
) -> Finding:
    """A finding of a registered code, with the severity and rule the registry declares for it."""
    entry = registered(code)
    return finding(entry.code, entry.severity, entry.rule, message, span, suggestion)


def denied_before(sentence_text: str, match_start: int) -> bool:
    """True when the sentence denies what follows: 'U hoeft geen aangetekende brief te sturen'."""
    return _DENIED.search(sentence_text[:match_start]) is not None


def quote(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return f"“{text}”" if len(text) <= limit else f"“{text[: limit - 1]}…”"
