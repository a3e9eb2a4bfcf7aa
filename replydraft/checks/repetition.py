"""repeated_text: a draft that says the same sentence twice, word for word, has not answered.

Small local models loop ("Ik ben hier om u te helpen ..." five times). The loop reads as care at a
glance and says nothing, so it gates the draft.
"""

from __future__ import annotations

import re

from ..tokenizer import Sentence
from ..types import Finding
from .base import CheckContext, flag, quote

MIN_WORDS = 5
_NON_WORD = re.compile(r"[^\w]+")


def sentence_key(sentence: Sentence) -> str | None:
    """The sentence's words, lower-cased and without punctuation; None for a sentence too short to count."""
    words = [t.lower for t in sentence.tokens if t.is_word]
    if len(words) < MIN_WORDS:
        return None  # greetings, "Met vriendelijke groet", "Dank u wel" may repeat
    return _NON_WORD.sub(" ", " ".join(words)).strip()


def detect_repetition(ctx: CheckContext) -> list[Finding]:
    seen: set[str] = set()
    findings = []
    for sentence in ctx.doc.sentences:
        key = sentence_key(sentence)
        if key is None:
            continue
        if key in seen:
            findings.append(flag(
                "repeated_text",
                f"The draft repeats a sentence word for word: {quote(sentence.text)}",
                sentence, "Say it once.",
            ))
        else:
            seen.add(key)
    return findings
