"""Conditionality: help made to depend on something the customer must give back.

Reciprocity only works without strings attached. The detector looks for three parts, within a
sentence or across two adjacent sentences:

- the FAVOUR: what we give or gave (a refund, a visit, a discount, waived costs, an exception, a fix);
- the ASK: what we want back that the help itself does not need (a review or rating, a survey, a
  recommendation, loyalty, a renewal, upgrade or purchase, praise, dropping a complaint), or what the customer
  acquires or commits to of ours (another product, a longer contract, a sign-up, an accessory, volunteer shifts);
- the LINK between them: a condition the ask sits in ("als u ..., dan", "only if", "as soon as", "zonder ... geen",
  "only for customers who", "Klanten die een review plaatsen, ..."), the ask first and the help in the next
  sentence ("Geeft u ...? Dan ...") or after it ("die zien we eerst, voordat we ..."), an exchange ("in ruil voor"),
  a request attached to the help in the same sentence ("..., could you"),
  a consequence or expectation ("daar staat tegenover", "so", "we trust you'll"), an appeal to duty or hurt
  feelings ("het minste wat u kunt doen", "it would hurt us if"), or a reminder of an
  earlier favour ("we hebben u in maart al ..."), or an elliptical exchange ("geen review, geen korting").

Asks are also found by structure, so that other wordings of a kind are caught and not only the ones seen: the pack
composes phrases from word families (`%family%` slots filled from `<family>_words`, see `Section.pattern`), and each
phrase names the parts of an ask rather than a wording. An evaluation or publicity object with the customer as its
agent ("your rating ... goes up", "u ... onze app te waarderen", "a post about us", "het onderzoek positief invult");
a verb whose object is us ("vouch for us", "u ons ... aanraadt"; a verb after we/I is ours, and Dutch "noemen" needs a
place of publication, as "noemt u ons uw klantnummer" is a step of the help); something of ours the customer takes
on with a sign that it is extra ("also", "another", "with us", "bij ons", "naar onze bank", "ook", "betaalde"). The
same taking on without such a sign (the phrase's group `bare`) is an ask only with an expectation, claim or request
("we gaan ervan uit dat u het onderhoudscontract afsluit"), never after a bare condition, where it is the customer's
own errand ("zodra u de polis afsluit, sturen we ..."). Pressure after a favour held up is likewise the structure
expectation-or-judgement + the customer's conduct ("I trust you won't be filing a complaint", "zou niet netjes zijn
als u ... overstapt"); a phrasal particle keeps a device's "won't switch on" from being a loyalty ask.

A reason that opens the ask's own clause is loyalty already shown, not a link ("Omdat u al jaren bij ons verzekerd
blijft, krijgt u korting"); guilt about leaving after a favour ("cancelling now would be ungrateful") needs no ask.

A reminder needs no ask when pressure follows it: an earlier favour held up ("we hebben u vorig jaar al uit de brand
geholpen", "how patient we've been") and, after it in the sentence or in the next one, pressure on the customer
("dus we verwachten nu wel", "dan vindt u het vast niet erg", "I'm sure you'll understand why"), a claim on something
back ("so we'd hope to get something back") or disappointment that the customer thinks of leaving: only after a
favour held up do these press, on their own they are ordinary ("we're disappointed you're thinking of leaving").

Two forms need no ask: leverage on an earlier favour ("dat mag u best eens onthouden") and guilt
("na alles wat we voor u gedaan hebben"). An ask in the customer's own wish ("if you'd like to ..."),
an ask that is only mentioned ("thanks for your review") and an ask the sentence decouples from the
help ("invullen mag, maar hoeft niet", "completely optional") pass, as does every conditional that
attaches no ask ("Als u vragen heeft, belt u gerust"). Every word list and cue is in the language
pack (`replydraft/packs/<lang>/conditionality.toml`, section `conditionality`); a language without
that section gets no findings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..packs import Section
from ..tokenizer import Sentence
from ..types import Finding
from .base import CheckContext, flag, quote

_LINKS = {
    "condition": ("a condition", 0.9),
    "exchange": ("an exchange", 0.9),
    "after_ask": ("a condition", 0.9),
    "request": ("a request attached to the help", 0.8),
    "tie": ("a consequence or expectation", 0.8),
    "fairness": ("an appeal to fairness or gratitude", 0.8),
    "reminder": ("a reminder of an earlier favour", 0.7),
    "leverage": ("a reminder of an earlier favour", 0.7),
    "guilt": ("guilt leverage", 0.8),
}


MAX_ASKS_PER_SENTENCE = 8
# The asks by list: what the customer gives back (reviews, loyalty, concessions, ...), and apart from it what the
# customer acquires or commits to of ours (another product, a longer contract, sign-ups) with praise or posts for us:
# long phrases rarely possible in a draft, not compiled and tried along with the common ones. The acquire list also
# holds the asks by structure, composed from the pack's word families (`%family%` slots): an evaluation or publicity
# object with the customer as its agent, a verb whose object is us, something of ours taken on as extra.
ASK_KEYS = ("ask", "acquire")
# Taking on a product of ours with no sign that it is extra (the phrase's named group `bare`: "dat u het
# onderhoudscontract afsluit") is the customer's own errand after a condition ("zodra u de polis afsluit, sturen we
# ..."); only these links make it an ask.
BARE_LINKS = frozenset({"request", "tie", "fairness", "reminder", "exchange"})


@dataclass(frozen=True)
class Tie:
    kind: str
    favour: str
    ask: str
    link: str
    start: int  # where the finding's span starts (the favour's sentence when it came before)


def _search(section: Section, key: str, text: str, start: int = 0, end: int | None = None) -> re.Match | None:
    return section.pattern(key).search(text, start, len(text) if end is None else end)


def _asks(section: Section, text: str) -> list[re.Match]:
    """The asks of a sentence that are really asked: not a thank-you for them, not "we saw your review"."""
    found = []
    for key in ASK_KEYS:
        for ask in section.pattern(key).finditer(text):
            if not _search(section, "mention", text, max(0, ask.start() - 40), ask.start()):
                found.append(ask)
    return sorted(found, key=lambda ask: ask.start())


def _condition(section: Section, text: str, ask: re.Match) -> re.Match | None:
    """A condition cue that starts before the ask, unless the clause is the customer's own wish ("if you'd like to").

    The cue may run into the ask: in "for customers who renew" the group is both the cue's end and the ask's start."""
    cues = [cue for cue in section.pattern("condition").finditer(text, 0, ask.end()) if cue.start() < ask.start()]
    if not cues:
        return None
    return None if _wished(section, text, ask) else cues[-1]


def _wished(section: Section, text: str, ask: re.Match) -> bool:
    """The ask sits in the customer's own wish ("Wilt u weer boeken, dan helpen we graag"), with no only/first."""
    return bool(_search(section, "wish", text, 0, ask.end())) and not _search(section, "strict", text)


def _after_ask(section: Section, text: str, ask: re.Match) -> re.Match | None:
    """The help after the ask ("Geef ons een duim omhoog, dan zorg ik ..."), unless the ask is the customer's wish."""
    cue = _search(section, "after_ask", text, ask.end())
    return None if cue is None or _wished(section, text, ask) else cue


def _request(section: Section, text: str, ask: re.Match) -> re.Match | None:
    """A request after a favour in the same sentence: "I've waived the fee, could you ...?"."""
    cue = _search(section, "request", text, 0, ask.start())
    if cue and _search(section, "favour", text, 0, cue.start()):
        return cue
    return None


def _claim(section: Section, text: str, ask: re.Match) -> re.Match | None:
    """A claim on something back ("all we ask in return", "het enige wat ik terugvraag") before the ask: unlike a
    plain "could you", it ties the ask to a favour in the sentence before as well."""
    return _search(section, "claim", text, 0, ask.start())


def _tie_cue(section: Section, text: str, ask: re.Match) -> re.Match | None:
    """A consequence or expectation before the ask; not a reason that opens the ask's own clause ("Omdat u al jaren
    bij ons verzekerd blijft, krijgt u korting", "Because you renewed every year, ..."): that is loyalty shown, a fact
    the help is given for, not something asked back.

    The cue may run into the ask, as a condition may: in "vragen we u om onze app te waarderen" the customer is both
    the cue's end and the ask's start."""
    cue = next((found for found in section.pattern("tie").finditer(text, 0, ask.end()) if found.start() < ask.start()), None)
    if cue is None or not section.pattern("reason").fullmatch(cue.group(0)):
        return cue
    return cue if re.search(r"[,;:]", text[cue.end(): ask.start()]) else None


def _threat(section: Section, text: str, ask: re.Match) -> re.Match | None:
    """The help withdrawn when the ask is not met, after the ask: "plaats een review; anders ...", "otherwise we"."""
    return _search(section, "threat", text, ask.end())


def _reminder(section: Section, text: str, previous: str, ask: re.Match) -> re.Match | None:
    """An earlier favour recalled before the ask or in the sentence before, or held up anywhere in the sentence
    ("don't forget who helped you", "denkt u bij de beoordeling aan het feit dat ik ...")."""
    return (
        _search(section, "reminder", text, 0, ask.start()) or _search(section, "reminder", previous)
        or _search(section, "leverage", text)
    )


def _link(section: Section, text: str, previous: str, ask: re.Match) -> tuple[str, re.Match] | None:
    exchange = _search(section, "exchange", text)
    if exchange:
        return "exchange", exchange
    for kind, found in (
        ("condition", _condition(section, text, ask)),
        ("after_ask", _after_ask(section, text, ask)),
        ("request", _request(section, text, ask) or _claim(section, text, ask)),
        ("tie", _tie_cue(section, text, ask) or _search(section, "tie", previous)),
        ("condition", _threat(section, text, ask)),
        ("fairness", _search(section, "fairness", text)),
        ("reminder", _reminder(section, text, previous, ask)),
    ):
        if found:
            return kind, found
    return None


def _favour(section: Section, text: str, previous: str, ask: re.Match) -> tuple[str, bool] | None:
    """The favour outside the ask: in the sentence itself, else in the sentence before (flag True).

    An ask found from its subject to its verb ("u ons na deze gratis reparatie aanbeveelt") may hold the favour
    between them, so what stands before the ask's last word is searched too; not in the customer's own wish, where
    it is what the customer wants ("if you'd like the free upgrade")."""
    spans = [(0, ask.start()), (ask.end(), len(text))]
    if not _search(section, "wish", text, 0, ask.end()):
        spans.append((ask.start(), max(text.rfind(" ", ask.start(), ask.end()), ask.start())))
    for start, end in spans:
        found = _search(section, "favour", text, start, end)
        if found:
            return found.group(0), False
    found = _search(section, "favour", previous)
    return (found.group(0), True) if found else None


def _ask_tie(section: Section, sentence: Sentence, previous: Sentence | None) -> Tie | None:
    text, before = sentence.text, previous.text if previous else ""
    # Each ask searches its whole sentence for a link and a favour; a real sentence holds a few asks,
    # and capping them keeps a run-on "sentence" of thousands of asks linear.
    for ask in _asks(section, text)[:MAX_ASKS_PER_SENTENCE]:
        link = _link(section, text, before, ask)
        if link is None or (link[0] not in BARE_LINKS and ask.groupdict().get("bare")):
            continue
        kind, cue = link
        favour = _favour(section, text, before, ask)
        if favour is None and kind != "exchange":
            continue
        what, earlier = favour or (cue.group(0), False)
        start = previous.start if earlier and previous else sentence.start
        return Tie(kind, what, ask.group(0), cue.group(0), start)
    return None


def _leverage_tie(section: Section, sentence: Sentence, previous: Sentence | None) -> Tie | None:
    """Guilt, or leverage on an earlier favour without an ask ("dat mag u best eens onthouden")."""
    text = sentence.text
    guilt = _search(section, "guilt", text)
    if guilt:
        ask = next((found for key in ASK_KEYS if (found := _search(section, key, text))), None)
        return Tie("guilt", guilt.group(0), ask.group(0) if ask else "gratitude or loyalty", guilt.group(0), sentence.start)
    leverage = _search(section, "leverage", text)
    if not leverage:
        return None
    window = f"{previous.text} {text}" if previous else text
    offset = len(window) - len(text)
    lever = range(offset + leverage.start(), offset + leverage.end())
    favour = _search(section, "favour", window)
    reminders = section.pattern("reminder").finditer(window)
    held = _search(section, "past_favour", window)
    if held is not None and _relative(section, window, held):  # the earlier favour only describes a thing
        return None
    if favour and any(r.end() <= lever.start or r.start() >= lever.stop for r in reminders):
        start = previous.start if previous else sentence.start
        return Tie("leverage", favour.group(0), leverage.group(0), leverage.group(0), start)
    return None


def _then_tie(section: Section, sentence: Sentence, previous: Sentence | None) -> Tie | None:
    """Ask first, help in the next sentence: "Geeft u ons een review? Dan zet ik de terugbetaling klaar."."""
    if previous is None:
        return None
    then = section.pattern("then").match(sentence.text.lstrip())
    favour = _search(section, "favour", sentence.text) if then else None
    if favour is None or _search(section, "decouple", previous.text):
        return None
    asks = _asks(section, previous.text)
    if not asks:
        return None
    return Tie("after_ask", favour.group(0), asks[0].group(0), then.group(0), previous.start)


def _pressure_tie(section: Section, sentence: Sentence, previous: Sentence | None) -> Tie | None:
    """An earlier favour held up, then pressure on the customer, whatever is asked: "we hebben u vorig jaar al
    geholpen, dus we verwachten nu wel ...", "Considering how patient we've been, I'm sure you'll understand why ...".

    The favour clause (`past_favour`) stands before the pressure cue in the sentence, or in the sentence before."""
    pressure = _search(section, "pressure", sentence.text)
    if pressure is None:
        return None
    favour = _search(section, "past_favour", sentence.text, 0, pressure.start())
    if favour is None and previous is not None:
        favour = _search(section, "past_favour", previous.text)
        start = previous.start if favour else sentence.start
    else:
        start = sentence.start
    if favour is None:
        return None
    return Tie("reminder", favour.group(0), pressure.group(0), pressure.group(0), start)


# A favour clause right after its frame ("a reminder that we ...", "ik wijs u erop dat wij ...") is what the frame
# holds up, even where a relative could start.
MAX_FRAME_GAP = 6


def _relative(section: Section, text: str, favour: re.Match) -> bool:
    """The favour clause describes a noun ("the free unit we sent last month still has ...", "de korting die we vorig jaar
    gaven, gold ..."): information about the thing, not the favour held up."""
    return bool(_search(section, "relative", text, max(0, favour.start() - 60), favour.start()))


def _past_gift(section: Section, text: str) -> re.Match | None:
    """An earlier favour (`past_favour`) in a sentence that names something given, waived, covered or bent (`gift`):
    "we already refunded part of it last month" is case history, "we waived it as a one-off last year" a favour."""
    favour = _search(section, "past_favour", text)
    return favour if favour and _search(section, "gift", text) else None


def _held_up_tie(section: Section, sentence: Sentence, previous: Sentence | None) -> Tie | None:
    """An earlier favour held up to the customer, with no ask needed: a favour we did before (`past_favour`: we + a
    favour in a past form + a time that places it earlier) and a frame that holds it up ("just a reminder", "bear in
    mind", "ik wijs u erop", "dat mag weleens gewaardeerd worden"), the frame anywhere in the sentence and the favour
    in it or in the sentence before. A past favour that only explains the current help has no such frame."""
    text = sentence.text
    frame = _search(section, "hold_up", text)
    if frame is None:
        return None
    favour, start = _past_gift(section, text), sentence.start
    if favour is not None and _relative(section, text, favour) and favour.start() - frame.end() > MAX_FRAME_GAP:
        favour = None
    if favour is None and previous is not None:
        favour, start = _past_gift(section, previous.text), previous.start
        favour = None if favour is None or _relative(section, previous.text, favour) else favour
    if favour is None:
        return None
    return Tie("reminder", favour.group(0), "gratitude or loyalty", frame.group(0), start)


_ELLIPSIS_SPLIT = re.compile(r"\s*[,;:=?.!\u2014\u2013-]\s*|\s+(?=\w+\s+\w+$)")


def _ellipsis_tie(section: Section, sentence: Sentence, previous: Sentence | None) -> Tie | None:
    """An elliptical exchange, "No review, no voucher" / "Geen review? Geen korting.": the ask after the first
    negation and the favour right after the second, in the sentence or across it and the one before."""
    text = sentence.text
    if not section.pattern("ellipsis").can_match(text):  # the draft holds no ellipsis' words: a joined window neither
        return None
    offset, window = 0, text
    found = _search(section, "ellipsis", text)
    if found is None and previous is not None:
        window = f"{previous.text} {text}"
        offset = len(previous.text) + 1
        found = _search(section, "ellipsis", window)
        if found is None or found.end() <= offset:
            return None
    if found is None:
        return None
    favour = _search(section, "favour", window, found.end(), found.end() + 60)
    if favour is None:
        return None
    ask = _ELLIPSIS_SPLIT.split(found.group(0), maxsplit=1)[0]
    start = previous.start if offset and previous else sentence.start
    return Tie("exchange", favour.group(0), ask, found.group(0), start)


def _tie(section: Section, sentence: Sentence, previous: Sentence | None) -> Tie | None:
    tie = _leverage_tie(section, sentence, previous)
    if tie and tie.kind == "guilt":
        return tie
    if _search(section, "decouple", sentence.text):
        return None
    return (
        _ask_tie(section, sentence, previous) or _then_tie(section, sentence, previous)
        or _pressure_tie(section, sentence, previous) or _held_up_tie(section, sentence, previous)
        or _ellipsis_tie(section, sentence, previous) or tie
    )


def _main_clause(section: Section, sentence: Sentence) -> str:
    """The sentence without the clauses that hold the ask or the link, as a start for an unconditional rewrite."""
    text = sentence.text
    exchange = _search(section, "exchange", text)
    if exchange and exchange.start() > 0:
        rest = text[: exchange.start()].strip().rstrip(",;:")
        return (rest[:1].upper() + rest[1:]).rstrip(".") + "." if rest else ""
    cut = [section.pattern(key) for key in (*ASK_KEYS, "condition", "exchange")]
    keep = [part for part in re.split(r",\s*|;\s*", text) if not any(p.search(part) for p in cut)]
    if not keep:
        return ""
    rest = ", ".join(keep).strip()
    then = section.pattern("then").match(rest)
    rest = rest[then.end():].lstrip() if then else rest
    if not _search(section, "favour", rest):
        return ""
    # After "als …, dan" Dutch puts the verb first ("krijgt u"); standing alone, the subject comes first.
    subjects = section.get("verb_first_subjects", [])
    verb_first = re.match(r"(\w+) (\w+)\b", rest)
    if verb_first and verb_first.group(2).lower() in subjects:
        rest = f"{verb_first.group(2)} {verb_first.group(1)}{rest[verb_first.end():]}"
    return (rest[:1].upper() + rest[1:]).rstrip(".!?") + "."


def _finding(section: Section, tie: Tie, sentence: Sentence) -> Finding:
    how = _LINKS[tie.kind][0]
    rewrite = _main_clause(section, sentence) if tie.start == sentence.start else ""
    return flag(
        "conditionality",
        f"Conditional help: the favour ({quote(tie.favour, 40)}) is tied to an ask ({quote(tie.ask, 40)}) by {how} "
        f"({quote(tie.link, 40)}). Help that comes with strings attached undoes the goodwill; give it without a "
        "condition and ask nothing in return.",
        (tie.start, sentence.end),
        rewrite or "Give the help without any condition and leave the request or the reminder out.",
    )


# Every tie starts from one of these: an ask (in the sentence or, for "Geeft u ...? Dan ...", the one before), guilt,
# leverage, pressure, a frame that holds a favour up, or an elliptical exchange.
_STARTS = (*ASK_KEYS, "guilt", "leverage", "pressure", "hold_up", "ellipsis")


def check_conditionality(ctx: CheckContext) -> tuple[float, list[Finding]]:
    section = ctx.pack.section("conditionality") if ctx.pack else None
    if section is None or not section.values:
        return 0.0, []
    if not any(section.pattern(key).can_match(ctx.text) for key in _STARTS):
        return 0.0, []  # nothing in the draft can start a tie
    findings: list[Finding] = []
    remaining = 1.0
    sentences = ctx.doc.sentences
    for i, sentence in enumerate(sentences):
        tie = _tie(section, sentence, sentences[i - 1] if i else None)
        if tie is None:
            continue
        remaining *= 1.0 - _LINKS[tie.kind][1]
        findings.append(_finding(section, tie, sentence))
    return round(1.0 - remaining, 3), findings


def detect(ctx: CheckContext) -> list[Finding]:
    return ctx.memo(check_conditionality)[1]
