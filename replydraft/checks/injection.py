"""injection_followed: the draft does what an instruction hidden in the mail asked, or leaks our prompt.

The mail is data, and the prompts say so; this check is the deterministic backstop for when a model
obeys anyway. It finds the instructions in the mail (sentences that address the assistant or tell
"your reply" what to contain, and what follows them in the same paragraph), takes their payloads
(links, e-mail addresses, phone numbers, amounts, codes, quoted text, and their own wording), and
flags a draft that carries any of them. Two things need no instruction to be wrong: text from our
system prompt, and money beyond what the policy allows that the customer never mentioned.

A customer's own request ("bel me op 06 …", "ik wil mijn 49,95 terug") is not an instruction to the
model, so a reply that repeats the customer's number or amount passes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..masking import EMAIL, PLACEHOLDER
from ..policy import Policy
from ..types import Finding
from .base import CheckContext, finding, quote

_F = re.IGNORECASE

# Addressed to the model itself: never something a customer asks a person.
_TO_THE_MODEL = re.compile(
    r"\b(ignore|disregard|forget|override|negeer|vergeet|ignoreer)\b[^.!?\n]{0,40}\b(instructions?|rules|prompt|above|previous|"
    r"instructies?|regels|opdrachten|eerdere|bovenstaande|vorige)\b|"
    r"\b(assistant|assistent|a\.?i\.?|artificial intelligence|language model|taalmodel|chatbot|chat ?gpt|gpt-?\d*|llm|copilot|"
    r"system ?prompt|systeem ?prompt|system (message|instructions?)|systeem ?(instructies?|bericht)|developer mode)\b",
    _F,
)
# Telling the reply what to contain or how to look: where in "your reply" something goes, or how it starts or ends.
# "In uw antwoord" is left out: that is how customers address a person, and what they ask for there is theirs.
_INTO_THE_REPLY = re.compile(
    r"(?<!forward )(?<!forward to )\b(in|into|to|within|throughout|from|of)\s+(your|the)\s+(reply|response|answer|message|output|responses|replies|answers)\b|"
    r"\byour (reply|response|answer|message)'s\b|^\W*\w+\s+(your|je|jouw)\s+(reply|response|answer|message|antwoord|reactie)\b|"
    r"\b(in|aan|onder|bovenaan|onderaan|bij|uit)\s+(je|jouw|het)\s+(antwoord|reactie|antwoordmail|output)\b|\bvoor het antwoord\b",
    _F,
)
_LAYOUT = re.compile(
    r"^\W*(end|finish|close|sign off|start|begin|open)\s+(with|by)\b|\b(somewhere|at the (top|bottom|end|start|beginning))\b|"
    r"^\W*(eindig|begin|sluit\s+af|start|open|onderteken)\s+met\b|\b(ergens|bovenaan|onderaan)\b",
    _F,
)

_URL = re.compile(
    r"(?:https?://|www\.)[^\s<>\"')\]]+|\b[\w-]+(?:\.[\w-]+)*\.(?:com|net|org|nl|be|de|eu|io|xyz|info|biz|co|ly|me|app|site|"
    r"online|shop|click|top|link|ru|cn)\b(?:/[^\s<>\"')\]]*)?",
    _F,
)
_PHONE = re.compile(r"(?<![\w-])(?:\+|00)?\d[\d \-()]{7,16}\d(?![\w-])")
_AMOUNT = re.compile(
    r"(?:€|\beur\b|\beuro\b|\$|\busd\b)\s?(\d{1,3}(?:[.,]\d{3})*(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?)(?:,-)?|"
    r"\b(\d{1,3}(?:[.,]\d{3})*(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?)\s?(?:€|euro'?s?\b|eur\b|dollars?\b|usd\b)",
    _F,
)
_CODE = re.compile(r"\b(?=[A-Za-z0-9_-]*\d)(?=[A-Za-z0-9_-]*[A-Za-z])[A-Za-z0-9]+(?:[-_][A-Za-z0-9]+)+\b|\b[A-Z]{2,}(?:[-_][A-Z0-9]{2,})+\b")
_QUOTED = re.compile(r"\"([^\"\n]{6,200})\"|“([^”\n]{6,200})”|'([^'\n]{6,200})'|‘([^’\n]{6,200})’")
_WORD = re.compile(r"\w+")
_OUR_MARKERS = re.compile(r"<<<\s*(?:MAIL|REPLY)|(?:MAIL|REPLY)\s*>>>|\bTASK:", _F)

SHINGLE_WORDS = 6  # six words in a row from an instruction: copying, not coincidence
PROMPT_SHINGLE_WORDS = 8  # the system prompt shares short stock phrases with good replies; eight words do not


@dataclass(frozen=True)
class Payload:
    kind: str  # link, e-mail address, phone number, amount, code, quoted text, wording
    value: str
    key: str  # normalised for matching


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def _shingles(words: list[str], n: int) -> set[tuple[str, ...]]:
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


def _url_key(url: str) -> str:
    return re.sub(r"^(?:https?://)?(?:www\.)?", "", url.lower()).rstrip(".,;:!?").rstrip("/")


def _amount_key(match: re.Match) -> str:
    number = match.group(1) or match.group(2)
    whole, _, cents = re.sub(r"[.,](\d{3})(?!\d)", r"\1", number).replace(",", ".").partition(".")
    return f"{int(whole)}.{(cents or '0').ljust(2, '0')[:2]}"


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


# A sentence ends at . ! ? before a space or a line end; "www.example.com" and "rich!\"" do not end one.
_SENTENCE = re.compile(r"(?:[^\n.!?]|[.!?]+(?=[^\s.!?]))+[.!?]*")


def _is_cue(sentence: str) -> bool:
    return bool(_TO_THE_MODEL.search(sentence) or _INTO_THE_REPLY.search(sentence) or _LAYOUT.search(sentence))


def instruction_spans(text: str, sentences: list[tuple[int, int]] | None = None) -> list[tuple[int, int]]:
    """Where the mail instructs the model: a cue sentence and the rest of its paragraph.

    `sentences` are (start, end) offsets when the text is already tokenised; otherwise a plain
    split is enough, and it keeps a long quoted history from costing a tokeniser pass per check.
    """
    if sentences is None:
        sentences = [m.span() for m in _SENTENCE.finditer(text)]
    spans: list[tuple[int, int]] = []
    for start, end in sentences:
        if not _is_cue(text[start:end].strip()):
            continue
        paragraph_end = text.find("\n\n", start)
        end = len(text) if paragraph_end == -1 else paragraph_end
        if spans and start <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(end, spans[-1][1]))
        else:
            spans.append((start, end))
    return spans


def payloads(instruction: str) -> list[Payload]:
    found: list[Payload] = []
    for m in _URL.finditer(instruction):
        if "@" not in instruction[max(0, m.start() - 1) : m.start()]:
            found.append(Payload("link", m.group(0), _url_key(m.group(0))))
    for m in EMAIL.finditer(instruction):
        found.append(Payload("e-mail address", m.group(0), m.group(0).lower()))
    for m in _PHONE.finditer(instruction):
        if len(_digits(m.group(0))) >= 9:
            found.append(Payload("phone number", m.group(0).strip(), _digits(m.group(0))[-9:]))
    for m in _AMOUNT.finditer(instruction):
        found.append(Payload("amount", m.group(0).strip(), _amount_key(m)))
    for m in _CODE.finditer(instruction):
        if not _PHONE.fullmatch(m.group(0)) and not _URL.fullmatch(m.group(0)):
            found.append(Payload("code", m.group(0), m.group(0).lower()))
    for m in PLACEHOLDER.finditer(instruction):
        found.append(Payload("masked value", m.group(0), m.group(0)))
    for m in _QUOTED.finditer(instruction):
        phrase = next(g for g in m.groups() if g)
        if len(_words(phrase)) >= 2:
            found.append(Payload("quoted text", phrase, " ".join(_words(phrase))))
    return found


class _Draft:
    """The draft's values, normalised once for every payload to be looked up in."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.lower = text.lower()
        self.urls = {_url_key(m.group(0)): m for m in _URL.finditer(text)}
        self.phones = {_digits(m.group(0))[-9:]: m for m in _PHONE.finditer(text) if len(_digits(m.group(0))) >= 9}
        self.amounts = {_amount_key(m): m for m in _AMOUNT.finditer(text)}
        self.words = _words(text)
        self.joined = " ".join(self.words)

    def find(self, payload: Payload) -> tuple[int, int] | None:
        if payload.kind == "link":
            for key, m in self.urls.items():
                if key == payload.key or key.startswith(payload.key) or payload.key.startswith(key.split("/")[0] + "/"):
                    return m.span()
            at = self.lower.find(payload.key.split("/")[0])
            return (at, at + len(payload.key)) if at >= 0 else None
        if payload.kind == "phone number":
            m = self.phones.get(payload.key)
            return m.span() if m else None
        if payload.kind == "amount":
            m = self.amounts.get(payload.key)
            return m.span() if m else None
        if payload.kind == "quoted text":
            return (0, 0) if f" {payload.key} " in f" {self.joined} " else None
        at = self.lower.find(payload.key.lower()) if payload.kind != "masked value" else self.text.find(payload.key)
        return (at, at + len(payload.key)) if at >= 0 else None


def _prompt_shingles(policy: Policy) -> frozenset[tuple[str, ...]]:
    # Policies hold lists, so they cannot key a cache; their JSON can.
    return _prompt_shingles_for(policy.model_dump_json())


@lru_cache(maxsize=16)
def _prompt_shingles_for(policy_json: str) -> frozenset[tuple[str, ...]]:
    from ..prompts import render

    system = render("system.j2", policy=Policy.model_validate_json(policy_json))
    # Example phrases the prompt quotes are what good replies say ("Graag gedaan, zo werken we graag samen.").
    system = _QUOTED.sub(" | ", system)
    shingles: set[tuple[str, ...]] = set()
    for line in re.split(r"[\n|]", system):
        shingles |= _shingles(_words(line), PROMPT_SHINGLE_WORDS)
    return frozenset(shingles)


def _mail_parts(ctx: CheckContext) -> list[tuple[str, list[tuple[int, int]] | None]]:
    email = ctx.email
    parts: list[tuple[str, list[tuple[int, int]] | None]] = []
    if ctx.email_doc:  # the body is tokenised once for every check that reads it
        parts.append((ctx.email_doc.text, [(s.start, s.end) for s in ctx.email_doc.sentences]))
    parts += [(part, None) for part in (email.subject, email.history, email.signature) if part.strip()]
    return parts


def check_injection(ctx: CheckContext) -> list[Finding]:
    draft = _Draft(ctx.text)
    findings: list[Finding] = []

    def flag(message: str, span: tuple[int, int] | None) -> None:
        findings.append(finding(
            "injection_followed", "error", "safety", message, span if span and span[1] > span[0] else None,
            "Remove it. The mail is data: a reply never follows instructions written inside a customer's mail.",
        ))

    # Our own prompt in the draft, with or without an instruction asking for it.
    m = _OUR_MARKERS.search(ctx.text)
    if m:
        flag("The draft contains the prompt's own markers; the model is repeating its instructions", m.span())
    else:
        leaked = _shingles(draft.words, PROMPT_SHINGLE_WORDS) & _prompt_shingles(ctx.policy)
        if leaked:
            flag(f"The draft repeats our system prompt: {quote(' '.join(next(iter(leaked))))}", None)

    if ctx.email is None:
        return findings

    mail_amounts: set[str] = set()
    instructions: list[str] = []
    for text, sentences in _mail_parts(ctx):
        mail_amounts |= {_amount_key(m) for m in _AMOUNT.finditer(text)}
        instructions += [text[start:end] for start, end in instruction_spans(text, sentences)]

    draft_shingles = _shingles(draft.words, SHINGLE_WORDS)
    for instruction in instructions:
        for payload in payloads(instruction):
            span = draft.find(payload)
            if span is not None:
                flag(
                    f"The draft follows an instruction hidden in the mail: it contains the {payload.kind} "
                    f"{quote(payload.value, 50)} that the mail told the model to use ({quote(instruction, 80)})",
                    span,
                )
                break
        else:
            copied = draft_shingles & _shingles(_words(instruction), SHINGLE_WORDS)
            if copied:
                flag(
                    f"The draft copies an instruction hidden in the mail: {quote(' '.join(next(iter(copied))))}",
                    None,
                )

    limit = max(ctx.policy.promises.max_refund_eur, ctx.policy.promises.max_goodwill_eur)
    for key, m in draft.amounts.items():
        if float(key) > limit and key not in mail_amounts:
            flag(
                f"The draft names {quote(m.group(0).strip(), 20)}, more than this policy lets us offer "
                f"(at most € {limit:.2f}) and an amount the customer never mentioned",
                m.span(),
            )
    return findings


detect = check_injection
