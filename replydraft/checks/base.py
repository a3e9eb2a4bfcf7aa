"""What every check receives: the draft tokenised once, its language, and the optional context."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Callable

from ..packs import Pack, load_pack
from ..policy import Policy
from ..tokenizer import Doc, Sentence, tokenize
from ..types import Analysis, Email, Finding
from .registry import code as registered


@dataclass(frozen=True)
class CheckContext:
    """One `check()` call. Whatever a detector caches about the draft or the mail lives here, so that
    it dies with the call: no mail or draft outlives the check in a module-level cache. Nor does its
    repr show them: a context in a traceback or a log line carries no customer's text."""

    doc: Doc = field(repr=False)
    language: str
    policy: Policy
    email: Email | None = field(default=None, repr=False)
    analysis: Analysis | None = field(default=None, repr=False)
    expected_register: str | None = None  # the register the draft should use (the customer's), for when no mail tells
    memos: dict[Callable, Any] = field(default_factory=dict, repr=False, compare=False)

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
        if compute not in self.memos:
            self.memos[compute] = compute(self)
        return self.memos[compute]

    @cached_property
    def email_doc(self) -> Doc | None:
        return tokenize(self.email.body) if self.email and self.email.body.strip() else None

    @cached_property
    def _sentence_starts(self) -> list[int]:
        return [s.start for s in self.doc.sentences]

    def sentence_index(self, at: int) -> int:
        """The index of the draft sentence that holds offset `at`; -1 before the first one."""
        return bisect.bisect_right(self._sentence_starts, at) - 1


def flag(
    code: str,
    message: str,
    span: tuple[int, int] | Sentence | None = None,
    suggestion: str | None = None,
) -> Finding:
    """A finding of a registered code, with the severity and rule the registry declares for it."""
    entry = registered(code)
    if isinstance(span, Sentence):
        span = (span.start, span.end)
    start, end = span if span else (None, None)
    return Finding(
        code=entry.code, severity=entry.severity, rule=entry.rule, message=message, start=start, end=end, suggestion=suggestion,
    )


def quote(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return f"“{text}”" if len(text) <= limit else f"“{text[: limit - 1]}…”"
