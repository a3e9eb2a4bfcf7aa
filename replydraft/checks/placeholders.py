"""`placeholder`: a template slot left in the draft where a real value belongs (Golden Rule 6).

Found by shape, not by name: a delimited slot ({{order_id}}, ${firstName}, [naam], <Customer Name>,
%PLAN_NAME%, %s, $LASTNAME), an instruction to fill in ("(insert reference here)", "[vul naam in]"),
or a run of capital X standing in for a value (XXX, € XX,XX, 2024-XXXX). The shapes
and their look-alikes live in the language pack (`placeholders.toml`). Look-alikes stay clean: our own
masking tokens ([IBAN_1], restored by the pipeline), footnotes, markup, clothing sizes (XL, XXL), menu
paths ("Settings > Billing"), a "less than" sign, masked card digits (XXXX XXXX XXXX 1234), hex codes,
and template syntax taught to the customer: a slot in a sentence that names a template, a variable or
"exactly as shown" is a mention, not a slot left in.
"""

from __future__ import annotations

import re
from functools import cache

from ..packs import Section, load_pack
from ..types import Finding
from .base import CheckContext, flag, quote

# Before a two-X run: a currency or number sign, or a digit or X group joined by a separator ("XX/XX").
_NUMERIC_BEFORE = re.compile(r"(?:[€$£#]\s?|[X\d][.,/:\-])$")
_NUMERIC_AFTER = re.compile(r"[.,/:\-][X\d]")


def _section(ctx: CheckContext) -> Section:
    # Slot shapes do not depend on the language: a draft in a language without a pack uses the English one.
    pack = ctx.pack or load_pack("en")
    return pack.section("placeholders")


def _delimited(text: str, section: Section) -> list[re.Match]:
    found = list(section.pattern("slot").finditer(text))
    found += list(section.pattern("instruction").finditer(text))
    found += [m for m in section.pattern("slot_words").finditer(text)]
    not_bracket = section.pattern("bracket_not_slot")
    found += [m for m in section.pattern("bracket").finditer(text) if not not_bracket.fullmatch(m.group(0))]
    not_angle = section.pattern("angle_not_slot")
    found += [m for m in section.pattern("angle").finditer(text) if not not_angle.fullmatch(m.group(0))]
    return found


def _is_x_slot(text: str, run: re.Match, masked_card: re.Pattern) -> bool:
    """XXX, or XX in a number's shape (€ XX,XX, XX/XX/2024); not the X groups of a masked card number."""
    if masked_card.match(text, run.end()):
        return False
    if len(run.group(0)) >= 3:
        return True
    before = text[max(0, run.start() - 3):run.start()]
    return bool(_NUMERIC_BEFORE.search(before) or _NUMERIC_AFTER.match(text, run.end()))


@cache
def _anchored(patterns: tuple[str, ...]) -> re.Pattern:
    """Patterns matched right after a run (no word boundary before them, unlike Section.pattern)."""
    return re.compile("|".join(f"(?:{p})" for p in patterns) or r"(?!x)x")


def _x_runs(text: str, section: Section) -> list[re.Match]:
    masked_card = _anchored(tuple(section.get("masked_card_after_patterns", [])))
    return [m for m in section.pattern("x_run").finditer(text) if _is_x_slot(text, m, masked_card)]


def _merged(matches: list[re.Match]) -> list[tuple[int, int]]:
    """One span per slot: overlapping shapes ("[[NAAM]]") and the X groups of one value ("XXX-XXX-XXXX") join."""
    spans: list[tuple[int, int]] = []
    for start, end in sorted((m.start(), m.end()) for m in matches):
        if spans and start <= spans[-1][1] + 1:
            spans[-1] = (spans[-1][0], max(end, spans[-1][1]))
        else:
            spans.append((start, end))
    return spans


def _taught(ctx: CheckContext, section: Section, spans: list[tuple[int, int]]) -> set[tuple[int, int]]:
    """Slots in a sentence that teaches template syntax ("in uw sjabloon kunt u {{ naam }} gebruiken"): mentions."""
    taught = set()
    for sentence in ctx.doc.sentences:
        inside = [span for span in spans if sentence.start <= span[0] < sentence.end]
        if inside and _teaches(section, _outside(ctx.text, sentence.start, sentence.end, inside)):
            taught.update(inside)
    return taught


def _teaches(section: Section, sentence: str) -> bool:
    """The sentence tells the customer to use template syntax: it names a template and a use of it, or "exactly as shown"."""
    if section.pattern("shown").search(sentence):
        return True
    return bool(section.pattern("mention").search(sentence) and section.pattern("teach").search(sentence))


def _outside(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> str:
    """The sentence with its slots blanked out, so a slot's own name ("{{template_id}}") is no cue."""
    parts, at = [], start
    for a, b in spans:
        parts += [text[at:a], " "]
        at = b
    return "".join(parts + [text[at:end]])


def detect(ctx: CheckContext) -> list[Finding]:
    text = ctx.text
    section = _section(ctx)
    spans = _merged(_delimited(text, section) + _x_runs(text, section))
    taught = _taught(ctx, section, spans) if spans else set()
    spans = [span for span in spans if span not in taught]
    return [
        flag("placeholder", f"Placeholder left in the draft: {quote(text[start:end])}", (start, end),
             "Fill in the real value or remove it.")
        for start, end in spans
    ]
