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

The cue words live in the language packs (`grounding.toml`); the structure lives here.
"""

from __future__ import annotations

import bisect
import re
from functools import lru_cache

import phonenumbers

from ..masking.numbers import phone_matches
from ..masking import mask, value_key
from ..packs import Section, load_pack
from ..policy import Policy
from ..types import Finding
from .base import CheckContext, flag, quote
from .injection import _AMOUNT, _amount_key

# --- links -----------------------------------------------------------------------------------------

_TLDS = (
    "com|net|org|nl|be|de|eu|io|info|biz|co|uk|fr|es|ch|at|ly|me|app|site|online|shop|store|click|top|link|xyz|ru|cn|"
    "tk|dev|ai|tv|cc|nu|us|ca|au|ws|pw|gd|gl|live|email|support|help|page|website|example|test|invalid"
)
_END = r"[^\s<>\"'`\])]"
_LINK = re.compile(
    r"\]\(\s*<?(?P<md>[^)\s>]+)"  # a markdown link or image target
    rf"|(?P<url>\b(?:https?:)?//{_END}+|\bwww\.{_END}+)"  # http(s), protocol-relative, www.
    rf"|(?<![@\w.-])(?P<bare>(?:[A-Za-z0-9](?:[A-Za-z0-9-]{{0,62}}[A-Za-z0-9])?\.)+(?:{_TLDS})\b(?:/{_END}*)?)",
)
_HOST = re.compile(r"^(?:[a-z][a-z0-9+.-]*:)?(?://)?(?:[^@/?#]*@)?([^/?#:]*)", re.IGNORECASE)


def _domain(link: str) -> str:
    host = _HOST.match(link.strip())
    return (host.group(1) if host else link).lower().rstrip(".").removeprefix("www.")


def allowed_domains(policy: Policy) -> tuple[str, ...]:
    domains = [_domain(policy.company.website)] if policy.company.website.strip() else []
    domains += [_domain(d) for d in policy.links.allowed_domains if d.strip()]
    return tuple(d for d in domains if d)


def _allowed(domain: str, allowed: tuple[str, ...]) -> bool:
    return any(domain == d or domain.endswith("." + d) for d in allowed)


def links(text: str) -> list[tuple[str, str, int, int]]:
    """Every URL-like thing in `text`: (link, domain, start, end)."""
    found = []
    for m in _LINK.finditer(text):
        kind = m.lastgroup
        link = m.group(kind).rstrip(".,;:!?")
        if kind == "md" and (link.startswith(("#", "mailto:", "tel:")) or "@" in link and "/" not in link):
            continue  # an anchor or an address: the contact check reads those
        found.append((link, _domain(link), m.start(kind), m.start(kind) + len(link)))
    return found


def detect_links(ctx: CheckContext) -> list[Finding]:
    allowed = allowed_domains(ctx.policy)
    findings = []
    for link, domain, start, end in links(ctx.text):
        if domain and _allowed(domain, allowed):
            continue
        where = ", ".join(allowed) if allowed else "none: this policy names no website or allowed_domains"
        findings.append(flag(
            "ungrounded_link",
            f"The draft links to {quote(link, 60)}, a domain this policy does not allow (allowed: {where})",
            (start, end),
            "Remove the link, or link only to our own site; add a domain to the policy's [links] allowed_domains if it is ours to send.",
        ))
    return findings


# --- contact details presented as ours --------------------------------------------------------------

_WINDOW = 120  # characters before a value in which its cue must stand
_SIGNATURE_LINES = 10  # a closing line this close to the end starts the signature block
_ADDRESS_GAP = 30  # address parts this close together are one address
_CLOSING_CHARS = 40  # ... and is short: "Met vriendelijke groet,", not a sentence that starts with "Best"


def _pack_section(ctx: CheckContext, table: str) -> Section:
    """A table of the pack's grounding.toml ("contact", "money"); a language without a pack reads the English one."""
    return _table((ctx.pack or load_pack("en")).language, table)


@lru_cache(maxsize=16)
def _table(language: str, table: str) -> Section:
    return Section(table, load_pack(language).section("grounding").get(table, {}))


def draft_entities(ctx: CheckContext) -> list:
    """The validated personal data in the draft (IBAN, BSN, e-mail, phone, card ...), found once per check."""
    return mask(ctx.text).entities


def _signature_start(ctx: CheckContext, s: Section) -> int:
    """Where the signature block begins: the last closing line near the end, else the text's end."""
    text = ctx.text
    tail_start = len(text)
    for _ in range(_SIGNATURE_LINES):
        previous = text.rfind("\n", 0, max(tail_start - 1, 0))
        if previous < 0:
            break
        tail_start = previous
    closing = s.pattern("closing")
    start = len(text)
    for line in re.finditer(r"(?m)^[ \t]*(.+)$", text[tail_start:]):
        if len(line.group(1)) <= _CLOSING_CHARS and closing.match(line.group(1)):
            start = tail_start + line.start()
    return start


def _nearest_cue(s: Section | tuple[Section, ...], text: str, start: int, floor: int) -> str | None:
    """'ours' or 'theirs': the cue that ends closest before `start`, within the window (over every section given)."""
    window = text[max(floor, start - _WINDOW) : start]
    best, best_end = None, -1
    for section in s if isinstance(s, tuple) else (s,):
        for kind in ("ours", "theirs"):
            for m in section.pattern(kind).finditer(window):
                if m.end() > best_end or (m.end() == best_end and kind == "theirs"):
                    best, best_end = kind, m.end()
    return best


def _cue_sections(ctx: CheckContext) -> tuple[Section, ...]:
    """The draft's own pack, and the English one too: an English sentence ("contact x@y") sits in Dutch drafts."""
    own = _pack_section(ctx, "contact")
    english = _table("en", "contact")
    return (own,) if own is english else (own, english)


def _sentence_index(ctx: CheckContext, at: int) -> int:
    return bisect.bisect_right(ctx.memo(_sentence_starts), at) - 1


def _sentence_start(ctx: CheckContext, at: int) -> int:
    i = _sentence_index(ctx, at)
    return ctx.doc.sentences[i].start if i >= 0 else 0


def _sentence_starts(ctx: CheckContext) -> list[int]:
    return [s.start for s in ctx.doc.sentences]


def _is_label_line(s: Section, text: str, start: int) -> bool:
    line_start = text.rfind("\n", 0, start) + 1
    head = text[line_start:start]
    m = s.pattern("label").match(head.strip())
    return bool(m) and head.strip()[m.end():].lstrip().startswith(":")


def presented_as_ours(ctx: CheckContext, start: int) -> bool:
    """True when the value at `start` is given as our own detail: in the signature block, or its nearest cue says so."""
    if start >= ctx.memo(_signature_start_memo):
        return True
    cue = _nearest_cue(ctx.memo(_cue_sections), ctx.text, start, _sentence_start(ctx, start))
    return cue == "ours"


def _signature_start_memo(ctx: CheckContext) -> int:
    return _signature_start(ctx, _pack_section(ctx, "contact"))


def _contact_values(ctx: CheckContext) -> list[tuple[str, str, int, int]]:
    """(kind, value, start, end) for the phones, e-mails, IBANs and postal addresses in the draft."""
    values = [(e.type, e.value, e.start, e.end) for e in ctx.memo(draft_entities) if e.type in ("TELEFOON", "EMAIL", "IBAN")]
    s = _pack_section(ctx, "contact")
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
    for match in phone_matches(ctx.text, "NL", phonenumbers.Leniency.VALID):
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
    label = _pack_section(ctx, "contact")
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
    email = ctx.email
    mail = "\n".join((email.subject, email.body, email.history, email.signature, email.sender_address))
    keys, flat = _mail_keys(mail)
    key = value_key(kind, value)
    return (kind, key) in keys or (kind == "ADRES" and key in flat)


@lru_cache(maxsize=64)
def _mail_keys(text: str) -> tuple[frozenset[tuple[str, str]], str]:
    """The mail's personal data as (type, key), and the mail as one alphanumeric string (for addresses)."""
    return frozenset((e.type, value_key(e.type, e.value)) for e in mask(text).entities), value_key("ADRES", text)


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


# --- money and codes --------------------------------------------------------------------------------

_PERCENT = re.compile(r"(?<![\w.,])(\d{1,3}(?:[.,]\d{1,2})?)\s?(?:%|procent\b|percent\b)", re.IGNORECASE)
_CODE_TOKEN = re.compile(r"\s*(?:[:=]|\bis\b|\bluidt\b)?\s*[\"'“‘]?([A-Za-z0-9][A-Za-z0-9_-]{3,30})")
_WORDS = re.compile(r"[^\W\d_]+")
_AFTER = 30  # characters after an amount in which a cue may stand ("€ 25 tegoed", "25 euro terug")


def _nearest(s: Section, text: str, start: int, end: int, floor: int) -> str | None:
    """'give' or 'owe': the cue nearest to the value, before it (within the sentence) or just after it."""
    before = text[max(floor, start - _WINDOW) : start]
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
    i = _sentence_index(ctx, at)
    if i < 0:
        return 0, ctx.text[: at + _WINDOW]
    sentence = ctx.doc.sentences[i]
    return sentence.start, sentence.text


def _amount_findings(ctx: CheckContext, s: Section) -> list[Finding]:
    findings = []
    for m in _AMOUNT.finditer(ctx.text):
        floor, sentence = _sentence_of(ctx, m.start())
        if _nearest(s, ctx.text, m.start(), m.end(), floor) != "give" or _denied(s, ctx.text, m.start(), floor):
            continue
        limit, key = _limit_for(s, sentence, ctx.policy)
        if float(_amount_key(m)) > limit + 0.005:
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


def _deadline_findings(ctx: CheckContext, s: Section) -> list[Finding]:
    """Money back by a deadline sooner than the policy's refund_within_days ("U ontvangt uw geld binnen
    24 uur retour"): a promise the company does not stand for. Saying when we act is Golden Rule 1;
    the refund time is the policy's."""
    allowed = ctx.policy.promises.refund_within_days
    refund, denied = s.pattern("refund_promise"), s.pattern("denied")
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


def _concepts(text: str) -> frozenset[str]:
    """The concepts (delivery, time ...) a text touches, in every pack's words: a Dutch policy line, an English draft."""
    return frozenset(name for name, pattern in _concept_patterns() if pattern.search(text))


@lru_cache(maxsize=1)
def _concept_patterns() -> tuple[tuple[str, re.Pattern], ...]:
    from ..packs import available_languages, compile_phrases

    merged: dict[str, list[str]] = {}
    for language in available_languages():
        money = _table(language, "money")
        for name in money.get("concepts", []):
            merged.setdefault(name, []).extend(money.get(f"concept_{name}_patterns", []))
    return tuple((name, compile_phrases(phrases)) for name, phrases in merged.items())


def detect_promises(ctx: CheckContext) -> list[Finding]:
    s = _pack_section(ctx, "money")
    return (
        _amount_findings(ctx, s) + _percent_findings(ctx, s) + _code_findings(ctx, s)
        + _free_findings(ctx, s) + _forbidden_findings(ctx, s) + _deadline_findings(ctx, s) + _benefit_findings(ctx, s)
    )
