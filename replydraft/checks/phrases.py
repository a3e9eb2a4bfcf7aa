"""Phrase checks for three Golden-Rule codes, found by how a line is built, with the words in the language pack.

- `dismissive_thanks`: the customer's thanks (not our own "Thanks for ...") next to a line that waves it away
  ("no need", "niet nodig") or makes light of the help ("just my job", "het stelde niks voor"), or a waving idiom.
- `hollow_empathy`: a sympathy, apology, understanding or receipt clause that names nothing of the customer's
  case: once its frame, the generic objects ("inconvenience", "ongemak") and function words are taken away,
  no word is left.
- `feedback_or_upsell`: an ask whose object is a review, rating, survey or score, or a sales pitch (price,
  promotion, "did you know") about an offer, unless the customer asked for it or already has it.

Word lists and patterns: `replydraft/packs/<language>/phrases.toml`, one table per code.
"""

from __future__ import annotations

import re

from ..packs import Section
from ..text import Sentence
from ..types import Finding
from .base import CheckContext, flag, quote

_WORD = re.compile(r"[^\W\d_]+|\d+")
_SECTIONS: dict[tuple[str, str], Section] = {}
_REGEXES: dict[tuple[str, str, str], re.Pattern] = {}


def _rules(ctx: CheckContext, code: str) -> Section | None:
    """The pack table of one code, as a Section (its `*_patterns` compiled on first use)."""
    if ctx.pack is None:
        return None
    key = (ctx.pack.language, code)
    if key not in _SECTIONS:
        _SECTIONS[key] = Section(code, ctx.pack.section("phrases").get(code, {}))
    return _SECTIONS[key] if _SECTIONS[key].values else None


def _regex(rules: Section, key: str) -> re.Pattern:
    """A pack regex used as written (no word-boundary wrapping): a string or a list joined by '|'."""
    cache_key = (rules.name, key, str(id(rules)))
    if cache_key not in _REGEXES:
        value = rules.get(key, "(?!x)x")
        _REGEXES[cache_key] = re.compile(value if isinstance(value, str) else "|".join(value), re.IGNORECASE)
    return _REGEXES[cache_key]


def _words(rules: Section, key: str) -> frozenset[str]:
    value = rules.get(key, "")
    return frozenset((value.split() if isinstance(value, str) else value))


def _norm(text: str) -> str:
    return text.replace("’", "'")


# --- dismissive_thanks -----------------------------------------------------------------------------------------

def _customers_thanks(rules: Section, text: str) -> bool:
    """A thanks word that is the customer's thanks, not our own "Thanks for ..." / "Bedankt!"."""
    own_after = _regex(rules, "own_thanks_after")
    subjects = _words(rules, "subject_words")
    for m in rules.pattern("thanks").finditer(text):
        before = text[: m.start()].split()
        own = own_after.match(text, m.end()) is not None and not (before and before[-1].lower() in subjects)
        if not own:
            return True
    return False


def detect_dismissive_thanks(ctx: CheckContext) -> list[Finding]:
    rules = _rules(ctx, "dismissive_thanks")
    if rules is None:
        return []
    findings: list[Finding] = []
    thanked_before = False
    for sentence in ctx.doc.sentences:
        text = _norm(sentence.text)
        thanked = _customers_thanks(rules, text)
        hit = rules.pattern("idiom").search(text)
        if hit is None and (thanked or thanked_before):
            hit = rules.pattern("waive").search(text)
        if hit is None and thanked:
            hit = rules.pattern("minimise").search(text)
        thanked_before = thanked
        if hit is not None:
            findings.append(flag(
                "dismissive_thanks", f"Waves the customer's thanks away; accept it warmly instead: {quote(hit.group(0))}",
                sentence, "Graag gedaan, zo werken we graag samen.",
            ))
    return findings


# --- hollow_empathy --------------------------------------------------------------------------------------------

def _content_words(text: str, stop: frozenset[str]) -> list[str]:
    return [w for w in (t.lower() for t in _WORD.findall(text)) if w.isdigit() or (len(w) > 2 and w not in stop)]


def _hollow_clause(rules: Section, clause: str, last: bool, stop: frozenset[str]) -> re.Match | None:
    """The frame of a clause that names nothing of the customer's case, or None."""
    frame = rules.pattern("frame").search(clause) or rules.pattern("receipt").search(clause)
    if frame is None:
        return None
    if _content_words(clause, stop):
        return None
    # "Sorry, the link in my last mail was wrong": a bare apology opening a sentence that says what for.
    if not last and rules.pattern("bare").fullmatch(clause.strip(" .!")):
        return None
    return frame


def detect_hollow_empathy(ctx: CheckContext) -> list[Finding]:
    rules = _rules(ctx, "hollow_empathy")
    if rules is None:
        return []
    stop = _words(rules, "generic_words") | (ctx.pack.words("function_words") if ctx.pack else frozenset())
    breaks = _regex(rules, "clause_break")
    findings: list[Finding] = []
    for sentence in ctx.doc.sentences:
        clauses = [c for c in breaks.split(_norm(sentence.text)) if c and c.strip(" .!?")]
        for i, clause in enumerate(clauses):
            frame = _hollow_clause(rules, clause, i == len(clauses) - 1, stop)
            if frame is not None:
                findings.append(flag(
                    "hollow_empathy",
                    f"Stock line that says nothing to this customer; name what happened to them, in their words: {quote(clause.strip())}",
                    sentence, "Say what went wrong for them: 'Wat vervelend dat uw pakket na twee weken nog niet binnen is.'",
                ))
                break
    return findings


# --- feedback_or_upsell ----------------------------------------------------------------------------------------

def _feedback_ask(rules: Section, text: str, previous: str) -> re.Match | None:
    """A review/rating/survey ask: its object in this sentence or the one before, the ask in this one."""
    if rules.pattern("feedback_excuse").search(text):
        return None
    asked = rules.pattern("ask").search(text)
    if asked is None:
        return None
    if rules.pattern("feedback").search(text):
        return asked
    followup = rules.pattern("followup_ask").search(text)
    return followup if followup and rules.pattern("feedback").search(previous) else None


def _sales_pitch(rules: Section, text: str, previous: str) -> re.Match | None:
    """A pitch about an offer (or two pitch cues) the customer did not ask about and does not have."""
    pitch = rules.pattern("pitch").search(text)
    if pitch is None:
        return None
    if not (rules.pattern("offer").search(text) or rules.pattern("offer").search(previous)):
        return None
    asked = rules.pattern("asked")
    if rules.pattern("offer_excuse").search(text) or asked.search(text) or asked.search(previous):
        return None
    return pitch


def detect_feedback_or_upsell(ctx: CheckContext) -> list[Finding]:
    rules = _rules(ctx, "feedback_or_upsell")
    if rules is None:
        return []
    findings: list[Finding] = []
    previous = ""
    for sentence in ctx.doc.sentences:
        text = _norm(sentence.text)
        hit = rules.pattern("promo").search(text) or _feedback_ask(rules, text, previous) or _sales_pitch(rules, text, previous)
        previous = text
        if hit is not None:
            findings.append(_upsell_finding(sentence, hit.group(0)))
    return findings


def _upsell_finding(sentence: Sentence, what: str) -> Finding:
    return flag(
        "feedback_or_upsell", f"Asks for feedback or sells something the customer did not ask about: {quote(what)}",
        sentence, "Leave it out: help with what the customer asked, nothing more.",
    )


class _StockApologies:
    """Whole stock apologies of every pack (`stock_patterns`), for checks that must see past them:
    context.py strips `HOLLOW_EMPATHY.patterns` before looking for an admission of a mistake."""

    @property
    def patterns(self) -> re.Pattern:
        if "stock" not in _REGEXES_STOCK:
            from ..packs import available_languages, compile_phrases, load_pack

            phrases: list[str] = []
            for language in available_languages():
                pack = load_pack(language)
                phrases += pack.section("phrases").get("hollow_empathy", {}).get("stock_patterns", []) if pack else []
            _REGEXES_STOCK["stock"] = compile_phrases(phrases)
        return _REGEXES_STOCK["stock"]


_REGEXES_STOCK: dict[str, re.Pattern] = {}
HOLLOW_EMPATHY = _StockApologies()
