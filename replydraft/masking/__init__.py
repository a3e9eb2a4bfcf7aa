"""Personal data out, typed placeholders in: what reaches a model provider is `[IBAN_1]`, never the IBAN.

Numbers and codes (`numbers.py`) are validated before they are masked: IBANs by mod-97 and BSNs by
the 11-proof (python-stdnum), card numbers by Luhn, phone numbers by libphonenumber's numbering plans.
Ordinary numbers stay: a nine-digit order number can pass the 11-proof by chance (one in eleven
does), so a BSN also needs its name nearby ("BSN", "burgerservicenummer") or its dotted form, and a
number a label names as something else ("klantnummer", "order number") is never masked.
Street addresses (`addresses.py`) are found by a street word and a house number, names (`names.py`)
by where they stand: the From header, cues ("mijn naam is"), greetings, closings, next to an address.
The same value gets the same placeholder everywhere in one mail, so the model can still refer to it;
a person is one placeholder for the full name, the first name and the surname alike.
"""

from __future__ import annotations

import phonenumbers

import re
from dataclasses import dataclass, field

from ..types import Email
from . import addresses, names, numbers
from .name_reading import key_words
from .numbers import EMAIL

__all__ = ["EMAIL", "PLACEHOLDER", "Entity", "Masked", "mask", "mask_email", "mask_strings", "number_entities", "value_key"]

PLACEHOLDER = re.compile(r"\[(IBAN|BSN|EMAIL|TELEFOON|POSTCODE|KAART|GEBOORTEDATUM|NAAM|ADRES)_(\d+)\]")
# Overlaps: the earlier-listed, then the longer detector wins (an IBAN's digits are not a phone number).
_ORDER = ["EMAIL", "IBAN", "GEBOORTEDATUM", "BSN", "KAART", "TELEFOON", "POSTCODE", "ADRES", "NAAM"]


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
        """Each placeholder's value as the customer first wrote it; a name's fullest form ("Anneke de Vries", not "Anneke")."""
        values: dict[str, str] = {}
        for entity in self.entities:
            if entity.type == "NAAM" and len(entity.value) > len(values.get(entity.placeholder, "")):
                values[entity.placeholder] = entity.value
            values.setdefault(entity.placeholder, entity.value)
        return values

    def restore(self, text: str) -> str:
        """Put the values back where the text uses their placeholder; unknown placeholders stay visible."""
        values = self.values
        return PLACEHOLDER.sub(lambda m: values.get(m.group(0), m.group(0)), text)


def _normal(value: str) -> str:
    return re.sub(r"[\s.-]", "", value).lower()


def number_entities(text: str, valid_nl_phones: list | None = None) -> list[Entity]:
    """The numbers and codes in `text` (IBAN, BSN, e-mail, phone, card, postcode, date of birth), without
    looking for names and addresses: what the post-check needs of a draft, at a fraction of `mask`'s cost.
    Placeholders are not numbered. `valid_nl_phones`: see `numbers.spans`."""
    return [Entity(kind, f"[{kind}]", start, end, text[start:end]) for start, end, kind, _ in _kept(
        [(s, e, k, "") for s, e, k in numbers.spans(text, valid_nl_phones)], len(text))]


def _spans(text: str, known_names: tuple[str, ...] = ()) -> list[tuple[int, int, str, str]]:
    found = [(s, e, k, _normal(text[s:e])) for s, e, k in numbers.spans(text)]
    street = addresses.spans(text)
    found += [(s, e, k, _normal(text[s:e])) for s, e, k in street]
    people = names.spans(text, street, known_names)
    found += [(s, e, k, _words(person)) for s, e, k, person in people]
    found += [(s, e, k, _normal(text[s:e])) for s, e, k in numbers.birth_after_names(text, [e for _s, e, _k, _p in people])]
    return _kept(found, len(text))


def _kept(found: list[tuple[int, int, str, str]], length: int) -> list[tuple[int, int, str, str]]:
    """Overlapping spans resolved: the earlier-listed type, then the longer span wins."""
    found.sort(key=lambda s: (_ORDER.index(s[2]), -(s[1] - s[0]), s[0]))
    kept: list[tuple[int, int, str, str]] = []
    taken = bytearray(length + 1)
    for span in found:
        if not any(taken[span[0] : span[1]]):
            kept.append(span)
            taken[span[0] : span[1]] = b"\x01" * (span[1] - span[0])
    return sorted(kept)


def _same_person(key: str, earlier: dict[tuple[str, str], str]) -> str | None:
    """The placeholder of an earlier name whose words include this one's, or the other way round."""
    words = set(key.split())
    for (kind, value), placeholder in earlier.items():
        other = set(value.split())
        if kind == "NAAM" and words and other and (words <= other or other <= words):
            return placeholder
    return None


def mask(text: str, earlier: Masked | None = None, names: tuple[str, ...] = ()) -> Masked:
    """Mask `text`; pass the mask of an earlier part of the same mail to share its placeholders, and
    `names` known to be names (the From header's display name).

    >>> mask("Mijn IBAN is NL91ABNA0417164300.").text
    'Mijn IBAN is [IBAN_1].'
    """
    earlier_entities = earlier.entities if earlier else ()
    if not text.strip():  # an empty subject, history or signature: nothing to find
        return Masked(text, tuple(earlier_entities))
    by_value: dict[tuple[str, str], str] = {}
    counters: dict[str, int] = {}
    for entity in earlier_entities:
        by_value.setdefault((entity.type, _normal(entity.value) if entity.type != "NAAM" else _words(entity.value)), entity.placeholder)
        kind, number = PLACEHOLDER.fullmatch(entity.placeholder).groups()
        counters[kind] = max(counters.get(kind, 0), int(number))
    known = tuple(dict.fromkeys([*names, *(e.value for e in earlier_entities if e.type == "NAAM")]))
    entities, parts, position = [], [], 0
    for start, end, kind, key in _spans(text, known):
        placeholder = by_value.get((kind, key)) or (_same_person(key, by_value) if kind == "NAAM" else None)
        if placeholder is None:
            counters[kind] = counters.get(kind, 0) + 1
            placeholder = f"[{kind}_{counters[kind]}]"
        by_value.setdefault((kind, key), placeholder)
        parts.append(text[position:start])
        parts.append(placeholder)
        entities.append(Entity(kind, placeholder, start, end, text[start:end]))
        position = end
    parts.append(text[position:])
    return Masked("".join(parts), tuple(earlier_entities) + tuple(entities))


def _words(name: str) -> str:
    return " ".join(sorted(key_words(name)))


def mask_email(email: Email, note: str | None = None) -> tuple[Email, str | None, Masked]:
    """The mail (sender's name and address, subject, body, quoted history, signature) and the agent's note, masked.

    The parts share placeholders: the IBAN in the body and in the quoted history are both [IBAN_1],
    and the From header's name is [NAAM_1] wherever the mail repeats it.
    """
    sender = email.sender_name.strip()
    is_name = bool(sender) and not re.search(r"[\d@]", sender)
    masked = Masked("[NAAM_1]", (Entity("NAAM", "[NAAM_1]", 0, len(sender), sender),)) if is_name else None
    changes = {"sender_name": "[NAAM_1]"} if is_name else {}
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


def value_key(kind: str, value: str) -> str:
    """One spelling per value, so that "06-12345678" and "+31 6 1234 5678" are the same phone number."""
    if kind == "TELEFOON":
        try:
            return phonenumbers.format_number(phonenumbers.parse(value, "NL"), phonenumbers.PhoneNumberFormat.E164)
        except phonenumbers.NumberParseException:
            pass
    return "".join(ch for ch in value.lower() if ch.isalnum())
