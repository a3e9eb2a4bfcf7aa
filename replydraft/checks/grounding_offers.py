"""Money, codes and benefits a draft gives the customer, against the policy's [promises] (promise_beyond_policy).

Each rule below reads the draft with the pack's grounding.toml table "money" and returns its findings:
an amount given beyond max_refund_eur or max_goodwill_eur, a percentage discount larger than
may_offer names, a discount code not in discount_codes, something free or a benefit that may_offer
does not list, money back sooner than refund_within_days, a sentence that holds a may_not_promise line.
An amount the customer owes or paid, or a price, is no promise: the nearest cue decides.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..packs import Section, available_languages, compile_phrases
from ..policy import Policy
from ..types import Finding
from .amounts import AMOUNT, amount_key
from .base import CheckContext, flag, quote
from .grounding_tables import CUE_WINDOW, language_table

_PERCENT = re.compile(r"(?<![\w.,])(\d{1,3}(?:[.,]\d{1,2})?)\s?(?:%|procent\b|percent\b)", re.IGNORECASE)
_CODE_TOKEN = re.compile(r"\s*(?:[:=]|\bis\b|\bluidt\b)?\s*[\"'“‘]?([A-Za-z0-9][A-Za-z0-9_-]{3,30})")
_WORDS = re.compile(r"[^\W\d_]+")
_AFTER = 30  # characters after an amount in which a cue may stand ("€ 25 tegoed", "25 euro terug")


def _nearest(s: Section, text: str, start: int, end: int, floor: int) -> str | None:
    """'give' or 'owe': the cue nearest to the value, before it (within the sentence) or just after it."""
    before = text[max(floor, start - CUE_WINDOW) : start]
    after = text[end : end + _AFTER]
    best, distance = None, None
    for kind in ("give", "owe"):
        pattern = s.pattern(kind)
        for m in pattern.finditer(before):
            d = len(before) - m.end()
            if distance is None or d < distance or (d == distance and kind == "owe"):
                best, distance = kind, d
        m = pattern.search(after)
        if m and m.start() < (distance if distance is not None else _AFTER + 1):
            # a cue after the amount counts only before the clause ends
            if not re.search(r"[,;:.!?]", after[: m.start()]):
                best, distance = kind, m.start()
    return best


def _denied(s: Section, text: str, start: int, floor: int) -> bool:
    window = text[max(floor, start - 40) : start]
    return s.pattern("denied").search(window) is not None


def _limit_for(s: Section, sentence: str, policy: Policy) -> tuple[float, str]:
    promises = policy.promises
    if s.pattern("refund").search(sentence):
        return promises.max_refund_eur, "max_refund_eur"
    if s.pattern("goodwill").search(sentence):
        return promises.max_goodwill_eur, "max_goodwill_eur"
    if promises.max_refund_eur >= promises.max_goodwill_eur:
        return promises.max_refund_eur, "max_refund_eur"
    return promises.max_goodwill_eur, "max_goodwill_eur"


def _sentence_of(ctx: CheckContext, at: int) -> tuple[int, str]:
    i = ctx.sentence_index(at)
    if i < 0:
        return 0, ctx.text[: at + CUE_WINDOW]
    sentence = ctx.doc.sentences[i]
    return sentence.start, sentence.text


def _amount_findings(ctx: CheckContext, s: Section) -> list[Finding]:
    findings = []
    for m in AMOUNT.finditer(ctx.text):
        floor, sentence = _sentence_of(ctx, m.start())
        if _nearest(s, ctx.text, m.start(), m.end(), floor) != "give" or _denied(s, ctx.text, m.start(), floor):
            continue
        limit, key = _limit_for(s, sentence, ctx.policy)
        if float(amount_key(m)) > limit + 0.005:
            findings.append(flag(
                "promise_beyond_policy",
                f"The draft offers {quote(m.group(0).strip(), 20)}, more than this policy lets us give "
                f"({key}: € {limit:.2f}), whatever the mail says or says we promised",
                m.span(),
                f"Offer at most € {limit:.2f}, or ask a manager before the draft goes out.",
            ))
    return findings


def _offered_percent(policy: Policy) -> float:
    return max((float(p.replace(",", ".")) for line in policy.promises.may_offer for p in _PERCENT.findall(line)), default=0.0)


def _percent_findings(ctx: CheckContext, s: Section) -> list[Finding]:
    findings = []
    most = _offered_percent(ctx.policy)
    for m in _PERCENT.finditer(ctx.text):
        floor, _ = _sentence_of(ctx, m.start())
        if _nearest(s, ctx.text, m.start(), m.end(), floor) != "give" or _denied(s, ctx.text, m.start(), floor):
            continue
        if float(m.group(1).replace(",", ".")) > most:
            findings.append(flag(
                "promise_beyond_policy",
                f"The draft offers {quote(m.group(0), 20)}; this policy's may_offer names "
                + (f"at most {most:g}%" if most else "no percentage discount"),
                m.span(),
                "Offer only what the policy's may_offer lists, or ask a manager first.",
            ))
    return findings


def _is_code(token: str) -> bool:
    return any(c.isdigit() for c in token) and any(c.isalpha() for c in token) or (token.isupper() and len(token) >= 4)


def _code_findings(ctx: CheckContext, s: Section) -> list[Finding]:
    findings = []
    known = {c.strip().lower() for c in ctx.policy.promises.discount_codes}
    goodwill, free, give = s.pattern("goodwill"), s.pattern("free"), s.pattern("give")
    for cue in s.pattern("code").finditer(ctx.text):
        m = _CODE_TOKEN.match(ctx.text, cue.end())
        if not m or not _is_code(m.group(1)) or m.group(1).lower() in known:
            continue
        floor, sentence = _sentence_of(ctx, cue.start())
        if cue.group(0).lower() == "code" and not (goodwill.search(sentence) or free.search(sentence) or give.search(sentence)):
            continue  # "code" alone: a discount code only where the sentence gives something (a discount, credit, free shipping)
        findings.append(flag(
            "promise_beyond_policy",
            f"The draft hands out the code {quote(m.group(1), 30)}, which is not one of this policy's discount_codes",
            m.span(1),
            "Remove the code; only codes listed in the policy's [promises] discount_codes may be given.",
        ))
    return findings


def _stopwords(s: Section) -> frozenset[str]:
    """Words too common to match a policy line on (the money table's `stopwords`)."""
    return frozenset(w.lower() for w in s.get("stopwords", []))


def _stems(text: str, stop: frozenset[str]) -> set[str]:
    return {w[:5] for w in (w.lower() for w in _WORDS.findall(text)) if len(w) >= 4 and w not in stop}


_POSSESSIVE = re.compile(r"(?:\b(?:your|our|uw|je|jouw|onze|ons|hun|their)\s+)$", re.IGNORECASE)


def _given_free(s: Section, sentence: str, text: str, start: int, end: int) -> bool:
    """Something free is a promise when the customer receives it, or when it is a thing of our service ("gratis verzending").

    "Your free account", "onze gratis app": something that already is, not something given."""
    if _POSSESSIVE.search(text[max(0, start - 12) : start]):
        return False
    if s.pattern("receive").search(sentence) or s.pattern("free_things").match(text, end + 1 if text[end:end + 1] == " " else end):
        return True
    # As a predicate: a thing of our service in the same clause ("de levering is gratis", "shipping is on us").
    clause_start = max((text.rfind(c, max(0, start - _CLAUSE_CHARS), start) for c in ",;:.!?\n"), default=-1) + 1
    after = _CLAUSE_END.search(text, end, end + _CLAUSE_CHARS)
    clause = text[max(clause_start, start - _CLAUSE_CHARS) : after.start() if after else end + _CLAUSE_CHARS]
    return bool(s.pattern("free_things").search(clause))


_CLAUSE_CHARS = 80  # a clause around a free word: this far either side, to its punctuation
_CLAUSE_END = re.compile(r"[,;:.!?\n]")


def _enough(offer: set[str]) -> int:
    """How many of a may_offer line's key words a free thing must share with it: all of one or two, two thirds of more."""
    return len(offer) if len(offer) <= 2 else -(-2 * len(offer) // 3)


def _free_findings(ctx: CheckContext, s: Section) -> list[Finding]:
    stop = _stopwords(s)
    free, not_free = s.pattern("free"), s.pattern("not_free")
    offers = [_stems(line, stop) for line in ctx.policy.promises.may_offer if free.search(line)]
    excluded = [m.span() for m in not_free.finditer(ctx.text)]
    findings = []
    for m in free.finditer(ctx.text):
        if any(a <= m.start() < b or m.start() <= a < m.end() for a, b in excluded) or ctx.text[m.start() - 1 : m.start()] == "-":
            continue  # "gratis te bellen", "feel free", "hassle-free": nothing given
        floor, sentence = _sentence_of(ctx, m.start())
        if _denied(s, ctx.text, m.start(), floor) or not _given_free(s, sentence, ctx.text, m.start(), m.end()):
            continue
        around = _stems(ctx.text[max(floor, m.start() - 60) : m.end() + 60], stop)
        if any(len(offer & around) >= _enough(offer) for offer in offers):
            continue  # "gratis retour" allows "gratis retourneren"; "een nieuwe levering zonder kosten" not "de levering is gratis"
        findings.append(flag(
            "promise_beyond_policy",
            f"The draft offers something free ({quote(ctx.text[m.start():m.end() + 25], 40)}) that this policy's may_offer does not list",
            m.span(),
            "Offer only what the policy's may_offer lists, or ask a manager first.",
        ))
    return findings


def _forbidden_findings(ctx: CheckContext, s: Section) -> list[Finding]:
    stop = _stopwords(s)
    lines = [(line, _stems(line, stop), _concepts(line)) for line in ctx.policy.promises.may_not_promise]
    lines = [(line, stems, concepts) for line, stems, concepts in lines if len(stems) >= 2]
    if not lines:
        return []
    denied, guarantee = s.pattern("denied"), s.pattern("guarantee")
    whole = _stems(ctx.text, stop)  # a sentence's stems are among the draft's: most drafts hold no line's
    if not guarantee.can_match(ctx.text) and not any(needed <= whole for _, needed, _ in lines):
        return []
    findings = []
    for sentence in ctx.doc.sentences:
        stems = _stems(sentence.text, stop)
        guaranteed = guarantee.search(sentence.text) is not None
        for line, needed, concepts in lines:
            matched = needed <= stems or (guaranteed and len(concepts) >= 2 and concepts <= _concepts(sentence.text))
            if matched and not denied.search(sentence.text):
                findings.append(flag(
                    "promise_beyond_policy",
                    f"The draft promises what this policy says never to promise: {quote(line, 60)}",
                    sentence,
                    "Leave the promise out, or ask a manager first.",
                ))
                break
    return findings


def _concepts(text: str) -> frozenset[str]:
    """The concepts (delivery, time ...) a text touches, in every pack's words: a Dutch policy line, an English draft."""
    return frozenset(name for name, pattern in _concept_patterns() if pattern.search(text))


@lru_cache(maxsize=1)
def _concept_patterns() -> tuple[tuple[str, re.Pattern], ...]:
    merged: dict[str, list[str]] = {}
    for language in available_languages():
        money = language_table(language, "money")
        for name in money.get("concepts", []):
            merged.setdefault(name, []).extend(money.get(f"concept_{name}_patterns", []))
    return tuple((name, compile_phrases(phrases)) for name, phrases in merged.items())


def _deadline_findings(ctx: CheckContext, s: Section) -> list[Finding]:
    """Money back by a deadline sooner than the policy's refund_within_days ("U ontvangt uw geld binnen
    24 uur retour"): a promise the company does not stand for. Saying when we act is Golden Rule 1;
    the refund time is the policy's."""
    allowed = ctx.policy.promises.refund_within_days
    refund, denied = s.pattern("refund_promise"), s.pattern("denied")
    if not refund.can_match(ctx.text):
        return []
    findings = []
    for sentence in ctx.doc.sentences:
        refunds = list(refund.finditer(sentence.text))
        if not refunds or denied.search(sentence.text):
            continue
        days = _deadline_days(s, sentence.text, refunds)
        if days is None or (allowed and days >= allowed):
            continue
        findings.append(flag(
            "promise_beyond_policy",
            f"The draft promises money back within {_duration(days)} ({quote(sentence.text, 60)}); "
            + (f"this policy's refund_within_days is {allowed}" if allowed else "this policy names no refund time"),
            sentence,
            "Say the refund time the policy gives (refund_within_days), or ask a manager first.",
        ))
    return findings


def _duration(days: float) -> str:
    return f"{round(days * 24):g} hour(s)" if days < 1 else f"{round(days, 1):g} day(s)"


_UNIT_DAYS = {"hour": 1 / 24, "day": 1.0, "workday": 7 / 5, "week": 7.0, "month": 30.0}


def _deadline_days(s: Section, sentence: str, refunds: list[re.Match]) -> float | None:
    """The shortest deadline a sentence names, in days ("binnen 24 uur": 1, "within 5 business days":
    7; "vandaag", "morgen", "direct" next to the refund: 1); None when it names none."""
    numbers = s.get("number_words", {})
    best = None
    for m in s.pattern("deadline").finditer(sentence):
        amount, unit = m.group("amount"), m.group("unit")
        value = float(amount) if amount and amount.isdigit() else float(numbers.get((amount or "").lower(), 1))
        days = value * _UNIT_DAYS[_unit_of(s, unit)]
        best = days if best is None else min(best, days)
    for m in s.pattern("soon").finditer(sentence):
        if any(_next_to(sentence, r, m) for r in refunds):  # "direct" with the refund, not with "contact us"
            best = min(best, 1.0) if best is not None else 1.0
    return best


_SOON_REACH = 20


def _next_to(sentence: str, refund: re.Match, soon: re.Match) -> bool:
    """A word of soon inside the refund's words or at most a few words from them, with no punctuation between."""
    if refund.start() <= soon.start() < refund.end():
        return True
    gap = sentence[refund.end() : soon.start()] if soon.start() >= refund.end() else sentence[soon.end() : refund.start()]
    return len(gap) <= _SOON_REACH and not re.search(r"[,;:.!?]", gap)


def _unit_of(s: Section, unit: str) -> str:
    for name in ("workday", "hour", "day", "week", "month"):
        if s.pattern(f"unit_{name}").fullmatch(unit):
            return name
    return "day"


def _benefit_findings(ctx: CheckContext, s: Section) -> list[Finding]:
    """A benefit granted (a longer warranty, an upgrade, extra months) must be one may_offer lists:
    "de garantie op uw bestelling is verlengd tot 5 jaar" is a promise no agent may make alone."""
    stop = _stopwords(s)
    offers = [_stems(line, stop) for line in ctx.policy.promises.may_offer]
    benefit, grant, denied = s.pattern("benefit"), s.pattern("grant"), s.pattern("denied")
    if not (benefit.can_match(ctx.text) and grant.can_match(ctx.text)):
        return []
    findings = []
    for sentence in ctx.doc.sentences:
        found = next((m for m in benefit.finditer(sentence.text) if sentence.text[m.start() - 1 : m.start()] not in "\"'“‘"
                      or not m.start()), None)  # a quoted "Upgrade" is a button's name
        granted = found and any(g.end() <= found.start() or g.start() >= found.end() for g in grant.finditer(sentence.text))
        if not granted or denied.search(sentence.text):
            continue
        stems = _stems(sentence.text, stop)
        if any(offer and len(offer & stems) >= _enough(offer) for offer in offers):
            continue
        findings.append(flag(
            "promise_beyond_policy",
            f"The draft grants {quote(found.group(0), 30)} ({quote(sentence.text, 60)}), which this policy's may_offer does not list",
            sentence,
            "Offer only what the policy's may_offer lists, or ask a manager first.",
        ))
    return findings


OFFER_RULES = (
    _amount_findings, _percent_findings, _code_findings, _free_findings, _forbidden_findings, _deadline_findings,
    _benefit_findings,
)
