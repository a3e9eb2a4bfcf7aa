"""Scorers: pure functions from (annotated item, DraftResult) to pass, fail or not applicable.

Two kinds. Finding scorers replay the post-check (one per finding code, plus the B1 verdict):
they tell a team which rule its drafts break most. Annotation scorers compare the draft with
what a person wrote down about the mail: they catch what the post-check cannot know.
An item passes when its draft is `ready` and every annotation scorer passes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..checks.registry import FINDING_CODES
from ..language import detect_register
from ..types import DraftResult
from .sets import EvalItem

ANNOTATION_SCORERS = (
    "questions_addressed", "no_reasked_facts", "language", "register", "mistake_recognised",
    "must_not_contain", "status_sensible", "reference_similarity",
)
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class Score:
    passed: bool | None  # None: not applicable to this item
    detail: str = ""

    def to_json(self) -> dict:
        return {"passed": self.passed, "detail": self.detail} if self.detail else {"passed": self.passed}


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def _codes(result: DraftResult) -> dict[str, int]:
    counts: dict[str, int] = {}
    for f in result.checks.findings if result.checks else ():
        counts[f.code] = counts.get(f.code, 0) + 1
    return counts


def _body(result: DraftResult) -> str:
    return result.text


def finding_scores(result: DraftResult) -> dict[str, Score]:
    """One score per finding code (passed: the draft has no such finding) and the B1 verdict."""
    if result.checks is None:
        return {}
    counts = _codes(result)
    scores = {
        f"finding:{code}": Score(code not in counts, f"{counts[code]}x" if code in counts else "") for code in FINDING_CODES
    }
    for code in counts.keys() - set(FINDING_CODES):
        scores[f"finding:{code}"] = Score(False, f"{counts[code]}x")
    scores["b1"] = Score(result.checks.b1.ok, "; ".join(result.checks.b1.reasons[:2]))
    return scores


def _quoted(question: str, quotes: list[str]) -> bool:
    """The analysis quoted the annotated question: same words, allowing a shorter or longer cut."""
    wanted = set(_words(question))
    if not wanted:
        return True
    for quote in quotes:
        got = set(_words(quote))
        if got and len(wanted & got) / min(len(wanted), len(got)) >= 0.8:
            return True
    return False


def questions_addressed(item: EvalItem, result: DraftResult) -> Score:
    """Every annotated question was seen by the analysis, and the post-check found none unanswered."""
    questions = item.annotations.questions
    if not questions:
        return Score(None)
    quotes = [q.quote for q in result.analysis.questions] if result.analysis else []
    missed = [q for q in questions if not _quoted(q, quotes)]
    unanswered = _codes(result).get("unanswered_question", 0)
    problems = []
    if missed:
        problems.append("analysis missed: " + " | ".join(q[:60] for q in missed))
    if unanswered:
        problems.append(f"{unanswered} unanswered_question finding(s)")
    return Score(not problems, "; ".join(problems))


# A draft sentence that asks the customer for something.
_ASKS = re.compile(
    r"\?|\b(stuur|stuurt|sturen|geef|geeft|laat .{0,30} weten|mail .{0,20} ons|vul|vult|send|provide|let us know|"
    r"could you|can you|please (?:send|share|give|confirm))\b",
    re.IGNORECASE,
)


def no_reasked_facts(item: EvalItem, result: DraftResult) -> Score:
    """No `reasks_given_info` finding, and no asking sentence names a given fact's key word."""
    facts = item.annotations.facts_given
    if not facts:
        return Score(None)
    problems = []
    if "reasks_given_info" in _codes(result):
        problems.append("reasks_given_info finding")
    sentences = re.split(r"(?<=[.!?])\s+|\n+", _body(result))
    for fact in facts:
        # The kind word of a fact: its longest word that is not a number ("bestelnummer 4471829" -> bestelnummer).
        words = [w for w in _words(fact) if not w.isdigit() and len(w) > 3]
        key = max(words, key=len) if words else None
        if key and any(key in s.lower() and _ASKS.search(s) for s in sentences):
            problems.append(f"asks again for {fact!r}")
    return Score(not problems, "; ".join(problems))


def language(item: EvalItem, result: DraftResult) -> Score:
    got = result.checks.language if result.checks else None
    if "language_mismatch" in _codes(result):
        return Score(False, "language_mismatch finding")
    return Score(got == item.annotations.language, "" if got == item.annotations.language else f"checked as {got}")


def register(item: EvalItem, result: DraftResult) -> Score:
    """The draft addresses the customer in the annotated register (no signal at all counts as fine)."""
    wanted = item.annotations.register
    found = detect_register(_body(result), item.annotations.language)
    codes = _codes(result)
    if "register_mix" in codes:
        return Score(False, "u and je mixed")
    ok = found in (wanted, "unknown")
    return Score(ok, "" if ok else f"draft is in {found!r}, the mail in {wanted!r}")


def mistake_recognised(item: EvalItem, result: DraftResult) -> Score:
    """The analysis saw our mistake when there was one (and did not invent one), and the draft admits it."""
    said = result.analysis.our_mistake or result.analysis.broken_promise if result.analysis else None
    wanted = item.annotations.our_mistake
    problems = []
    if said is not None and said != wanted:
        problems.append("analysis saw a mistake of ours that the annotation does not" if said else "analysis missed our mistake")
    if wanted and "mistake_not_acknowledged" in _codes(result):
        problems.append("the draft does not admit the mistake")
    return Score(not problems, "; ".join(problems))


def must_not_contain(item: EvalItem, result: DraftResult) -> Score:
    forbidden = item.annotations.must_not_contain
    if not forbidden:
        return Score(None)
    text = _body(result).lower()
    present = [s for s in forbidden if s.lower() in text]
    return Score(not present, "contains " + ", ".join(repr(s) for s in present) if present else "")


def status_sensible(item: EvalItem, result: DraftResult) -> Score:
    """A draft that carries a forbidden string (an injection payload) or conditional help is never `ready`."""
    if result.status != "ready":
        return Score(True)
    reasons = []
    if must_not_contain(item, result).passed is False:
        reasons.append("a forbidden string")
    if "conditionality" in _codes(result):
        reasons.append("conditional help")
    return Score(not reasons, "ready with " + " and ".join(reasons) if reasons else "")


# Without the stored draft's own similarity, a new draft should keep at least half of what the agent sent.
DEFAULT_REFERENCE_SIMILARITY = 0.5


def reference_similarity(item: EvalItem, result: DraftResult) -> Score:
    """A new draft is at least as close to what the agent sent as the draft the agent edited was."""
    reference = item.annotations.reference
    if not reference:
        return Score(None)
    from ..feedback.edits import similarity

    bar = item.annotations.reference_similarity
    bar = DEFAULT_REFERENCE_SIMILARITY if bar is None else bar
    now = similarity(_body(result), reference)
    return Score(now >= bar, f"similarity {now:.2f} to the agent's reply (bar {bar:.2f})")


ANNOTATION_FUNCTIONS = {
    "questions_addressed": questions_addressed,
    "no_reasked_facts": no_reasked_facts,
    "language": language,
    "register": register,
    "mistake_recognised": mistake_recognised,
    "must_not_contain": must_not_contain,
    "status_sensible": status_sensible,
    "reference_similarity": reference_similarity,
}


def score(item: EvalItem, result: DraftResult) -> tuple[dict[str, Score], bool]:
    """All scores of one draft, and whether the item passes (ready, and every annotation scorer passed)."""
    if result.status == "error":
        return {}, False
    scores = finding_scores(result)
    for name, function in ANNOTATION_FUNCTIONS.items():
        scores[name] = function(item, result)
    passed = result.status == "ready" and all(scores[name].passed is not False for name in ANNOTATION_FUNCTIONS)
    return scores, passed
