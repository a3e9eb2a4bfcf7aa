"""Contact details a draft presents as ours: phone numbers, e-mail addresses, bank accounts and postal addresses.

A value is presented as ours when it stands in the signature block, when the nearest cue before it
says how to reach us or where to pay (the pack's grounding.toml, table "contact"), or when it stands
on a label line ("Telefoon: ...") and is not the customer's own. Any postal address that is neither
the customer's nor the policy's counts too. Each claim carries whether the policy grounds it.
"""

from __future__ import annotations

import re

import phonenumbers

from ..masking import mask, number_entities, value_key
from ..masking.numbers import phone_matches
from ..packs import Section
from ..policy import Policy
from .base import CheckContext
from .grounding_tables import CUE_WINDOW, grounding_table, language_table

_SIGNATURE_LINES = 10  # a closing line this close to the end starts the signature block
_CLOSING_CHARS = 40  # ... and is short: "Met vriendelijke groet,", not a sentence that starts with "Best"
_ADDRESS_GAP = 30  # address parts this close together are one address


def draft_entities(ctx: CheckContext) -> list:
    """The validated numbers and codes in the draft (IBAN, BSN, e-mail, phone, card ...), found once per
    check; its names and addresses are not personal data the contact and leak checks judge."""
    return number_entities(ctx.text, ctx.memo(_valid_nl_phones))


def _valid_nl_phones(ctx: CheckContext) -> list:
    """libphonenumber's valid numbers in the draft, read as Dutch: both the entities and the unmasked phones need them."""
    return phone_matches(ctx.text, "NL", phonenumbers.Leniency.VALID)


def _signature_start(ctx: CheckContext) -> int:
    """Where the signature block begins: the last closing line near the end, else the text's end."""
    text = ctx.text
    tail_start = len(text)
    for _ in range(_SIGNATURE_LINES):
        previous = text.rfind("\n", 0, max(tail_start - 1, 0))
        if previous < 0:
            break
        tail_start = previous
    closing = grounding_table(ctx, "contact").pattern("closing")
    start = len(text)
    for line in re.finditer(r"(?m)^[ \t]*(.+)$", text[tail_start:]):
        if len(line.group(1)) <= _CLOSING_CHARS and closing.match(line.group(1)):
            start = tail_start + line.start()
    return start


def _nearest_cue(s: Section | tuple[Section, ...], text: str, start: int, floor: int) -> str | None:
    """'ours' or 'theirs': the cue that ends closest before `start`, within the window (over every section given)."""
    window = text[max(floor, start - CUE_WINDOW) : start]
    best, best_end = None, -1
    for section in s if isinstance(s, tuple) else (s,):
        for kind in ("ours", "theirs"):
            for m in section.pattern(kind).finditer(window):
                if m.end() > best_end or (m.end() == best_end and kind == "theirs"):
                    best, best_end = kind, m.end()
    return best


def _cue_sections(ctx: CheckContext) -> tuple[Section, ...]:
    """The draft's own pack, and the English one too: an English sentence ("contact x@y") sits in Dutch drafts."""
    own = grounding_table(ctx, "contact")
    english = language_table("en", "contact")
    return (own,) if own is english else (own, english)


def _sentence_start(ctx: CheckContext, at: int) -> int:
    i = ctx.sentence_index(at)
    return ctx.doc.sentences[i].start if i >= 0 else 0


def _is_label_line(s: Section, text: str, start: int) -> bool:
    line_start = text.rfind("\n", 0, start) + 1
    head = text[line_start:start]
    m = s.pattern("label").match(head.strip())
    return bool(m) and head.strip()[m.end():].lstrip().startswith(":")


def presented_as_ours(ctx: CheckContext, start: int) -> bool:
    """True when the value at `start` is given as our own detail: in the signature block, or its nearest cue says so."""
    if start >= ctx.memo(_signature_start):
        return True
    cue = _nearest_cue(ctx.memo(_cue_sections), ctx.text, start, _sentence_start(ctx, start))
    return cue == "ours"


def _contact_values(ctx: CheckContext) -> list[tuple[str, str, int, int]]:
    """(kind, value, start, end) for the phones, e-mails, IBANs and postal addresses in the draft."""
    values = [(e.type, e.value, e.start, e.end) for e in ctx.memo(draft_entities) if e.type in ("TELEFOON", "EMAIL", "IBAN")]
    s = grounding_table(ctx, "contact")
    values += _unmasked_phones(ctx, s, [(start, end) for _, _, start, end in values])
    values += _account_shapes(ctx.text, [(start, end) for _, _, start, end in values])
    last_end = -_ADDRESS_GAP - 1
    for m in s.pattern("address").finditer(ctx.text):
        if m.start() - last_end > _ADDRESS_GAP:  # "Kerkstraat 12, 1234 AB": one address
            values.append(("ADRES", m.group(0), m.start(), m.end()))
        last_end = m.end()
    return values


# Built like an IBAN (country, two check digits, groups of letters and digits) with that country's
# length and structure, valid check digits or not: a made-up account to pay into is as ungrounded as a real one.
_ACCOUNT_SHAPE = re.compile(r"(?<![A-Za-z0-9])[A-Z]{2} ?\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?(?![A-Za-z0-9])")


def _account_shapes(text: str, taken: list[tuple[int, int]]) -> list[tuple[str, str, int, int]]:
    return [("IBAN", m.group(0), m.start(), m.end()) for m in _ACCOUNT_SHAPE.finditer(text)
            if not any(a < m.end() and m.start() < b for a, b in taken) and _iban_but_for_check_digits(m.group(0))]


def _iban_but_for_check_digits(value: str) -> bool:
    """A real country's IBAN length and structure with wrong check digits: a made-up account. A parcel
    code ("RR123456789NL") has no IBAN country's structure."""
    from stdnum import iban
    from stdnum.exceptions import ValidationError

    compact = iban.compact(value)
    try:  # stdnum checks the check digits first: give it right ones, so only the structure is judged
        iban.validate(compact[:2] + iban.calc_check_digits(compact) + compact[4:], check_country=False)
    except ValidationError:
        return False
    return True


def _unmasked_phones(ctx: CheckContext, s: Section, taken: list[tuple[int, int]]) -> list[tuple[str, str, int, int]]:
    """Valid phone numbers the masking left alone because a label came first ("ons servicenummer 085-…"):
    libphonenumber finds them; a word before that names another number ("ordernummer") keeps them out."""
    found = []
    not_phone = s.pattern("not_phone")
    for match in ctx.memo(_valid_nl_phones):
        start, end = match.start, match.end
        if any(a < end and start < b for a, b in taken):
            continue
        before = ctx.text[max(0, start - 25) : start].split()
        if before and not_phone.fullmatch(before[-1].strip(":").lower()):
            continue
        found.append(("TELEFOON", match.raw_string, start, end))
    return found


def _ours(policy: Policy) -> dict[str, set[str]]:
    company = policy.company
    grounded: dict[str, set[str]] = {"TELEFOON": set(), "EMAIL": set(), "IBAN": set(), "ADRES": set()}
    for kind, value in (("TELEFOON", company.contact_phone), ("EMAIL", company.contact_email), ("IBAN", company.payment_iban)):
        if value.strip():
            grounded[kind].add(value_key(kind, value))
    if company.return_address.strip():
        grounded["ADRES"].add(value_key("ADRES", company.return_address))
    return grounded


def _grounded(kind: str, value: str, ours: dict[str, set[str]]) -> bool:
    key = value_key(kind, value)
    if kind == "ADRES":
        return any(key in address for address in ours["ADRES"])
    return key in ours[kind]


def contact_claims(ctx: CheckContext) -> list[tuple[str, str, int, int, bool]]:
    """Every contact value the draft presents as ours: (kind, value, start, end, grounded by the policy)."""
    ours = _ours(ctx.policy)
    label = grounding_table(ctx, "contact")
    claims = []
    for kind, value, start, end in _contact_values(ctx):
        as_ours = presented_as_ours(ctx, start) or (
            _is_label_line(label, ctx.text, start) and not _customers_own(ctx, kind, value)
        ) or (kind == "ADRES" and _someone_elses_address(ctx, value, start))
        if as_ours:
            claims.append((kind, value, start, end, _grounded(kind, value, ours)))
    return claims


def _someone_elses_address(ctx: CheckContext, value: str, start: int) -> bool:
    """A postal address that is neither the customer's (from the mail, or given as theirs) nor ours
    from the policy: whatever verb stands before it ("afgeven bij", "langsbrengen op"), a draft has
    no business giving it. The policy check follows in contact_claims."""
    cue = _nearest_cue(ctx.memo(_cue_sections), ctx.text, start, _sentence_start(ctx, start))
    return cue != "theirs" and not _customers_own(ctx, "ADRES", value)


def _customers_own(ctx: CheckContext, kind: str, value: str) -> bool:
    if ctx.email is None:
        return False
    key = value_key(kind, value)
    return (kind, key) in ctx.memo(customers_values) or (kind == "ADRES" and key in ctx.memo(_mail_as_one_string))


def _whole_mail(ctx: CheckContext) -> str:
    email = ctx.email
    return "\n".join((email.subject, email.body, email.history, email.signature, email.sender_address))


def customers_values(ctx: CheckContext) -> frozenset[tuple[str, str]]:
    """The personal data in the customer's mail, as (type, key); none without a mail. Through `ctx.memo`:
    finding the values (libphonenumber above all) is a large part of the check."""
    if ctx.email is None:
        return frozenset()
    return frozenset((e.type, value_key(e.type, e.value)) for e in mask(_whole_mail(ctx)).entities)


def _mail_as_one_string(ctx: CheckContext) -> str:
    """The mail as one alphanumeric string, in which the key of an address it holds can be found."""
    return value_key("ADRES", _whole_mail(ctx))
