"""prompt_echo: our own prompt in the draft. A marker ("<<<MAIL", "REPLY>>>"), a run of words from a
line of our system prompt, or a sentence about our instructions that repeats them.

The pipeline strips markers before the check (prompts.strip_markers), so a marker found here came
from elsewhere: a draft checked on its own, or a model that wrote one in another form. None of this
needs an instruction in the mail to be wrong; what a mail's instruction asked for is
`injection_followed`'s.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..policy import Policy
from ..prompts import MARKER, render
from ..types import Finding
from .base import CheckContext, flag, quote
from .injection_draft import disclosures
from .injection_mail import QUOTED, lower_words, shingles

_TASK_LINE = "TASK:"
PROMPT_SHINGLE_WORDS = 8  # the system prompt shares short stock phrases with good replies; eight words do not
DISCLOSURE_PROMPT_WORDS = 4  # a sentence about our instructions that shares four words in a row with the prompt repeats it


def _prompt_shingles(policy: Policy, n: int = PROMPT_SHINGLE_WORDS) -> frozenset[tuple[str, ...]]:
    # Policies hold lists, so they cannot key a cache; their JSON can.
    return _prompt_shingles_for(policy.model_dump_json(), n)


@lru_cache(maxsize=16)
def _prompt_shingles_for(policy_json: str, n: int) -> frozenset[tuple[str, ...]]:
    """Every run of `n` words on one line of our system prompt."""
    system = render("system.j2", policy=Policy.model_validate_json(policy_json))
    # Example phrases the prompt quotes are what good replies say ("Graag gedaan, zo werken we graag samen.").
    system = QUOTED.sub(" | ", system)
    found: set[tuple[str, ...]] = set()
    for line in re.split(r"[\n|]", system):
        found |= shingles(lower_words(line), n)
    return frozenset(found)


def detect(ctx: CheckContext) -> list[Finding]:
    def found(message: str, span: tuple[int, int] | None) -> list[Finding]:
        return [flag("prompt_echo", message, span, "Remove it: it is our own instruction to the model, not a reply.")]

    m = MARKER.search(ctx.text)
    if m:
        return found("The draft contains the prompt's own marker " + quote(m.group(0)), m.span())
    task = ctx.text.find(_TASK_LINE)
    if task >= 0:
        return found("The draft contains a task line of our prompt", (task, task + len(_TASK_LINE)))
    leaked = shingles(lower_words(ctx.text), PROMPT_SHINGLE_WORDS) & _prompt_shingles(ctx.policy)
    if leaked:
        return found(f"The draft repeats our system prompt: {quote(' '.join(sorted(leaked)[0]))}", None)
    prompt = _prompt_shingles(ctx.policy, DISCLOSURE_PROMPT_WORDS)
    for start, end in disclosures(ctx.text):
        if shingles(lower_words(ctx.text[start:end]), DISCLOSURE_PROMPT_WORDS) & prompt:
            return found(f"The draft discloses our own instructions: {quote(ctx.text[start:end].strip(), 80)}", (start, end))
    return []
