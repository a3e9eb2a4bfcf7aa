"""echoes_customer: a draft that hands the customer's own sentences back has not answered.

Small local models confuse roles, copying the customer's questions into the reply as if they were
answers. That reads as care at a glance and says nothing, so it gates the draft.
"""

from __future__ import annotations

from ..types import Finding
from .base import CheckContext, flag, quote
from .repetition import sentence_key

MAX_FINDINGS = 3


def detect_echo(ctx: CheckContext) -> list[Finding]:
    if ctx.email_doc is None:
        return []
    customer = {k for k in map(sentence_key, ctx.email_doc.sentences) if k}
    findings = []
    for sentence in ctx.doc.sentences:
        if sentence_key(sentence) in customer:
            findings.append(flag(
                "echoes_customer",
                f"The draft copies the customer's own sentence instead of answering it: {quote(sentence.text)}",
                sentence, "Answer it in your own words; quote the customer only to mirror a word or two.",
            ))
            if len(findings) >= MAX_FINDINGS:
                break
    return findings
