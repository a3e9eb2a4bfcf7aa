"""pii_leak: the draft hands out personal data that is not the customer's own or our own contact details.

A reply may repeat the customer's own phone number back ("we bellen u op 06-…"); it must never
carry someone else's IBAN, BSN, e-mail address or phone number (from another customer, a model's
memory or an attacker's instruction). A phone number, e-mail address or IBAN the draft presents as
*ours* ("bel ons op", "mail naar", "stort op", the signature block) is `ungrounded_contact`'s to judge
(checks/grounding.py, grounding_contacts.py): it must be the policy's own, whoever's it is.
"""

from __future__ import annotations

from functools import lru_cache

from ..masking import mask, value_key
from ..types import Finding
from .base import CheckContext, flag
from .grounding_contacts import contact_claims, customers_values, draft_entities
from .grounding_links import links

LEAK_TYPES = ("IBAN", "BSN", "EMAIL", "TELEFOON", "KAART")


@lru_cache(maxsize=16)
def _policy_values(*contact_details: str) -> frozenset[tuple[str, str]]:
    """The personal data in the policy's own contact details, as (type, key): configuration, not a mail."""
    return frozenset((e.type, value_key(e.type, e.value)) for e in mask("\n".join(contact_details)).entities)


def detect(ctx: CheckContext) -> list[Finding]:
    if ctx.email is None:
        return []  # whose data it is can only be told against the mail
    company = ctx.policy.company
    allowed = ctx.memo(customers_values) | _policy_values(company.contact_email, company.contact_phone, company.payment_iban)
    ours = {(start, end) for _, _, start, end, _ in ctx.memo(contact_claims)}
    inside_links = [(start, end) for _, _, start, end in links(ctx.text)]
    findings = []
    for entity in ctx.memo(draft_entities):
        if (entity.start, entity.end) in ours:
            continue  # presented as our own detail: ungrounded_contact judges it against the policy
        if entity.type != "EMAIL" and any(a <= entity.start < b for a, b in inside_links):
            continue  # digits inside a link (an archive timestamp, an id) are the link's: ungrounded_link judges it
        if entity.type in LEAK_TYPES and (entity.type, value_key(entity.type, entity.value)) not in allowed:
            findings.append(flag(
                "pii_leak",
                f"The draft contains {entity.type.lower()} {entity.value!r}, which is not the customer's own "
                "from this mail nor our own contact details",
                (entity.start, entity.end),
                "Remove it; never send one person's data to another.",
            ))
    return findings

