"""Promises: every commitment in the draft with who, what and when (Golden Rules 1 and 2).

A commitment is built from an actor (we, I, our team, a colleague; in English any subject with a future
marker) and an action, or from the customer receiving something ("u krijgt", "you will hear"). Without a
concrete time anchor it is a `vague_promise`: the customer cannot hold us to it. So is an explicitly vague
time ("zo spoedig mogelijk", "as soon as we can"). An event counts as a time only when the customer can see
it happen: it is theirs ("zodra we uw retour hebben", "once you send the photo"); "once we hear back from
the airline", "when your claim has been reviewed" and "zodra we meer weten" are our own process, no time.
A commitment needs no actor of ours by name: a passive about the customer's case ("uw aanvraag wordt in
behandeling genomen", "your documents will be posted") or a third party's future ("een expert zal u bellen")
commits too. The vague time is constructed, not listed: "zo/as" + a speed word + what is possible ("zo vlug
als het kan", "as quickly as we're able"), or an indefinite future ("in een van de volgende updates", "over
the next few weeks"). A vague phrase the customer said, quoted ("U vroeg of het zo snel mogelijk kon"), is not ours. Help given now ("I'll walk you through it", "here's how") promises nothing for
later. Reports of what was done, offers, refusals and old promises commit to nothing. Every word list and
pattern lives in the language pack (`promises.toml`).
"""

from __future__ import annotations

import re

from ..packs import Section
from ..tokenizer import Sentence
from ..types import Finding, Promise
from .base import CheckContext, flag, quote

_CLAUSE_END = re.compile(r"[,;:]")
_CLAUSE_MARK = re.compile(r"[;:]")
_COMMA = re.compile(r",\s*")
_QUOTE_OPENS = re.compile(r"(?:^|[,;:(]|\b(?:as|since|zoals|omdat))\W*$", re.IGNORECASE)
_EVENT_REACH = 60  # characters after "zodra"/"once" in which the customer must appear
_BARE_DATE = re.compile(r"^\d{1,2}(?:[-/]\d{1,2}(?:[-/]\d{2,4})?| \w+)$")


def _section(ctx: CheckContext) -> Section | None:
    return ctx.pack.section("promises") if ctx.pack else None


def _customer_events(s: Section, text: str) -> list[tuple[int, int]]:
    """Event clauses the customer can see happen: "zodra we uw retour hebben", "once you send it"."""
    spans = []
    customer, internal = s.pattern("customer"), s.pattern("internal_event")
    for event in s.pattern("event").finditer(text):
        end = _CLAUSE_END.search(text, event.end())
        stop = min(end.start() if end else len(text), event.end() + _EVENT_REACH)
        if customer.search(text, event.end(), stop) and not internal.search(text, event.end(), stop):
            spans.append((event.start(), stop))
    return spans


def _whens(s: Section, text: str) -> list[tuple[int, int, str]]:
    found = [(m.start(), m.end(), m.group(0)) for m in s.pattern("when").finditer(text)]
    found += [(a, b, text[a:b]) for a, b in _customer_events(s, text)]
    return sorted(found)


def _main_clause_completed(s: Section, text: str) -> bool:
    """A report in the main clause ("Wij hebben het verstuurd"), not in a subordinate one ("waar het is gebleven")."""
    sub = s.pattern("subordinate").search(text, 1)
    completed = s.pattern("completed").search(text, 0, sub.start() if sub else len(text))
    return completed is not None and not s.pattern("time_clause_first").match(text)


def _completed_around(s: Section, text: str, vague: re.Match) -> bool:
    """The vague phrase sits in a clause that reports ("U hebt zo snel mogelijk gereageerd")."""
    start = max(text.rfind(mark, 0, vague.start()) for mark in ",;:") + 1
    for joined in s.pattern("coordinated_clause").finditer(text, start, vague.start()):
        start = joined.start()  # "Uw pas is aangevraagd en u ontvangt hem z.s.m.": the report is another clause
    ends = [i for i in (text.find(mark, vague.end()) for mark in ",;:") if i != -1]
    return s.pattern("completed").search(text, start, min(ends, default=len(text))) is not None


def _negated(s: Section, text: str, committer: re.Match) -> bool:
    """A negation in the committing clause only: "U hoeft niets te doen: wij betalen het terug" still commits."""
    start = max(text.rfind(mark, 0, committer.start()) for mark in ";:") + 1
    ends = [i for i in (text.find(mark, committer.end()) for mark in ";:") if i != -1]
    return s.pattern("negated").search(text, start, min(ends, default=len(text))) is not None


def _action(s: Section, text: str, actor: re.Match | None, receiver: re.Match | None) -> re.Match | None:
    """The committed action: after the actor, or just before it in Dutch inversion ("dan sturen we")."""
    actions = s.pattern("action")
    action = actions.search(text, actor.end() if actor and not receiver else 0)
    if action is None and actor:
        action = next((m for m in actions.finditer(text) if m.start() < actor.start() <= m.end() + 1), None)
    if action and actor and _CLAUSE_MARK.search(text[min(actor.end(), action.start()):max(actor.start(), action.end())]):
        return None  # the actor and the action belong to different clauses
    return action


def _future_subject(s: Section, text: str) -> tuple[re.Match | None, re.Match | None]:
    """English: a future marker and the subject before it ("The technician will", "who will"); not "you will"."""
    future = s.pattern("future").search(text)
    before = text[: future.start()] if future else ""
    if future is None or re.match(r"(you|it|this|that)\b", future.group(0), re.I) or re.search(r"\b(you|it|this|that)\W*$", before, re.I):
        return future, None
    return future, s.pattern("action").search(text, future.end())


def _committer(s: Section, text: str) -> tuple[re.Match | None, re.Match | None, re.Match | None]:
    """(actor, receiver, action) of the sentence's commitment, or Nones."""
    receiver = s.pattern("receiver").search(text)
    actor = s.pattern("actor").search(text)
    future_markers = s.get("future_patterns", [])
    if future_markers and not receiver:
        future, action = _future_subject(s, text)
        if future is None or action is None:
            return None, None, None
        return actor or future, None, action
    action = _action(s, text, actor, receiver) if actor or receiver else None
    if action is None and not receiver:
        # "Uw aanvraag wordt (door de afdeling) in behandeling genomen", "een expert zal u bellen": the clause is the action.
        agentless = s.pattern("agentless").search(text)
        return agentless, None, agentless
    return actor, receiver, action


def _promise(s: Section, sentence: Sentence, language: str) -> Promise | None:
    text = sentence.text
    if sentence.is_question or _main_clause_completed(s, text):
        return None
    if s.pattern("not_a_commitment").search(text) or s.pattern("reported").search(text) or s.pattern("help_now").search(text):
        return None
    actor, receiver, action = _committer(s, text)
    if action is None or _negated(s, text, actor or receiver):
        return None
    whens = _whens(s, text)
    return Promise(
        text=text,
        actor=(actor.group(0) if actor and actor is not action and not s.get("future_patterns") else "wij" if language == "nl" else "we"),
        action=action.group(0),
        when=whens[0][2] if whens else None,
        start=sentence.start,
        end=sentence.end,
    )


def _has_deadline(s: Section, text: str, vague: re.Match) -> bool:
    """A concrete time next to a vague phrase makes it concrete ("z.s.m., uiterlijk vrijdag").

    A bare date is usually a reference ("uw bestelling van 3 november"), so it only counts
    when it reads as a deadline ("uiterlijk 3 november", "voor 5 mei"). "Meteen" and "right away" are
    relative to some event ("... weer op voorraad en mailen je dan meteen"): no deadline either.
    """
    relative = s.pattern("relative_when")
    for start, end, when in _whens(s, text):
        if vague.start() <= start < vague.end() or start <= vague.start() < end or relative.fullmatch(when):
            continue
        if not _BARE_DATE.match(when) or re.search(r"\b(uiterlijk|vóór|voor|op|tot|by|before|on|until)\s*$", text[:start], re.I):
            return True
    return False


def _attributed(s: Section, text: str, vague: re.Match) -> bool:
    """The vague phrase is the customer's, quoted: "U vroeg of het zo snel mogelijk kon", "You asked us to fix it asap".

    The quote runs from the customer's verb of asking or wanting to the phrase, unless a clause of our own
    starts in between ("You asked about it; we will do it asap", "..., and we will fix it asap").
    """
    cue = None
    for cue in s.pattern("attributed").finditer(text, 0, vague.start()):
        pass
    if cue is None or _CLAUSE_MARK.search(text, cue.end(), vague.start()) or not _QUOTE_OPENS.search(text, 0, cue.start()):
        return False  # "The feature you asked for ... before long": the customer's verb is only a relative clause
    ours = s.pattern("our_clause")
    return not any(ours.match(text, comma.end()) for comma in _COMMA.finditer(text, cue.end(), vague.start()))


def _vague(s: Section, sentence: Sentence, promise: Promise | None) -> re.Match | None:
    vague = s.pattern("vague").search(sentence.text)
    if vague is None and promise is not None:
        vague = s.pattern("vague_in_promise").search(sentence.text)
    if vague and _attributed(s, sentence.text, vague):
        return None
    looks_back = _completed_around(s, sentence.text, vague) if vague else False
    if vague and promise is None and (looks_back or s.pattern("reported").search(sentence.text) or s.pattern("wish").search(sentence.text)):
        return None  # "U hebt zo snel mogelijk gereageerd" looks back; it promises nothing
    if vague and _has_deadline(s, sentence.text, vague):
        return None
    return vague


# A commitment needs a receiver, an actor, a future marker or an agentless clause; a vague time needs a vague phrase.
_NEEDED_FOR_ANY = ("receiver", "actor", "future", "agentless", "vague")


def _timed(s: Section, sentences: tuple[Sentence, ...], index: int) -> bool:
    return index < len(sentences) and bool(_whens(s, sentences[index].text))


def check_promises(ctx: CheckContext) -> tuple[list[Promise], list[Finding]]:
    s = _section(ctx)
    if s is None:
        return [], []
    if not any(s.pattern(key).can_match(ctx.text) for key in _NEEDED_FOR_ANY):
        return [], []  # nothing in the draft can start a commitment or a vague time
    promises: list[Promise] = []
    findings: list[Finding] = []
    sentences = ctx.doc.sentences
    for index, sentence in enumerate(sentences):
        promise = _promise(s, sentence, ctx.language)
        if promise:
            promises.append(promise)
        vague = _vague(s, sentence, promise)
        if vague:
            findings.append(flag(
                "vague_promise", f"Vague time {quote(vague.group(0))}: say when, so the customer can hold us to it",
                (sentence.start + vague.start(), sentence.start + vague.end()),
                "Name a day or time: 'We bellen u morgen voor 12.00 uur.'",
            ))
        elif promise and promise.when is None and not _timed(s, sentences, index + 1):
            # "Wij betalen het terug. Het staat binnen drie werkdagen op uw rekening." gives the when one sentence later.
            findings.append(flag(
                "vague_promise", f"Promise without a when: {quote(sentence.text)}. Say who does what, and when",
                sentence, "Add a day or time: '... vandaag nog' or '... uiterlijk vrijdag'.",
            ))
    return promises, findings


def detect(ctx: CheckContext) -> list[Finding]:
    return ctx.memo(check_promises)[1]
