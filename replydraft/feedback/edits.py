"""The edit between a draft and what the agent sent: a character-level similarity and the changed sentences."""

from __future__ import annotations

import difflib
import re

from rapidfuzz.fuzz import ratio

AS_IS = 0.98  # at or above this similarity a sent draft counts as used as is (a typo or a space changed)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")


def _normal(text: str) -> str:
    return " ".join(text.split())


def similarity(draft: str, sent: str) -> float:
    """0..1: the normalised Indel similarity of the two texts, whitespace normalised (rapidfuzz)."""
    return round(ratio(_normal(draft), _normal(sent)) / 100, 4)


def sentences(text: str) -> list[str]:
    return [s for s in (part.strip() for part in _SENTENCE_END.split(text)) if s]


def changed_sentences(draft: str, sent: str) -> list[dict]:
    """Each run of sentences the agent replaced, removed or added: {"draft": ..., "sent": ...}."""
    a, b = sentences(draft), sentences(sent)
    changes = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag != "equal":
            changes.append({"draft": " ".join(a[i1:i2]), "sent": " ".join(b[j1:j2])})
    return changes


def outcome_kind(outcome: str, similarity_: float | None) -> str:
    """as_is, edited, discarded, or sent_unknown (sent, but the helpdesk did not give us the text)."""
    if outcome == "discarded":
        return "discarded"
    if similarity_ is None:
        return "sent_unknown"
    return "as_is" if similarity_ >= AS_IS else "edited"
