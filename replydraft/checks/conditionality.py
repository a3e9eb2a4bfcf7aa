"""Conditionality: help made to depend on something the customer must give back.

Reciprocity only works without strings attached. A condition is a problem when it asks the customer
for something the company wants and the help itself does not need (a review, a survey, a referral,
a renewal, a purchase, praise, dropping a complaint), and the same sentence holds the help or
benefit that depends on it. A step the service needs (the product back, a photo, the order number)
or the customer's own wish ("als u vragen heeft") is an ordinary service conditional and passes.
Two more forms need no "if": reminding the customer of an earlier favour while asking something,
and guilt leverage ("na alles wat we voor u gedaan hebben").
"""

from __future__ import annotations

import re

from ..text import Sentence
from ..types import Finding
from .base import CheckContext, finding, quote

_FLAGS = re.IGNORECASE

CONDITION = re.compile(
    r"\b(als|indien|mits|wanneer|zodra|pas|alleen|enkel|uitsluitend|voorwaarde|ruil|voordat|nadat|"
    r"if|provided|providing|as long as|as soon as|once|only|unless|in exchange|in return|condition|after|when|before)\b",
    _FLAGS,
)

# What the company wants from the customer that the help itself does not need.
ASK = re.compile(
    r"("
    r"\breview|recensie|beoordeling (achterlaat|geeft|plaatst|schrijft|achterlaten|geven|plaatsen)|"
    r"positieve (beoordeling|review|recensie|reactie|waardering)|ons (goed |positief )?beoordeelt|"
    r"\b\d ?sterren\b|vijf sterren|\b(een|goed|hoog|mooi) cijfer (geeft|geven)|"
    r"enquête|enquete|vragenlijst|tevredenheidsonderzoek|klanttevredenheid|beoordeling (aanpast|aanpassen|wijzigt|verwijdert)|"
    r"(nieuwe|duurdere|grotere|premium) (abonnement|pakket|plan)|"
    r"feedback (geeft|geven|achterlaat|achterlaten|invult|deelt)|"
    r"ons (aanbeveelt|aanraadt|aanbevelen|aanraden)|aanbeveelt|doorverwijst|"
    r"(vriend|vriendin|vrienden|kennis|buren|familielid)\w* (aanmeldt|aanbrengt|uitnodigt|doorverwijst|aandraagt|aanmelden|uitnodigen)|"
    r"\b(u|je|jij)\b[^,.]{0,40}\bverleng|verlengt u|(contract|abonnement) (met [^,.]{1,20} )?verleng|"
    r"abonnement (afsluit|afsluiten|neemt|nemen|upgradet)|"
    r"(iets|opnieuw|nog eens|weer|nog een keer|een nieuwe bestelling|een bestelling|een aankoop) (bij ons )?(bestelt|bestellen|koopt|kopen|plaatst|plaatsen|doet)|"
    r"klant (blijft|wilt blijven)|blijft bij ons|"
    r"compliment|lovende|\blike\b|\bliket\b|ons volgt|volgt op (social|facebook|instagram|linkedin)|"
    r"deelt op|aanmeldt voor (onze|de) nieuwsbrief|nieuwsbrief|"
    r"klacht (intrekt|intrekken|in te trekken|laat vallen)|geen klacht|afziet van|"
    r"leave (us )?(a|an|your)? ?(positive |good |5-star |five-star |honest )?(review|rating)|write (us )?a review|"
    r"review (us|our)|\brate us|\bgive us (a|an)? ?\w* ?rating|\b(5|five)[- ]stars?|survey|questionnaire|"
    r"recommend (us|our)|refer (a|your) (friend|colleague|neighbou?r)|referral|"
    r"\brenew|extend your (contract|subscription|plan)|sign up for|subscribe to|upgrade to|"
    r"(place|make) (another|a new|an|a second) (order|purchase)|buy (another|again|more)|purchase (another|more|again|a new|our)|"
    r"testimonial|praise|withdraw (your|the) complaint|say something nice|stay with us|remain a customer"
    r")",
    _FLAGS,
)

# The help or benefit that would depend on it.
HELP = re.compile(
    r"(korting|gratis|cadeau|tegoed|bon\b|voucher|vergoed|compensatie|terugbetal|terug ?storten|"
    r"betalen (we|wij|u)? ?(het|uw)? ?(geld|bedrag)? ?terug|geld terug|storten|krijgt u|ontvangt u|krijg je|ontvang je|"
    r"behandel|oplos|lossen|los(sen)? (we|wij|ik)|help|repar|vervang|stur(en|t) (we|wij|ik)|verstur|lever|"
    r",\s*\w+ (we|wij|ik)\b|\bdan \w+ (we|wij|ik)\b|\bthen (we|i)\b|garantie|warranty|kunnen (we|wij)|kan ik|zullen (we|wij)|gaan (we|wij)|regel|coulance|uitzondering|tegemoetkoming|"
    r"ruil|retour|crediter|annuler|opzeg|kwijtschel|afspraak|monteur|"
    r"discount|free|gift|credit|refund|compensat|reimburse|we('ll| will| can| could)|i('ll| will| can)|"
    r"you('ll| will) (get|receive)|fix|resolve|process|replace|repair|ship|deliver|waive|exception)",
    _FLAGS,
)

EXCHANGE = re.compile(r"\b(in ruil voor|in exchange for|in return for|als tegenprestatie|als wederdienst)\b", _FLAGS)

FAVOUR = re.compile(
    r"\b((we|wij) hebben (u|je) (toen |vorige (week|maand|keer|jaar) |eerder |onlangs )?(ook )?al|"
    r"(we|wij) (u|je) (eerder|toen|vorige (week|maand|keer)) (ook )?al|gunst (bewezen|gedaan|verleend)|"
    r"(we|wij) hebben (vorige keer|eerder|toen) een uitzondering|"
    r"hebben we u (toen |eerder )?al|we hebben je al|vorige keer hebben (we|wij)|"
    r"we hebben (toen )?(al )?een uitzondering|eerder (al )?(een )?(coulance|korting|tegoedbon)|"
    r"we (already|previously) (gave|helped|gave you|made an exception|did you)|we helped you( out)? (last|before|previously)|"
    r"did you a favou?r|"
    r"last time we|we went out of our way)",
    _FLAGS,
)
REQUEST_AFTER_FAVOUR = re.compile(
    r"\b(dus|daarom|daarvoor|nu|verwachten|vragen (we|wij)|zou(dt)? u|wilt u|mogen we|rekenen (we|wij) op|"
    r"so|therefore|now|expect|we('d| would) (ask|appreciate|like)|in return)\b",
    _FLAGS,
)
GUILT = re.compile(
    r"(na alles wat (we|wij|ik) (al )?voor (u|je|jou) (ge)?(ge)?d(aan|oen)|na alles wat (we|wij) (al )?voor (u|je) hebben|"
    r"(we|wij) hebben (al )?zoveel voor (u|je) (gedaan|geregeld)|dat bent u ons (wel )?verschuldigd|"
    r"dat zijn (we|wij) (toch )?wel waard|u bent ons (wel )?iets verschuldigd|"
    r"after (all|everything) we('ve| have) done for you|you owe us|least you (can|could) do)",
    _FLAGS,
)
# "Als u wilt" and "if you like" offer a choice; they attach nothing to the help.
OPTIONAL = re.compile(r"\b(als u wilt|als je wilt|als u dat wilt|if you('d)? like|if you wish|if you want|vrijblijvend)\b", _FLAGS)


_VERB_FIRST = re.compile(r"^(?P<verb>\w+) (?P<subject>u|je|jij|we|wij|ik)\b", _FLAGS)


def _main_clause(sentence: Sentence, condition: re.Match) -> str:
    """The sentence with its condition cut off, as a start for an unconditional rewrite."""
    text = sentence.text
    parts = re.split(r",\s*", text)
    if EXCHANGE.search(text):
        rest = EXCHANGE.split(text)[0].strip().rstrip(",")
        return (rest[:1].upper() + rest[1:]).rstrip(".") + "." if rest else ""
    keep = [p for p in parts if not CONDITION.search(p) and not ASK.search(p)]
    if not keep:
        return ""
    rest = ", ".join(keep).strip()
    rest = re.sub(r"^(dan|then)\s+", "", rest, flags=_FLAGS)
    # After "als ..., dan" Dutch puts the verb first ("krijgt u"); on its own the subject comes first.
    rest = _VERB_FIRST.sub(lambda m: f"{m['subject']} {m['verb']}", rest, count=1)
    return (rest[:1].upper() + rest[1:]).rstrip(".!") + "."


def _conditional_help(sentence: Sentence) -> tuple[str, float] | None:
    text = sentence.text
    exchange = EXCHANGE.search(text)
    if exchange:
        return "help offered in exchange for something", 0.9
    condition = CONDITION.search(text)
    if not condition:
        return None
    ask = ASK.search(text)
    if not ask:
        return None
    if OPTIONAL.search(text) and not re.search(r"\b(eerst|pas|alleen|only|first)\b", text, _FLAGS):
        return None
    outside_ask = text[: ask.start()] + text[ask.end() :]
    if not HELP.search(outside_ask):
        return None
    return "help made conditional on something the customer must give back", 0.9


def check_conditionality(ctx: CheckContext) -> tuple[float, list[Finding]]:
    findings: list[Finding] = []
    weights: list[float] = []
    sentences = ctx.doc.sentences
    # Whole-text passes first: guilt and favour phrases are rare, per-sentence searches are not free.
    guilt_anywhere = GUILT.search(ctx.text) is not None
    favour_anywhere = FAVOUR.search(ctx.text) is not None
    for i, sentence in enumerate(sentences):
        hit = _conditional_help(sentence)
        if hit is None and guilt_anywhere and GUILT.search(sentence.text):
            hit = ("guilt leverage: reminding the customer of what we did for them", 0.8)
        if hit is None and favour_anywhere and FAVOUR.search(sentence.text):
            window = " ".join(s.text for s in sentences[i : i + 2])
            if REQUEST_AFTER_FAVOUR.search(window[FAVOUR.search(window).end():]):
                hit = ("reminds the customer of an earlier favour while asking something", 0.7)
        if hit is None:
            continue
        why, weight = hit
        weights.append(weight)
        rewrite = _main_clause(sentence, CONDITION.search(sentence.text))
        findings.append(finding(
            "conditionality", "error", "reciprocity",
            f"Conditional help ({why}): {quote(sentence.text)}. Help that comes with strings attached "
            "undoes the goodwill; give it without a condition and ask for nothing in return.",
            sentence,
            rewrite or "Give the help without any condition; leave the request out.",
        ))
    remaining = 1.0
    for weight in weights:
        remaining *= 1.0 - weight
    return round(1.0 - remaining, 3), findings


def detect(ctx: CheckContext) -> list[Finding]:
    return ctx.memo(check_conditionality)[1]
