"""prompt_echo: our own prompt in the draft. A marker ("<<<MAIL", "REPLY>>>"), a run of words from a
line of our system prompt, or a sentence about our instructions that repeats them.

The pipeline strips markers before the check (prompts.strip_markers), so a marker found here came
from elsewhere: a draft checked on its own, or a model that wrote one in another form. None of this
needs an instruction in the mail to be wrong; what a mail's instruction asked for is
`injection_followed`'s.
"""

from __future__ import annotations

from ..prompts import MARKER
from ..types import Finding
from .base import CheckContext, flag, quote
from .injection import (
    DISCLOSURE_PROMPT_WORDS, PROMPT_SHINGLE_WORDS, _disclosures, _prompt_shingles, _shingles, _words,
)

_TASK_LINE = "TASK:"


def detect(ctx: CheckContext) -> list[Finding]:
    def found(message: str, span: tuple[int, int] | None) -> list[Finding]:
        return [flag("prompt_echo", message, span, "Remove it: it is our own instruction to the model, not a reply.")]

    m = MARKER.search(ctx.text)
    if m:
        return found("The draft contains the prompt's own marker " + quote(m.group(0)), m.span())
    task = ctx.text.find(_TASK_LINE)
    if task >= 0:
        return found("The draft contains a task line of our prompt", (task, task + len(_TASK_LINE)))
    leaked = _shingles(_words(ctx.text), PROMPT_SHINGLE_WORDS) & _prompt_shingles(ctx.policy)
    if leaked:
        return found(f"The draft repeats our system prompt: {quote(' '.join(sorted(leaked)[0]))}", None)
    prompt = _prompt_shingles(ctx.policy, DISCLOSURE_PROMPT_WORDS)
    for start, end in _disclosures(ctx.text):
        if _shingles(_words(ctx.text[start:end]), DISCLOSURE_PROMPT_WORDS) & prompt:
            return found(f"The draft discloses our own instructions: {quote(ctx.text[start:end].strip(), 80)}", (start, end))
    return []
