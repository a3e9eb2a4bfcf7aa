"""Grounded drafts: what a draft may contain, whatever the mail said (docs/safety.md, "Grounded drafts").

Looking for how an attack is phrased loses to anyone who phrases it differently; what a draft
*contains* can be checked anyway. Every checkable claim in a draft must come from the policy:

- `ungrounded_link`: a link (http(s), www., a bare domain, a markdown link or image target) to a
  domain the policy does not allow (`[company] website` and its subdomains, `[links] allowed_domains`).
  A link the customer's own mail contains is grounded only when its domain is allowed: the mail
  grounds nothing, it is the part an attacker writes.
- `ungrounded_contact`: a phone number, e-mail address or account (IBAN, also one whose check digits
  fail) presented as ours (the nearest cue before it says how to reach us or where to pay, or it
  stands in the signature block), and any postal address that is neither the customer's nor ours,
  that is not the policy's `contact_phone`, `contact_email`, `payment_iban` or `return_address`. The
  customer's own details may be given back as theirs ("we bellen u op ..."), never as ours. A phone,
  e-mail or account not presented as ours is `pii_leak`'s (checks/privacy.py).
- `promise_beyond_policy`: money or codes the draft gives the customer (the nearest cue before an
  amount is a giving one, not a price or what they owe) beyond `[promises] max_refund_eur` or
  `max_goodwill_eur`; a percentage discount larger than any percentage a `may_offer` line names; a
  discount code not in `discount_codes`; something free or a benefit granted that no `may_offer`
  line offers; money back sooner than `refund_within_days`; a sentence that holds every key word of a
  `may_not_promise` line.

The cue words live in the language packs (`grounding.toml`). This module holds the three detectors;
what they read is found in grounding_links.py, grounding_contacts.py and grounding_offers.py.
"""

from __future__ import annotations

from ..types import Finding
from .base import CheckContext, flag, quote
from .grounding_contacts import contact_claims
from .grounding_links import allowed_domains, is_allowed, links
from .grounding_offers import OFFER_RULES
from .grounding_tables import grounding_table


def detect_links(ctx: CheckContext) -> list[Finding]:
    allowed = allowed_domains(ctx.policy)
    findings = []
    for link, domain, start, end in links(ctx.text):
        if domain and is_allowed(domain, allowed):
            continue
        where = ", ".join(allowed) if allowed else "none: this policy names no website or allowed_domains"
        findings.append(flag(
            "ungrounded_link",
            f"The draft links to {quote(link, 60)}, a domain this policy does not allow (allowed: {where})",
            (start, end),
            "Remove the link, or link only to our own site; add a domain to the policy's [links] allowed_domains if it is ours to send.",
        ))
    return findings


_KIND_NAMES = {"TELEFOON": "phone number", "EMAIL": "e-mail address", "IBAN": "bank account", "ADRES": "postal address"}


def detect_contacts(ctx: CheckContext) -> list[Finding]:
    findings = []
    for kind, value, start, end, grounded in ctx.memo(contact_claims):
        if grounded:
            continue
        findings.append(flag(
            "ungrounded_contact",
            f"The draft gives {quote(value, 50)} as our {_KIND_NAMES[kind]}, and this policy names no such "
            f"{_KIND_NAMES[kind]} of ours" if kind != "ADRES" else
            f"The draft gives the postal address {quote(value, 50)}, which is neither the customer's nor one this policy names",
            (start, end),
            "Give only our own contact details from the policy (contact_phone, contact_email, return_address, payment_iban).",
        ))
    return findings


def detect_promises(ctx: CheckContext) -> list[Finding]:
    money = grounding_table(ctx, "money")
    return [finding for rule in OFFER_RULES for finding in rule(ctx, money)]
