"""Phrase checks: stock lines that break a Golden Rule, found by curated patterns per language.

Each rule lists what a support reply actually says when it goes wrong; the pattern lists are the
rule's definition, kept here beside the message and suggestion an agent sees.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..types import Finding, Severity
from .base import CheckContext, compile_phrases, denied_before, finding, quote


@dataclass(frozen=True)
class PhraseRule:
    code: str
    severity: Severity
    rule: str
    message: str
    suggestion: str
    patterns: re.Pattern
    skip_when_denied: bool = False
    whole_sentence: bool = False


DISMISSIVE_THANKS = PhraseRule(
    "dismissive_thanks", "warning", "reciprocity",
    "Waves the customer's thanks away; accept it warmly instead",
    "Graag gedaan, zo werken we graag samen.",
    compile_phrases([
        r"denk er (maar )?niet (meer )?over na", r"het was niks", r"het was niets", r"dat was niks",
        r"(dat|het) was (echt |helemaal |maar )?(niks|niets)( hoor| bijzonders)?", r"het stelde (echt )?(niks|niets|weinig) voor", r"stelde (echt )?niks voor",
        r"dat doen (we|wij) voor iedereen", r"dat doen (we|wij) (toch )?(gewoon )?altijd",
        r"(we|wij) kwamen (er )?toch al in de buurt", r"(we|wij) waren (er )?toch al in de buurt",
        r"geen dank,? (het|dat) (was|is) (niks|niets|ons werk)", r"daar hoeft u (ons )?niet voor te bedanken",
        r"daar hoef je (ons )?niet voor te bedanken", r"daar hoeft u niet voor te danken",
        r"(u|je) hoeft (ons )?niet te bedanken", r"bedank ons maar niet", r"niets te danken", r"niks te danken",
        r"dat is (gewoon )?ons werk", r"het is (gewoon )?ons werk", r"daar worden (we|wij) voor betaald",
        r"don'?t mention it", r"it was nothing", r"it'?s nothing", r"no need to thank (us|me)",
        r"no thanks (are )?needed", r"(we|i) do (that|this) for everyone", r"(it'?s|that'?s) (just )?our job",
        r"don'?t thank (us|me)", r"(don'?t|do not) (need|have) to thank (us|me)", r"we were in the area anyway", r"think nothing of it", r"not a big deal",
    ]),
)

HOLLOW_EMPATHY = PhraseRule(
    "hollow_empathy", "warning", "GR6",
    "Stock phrase that says nothing to this customer; name what happened to them, in their words",
    "Say what went wrong for them: 'Wat vervelend dat uw pakket na twee weken nog niet binnen is.'",
    compile_phrases([
        r"in goede orde ontvangen", r"(wij|we) betreuren (het|eventueel|eventuele|dit|het eventuele) ?(ongemak|ongerief)",
        r"(excuses|sorry|onze excuses) voor (het|eventueel|eventuele|het eventuele) (ongemak|ongerief)",
        r"(wij|we) begrijpen uw (frustratie|ergernis|teleurstelling|onvrede)",
        r"(ik|wij|we) begrijp(en)? dat dit (vervelend|frustrerend|lastig|niet prettig) (voor (u|je) )?(is|kan zijn|moet zijn)",
        r"(uw|je|jouw) (ongenoegen|frustratie|ergernis|onvrede|teleurstelling|boosheid) is (volkomen |heel |zeer )?(begrijpelijk|terecht)",
        r"uw (e-?mail|bericht|klacht) is (door ons )?(goed )?ontvangen", r"wij hebben uw (e-?mail|bericht|klacht) ontvangen",
        r"(wij|we) begrijpen (uw|je) (situatie|punt)", r"(het|dit) spijt ons voor (het|eventueel|eventuele) ongemak",
        r"(apologi[sz]e|apologies|sorry) for (any|the) inconvenience( (this|it) (may have )?caused| caused)?",
        r"(we|i) (understand|appreciate) your frustration", r"(we|i) understand how (frustrating|annoying) this (must be|is)", r"(we|i) understand (that )?this (must be|is|can be) (frustrating|annoying|inconvenient)",
        r"your (e-?mail|message|complaint|request) has been received", r"we have received your (e-?mail|message|request)",
        r"we regret any inconvenience", r"(we|i) value your (feedback|business)",
        r"we are sorry to hear (that|about) ?(your|this)? ?(experience|issue)?\.?$",
    ]),
)

# "Dat is vervelend." as a line of its own says nothing about what happened.
STOCK_SYMPATHY = re.compile(
    r"^(oh,? )?(dat|wat|het) (is|was)? ?(echt |heel |erg |ontzettend |zeer |best )?(vervelend|jammer|naar|balen|rot)"
    r"( voor (u|je|jou))?( om te horen)?[.!]*$|"
    r"^(that'?s|that is|how) (really |very |so )?(annoying|unfortunate|frustrating|too bad)( for you)?( to hear)?[.!]*$",
    re.IGNORECASE,
)

FEEDBACK_OR_UPSELL = PhraseRule(
    "feedback_or_upsell", "warning", "GR3",
    "Asks for feedback or sells something the customer did not ask about",
    "Leave it out: help with what the customer asked, nothing more.",
    compile_phrases([
        r"(laat|schrijf|plaats|geef)( ons| gerust| dan)? (een|uw|je|jouw)( positieve| eerlijke)? (review|recensie|beoordeling)",
        r"(review|recensie|beoordeling) (achter ?laten|achterlaat|achterlaten|schrijven|plaatsen|geven)",
        r"(vul|invullen|in te vullen|invult)[^.]{0,40}(enquête|enquete|vragenlijst|tevredenheidsonderzoek)",
        r"(enquête|enquete|tevredenheidsonderzoek|klanttevredenheidsonderzoek)[^.]{0,40}(invullen|in te vullen|invult|vul)",
        r"(geef|geeft|geven)( u)? ons (een|uw) (cijfer|beoordeling|waardering)", r"beoordeel ons", r"hoe tevreden bent u",
        r"wilt u ons (een cijfer geven|beoordelen|waarderen)", r"volg ons op", r"like ons", r"bekijk ook (onze|ons)",
        r"profiteer (nu )?(ook )?van", r"(speciale|tijdelijke|exclusieve) aanbieding", r"upgrade naar", r"meld u aan voor (onze|de) nieuwsbrief",
        r"(onze|ons) nieuwe (producten|abonnementen|aanbod)", r"wist u dat (we|wij) ook",
        r"leave (us )?(a|an|your)( positive| honest| quick)? (review|rating)", r"rate (us|our service)", r"(take|fill (in|out)|complete) (our|a|the)( short| quick)? survey",
        r"how did we do", r"check out our", r"upgrade to", r"special offer", r"follow us on", r"subscribe to our",
        r"did you know (that )?we also",
    ]),
)

NEEDLESS_FORMALITY = PhraseRule(
    "needless_formality", "warning", "GR4",
    "Sends the customer to a formality (form, letter, signature, office visit) the policy does not require",
    "Handle it for the customer: 'Ik heb het voor u aangepast' or 'Antwoord gewoon op deze mail'.",
    compile_phrases([
        r"aangetekend(e)?( brief| schrijven| per post)?", r"per (gewone )?post", r"per brief", r"per fax", r"schriftelijk( verzoek| bevestigen| indienen| melden| aanvragen| opzeggen)?",
        r"(een|de|het|dit|ons|het bijgevoegde|het online) (formulier|aanvraagformulier|wijzigingsformulier|machtigingsformulier|opzegformulier)",
        r"formulier (invullen|in te vullen|invult|ingevuld|ondertekenen|downloaden|opsturen|gebruikt|gebruiken)", r"\b\w{3,}formulier\b",
        r"(conform|volgens|op grond van|zie) (artikel|art\.) ?\d", r"kleine letters?(tjes)?", r"(onze )?algemene voorwaarden",
        r"(onder|met) vermelding van", r"(handtekening|ondertekend|ondertekenen|ondertekent|onderteken)",
        r"kom(t)? (even )?langs (op|bij|in) (ons|onze|het|de) (kantoor|vestiging|balie|winkel|servicepunt|loket)",
        r"(op|bij|aan) (ons|onze|het|de) (kantoor|balie|loket|servicepunt) (langs|komen|te komen|melden)",
        r"(persoonlijk|in persoon) langs(komen|komt)?", r"kopie van uw (legitimatie|identiteitsbewijs|paspoort)",
        r"registered (mail|letter|post)", r"(signed|written) (letter|request|statement)", r"in writing", r"by (post|fax|mail)",
        r"(fill in|fill out|complete|download|print|sign) (the|our|this|a|an|attached)( \w+){0,2} (form|application)\b",
        r"(small|fine) print", r"terms and conditions", r"(under|per|according to) (clause|article|section) \d",
        r"(visit|come to|come into) (our|one of our|the) (office|branch|store|service desk) in person", r"in person at (our|the)",
        r"quoting (your|the) reference", r"(a )?(copy of your )?(passport|id card) (and|with) (a )?signature", r"notari[sz]ed",
    ]),
    skip_when_denied=True,
)

PLACEHOLDER = re.compile(
    r"\[(?![A-Z]+_\d+\])[^\]\n]{1,40}\]|\{\{[^}\n]{0,40}\}\}|\{[a-z_]{2,30}\}|<(?!/?(?:br|p|b|i|ul|li|ol|div|span|strong|em)\b)[a-zA-Z_][\w ]{1,30}>|"
    r"\bX{3,}\b|\bTODO\b|\b(?:NAAM|KLANTNAAM|DATUM|BEDRAG|ORDERNUMMER)\b",
)


def _run(rule: PhraseRule, ctx: CheckContext) -> list[Finding]:
    # One pass over the whole text first: most drafts have no hit, and then no per-sentence work is needed.
    if "$" not in rule.patterns.pattern and not rule.patterns.search(ctx.text):
        return []
    findings = []
    for sentence in ctx.doc.sentences:
        for m in rule.patterns.finditer(sentence.text):
            if rule.skip_when_denied and denied_before(sentence.text, m.start()):
                continue
            if rule is NEEDLESS_FORMALITY and (_required(m.group(0), ctx) or _OUR_OWN_STEP.search(sentence.text)):
                continue
            findings.append(finding(
                rule.code, rule.severity, rule.rule,
                f"{rule.message}: {quote(m.group(0))}",
                (sentence.start + m.start(), sentence.start + m.end()), rule.suggestion,
            ))
            break
    return findings


# "We sturen de nieuwe pas per post" is our own step, not a formality asked of the customer.
_OUR_OWN_STEP = re.compile(
    r"\b(we|wij|ik|i|we'll|i'll)\b\s+(\w+\s+){0,6}?(sturen|stuur|versturen|verstuur|ingevuld|invullen|filled|fill|sent|send|post|mail|mailen)\b|"
    r"\b(u ontvangt|ontvangt u|u krijgt|krijgt u|je ontvangt|je krijgt|you('ll| will) (receive|get))\b",
    re.IGNORECASE,
)


def _required(phrase: str, ctx: CheckContext) -> bool:
    needed = [r.lower() for r in ctx.policy.formalities.required]
    return any(r in phrase.lower() or phrase.lower() in r for r in needed)


def check_phrases(ctx: CheckContext) -> list[Finding]:
    findings: list[Finding] = []
    for rule in (DISMISSIVE_THANKS, HOLLOW_EMPATHY, FEEDBACK_OR_UPSELL, NEEDLESS_FORMALITY):
        findings += _run(rule, ctx)
    flagged = {f.start for f in findings if f.code == "hollow_empathy"}
    for sentence in ctx.doc.sentences:
        if STOCK_SYMPATHY.match(sentence.text.strip()) and not any(sentence.start <= s < sentence.end for s in flagged):
            findings.append(finding(
                HOLLOW_EMPATHY.code, HOLLOW_EMPATHY.severity, HOLLOW_EMPATHY.rule,
                f"{HOLLOW_EMPATHY.message}: {quote(sentence.text)}", sentence, HOLLOW_EMPATHY.suggestion,
            ))
    for m in PLACEHOLDER.finditer(ctx.text):
        findings.append(finding(
            "placeholder", "error", "GR6", f"Placeholder left in the draft: {quote(m.group(0))}",
            (m.start(), m.end()), "Fill in the real value or remove it.",
        ))
    return findings


def _of(code: str):
    def detect(ctx: CheckContext) -> list[Finding]:
        return [f for f in ctx.memo(check_phrases) if f.code == code]
    detect.__name__ = f"detect_{code}"
    return detect


detect_dismissive_thanks = _of("dismissive_thanks")
detect_hollow_empathy = _of("hollow_empathy")
detect_feedback_or_upsell = _of("feedback_or_upsell")
detect_needless_formality = _of("needless_formality")
detect_placeholder = _of("placeholder")
