"""Promises: every commitment in the draft with who, what and when (Golden Rules 1 and 2).

A promise without a concrete time ("zo spoedig mogelijk", "we nemen contact met u op") is a
`vague_promise`: the customer cannot hold us to it. An event counts as a time ("zodra we uw retour
hebben"), because the customer can see when it happens.
"""

from __future__ import annotations

import re

from ..text import Sentence
from ..types import Finding, Promise
from .base import CheckContext, compile_phrases, finding, quote

_F = re.IGNORECASE
_DAYS_NL = "maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag"
_DAYS_EN = "monday|tuesday|wednesday|thursday|friday|saturday|sunday"
_MONTHS_NL = "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december|jan|feb|mrt|apr|jun|jul|aug|sep|sept|okt|nov|dec"
_MONTHS_EN = "january|february|march|april|may|june|july|august|september|october|november|december"
_NUMBER = r"(\d+|een|één|twee|drie|vier|vijf|zes|zeven|acht|negen|tien|veertien|one|two|three|four|five|six|seven|ten|fourteen)"

WHEN = re.compile(
    rf"\b(vandaag|morgen(ochtend|middag|avond|vroeg)?|overmorgen|vanmiddag|vanavond|vanochtend|vannacht|"
    rf"direct|meteen|nu meteen|onmiddellijk|dezelfde dag|nog deze week|deze week|volgende week|komende week|"
    rf"((op|aanstaande|volgende|komende|uiterlijk|vóór|voor) )?({_DAYS_NL})(ochtend|middag|avond)?|"
    rf"binnen {_NUMBER} (werk)?(dag|dagen|uur|uren|week|weken|minuten|kwartier)|"
    rf"(voor|vóór|om|uiterlijk|tussen|rond|na) \d{{1,2}}([.:]\d{{2}})?( uur| en \d{{1,2}}([.:]\d{{2}})?( uur)?)?|"
    rf"\d{{1,2}} ({_MONTHS_NL})\b|\d{{1,2}}[-/]\d{{1,2}}([-/]\d{{2,4}})?|in week \d+|"
    rf"(voor|vóór|aan) het (eind|einde) van (de|deze|volgende) (dag|week|maand|middag)|vóór het weekend|voor het weekend|"
    rf"in de loop van (de dag|vandaag|morgen|de ochtend|de middag)|"
    rf"zodra|nadat|na ontvangst|na uw|bij ontvangst|"
    rf"today|tomorrow|tonight|this (morning|afternoon|evening|week)|next (week|{_DAYS_EN})|same day|"
    rf"((on|by|before|this|next) )?({_DAYS_EN})|within {_NUMBER} (working |business )?(days?|hours?|weeks?|minutes)|"
    rf"(by|at|before|after) \d{{1,2}}(:\d{{2}})? ?(am|pm|o'clock)?|end of (the )?(day|week)|right away|immediately|"
    rf"(on )?\d{{1,2}}(st|nd|rd|th)? ({_MONTHS_EN})|({_MONTHS_EN}) \d{{1,2}}(st|nd|rd|th)?|"
    rf"straight away|as soon as (we|you|your|the)|once (we|you|your|the)|after (we|you|your|the))\b",
    _F,
)

VAGUE = compile_phrases([
    r"zo spoedig mogelijk", r"zo snel mogelijk", r"z\.s\.m\.?", r"zsm", r"binnenkort", r"op korte termijn",
    r"zo snel als (we|wij|ik) kunnen", r"in de nabije toekomst", r"spoedig", r"te zijner tijd", r"t\.z\.t\.?",
    r"op een later moment", r"later deze (week|maand)", r"in de komende (periode|tijd)", r"zo vlot mogelijk",
    r"binnen afzienbare tijd", r"zo gauw mogelijk", r"asap", r"as soon as possible", r"shortly", r"soon",
    r"in due course", r"at the earliest (opportunity|convenience)", r"in the near future", r"at some point",
    r"as quickly as (we can|possible)", r"in a timely manner", r"at a later (date|time)",
])

ACTOR = re.compile(
    r"\b(we|wij|ik|ons team|onze (monteur|collega|bezorger|afdeling|specialist)|de (monteur|bezorger|afdeling)|"
    r"mijn collega|een collega|i|we'll|i'll|our (team|engineer|technician|courier|colleague))\b",
    _F,
)
RECEIVER = re.compile(
    r"\b(u krijgt|krijgt u|u ontvangt|ontvangt u|je krijgt|krijg je|je ontvangt|ontvang je|u heeft [^.]{0,40} binnen|"
    r"you('ll| will)( only| also)? (get|receive|have|hear))\b",
    _F,
)
# Present and infinitive forms only: a past form ("we beloofden", "we stuurden") reports, it does not commit.
_NL_ACTIONS = (
    "stuur stuurt sturen opsturen toesturen nasturen verstuur verstuurt versturen bel belt bellen terugbellen opbellen "
    "mail mailt mailen stort stort storten terugstorten betaal betaalt betalen terugbetalen "
    "regel regelt regelen zorg zorgt zorgen kom komt komen langskomen plan plant plannen inplannen "
    "vervang vervangt vervangen repareer repareert repareren controleer controleert controleren bekijk bekijkt bekijken "
    "uitzoeken onderzoek onderzoekt onderzoeken informeer informeert informeren crediteer crediteert crediteren "
    "vergoed vergoedt vergoeden annuleer annuleert annuleren herstel herstelt herstellen oplossen "
    "lever levert leveren bezorg bezorgt bezorgen aanpassen wijzig wijzigt wijzigen zet zetten verwerk verwerkt verwerken "
    "krijg krijgt ontvang ontvangt geef geeft geven doe doet doen maak maakt maken houd houdt houden "
    "stop stopt stoppen zeg zegt opzeggen beëindig beëindigt beëindigen blokkeer blokkeert blokkeren "
    "verwijder verwijdert verwijderen open opent openen sluit sluiten bevestig bevestigt bevestigen"
).split()
_EN_ACTIONS = (
    "send call email e-mail ring refund pay credit arrange ship deliver replace repair fix check contact "
    "come visit process cancel resolve hear get receive give make confirm remove delete update investigate "
    "waive extend see book reschedule"
).split()
ACTION = re.compile(
    r"\b(" + "|".join(sorted(_NL_ACTIONS + _EN_ACTIONS, key=len, reverse=True)) + r"|"
    r"(nemen|neem|neemt) [^.]{0,25}contact|(zoek|zoeken) [^.]{0,30}\buit|(laat|laten) [^.]{0,30}\bweten|"
    r"(los|lossen) [^.]{0,30}\bop|(neem|neemt|nemen) [^.]{0,30}\b(mee|in behandeling)|(pas|passen) [^.]{0,30}\baan|get back|let you know|update you|follow up|look into)\b",
    _F,
)
FUTURE_EN = re.compile(r"\b(we|i)('ll| will| are going to| am going to|'re going to)\b|\bwe'll\b|\bi'll\b", _F)
COMPLETED = re.compile(
    r"\b(hebben|heb|hebt|heeft|had|hadden|is|zijn)\b[^.,;]{0,40}\b(ge\w+[dtn]|ver\w+[dt]|be\w+[dt]|ont\w+[dtn]|her\w+[dt]|"
    r"(op|terug|aan|door|uit|in|af|toe|mee)ge\w+[dtn])\b(?![^.]*\b(zullen|gaan|zal)\b)|"
    r"\b(we|i) (have|had|'ve) (already )?\w+(ed|sent|paid|made)\b|\b(we|i) (sent|called|paid|refunded|fixed|replaced|shipped)\b",
    _F,
)
TIME_CLAUSE_FIRST = re.compile(r"^(zodra|nadat|als|wanneer|once|as soon as|after|when)\b", _F)
# Offers and conditions on the customer's side are not our commitments.
NOT_A_COMMITMENT = re.compile(
    r"^(als|indien|mocht|wanneer|if|should)\b[^,]*\b(u|je|you)\b[^,]*,?\s*(dan )?(kunt|kun|mag|can|may)\b|"
    r"\b(kunt u|kun je|u kunt|je kunt|can you|you can|wilt u|wil je|would you)\b",
    _F,
)


# "Anders kunnen wij niets doen", "u hoeft niets meer te sturen": a refusal or a denial commits to nothing.
NEGATED = re.compile(r"\b(niets|niks|geen|niet|nothing|not|never|cannot|can't|won't|no longer)\b", _F)
# "Vorige week beloofden we u snel te bellen" reports an old promise; it makes no new one.
REPORTED = re.compile(r"\b(beloofden|beloofde|zeiden|zei|promised|said|told you)\b", _F)


def _negated(text: str, committer: re.Match) -> bool:
    """A negation in the committing clause only: "U hoeft niets te doen: wij betalen het terug" still commits."""
    start = max(text.rfind(mark, 0, committer.start()) for mark in ";:") + 1
    ends = [i for i in (text.find(mark, committer.end()) for mark in ";:") if i != -1]
    return NEGATED.search(text, start, min(ends, default=len(text))) is not None


def _action(text: str, actor: re.Match | None, receiver: re.Match | None) -> re.Match | None:
    """The committed action: after the actor, or just before it in Dutch inversion ("dan sturen we")."""
    action = ACTION.search(text, actor.end() if actor and not receiver else 0)
    if action is None and actor:
        action = next((m for m in ACTION.finditer(text) if m.start() < actor.start() <= m.end() + 1), None)
    if action and actor and re.search(r"[;:]", text[min(actor.end(), action.start()):max(actor.start(), action.end())]):
        return None  # the actor and the action belong to different clauses
    return action


def _promise(sentence: Sentence, language: str) -> Promise | None:
    text = sentence.text
    if sentence.is_question:
        return None
    receiver = RECEIVER.search(text)
    actor = ACTOR.search(text)
    if not (actor or receiver):
        return None
    completed = COMPLETED.search(text) and not TIME_CLAUSE_FIRST.search(text)
    if completed or NOT_A_COMMITMENT.search(text) or _negated(text, actor or receiver) or REPORTED.search(text):
        return None
    if language == "en" and actor and not FUTURE_EN.search(text) and not receiver:
        return None
    if not (actor or receiver):
        return None
    action = _action(text, actor, receiver)
    if action is None:
        return None
    when = WHEN.search(text)
    return Promise(
        text=text,
        actor=(actor.group(0) if actor else "wij" if language == "nl" else "we"),
        action=action.group(0),
        when=when.group(0) if when else None,
        start=sentence.start,
        end=sentence.end,
    )


_BARE_DATE = re.compile(rf"^(\d{{1,2}} ({_MONTHS_NL}|{_MONTHS_EN})|\d{{1,2}}[-/]\d{{1,2}}([-/]\d{{2,4}})?)$", _F)
_DEADLINE_BEFORE = re.compile(r"\b(uiterlijk|vóór|voor|op|tot|by|before|on|until)\s*$", _F)


def _has_deadline(text: str, vague: re.Match) -> bool:
    """A concrete time next to a vague phrase makes it concrete ("z.s.m., uiterlijk vrijdag").

    A bare date is usually a reference ("uw bestelling van 3 november"), so it only counts
    when it reads as a deadline ("uiterlijk 3 november", "voor 5 mei").
    """
    for when in WHEN.finditer(text):
        if vague.start() <= when.start() < vague.end():
            continue
        if not _BARE_DATE.match(when.group(0)) or _DEADLINE_BEFORE.search(text[: when.start()]):
            return True
    return False


def _times_the_promise(following: Sentence) -> bool:
    """"Wij betalen het terug. Het staat binnen drie werkdagen op uw rekening." gives the when one sentence later."""
    return WHEN.search(following.text) is not None and not ACTOR.search(following.text)


def check_promises(ctx: CheckContext) -> tuple[list[Promise], list[Finding]]:
    promises: list[Promise] = []
    findings: list[Finding] = []
    vague_anywhere = VAGUE.search(ctx.text) is not None
    sentences = ctx.doc.sentences
    for index, sentence in enumerate(sentences):
        vague = VAGUE.search(sentence.text) if vague_anywhere else None
        promise = _promise(sentence, ctx.language)
        if promise:
            promises.append(promise)
        elif vague and (COMPLETED.search(sentence.text) or REPORTED.search(sentence.text)):
            vague = None  # "U hebt zo snel mogelijk gereageerd" looks back; it promises nothing
        if promise and promise.when is None and index + 1 < len(sentences) and _times_the_promise(sentences[index + 1]):
            continue
        if vague and not _has_deadline(sentence.text, vague):
            findings.append(finding(
                "vague_promise", "warning", "GR1",
                f"Vague time {quote(vague.group(0))}: say when, so the customer can hold us to it",
                (sentence.start + vague.start(), sentence.start + vague.end()),
                "Name a day or time: 'We bellen u morgen voor 12.00 uur.'",
            ))
        elif promise and promise.when is None:
            findings.append(finding(
                "vague_promise", "warning", "GR2",
                f"Promise without a when: {quote(sentence.text)}. Say who does what, and when",
                sentence,
                "Add a day or time: '... vandaag nog' or '... uiterlijk vrijdag'.",
            ))
    return promises, findings


def detect(ctx: CheckContext) -> list[Finding]:
    return ctx.memo(check_promises)[1]
