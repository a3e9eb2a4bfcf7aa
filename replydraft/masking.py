"""Personal data out, typed placeholders in: what reaches a model provider is `[IBAN_1]`, never the IBAN.

Every detector validates before it masks: IBANs by mod-97 and BSNs by the 11-proof (python-stdnum),
card numbers by Luhn, phone numbers by libphonenumber's numbering plans (Dutch and international).
Ordinary numbers stay: a nine-digit order number can pass the 11-proof by chance (one in eleven
does), so a BSN also needs its name nearby ("BSN", "burgerservicenummer") or its dotted form.
The same value gets the same placeholder everywhere in one mail, so the model can still refer to it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import phonenumbers
from stdnum import iban as stdnum_iban
from stdnum import luhn
from stdnum.nl import bsn as stdnum_bsn

from .types import Email

_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b")
EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}\b")
_NINE_DIGITS = re.compile(r"(?<![\d.-])(\d{4}\.\d{2}\.\d{3}|\d{3}[ .]?\d{3}[ .]?\d{3})(?![\d-]|[.,]\d)")
_BSN_CONTEXT = re.compile(r"\b(bsn|burgerservicenummer|sofi-?nummer|citizen service number)\b", re.IGNORECASE)
_CARD = re.compile(r"(?<!\d)(?:\d[ -]?){11,18}\d(?!\d)")
_CARD_CONTEXT = re.compile(r"\b(kaart|card|creditcard|pas|maestro|betaalpas)\w*\b", re.IGNORECASE)
_DATE_SHAPE = re.compile(r"\d{1,2}[-/.]\d{1,2}[-/.](?:19|20)\d{2}")
_POSTCODE = re.compile(r"\b[1-9]\d{3} ?(?!SA|SD|SS)[A-Z]{2}\b(?:\s+\d{1,5}(?:\s?[a-zA-Z]\b|-\d{1,4})?)?")
_DATE = r"\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}|\d{1,2} (?:jan|feb|maa|mrt|apr|mei|jun|jul|aug|sep|okt|oct|nov|dec)\w* \d{4}"
_BIRTH_DATE = re.compile(
    rf"\b(geboren op|geboortedatum|geb\.|date of birth|born on|birth date|DOB)\b[:\s]*(?P<date>{_DATE})", re.IGNORECASE
)
PLACEHOLDER = re.compile(r"\[(IBAN|BSN|EMAIL|TELEFOON|POSTCODE|KAART|GEBOORTEDATUM)_(\d+)\]")


@dataclass(frozen=True)
class Entity:
    """One masked value; start and end are its place in the original text."""

    type: str
    placeholder: str
    start: int
    end: int
    value: str = field(repr=False)


@dataclass(frozen=True)
class Masked:
    text: str
    entities: tuple[Entity, ...] = ()

    @property
    def values(self) -> dict[str, str]:
        values: dict[str, str] = {}
        for entity in self.entities:
            values.setdefault(entity.placeholder, entity.value)  # as the customer first wrote it
        return values

    def restore(self, text: str) -> str:
        """Put the values back where the text uses their placeholder; unknown placeholders stay visible."""
        values = self.values
        return PLACEHOLDER.sub(lambda m: values.get(m.group(0), m.group(0)), text)


def _normal(value: str) -> str:
    return re.sub(r"[\s.-]", "", value).lower()


def _spans(text: str) -> list[tuple[int, int, str]]:
    found: list[tuple[int, int, str]] = []
    for m in EMAIL.finditer(text):
        found.append((m.start(), m.end(), "EMAIL"))
    for m in _IBAN.finditer(text):
        if stdnum_iban.is_valid(m.group(0)):
            found.append((m.start(), m.end(), "IBAN"))
    for m in _BIRTH_DATE.finditer(text):
        found.append((m.start("date"), m.end("date"), "GEBOORTEDATUM"))
    for m in _NINE_DIGITS.finditer(text):
        digits = re.sub(r"\D", "", m.group(0))
        # Its name must be the nearest thing before it: in "BSN 123456782, order 852847142" only the first is one.
        name = None
        for name in _BSN_CONTEXT.finditer(text, max(0, m.start() - 40), m.start()):
            pass
        named = name is not None and not re.search(r"\d", text[name.end() : m.start()])
        if stdnum_bsn.is_valid(digits) and (named or "." in m.group(0)):
            found.append((m.start(), m.end(), "BSN"))
    for m in _CARD.finditer(text):
        digits = re.sub(r"\D", "", m.group(0))
        # Maestro cards can have 12 digits; so can order numbers, one in ten passing Luhn, so those need "kaart"/"card".
        long_enough = len(digits) >= 13 or (len(digits) == 12 and _CARD_CONTEXT.search(text, max(0, m.start() - 40), m.start()))
        if long_enough and len(digits) <= 19 and luhn.is_valid(digits) and not digits.startswith("0"):
            found.append((m.start(), m.end(), "KAART"))
    for match in phonenumbers.PhoneNumberMatcher(text, "NL", leniency=phonenumbers.Leniency.VALID):
        if not _DATE_SHAPE.fullmatch(match.raw_string):  # "09-06-2026" is a valid number to libphonenumber
            found.append((match.start, match.end, "TELEFOON"))
    for m in _POSTCODE.finditer(text):
        found.append((m.start(), m.end(), "POSTCODE"))
    # Overlaps: the earlier-listed, then the longer detector wins (an IBAN's digits are not a phone number).
    order = ["EMAIL", "IBAN", "GEBOORTEDATUM", "BSN", "KAART", "TELEFOON", "POSTCODE"]
    found.sort(key=lambda s: (order.index(s[2]), -(s[1] - s[0])))
    kept: list[tuple[int, int, str]] = []
    for span in found:
        if all(span[1] <= k[0] or span[0] >= k[1] for k in kept):
            kept.append(span)
    return sorted(kept)


def mask(text: str, earlier: Masked | None = None) -> Masked:
    """Mask `text`; pass the mask of an earlier part of the same mail to share its placeholders.

    >>> mask("Mijn IBAN is NL91ABNA0417164300.").text
    'Mijn IBAN is [IBAN_1].'
    """
    values = dict(earlier.values) if earlier else {}
    by_value = {(PLACEHOLDER.fullmatch(p).group(1), _normal(v)): p for p, v in values.items()}
    counters: dict[str, int] = {}
    for placeholder in values:
        kind, number = PLACEHOLDER.fullmatch(placeholder).groups()
        counters[kind] = max(counters.get(kind, 0), int(number))
    entities, parts, position = [], [], 0
    for start, end, kind in _spans(text):
        value = text[start:end]
        key = (kind, _normal(value))
        if key not in by_value:
            counters[kind] = counters.get(kind, 0) + 1
            by_value[key] = f"[{kind}_{counters[kind]}]"
        placeholder = by_value[key]
        parts.append(text[position:start])
        parts.append(placeholder)
        entities.append(Entity(kind, placeholder, start, end, value))
        position = end
    parts.append(text[position:])
    earlier_entities = earlier.entities if earlier else ()
    return Masked("".join(parts), tuple(earlier_entities) + tuple(entities))



def mask_email(email: Email, note: str | None = None) -> tuple[Email, str | None, Masked]:
    """The mail (subject, body, quoted history, signature, sender address) and the agent's note, masked.

    The parts share placeholders: the IBAN in the body and in the quoted history are both [IBAN_1].
    The returned Masked restores any of them.
    """
    masked: Masked | None = None
    changes = {}
    for name in ("subject", "body", "history", "signature", "sender_address"):
        masked = mask(getattr(email, name), masked)
        changes[name] = masked.text
    masked_note = None
    if note:
        masked = mask(note, masked)
        masked_note = masked.text
    return email.model_copy(update=changes), masked_note, masked


def mask_strings(value):
    """Every string inside a JSON-like value masked (each on its own): for what is written to disk."""
    if isinstance(value, str):
        return mask(value).text if value else value
    if isinstance(value, dict):
        return {k: mask_strings(v) for k, v in value.items()}
    if isinstance(value, list):
        return [mask_strings(v) for v in value]
    return value
