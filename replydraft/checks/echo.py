"""A draft that repeats itself or hands the customer's own sentences back has not answered.

Small local models loop ("Ik ben hier om u te helpen ..." five times) and confuse roles, copying the
customer's questions into the reply as if they were answers. Both read as care at a glance and
say nothing, so both gate the draft.
"""

from __future__ import annotations

import re

from ..text import Sentence
from ..types import Finding
from .base import CheckContext, flag, quote

MIN_WORDS = 5
_NON_WORD = re.compile(r"[^\w]+")


def _key(sentence: Sentence) -> str | None:
    words = [t.lower for t in sentence.tokens if t.is_word]
    if len(words) < MIN_WORDS:
        return None  # greetings, "Met vriendelijke groet", "Dank u wel" may repeat
    return _NON_WORD.sub(" ", " ".join(words)).strip()


def check_repetition(ctx: CheckContext) -> list[Finding]:
    seen: dict[str, Sentence] = {}
    findings = []
    for sentence in ctx.doc.sentences:
        key = _key(sentence)
        if key is None:
            continue
        if key in seen:
            findings.append(flag(
                "repeated_text",
                f"The draft repeats a sentence word for word: {quote(sentence.text)}",
                sentence, "Say it once.",
            ))
        else:
            seen[key] = sentence
    return findings


def check_echo(ctx: CheckContext) -> list[Finding]:
    if ctx.email_doc is None:
        return []
    customer = {k for k in map(_key, ctx.email_doc.sentences) if k}
    findings = []
    for sentence in ctx.doc.sentences:
        if _key(sentence) in customer:
            findings.append(flag(
                "echoes_customer",
                f"The draft copies the customer's own sentence instead of answering it: {quote(sentence.text)}",
                sentence, "Answer it in your own words; quote the customer only to mirror a word or two.",
            ))
            if len(findings) >= 3:
                break
    return findings


detect_repetition = check_repetition
detect_echo = check_echo
