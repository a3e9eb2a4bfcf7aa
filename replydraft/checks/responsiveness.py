"""Whether the draft responds to this customer's mail: it does not ask again for what they gave, it answers
every question, it admits our mistake, and it reuses their own words. Each needs the mail or the analysis."""

from __future__ import annotations

import re

from ..tokenizer import Doc, Token, tokenize
from ..types import Finding
from .base import CheckContext, flag, quote
from .phrases import HOLLOW_EMPATHY
from .readability_words import is_content_word

_F = re.IGNORECASE

# Things a customer gives us, as the draft would name them when asking.
FACT_KINDS: dict[str, re.Pattern] = {
    kind: re.compile(pattern, _F)
    for kind, pattern in {
        "ordernummer": r"(order|bestel|bestelling|bestellings)[ -]?(nummer|nr|number|no|id)|ordernr|\border\b(?= ?#)",
        "klantnummer": r"klant[ -]?(nummer|nr)|customer (number|id|no)|account ?(number|nummer)|lidnummer|relatienummer",
        "polisnummer": r"polis[ -]?(nummer|nr)|policy (number|no)",
        "factuurnummer": r"factuur[ -]?(nummer|nr)|invoice (number|no)",
        "adres": r"\b(adres|adresgegevens|woonadres|postcode|huisnummer|address|postal code|zip code)\b",
        "foto": r"\b(foto|foto's|fotos|afbeelding|afbeeldingen|plaatje|photo|photos|picture|pictures|image|images)\b",
        "rekeningnummer": r"rekeningnummer|\biban\b|bank ?account|bankrekening",
        "telefoonnummer": r"telefoonnummer|mobiel(e)? nummer|phone number|mobile number|06-nummer",
        "e-mailadres": r"e-?mail ?adres|email address",
        "meterstand": r"meterstand|meter reading",
        "geboortedatum": r"geboortedatum|date of birth|birth date",
        "kenteken": r"kenteken|license plate|registration number",
        "serienummer": r"serie ?nummer|serial number|imei",
    }.items()
}

# How a mail gives those facts, when no analysis is at hand.
GIVEN_IN_MAIL: dict[str, re.Pattern] = {
    "ordernummer": re.compile(r"(order|bestel\w*)[ -]?(nummer|nr\.?|number|no\.?|id)?\s*(?:is|was|:|#)?\s*#?[A-Z]{0,4}-?\d{4,}", _F),
    "klantnummer": re.compile(r"(klant|customer|account|lid|relatie)[ -]?(nummer|nr\.?|number|no\.?|id)\s*(?:is|:|#)?\s*[A-Z]{0,4}-?\d{3,}", _F),
    "polisnummer": re.compile(r"(polis|policy)[ -]?(nummer|nr\.?|number|no\.?)\s*(?:is|:|#)?\s*[A-Z0-9-]{4,}", _F),
    "factuurnummer": re.compile(r"(factuur|invoice)[ -]?(nummer|nr\.?|number|no\.?)\s*(?:is|:|#)?\s*[A-Z0-9-]{4,}", _F),
    "adres": re.compile(r"\b\d{4} ?[A-Z]{2}\b|\b[A-Z][a-z]+(straat|laan|weg|plein|gracht|kade|singel|dijk|pad)\s+\d+"),
    "foto": re.compile(r"(foto|foto's|afbeelding|photo|picture|image)\w*[^.]{0,40}(bijgevoegd|bijlage|meegestuurd|toegevoegd|gestuurd|attached|enclosed)|"
                       r"(bijgevoegd|in de bijlage|attached|enclosed)[^.]{0,40}(foto|afbeelding|photo|picture)", _F),
    "rekeningnummer": re.compile(r"\b[A-Z]{2}\d{2} ?[A-Z]{4} ?\d{4} ?\d{4} ?\d{2}\b"),
    "telefoonnummer": re.compile(r"(\+31|0031|\b0)[1-9](?:[ -]?\d){8}\b"),
    "e-mailadres": re.compile(r"\b[\w.+-]+@[\w-]+\.[\w.]+\b"),
    "meterstand": re.compile(r"meterstand\w*\s*[:]?\s*(is\s*)?\d{3,}", _F),
    "kenteken": re.compile(r"kenteken\s*[:]?\s*[A-Z0-9]{1,3}-[A-Z0-9]{1,3}-[A-Z0-9]{1,3}", _F),
}

REQUEST = re.compile(
    r"\?|\b(wilt u|wil je|kunt u|kun je|zou u|zou je|stuur|stuurt u|stuur je|geef [^.]{0,30}door|geeft u [^.]{0,30}door|"
    r"laat [^.]{0,30}weten|graag (ontvangen|ontvang|horen|hoor)|(ons|mij|me) (even )?(sturen|toesturen|doorgeven|mailen|laten weten)|"
    r"hebben (we|wij|ik) [^.]{0,40}nodig|(we|wij|ik) (heb|hebben) [^.]{0,40}nodig|vermeld|noem|"
    r"please (send|provide|share|confirm|let us know|give|tell|forward|attach)|could you|can you|would you|we need|we('d| would) need|we require|what is your)\b",
    _F,
)
THANKS_FOR_IT = re.compile(r"\b(bedankt|dank|thank|thanks)\b", _F)
# Sentence-level cues that a phrase is denied rather than asked: "U hoeft geen formulier in te vullen".
_DENIED = re.compile(
    r"\b(hoeft|hoef|hoeven|geen|niet|zonder|nergens|no need|don't|do not|doesn't|does not|won't|"
    r"never|not|without|hoeft u)\b",
    _F,
)

BROKEN_PROMISE = re.compile(
    r"(u|jullie|je|uw collega|de monteur|de medewerker)\s+(zou|zouden)\b[^.?!]{0,60}\b(bellen|mailen|sturen|storten|komen|langskomen|regelen|terugbellen|opsturen|terugstorten)|"
    r"\bbeloofd|\bbelofte|toegezegd|nog steeds niet|nog altijd niet|nog (steeds )?geen (reactie|antwoord)|(derde|tweede|3e|2e|vierde) (keer|herinnering)|"
    r"(fout|verkeerd) (gemaakt|gedaan|gefactureerd|afgeschreven|geleverd|bezorgd)|ten onrechte|onterecht|dubbel (afgeschreven|gefactureerd|betaald)|"
    r"you promised|promised|still (not|haven'?t|hasn'?t|no)|(third|second|fourth) (time|reminder)|you (said|told me) you would|"
    r"(your|a) mistake|charged (me )?twice|wrongly|never (arrived|came|showed)|no[- ]show",
    _F,
)
ADMISSION = re.compile(
    r"onze fout|ons fout|fout van ons|fout (aan|van) onze kant|(we|wij|ik) (hebben|heb) (een )?(fout|vergissing)|"
    r"(we|wij|ik) (hebben|heb) [^.]{0,40}(verkeerd|niet goed|niet gedaan|niet nagekomen|vergeten|gemist)|(het|dat) spijt (me|ons|mij)|spijt (me|ons|mij)|"
    r"excuses|excuus|sorry|dat had niet (mogen|moeten) (gebeuren|gaan)|(het|dat|er) ging (er )?(bij ons )?(iets )?mis|ging het mis|"
    r"onze schuld|hadden (we|wij|ik) (moeten|niet)|(u|je) heeft gelijk|(u|je) hebt gelijk|je hebt gelijk|"
    r"our (mistake|fault|error)|(we|i) made (a|an) (mistake|error)|(i'?m|i am|we'?re|we are) (so |very |truly )?sorry|apologi|"
    r"should(n't| not) have happened|we got (it|this) wrong|(we|i) (failed|forgot|didn'?t keep|did not keep)|you('re| are) right",
    _F,
)


def _stem(word: str) -> str:
    word = word.lower()
    return word[:5] if len(word) > 5 else word


def _content_stems(doc: Doc, language: str, min_len: int = 3) -> list[tuple[str, Token]]:
    stems = []
    for sentence in doc.sentences:
        for position, token in enumerate(t for t in sentence.tokens if t.is_word):
            if len(token.value) >= min_len and is_content_word(token, language, position == 0):
                stems.append((_stem(token.value), token))
    return stems


def _given_kinds(ctx: CheckContext) -> dict[str, str]:
    given: dict[str, str] = {}
    if ctx.analysis:
        for fact in ctx.analysis.facts_given:
            label = f"{fact.kind} {fact.value}"
            for kind, pattern in FACT_KINDS.items():
                if pattern.search(label) or GIVEN_IN_MAIL.get(kind, re.compile("$^")).search(label):
                    given.setdefault(kind, fact.value)
    if ctx.email:
        mail = f"{ctx.email.subject}\n{ctx.email.body}"
        for kind, pattern in GIVEN_IN_MAIL.items():
            m = pattern.search(mail)
            if m:
                given.setdefault(kind, m.group(0))
        if any(a.lower().endswith((".jpg", ".jpeg", ".png", ".heic", ".gif", ".webp")) for a in ctx.email.attachments):
            given.setdefault("foto", "bijlage")
    return given


_ANY_FACT_KIND = re.compile("|".join(f"(?:{p.pattern})" for p in FACT_KINDS.values()), _F)


def detect_reasks(ctx: CheckContext) -> list[Finding]:
    # Without a mail or an analysis nothing was given; with one, whole-text passes come first: most
    # drafts ask for nothing, and then the mail need not be read.
    if ctx.email is None and ctx.analysis is None:
        return []
    if not (REQUEST.search(ctx.text) and _ANY_FACT_KIND.search(ctx.text)):
        return []
    given = _given_kinds(ctx)
    if not given:
        return []
    findings = []
    for sentence in ctx.doc.sentences:
        request = REQUEST.search(sentence.text)
        if not request or THANKS_FOR_IT.search(sentence.text):
            continue
        for kind, value in given.items():
            m = FACT_KINDS[kind].search(sentence.text)
            if m and not _DENIED.search(sentence.text[: m.start()]):
                findings.append(flag(
                    "reasks_given_info",
                    f"Asks again for the {kind}, which the customer already gave ({quote(value, 30)})",
                    sentence,
                    "Use what the customer gave; do not ask for it again.",
                ))
                break
    return findings


_ANSWER_OPENING = re.compile(r"(dat|dan|dit|ja|nee|that|then|this|yes|no)\b", _F)
_SALUTATION = re.compile(r"(beste|geachte|hoi|hallo|hey|dag|dear|hi|hello)\b[^\n.!?]{0,60},?\s*$", _F)


def detect_unanswered(ctx: CheckContext) -> list[Finding]:
    if not ctx.analysis or not ctx.analysis.questions:
        return []
    language = ctx.language if ctx.calibrated else "en"
    # A question in the draft asks, it does not answer (a small model copies the customer's questions back),
    # unless the next sentence answers it: "Wilt u toch annuleren? Dat kan tot het pakket er is."
    # The salutation answers nothing: "Beste ..." must not count as an answer about a "bestelling".
    sentence_stems, asked = [], set()
    for s in ctx.doc.sentences:
        if _SALUTATION.match(ctx.text[s.start : s.end]):
            continue
        stems = {_stem(t.value) for t in s.tokens if t.is_alpha_word}
        if s.is_question:
            asked |= stems
            continue
        sentence_stems.append(stems | asked if _ANSWER_OPENING.match(ctx.text[s.start : s.end]) else stems)
        asked = set()
    findings = []
    for question in ctx.analysis.questions:
        keys = {stem for stem, _ in _content_stems(tokenize(question.quote), language)}
        if not keys:
            continue
        best = max((len(keys & stems) for stems in sentence_stems), default=0)
        if best == 0 or (len(keys) >= 4 and best < 2):
            findings.append(flag(
                "unanswered_question",
                f"No sentence of the draft answers the customer's question {quote(question.quote)}",
                None,
                "Answer every question, in the order the customer asked them.",
            ))
    return findings


def detect_mistake(ctx: CheckContext) -> list[Finding]:
    mistake = bool(ctx.analysis and (ctx.analysis.our_mistake or ctx.analysis.broken_promise))
    if not mistake and ctx.email:
        mistake = BROKEN_PROMISE.search(f"{ctx.email.body}\n{ctx.email.history}") is not None
    if not mistake:
        return []
    plain = HOLLOW_EMPATHY.patterns.sub(" ", ctx.text)
    if ADMISSION.search(plain):
        return []
    return [flag(
        "mistake_not_acknowledged",
        "We made a mistake or broke a promise, and the draft does not admit it",
        None,
        "Say it plainly ('Dat is onze fout.' / 'Het spijt me dat ...'), say why it happened, and what we do now.",
    )]


def mirroring(ctx: CheckContext) -> tuple[float | None, list[Finding]]:
    if ctx.email_doc is None or not ctx.calibrated:
        return None, []
    customer = {stem: token.value for stem, token in _content_stems(ctx.email_doc, ctx.language, 4)}
    if not customer:
        return None, []
    draft = {stem for stem, _ in _content_stems(ctx.doc, ctx.language, 4)}
    reused = [word for stem, word in customer.items() if stem in draft]
    share = round(len(reused) / len(customer), 3)
    findings = []
    if len(customer) >= 5 and share < 0.15:
        missing = [w for stem, w in customer.items() if stem not in draft][:6]
        findings.append(flag(
            "low_mirroring",
            f"The draft reuses {len(reused)} of the customer's {len(customer)} key words ({share:.0%})",
            None,
            "Use the customer's own words where they fit: " + ", ".join(missing),
        ))
    return share, findings


def detect_low_mirroring(ctx: CheckContext) -> list[Finding]:
    return ctx.memo(mirroring)[1]
