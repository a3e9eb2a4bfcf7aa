"""The B1 verdict (Dutch first, English too) and its findings, judged on the readability statistics.

Each rule reads the statistics (readability_stats.py) against the policy's [b1] limits; the verdict
fails when any rule fails. Officialese and difficult words are named one by one, within the limits too.
"""

from __future__ import annotations

import re

from ..tokenizer import Sentence, Token
from ..types import B1Verdict, Finding, Readability
from .base import CheckContext, flag, quote
from .readability_stats import measure, without_links
from .readability_words import officialese

_Failure = tuple[str, "tuple[int, int] | None", "str | None"]


def _too_long(r: Readability, ev: dict, limits) -> list[_Failure]:
    too_long = [(s, n) for s, n in ev["lengths"] if n > limits.max_sentence_words]
    if not too_long:
        return []
    return [(
        f"{len(too_long)} sentence{'s' if len(too_long) > 1 else ''} over {limits.max_sentence_words} words: "
        + ", ".join(f"{_quote(s, 50)} ({n})" for s, n in too_long[:3]),
        (too_long[0][0].start, too_long[0][0].end),
        "Split it into sentences of one idea each.",
    )]


def _long_on_average(r: Readability, ev: dict, limits) -> list[_Failure]:
    # A mean says something about a text, not about one or two sentences (those have the max).
    if r.sentences < 3 or r.words_per_sentence <= limits.max_mean_sentence_words:
        return []
    return [(
        f"mean sentence length {r.words_per_sentence} words, over {limits.max_mean_sentence_words}",
        None,
        "Use shorter sentences: one message per sentence.",
    )]


def _passive(r: Readability, ev: dict, limits) -> list[_Failure]:
    # One passive sentence is a style choice; a habit of them is what makes a text impersonal.
    passive = ev["passive"]
    if len(passive) < 2 or len(passive) / r.sentences <= limits.max_passive_share:
        return []
    return [(
        f"{len(passive)} of {r.sentences} sentences passive (at most {limits.max_passive_share:.0%}): "
        + ", ".join(_quote(s, 40) for s in passive[:3]),
        (passive[0].start, passive[0].end),
        "Say who does it: 'Wij sturen ...' instead of 'Er wordt ... gestuurd'.",
    )]


def _clauses(r: Readability, ev: dict, limits) -> list[_Failure]:
    heavy = [(s, c) for s, c in ev["subordinate"] if c > limits.max_subordinate_clauses]
    if not heavy:
        return []
    return [(
        f"{len(heavy)} sentence{'s' if len(heavy) > 1 else ''} with more than {limits.max_subordinate_clauses} "
        f"subordinate clause: " + ", ".join(_quote(s, 40) for s, _ in heavy[:3]),
        (heavy[0][0].start, heavy[0][0].end),
        "Split off the subordinate clause into its own sentence.",
    )]


def _rare(r: Readability, ev: dict, limits) -> list[_Failure]:
    if r.rare_word_ratio <= limits.max_rare_word_share or len({t.lower for t in ev["rare"]}) < 2:
        return []
    first = ev["rare"][0]
    return [(
        f"{r.rare_word_ratio:.0%} rare words (at most {limits.max_rare_word_share:.0%}): "
        + ", ".join(sorted({t.value for t in ev["rare"]})[:8]),
        (first.start, first.end),
        "Use common words.",
    )]


def _officialese(r: Readability, ev: dict, limits) -> list[_Failure]:
    if r.officialese <= limits.max_officialese:
        return []
    hits = ev["officialese"]
    return [("officialese: " + ", ".join(f"'{m.group(0)}'" for m in hits[:5]), (hits[0].start(), hits[0].end()), None)]


def _reading_ease(r: Readability, ev: dict, limits) -> list[_Failure]:
    if r.words < limits.min_words_for_formula or r.score is None or r.score >= limits.min_reading_ease:
        return []
    return [(
        f"{r.formula} {r.score} (at least {limits.min_reading_ease:g} on texts of {limits.min_words_for_formula}+ words)",
        None,
        "Shorter sentences and shorter, common words raise the score.",
    )]


_B1_RULES = (_too_long, _long_on_average, _passive, _clauses, _rare, _officialese, _reading_ease)


def check_b1(ctx: CheckContext) -> tuple[Readability | None, B1Verdict, list[Finding]]:
    if not ctx.calibrated:
        return None, B1Verdict(ok=None, reasons=[f"B1 checks are not calibrated for language '{ctx.language}'"]), []
    limits = ctx.policy.b1
    readability, ev = measure(ctx.doc, ctx.language, limits.rare_word_zipf)
    failures = [failure for rule in _B1_RULES for failure in rule(readability, ev, limits)]
    findings = _officialese_findings(ev["officialese"], ctx.language)
    findings += _difficult_findings(ev["difficult"], [(f.start, f.end) for f in findings])
    findings += [flag("not_b1", f"Not B1: {reason}", span, suggestion) for reason, span, suggestion in failures]
    reasons = [reason for reason, _, _ in failures]
    if readability.sentences and len(ev["negated"]) / readability.sentences > limits.max_negation_share:
        note = (
            f"{readability.negations} negations in {len(ev['negated'])} of {readability.sentences} sentences: "
            "say what is possible instead of what is not"
        )
        reasons.append(f"(warning) {note}")
        findings.append(flag(
            "negation", note.capitalize(), ev["negated"][0],
            "Phrase it positively: 'U kunt ...' instead of 'U kunt niet ...'.",
        ))
    return readability, B1Verdict(ok=not failures, reasons=reasons), findings


def _officialese_findings(hits: list[re.Match], language: str) -> list[Finding]:
    """Every officialese word is named, also when the text stays within the policy's limit."""
    plain = officialese(language)[1]
    findings = []
    for m in hits:
        alternative = plain.get(m.group(0).lower())
        findings.append(flag(
            "officialese", f"'{m.group(0)}' is officialese" + _plain_advice(alternative), (m.start(), m.end()), alternative,
        ))
    return findings


def _quote(sentence: Sentence, limit: int) -> str:
    """The sentence as a reader reads it: without the links, addresses, @handles and #tags it carries."""
    return quote(without_links(sentence.text), limit)


def _difficult_findings(words: list[tuple[Token, str | None]], official: list[tuple[int, int]]) -> list[Finding]:
    """One finding per difficult word; a word the officialese finding already names gets no second one."""
    findings = []
    for token, alternative in words:
        if any(start < token.end and token.start < end for start, end in official):
            continue
        findings.append(flag(
            "difficult_word", f"'{token.value}' is a difficult word for many readers" + _plain_advice(alternative),
            (token.start, token.end), alternative,
        ))
    return findings


def _plain_advice(alternative: str | None) -> str:
    """ "(weglaten)" and "(leave out)" in the lists mean: drop the word; other parentheses are advice."""
    if not alternative:
        return ""
    if alternative in ("(weglaten)", "(leave out)"):
        return "; leave it out"
    if alternative.startswith("("):
        return f"; {alternative.strip('()')}"
    return f"; write '{alternative}'"


def b1_result(ctx: CheckContext) -> tuple[Readability | None, B1Verdict, list[Finding]]:
    return ctx.memo(check_b1)


def _of(code: str):
    def detect(ctx: CheckContext) -> list[Finding]:
        return [f for f in b1_result(ctx)[2] if f.code == code]
    detect.__name__ = f"detect_{code}"
    return detect


detect_not_b1 = _of("not_b1")
detect_officialese = _of("officialese")
detect_negation = _of("negation")
detect_difficult_words = _of("difficult_word")
