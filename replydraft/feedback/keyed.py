"""What the store keeps of a mail, its analysis, its draft and the text an agent sent: masked text only.

A draft is stored with the mail's placeholders ("[NAAM_1]" where the reply names the customer), even
when the policy let the model read the raw mail. Each masked value survives only as a keyed hash
(HMAC-SHA256 with the deployment's REPLYDRAFT_STORE_KEY): when the agent's sent text arrives, its values
are hashed the same way, so "Anneke" in the sent text becomes the draft's [NAAM_1] and a new phone
number becomes the next [TELEFOON_n]. Without the key the hashes cannot be tested against guesses.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass

from ..masking import PLACEHOLDER, Masked, mask, mask_email, value_key
from ..masking.name_reading import key_words as _key_words
from ..types import DraftResult, Email

_NAME_WORD = "NAAM-woord"  # one word of a name, hashed on its own: a reply often uses the first name alone
_WORD = re.compile(r"(?<![\w\[])[^\W\d_][\w'’-]*")


def keyed_hash(key: bytes, kind: str, value: str) -> str:
    spelled = value.lower() if kind == _NAME_WORD else value_key(kind, value)
    return hmac.new(key, f"{kind}:{spelled}".encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class MaskedDraft:
    mail: dict
    analysis: dict | None
    draft: str
    findings: list[dict]
    hashes: dict[str, str]  # keyed hash -> placeholder


def mask_for_storage(email: Email, result: DraftResult, key: bytes) -> MaskedDraft:
    """The mail, analysis, draft and finding messages, masked with one set of placeholders."""
    masked_email, _note, masked = mask_email(email)
    draft, masked = _mask_like(result.text, masked)
    analysis = result.analysis.model_dump(mode="json") if result.analysis is not None else None
    findings = [{"code": f.code, "severity": f.severity, "message": f.message} for f in result.checks.findings] if result.checks else []
    # The analysis's strings and the finding messages are masked as one text: one pass of the detectors, not one per string.
    strings = _strings(analysis) + [f["message"] for f in findings]
    joined, masked = _mask_like(_SEPARATOR.join(strings), masked)
    replaced = iter(joined.split(_SEPARATOR) if strings else [])
    analysis = _replace_strings(analysis, replaced)
    for finding in findings:
        finding["message"] = next(replaced)
    mail = {"subject": masked_email.subject, "body": masked_email.body, "history": masked_email.history}
    return MaskedDraft(mail, analysis, draft, findings, _hashes(masked, key))


# Between the strings masked as one text: a paragraph break no detector reads across, and a character no
# mail or model output uses (ASCII's record separator; ingest removes control characters from mails).
_SEPARATOR = "\n\n\x1e\n\n"


def _hashes(masked: Masked, key: bytes) -> dict[str, str]:
    hashes: dict[str, str] = {}
    for entity in masked.entities:
        kind = entity.type
        hashes.setdefault(keyed_hash(key, kind, entity.value), entity.placeholder)
        if kind == "NAAM":
            for word in _key_words(entity.value):
                if len(word) > 1:
                    hashes.setdefault(keyed_hash(key, _NAME_WORD, word), entity.placeholder)
    return hashes


def _mask_like(text: str, earlier: Masked) -> tuple[str, Masked]:
    """`text` masked with the placeholders of `earlier` (and new ones for values it adds), and every
    earlier value written out literally replaced too, found or not by the detectors in this context."""
    if not text:
        return text, earlier
    masked = mask(text, earlier)
    values = sorted({v for v in masked.values.values() if len(v) > 2}, key=len, reverse=True)
    if not values:
        return masked.text, masked
    placeholder_of = {v.lower(): p for p, v in masked.values.items()}
    literal = re.compile("(?<![\\w@.-])(?:" + "|".join(re.escape(v) for v in values) + ")(?![\\w@])", re.IGNORECASE)
    return literal.sub(lambda m: placeholder_of.get(m.group(0).lower(), m.group(0)), masked.text), masked


def _strings(value) -> list[str]:
    """Every string inside a JSON-like value, depth first."""
    if isinstance(value, str):
        return [value.replace("\x1e", " ")]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    if isinstance(value, dict):
        return [s for item in value.values() for s in _strings(item)]
    return []


def _replace_strings(value, replaced):
    """`value` with its strings taken in order from `replaced` (the order of `_strings`)."""
    if isinstance(value, str):
        return next(replaced)
    if isinstance(value, list):
        return [_replace_strings(item, replaced) for item in value]
    if isinstance(value, dict):
        return {name: _replace_strings(item, replaced) for name, item in value.items()}
    return value


def mask_sent(text: str, hashes: dict[str, str], key: bytes) -> str:
    """The agent's sent text masked so that its values line up with the stored draft's placeholders."""
    fresh = mask(text)
    highest: dict[str, int] = {}
    for placeholder in hashes.values():
        kind, number = PLACEHOLDER.fullmatch(placeholder).groups()
        highest[kind] = max(highest.get(kind, 0), int(number))
    final: dict[str, str] = {}
    for entity in fresh.entities:
        if entity.placeholder in final:
            continue
        known = hashes.get(keyed_hash(key, entity.type, entity.value))
        if known is None and entity.type == "NAAM":
            known = next((hashes[h] for w in _key_words(entity.value) if (h := keyed_hash(key, _NAME_WORD, w)) in hashes), None)
        if known is None:
            highest[entity.type] = highest.get(entity.type, 0) + 1
            known = f"[{entity.type}_{highest[entity.type]}]"
        final[entity.placeholder] = known
    renumbered = PLACEHOLDER.sub(lambda m: final.get(m.group(0), m.group(0)), fresh.text)

    def name_word(m: re.Match) -> str:  # "Anneke" alone, where no cue told the detector it was a name
        word = m.group(0)
        return hashes.get(keyed_hash(key, _NAME_WORD, word), word) if word[:1].isupper() and len(word) > 1 else word

    return _WORD.sub(name_word, renumbered)
