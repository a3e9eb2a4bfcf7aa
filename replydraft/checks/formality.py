"""`needless_formality`: a form, letter, signature or office visit asked of the customer (Golden Rule 4).

Built by structure, per clause: a *demand on the customer* (a request, an obligation, a condition on the
customer's own step, an obligation or an "only way" whoever the grammatical subject ("all travellers need
to sign", "kan alleen aan de balie"), advice to go in person, or a clause or coordinated part that opens
with an imperative verb) together with a *formality* (a
paper form, a letter or written statement, a signature, printing, post or fax, a certified copy, a visit
in person), and no negation between them ("U hoeft geen formulier in te vullen"). A formality only
mentioned ("our terms and conditions"), one we handle ourselves ("Ik heb het formulier voor u ingevuld",
"We sturen u een brief") and one the policy requires (`formalities.required`) pass. Citing the small
print or a numbered clause is flagged on its own: it hides behind the rulebook. Cue words live in the
language pack (`formality.toml`).
"""

from __future__ import annotations

import re

from ..packs import Section
from ..types import Finding
from .base import CheckContext, flag, quote

_CLAUSE_BREAK = re.compile(r"[;:]|\s[–—]\s")
_NON_WORD = re.compile(r"\W*")
_SPACES = re.compile(r"\s*")
_NEGATION_REACH = 15  # characters before the demand cue where a negation still governs it ("You won't need to")
_MESSAGE = "Asks the customer for a formality (form, letter, signature, office visit) the policy does not require"
_SUGGESTION = "Handle it for the customer: 'Ik heb het voor u aangepast' or 'Antwoord gewoon op deze mail'."


def _clauses(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for m in _CLAUSE_BREAK.finditer(text):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text)))
    return spans


def _imperative(section: Section, clause: str) -> re.Match | None:
    """An imperative verb opening the clause or a coordinated part of it ("..., maar stuur dan wel ...").

    Dutch inversion ("dan stuur ik u") puts a subject right after the verb: that is no imperative.
    """
    imperative, subject = section.pattern("imperative"), section.pattern("subject_after")
    # Only after a comma: "They will guide you and provide the forms" shares its subject, no imperative.
    starts = [0] + [m.end() for m in section.pattern("coordinator").finditer(clause) if clause[:m.start()].rstrip().endswith(",")]
    leads = [_NON_WORD.match(clause, start).end() for start in starts]
    for lead in leads:
        verb = imperative.match(clause, lead)
        if verb and not subject.match(clause, _SPACES.match(clause, verb.end()).end()):
            return verb
    return None


def _demand(section: Section, clause: str) -> re.Match | None:
    return _imperative(section, clause) or section.pattern("demand").search(clause)


def _required(ctx: CheckContext, clause: str, formality: str) -> bool:
    clause, formality = clause.lower(), formality.lower()
    return any(r.lower() in clause or formality in r.lower() for r in ctx.policy.formalities.required)


def _asked(section: Section, clause: str) -> re.Match | None:
    """The formality demanded in the clause, or None."""
    demand = _demand(section, clause)
    if demand is None or section.pattern("cancelled").search(clause):
        return None
    negation, service = section.pattern("negation"), section.pattern("not_formality")
    for formality in section.pattern("object").finditer(clause):
        if service.search(clause, max(0, formality.start() - 40), formality.end() + 12):
            continue
        start = max(0, min(demand.start(), formality.start()) - _NEGATION_REACH)
        if not negation.search(clause, start, max(demand.end(), formality.end())):
            return formality
    return None


def _clause_finding(ctx: CheckContext, section: Section, clause: str, offset: int) -> Finding | None:
    rulebook = section.pattern("rulebook").search(clause)
    if rulebook and not _required(ctx, clause, rulebook.group(0)):
        return flag("needless_formality", f"Hides behind the rulebook: {quote(rulebook.group(0))}",
                    (offset + rulebook.start(), offset + rulebook.end()), _SUGGESTION)
    formality = _asked(section, clause)
    if formality is None or _required(ctx, clause, formality.group(0)):
        return None
    return flag("needless_formality", f"{_MESSAGE}: {quote(formality.group(0))}",
                (offset + formality.start(), offset + formality.end()), _SUGGESTION)


def detect(ctx: CheckContext) -> list[Finding]:
    if ctx.pack is None:
        return []
    section = ctx.pack.section("formality")
    if not section.pattern("object").search(ctx.text) and not section.pattern("rulebook").search(ctx.text):
        return []
    findings = []
    for sentence in ctx.doc.sentences:
        for start, end in _clauses(sentence.text):
            found = _clause_finding(ctx, section, sentence.text[start:end], sentence.start + start)
            if found:
                findings.append(found)
                break  # one finding per sentence
    return findings
