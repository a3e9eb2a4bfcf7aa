"""Phrase checks for three Golden-Rule codes, found by how a line is built, with the words in the language pack.

- `dismissive_thanks`: the customer's thanks (not our own "Thanks for ..."; a thanks noun such as "uw bedankmail" is
  always theirs) in the same or an adjacent sentence as a line that waves it away ("no need", "laat maar zitten",
  "had niet gehoeven") or makes light of the help ("just my job", "ging vanzelf"), or a waving idiom.
- `hollow_empathy`: a sympathy, apology, understanding or receipt clause that names nothing of the customer's
  case: once its frame, the generic objects ("inconvenience", "ongemak") and function words are taken away,
  no word is left.
- `feedback_or_upsell`: an ask whose object is a review, rating, survey or score (not in a clause that rules the
  ask out or leaves it free), or selling: a pitch (price, promotion, "did you know", "overweegt u") about an offer,
  a deal (a discount, "from just €19") with booking, adding or signing up for something new, or a teaser question
  whose offer follows, or a nudge that sells on its own ("the perfect time to upgrade"); unless the customer asked
  for it or already has it, or the discount is a favour that makes good for what went wrong. The customer's question
  ("U vroeg of ...") covers the next sentences of its paragraph, up to three, until one turns away ("Trouwens, ...").
  Selling is also found by its parts, whatever the wording: two of something new of ours, a proposal to take it and
  an incentive or price in a sentence, or a proposal question next to an incentive. Each part is general, not a
  lexicon: something of ours is also something beyond the customer's case by structure ("a second/matching ...",
  "wij leveren ook ...", "also add ...", "in our webshop") or by name ("our" + a capitalised word, a name with "+" or
  a tier); a proposal is also an invitation (interest, "don't miss", "did you know", a next step, a quote or test
  drive, "as an existing customer", a condition to sign up, "by the way"); an incentive is any saving, cut price or
  free period that is not the customer's own money. A sentence that turns away ("Did you know ...") is not covered
  by a request granted in the one before. The customer's own discount is no sale: an entitlement ("entitled", "the
  difference", "gold ook voor") settled by us (applied, refunded, credited) in the sentence or the next to it.
  A feedback ask can also be a hope ("we hope you'll take the time") or our joy at it ("we'd be delighted").

Word lists and patterns: `replydraft/packs/<language>/phrases.toml`, one table per code.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from ..packs import Section
from ..tokenizer import Sentence
from ..types import Finding
from .base import CheckContext, flag, quote

_WORD = re.compile(r"[^\W\d_]+|\d+")
_SECTIONS: dict[tuple[str, str], Section] = {}
_REGEXES: dict[tuple[str, str, str], re.Pattern] = {}
_CASED: dict[tuple[str, str, str], list[re.Pattern]] = {}
_WORD_LISTS: dict[tuple[str, str, str], frozenset[str]] = {}


def _rules(ctx: CheckContext, code: str) -> Section | None:
    """The pack table of one code, as a Section (its `*_patterns` compiled on first use)."""
    if ctx.pack is None:
        return None
    key = (ctx.pack.language, code)
    if key not in _SECTIONS:
        _SECTIONS[key] = Section(code, ctx.pack.section("phrases").get(code, {}))
    return _SECTIONS[key] if _SECTIONS[key].values else None


def _regex(rules: Section, key: str) -> re.Pattern:
    """A pack regex used as written (no word-boundary wrapping): a string or a list joined by '|'."""
    cache_key = (rules.name, key, str(id(rules)))
    if cache_key not in _REGEXES:
        value = rules.get(key, "(?!x)x")
        _REGEXES[cache_key] = re.compile(value if isinstance(value, str) else "|".join(value), re.IGNORECASE)
    return _REGEXES[cache_key]


def _joined(rules: Section, *kinds: str) -> re.Pattern:
    """The phrases of `<kind>_patterns` (of each kind given) as one case-sensitive pattern, for a lower-cased text
    (`_lower`): the text is scanned once, not once for each phrase it can hold, and without case folding, which `re`
    does at every character (the sale parts are looked for in every draft). The phrases are written in lower case."""
    key = (rules.name, "joined:" + "+".join(kinds), str(id(rules)))
    if key not in _REGEXES:
        phrases = [p for kind in kinds for p in rules.get(f"{kind}_patterns", [])]
        joined = "|".join(f"(?:{p})" for p in phrases) if phrases else "(?!x)x"
        _REGEXES[key] = re.compile(rf"(?<![\w])(?:{joined})(?![\w])")
    return _REGEXES[key]


def _cased(rules: Section, key: str) -> list[re.Pattern]:
    """The pack regexes of a list matched case-sensitively, as written: a product name is told by its capital ("our
    Premier account"). Each is scanned on its own: one that starts with a letter is found fast, an alternation is not."""
    cache_key = (rules.name, f"cased:{key}", str(id(rules)))
    if cache_key not in _CASED:
        _CASED[cache_key] = [re.compile(p) for p in rules.get(key, [])]
    return _CASED[cache_key]


def _lower(text: str) -> str:
    """The text in lower case, of the same length (offsets hold); a text whose lower case is longer ("İ") is
    left as it is: it is searched without folding, and may miss a capitalised phrase."""
    lowered = text.lower()
    return lowered if len(lowered) == len(text) else text


def _words(rules: Section, key: str) -> frozenset[str]:
    """A pack word list (a string or a list), built once: the hollow_empathy check asks for its lists per clause."""
    cache_key = (rules.name, key, str(id(rules)))
    if cache_key not in _WORD_LISTS:
        value = rules.get(key, "")
        _WORD_LISTS[cache_key] = frozenset(value.split() if isinstance(value, str) else value)
    return _WORD_LISTS[cache_key]


def _norm(text: str) -> str:
    return text.replace("’", "'")


def _can_hold(rules: Section, draft: str, keys: tuple[str, ...]) -> bool:
    """Whether any of the patterns can match in the draft's sentences. They are searched with "’" made "'", so a
    draft with a curly apostrophe is not ruled out by its own words."""
    return "’" in draft or any(rules.pattern(key).can_match(draft) for key in keys)


# --- dismissive_thanks -----------------------------------------------------------------------------------------

def _customers_thanks(rules: Section, text: str) -> bool:
    """A thanks word that is the customer's thanks, not our own "Thanks for ..." / "Bedankt!".

    Only the words that can be our own thanks (`own_thanks_words`: "bedankt", "thanks") are checked for what
    follows; a thanks noun or compound ("uw bedankmail", "een bedankje", "a thank-you note") is the customer's."""
    own_after = _regex(rules, "own_thanks_after")
    subjects = _words(rules, "subject_words")
    own_words = _words(rules, "own_thanks_words")
    ours = [m.span() for m in _regex(rules, "own_thanks_context").finditer(text)] if rules.get("own_thanks_context") else []
    for m in rules.pattern("thanks").finditer(text):
        if any(start <= m.start() < end for start, end in ours):
            continue
        if own_words and " ".join(m.group(0).lower().split()) not in own_words:
            return True
        before = text[: m.start()].split()
        own = own_after.match(text, m.end()) is not None and not (before and before[-1].lower() in subjects)
        if not own:
            return True
    return False


def _dismissal(rules: Section, text: str, near_thanks: bool) -> re.Match | None:
    """A waving idiom anywhere; a waive or a minimiser when the customer's thanks is in this or an adjacent sentence."""
    hit = rules.pattern("idiom").search(text)
    if hit is None and near_thanks:
        hit = rules.pattern("waive").search(text) or rules.pattern("minimise").search(text)
    return hit


def detect_dismissive_thanks(ctx: CheckContext) -> list[Finding]:
    """Shared with thanks.py (`ctx.memo`): a sentence that waves the thanks away is no acceptance of it."""
    return ctx.memo(_dismissive_thanks)


def _dismissive_thanks(ctx: CheckContext) -> list[Finding]:
    rules = _rules(ctx, "dismissive_thanks")
    if rules is None or not _can_hold(rules, ctx.text, ("idiom", "thanks")):
        return []  # a finding needs a waving idiom, or the customer's thanks near a waive
    findings: list[Finding] = []
    texts = [_norm(sentence.text) for sentence in ctx.doc.sentences]
    thanked = [_customers_thanks(rules, text) for text in texts] + [False]
    for i, sentence in enumerate(ctx.doc.sentences):
        near = thanked[i] or thanked[i + 1] or (i > 0 and thanked[i - 1])
        hit = _dismissal(rules, texts[i], near)
        if hit is not None:
            findings.append(flag(
                "dismissive_thanks", f"Waves the customer's thanks away; accept it warmly instead: {quote(hit.group(0))}",
                sentence, "Graag gedaan, zo werken we graag samen.",
            ))
    return findings


# --- hollow_empathy --------------------------------------------------------------------------------------------

def _content_words(text: str, stop: frozenset[str]) -> list[str]:
    return [w for w in (t.lower() for t in _WORD.findall(text)) if w.isdigit() or (len(w) > 2 and w not in stop)]


# Frames that carry their own generic words: a receipt ("we appreciate you reaching out": contacting us is no part
# of the case), a value claim about a generic service noun ("uw tevredenheid staat voorop", "we take complaints
# seriously"), stock thanks for patience or for pointing something out, and a stock closing ("we hopen u hiermee
# voldoende te hebben geïnformeerd": the hope to have informed, with nothing of what was answered).
_FRAME_KINDS = ("receipt", "value", "gratitude", "closing")


def _frame(rules: Section, clause: str, stop: frozenset[str]) -> tuple[re.Match | None, frozenset[str], bool]:
    """The first frame found in a clause, the generic words that hold for the frames found, and whether one is a receipt."""
    frame = rules.pattern("frame").search(clause)
    receipt = False
    for kind in _FRAME_KINDS:
        match = rules.pattern(kind).search(clause)
        if match is not None:
            frame = frame or match
            stop = stop | _words(rules, f"{kind}_words")
            receipt = receipt or kind == "receipt"
    return frame, stop, receipt


def _only_gratitude(rules: Section, clause: str) -> bool:
    return not any(rules.pattern(kind).search(clause) for kind in ("frame", "receipt", "value", "closing"))


class _NamedClauses:
    """Which clauses of a sentence name something of the case without a frame of their own, found only when a
    frame clause asks (most clauses have no frame)."""

    def __init__(self, rules: Section, clauses: list[str], previous: str, stop: frozenset[str]) -> None:
        self._rules, self._clauses, self._previous, self._stop = rules, clauses, previous, stop
        self._named: dict[int, bool] = {}

    def _at(self, i: int) -> bool:
        if i not in self._named:
            self._named[i] = _names_the_case(self._rules, self._clauses[i], self._stop)
        return self._named[i]

    def before(self, i: int) -> bool:
        """A clause before clause i names the case; for the first clause, the sentence before does ("... Dat snap ik.")."""
        if i == 0:
            return bool(self._previous) and _names_the_case(self._rules, self._previous, self._stop)
        return any(self._at(j) for j in range(i))

    def after(self, i: int) -> bool:
        return any(self._at(j) for j in range(i + 1, len(self._clauses)))


def _hollow_clause(rules: Section, clause: str, last: bool, stop: frozenset[str], named: _NamedClauses, i: int) -> re.Match | None:
    """The frame of clause i of a sentence when it names nothing of the customer's case, or None."""
    frame, stop, receipt = _frame(rules, clause, stop)
    if frame is None:
        return None
    # "Excuses voor de hinder die de storing meebracht": the apology's object is the nuisance; its cause is an afterthought.
    cause = rules.pattern("nuisance_cause").search(clause, frame.end())
    if cause is not None:
        clause = clause[: cause.start()] + cause.group(0).split()[0]
    content = _content_words(clause, stop)
    if receipt:  # the date or number of what was received ("uw brief van 12 april") is no part of the case
        content = [w for w in content if not w.isdigit()]
    if content and (not _vague_outcome(rules, clause, stop) or named.after(i)):
        return None  # a vague outcome is named by a clause after it: "..., omdat de meter te laat kwam"
    # "Sorry, the link in my last mail was wrong": a bare apology opening a sentence that says what for; likewise
    # thanks for patience before the news it waited for ("Thanks for your patience; the parcel arrives tomorrow").
    bare = rules.pattern("bare").fullmatch(clause.strip(" .!"))
    if not last and (bare or _only_gratitude(rules, clause)):
        return None
    # "That cost you three days off work, and I'm sorry", "Dat u uw geld kwijt bent, snap ik goed": a bare apology or
    # understanding is about what the clause before it names.
    if _bare_apology(rules, clause) and named.before(i):
        return None
    return frame


_TOPIC_WORDS = 2  # "uw reis", "the visit to our clinic": the case's topic, not what went wrong in it


def _vague_outcome(rules: Section, clause: str, stop: frozenset[str]) -> bool:
    """The clause says only how the case went or was felt ("dat uw reis niet naar wens is verlopen", "that your stay
    didn't go to plan"), with no more than its topic: what went wrong is not named."""
    outcome = rules.pattern("vague_outcome").search(clause)
    if outcome is None:
        return False
    rest = f"{clause[:outcome.start()]} {clause[outcome.end():]}"
    return len(_content_words(rest, stop)) <= _TOPIC_WORDS


def _bare_apology(rules: Section, clause: str) -> bool:
    """Only an apology, with no object of its own: "and I'm truly sorry", "en het spijt me echt"."""
    bare = _words(rules, "bare_apology_words")
    return all(w.lower() in bare for w in _WORD.findall(clause))


_HANDLE = re.compile(r"[@#]\w+")
_CASE_WORDS = 2  # a greeting with a name ("Hi Martin") or one stray word ("the way we want you to feel") names no case


def _names_the_case(rules: Section, clause: str, stop: frozenset[str]) -> bool:
    """A clause without a frame that names something beyond contacting us ("thanks for getting in touch" names nothing)."""
    if _frame(rules, clause, stop)[0] is not None:
        return False
    return len(_content_words(_HANDLE.sub(" ", clause), stop | _words(rules, "receipt_words"))) >= _CASE_WORDS


def _clauses(rules: Section, breaks: re.Pattern, text: str) -> list[str]:
    """The clauses of a sentence; a clause that is only a predicate ("..., is echt vervelend") is joined to the
    clauses before it, its subject: "Dat de verwarming uitviel, met twee kinderen in huis, is echt vervelend"."""
    clauses: list[str] = []
    predicate = rules.pattern("predicate_only")
    for clause in breaks.split(text):
        if not (clause and clause.strip(" .!?")):
            continue
        if clauses and predicate.match(clause.strip()):
            clauses[-1] = f"{clauses[-1]} {clause}"
        else:
            clauses.append(clause)
    return clauses


def detect_hollow_empathy(ctx: CheckContext) -> list[Finding]:
    rules = _rules(ctx, "hollow_empathy")
    if rules is None or not _can_hold(rules, ctx.text, ("frame", *_FRAME_KINDS)):
        return []  # no sentence can hold a frame
    stop = _words(rules, "generic_words") | (ctx.pack.words("function_words") if ctx.pack else frozenset())
    breaks = _regex(rules, "clause_break")
    findings: list[Finding] = []
    texts = [_norm(sentence.text) for sentence in ctx.doc.sentences]
    for k, sentence in enumerate(ctx.doc.sentences):
        clauses = _clauses(rules, breaks, texts[k])
        named = _NamedClauses(rules, clauses, texts[k - 1] if k else "", stop)
        for i, clause in enumerate(clauses):
            frame = _hollow_clause(rules, clause, i == len(clauses) - 1, stop, named, i)
            if frame is not None:
                findings.append(flag(
                    "hollow_empathy",
                    f"Stock line that says nothing to this customer; name what happened to them, in their words: {quote(clause.strip())}",
                    sentence, "Say what went wrong for them: 'Wat vervelend dat uw pakket na twee weken nog niet binnen is.'",
                ))
                break
    return findings


# --- feedback_or_upsell ----------------------------------------------------------------------------------------

def _feedback_ask(rules: Section, text: str, previous: str, following: str) -> re.Match | None:
    """A review/rating/survey ask: its object in this sentence or the one before, the ask in this one; not when
    this sentence is about feedback already given, this or the next one warns that the ask is not ours, or the
    clause that holds it rules the ask out or leaves it free ("u hoeft geen enquête in te vullen").
    The object is looked for first: most sentences have none, and then nothing else is searched."""
    feedback = rules.pattern("feedback").search(text)
    # "U krijgt een vragenlijst. Wilt u die invullen?": an ask pointing back at the object named before.
    followup = None if feedback else rules.pattern("followup_ask").search(text)
    if not (feedback or followup):
        return None
    warning = rules.pattern("warning")
    if rules.pattern("feedback_excuse").search(text) or warning.search(text) or warning.search(following):
        return None
    ruled_out = _negated_clauses(rules, text)
    if ruled_out:
        feedback = feedback and _outside(rules.pattern("feedback"), text, ruled_out)
        followup = followup and _outside(rules.pattern("followup_ask"), text, ruled_out)
        if not (feedback or followup):
            return None
    here = feedback is not None
    asked = _outside(rules.pattern("ask"), text, ruled_out) or _survey_announced(rules, text)
    if asked is None or _left_free(rules, following):
        return None
    if here:
        return asked
    # Pointing back counts only when the sentence before named the object and did not thank for it.
    if rules.pattern("feedback_excuse").search(previous) or not rules.pattern("feedback").search(previous):
        return None
    return followup


def _negated_clauses(rules: Section, text: str) -> list[tuple[int, int]]:
    """The spans of the clauses that rule an ask out or leave it free: "U hoeft geen beoordeling in te vullen; ..."."""
    negated = rules.pattern("negated")
    if not negated.can_match(text):
        return []
    ends = [0] + [m.start() for m in _regex(rules, "clause_end").finditer(text)] + [len(text)]
    spans = []
    for match in negated.finditer(text):
        start = max(e for e in ends if e <= match.start())
        end = min(e for e in ends if e >= match.end())
        # A clause that only leaves it free ("...; it's entirely optional") speaks of the clause before.
        if start and rules.pattern("feedback").search(text, start, end) is None and not _regex(rules, "contrast").match(text, end):
            start = max(e for e in ends if e < start)
        spans.append((start, end))
    return spans


def _outside(pattern: re.Pattern, text: str, spans: list[tuple[int, int]]) -> re.Match | None:
    """The first match of a pattern that is in none of the spans."""
    for match in pattern.finditer(text):
        if not any(start <= match.start() < end for start, end in spans):
            return match
    return None


def _left_free(rules: Section, following: str) -> bool:
    """The next sentence leaves the ask free and asks nothing itself: "... een enquête. Invullen is vrijwillig."."""
    spans = _negated_clauses(rules, following) if following else []
    return bool(spans) and _outside(rules.pattern("ask"), following, spans) is None


def _survey_announced(rules: Section, text: str) -> re.Match | None:
    """A survey we send the customer ("na afloop ontvangt u een korte enquête"): announcing it asks for it."""
    if rules.pattern("survey").search(text) is None:
        return None
    return rules.pattern("announce").search(text)


def _sales_pitch(rules: Section, text: str, previous: str, following: str, live: frozenset[str]) -> re.Match | None:
    """Selling: a pitch of an offer, a deal on something new, or a teaser whose offer follows; never a favour, a
    discount or gift that makes good for what went wrong ("10% korting op uw volgende bestelling als excuus").
    `live`: the rules that the draft can hold at all ("deal", "teaser")."""
    hit = (rules.pattern("promo").search(text) or _nudge(rules, text, previous) or _pitched_offer(rules, text, previous)
           or ("deal" in live and _deal_on_something_new(rules, text, previous))
           or ("teaser" in live and _teaser(rules, text, following)) or None)
    if hit is None:
        return None
    return _unless_favour(rules, text, previous, hit)


def _unless_favour(rules: Section, text: str, previous: str, hit: re.Match | str) -> re.Match | str | None:
    """No sale when a favour makes good for what went wrong, in this sentence or the one before."""
    # A favour on an offer of ours ("as a thank-you, 15% off our new garden range") is still a sale.
    favour = rules.pattern("favour")
    if (favour.search(text) or favour.search(previous)) and not (
            _others_offer(rules, text) or rules.pattern("novelty").search(text)):
        return None
    return hit


def _others_offer(rules: Section, text: str) -> bool:
    """An offer that is not the customer's own: "uw abonnement" after a favour is what the favour applies to."""
    possessive = _words(rules, "possessive_words")
    for m in rules.pattern("offer").finditer(text):
        before = text[max(0, m.start() - 12):m.start()].split()
        if not (before and before[-1].lower() in possessive) and m.group(0).split()[0].lower() not in possessive:
            return True
    return False


def _nudge(rules: Section, text: str, previous: str) -> re.Match | None:
    """A nudge that sells on its own ("dit is hét moment om over te stappen op ..."), unless the customer asked."""
    nudge = rules.pattern("nudge").search(text)
    return None if nudge is None or _not_for_sale(rules, text, previous) else nudge


def _pitched_offer(rules: Section, text: str, previous: str) -> re.Match | None:
    """A nudge about something extra the customer did not ask about and does not have: an offer of ours (in this
    sentence or the one before), or a price or benefit of buying elsewhere in this sentence ("voor € 10 per maand
    extra regelen we dat voor u")."""
    pitches = [m for m in rules.pattern("pitch").finditer(text)]
    if not pitches:
        return None
    pitch = pitches[0]
    offer, excuse = rules.pattern("offer"), rules.pattern("offer_excuse")
    here = offer.search(text) or _price_apart(rules, text, pitches)
    if not (here or offer.search(previous)):
        return None
    # An offer the sentence before cancels or refuses ("Uw Plus-lidmaatschap is opgezegd.") is not pitched here.
    asked = rules.pattern("asked")
    if excuse.search(text) or (not here and excuse.search(previous)) or asked.search(text) or asked.search(previous):
        return None
    return pitch


def _deal_on_something_new(rules: Section, text: str, previous: str) -> re.Match | None:
    """Something new with a reason to take it now: a deal (a discount, "voor de halve prijs", "from just €19", free
    months) with booking, adding, ordering or signing up ("nu met 15% ledenkorting te bestellen")."""
    deal = rules.pattern("deal").search(text)
    if deal is None or not _acquires_new(rules, text) or _not_for_sale(rules, text, previous):
        return None
    return deal


def _acquires_new(rules: Section, text: str) -> bool:
    """Booking, adding, ordering or signing up for something, not the customer's own ("book your MOT")."""
    own = [m.span() for m in rules.pattern("own_acquire").finditer(text)]
    return _outside(rules.pattern("acquire"), text, own) is not None


def _teaser(rules: Section, text: str, following: str) -> re.Match | None:
    """A question that teases an offer the next sentence makes: "Wilt u uw verblijf nog mooier maken? ..."."""
    teaser = rules.pattern("teaser").search(text)
    if teaser is None or "?" not in text[teaser.start():]:
        return None
    if not (rules.pattern("offer").search(following) or rules.pattern("deal").search(following)):
        return None
    return None if _not_for_sale(rules, following, text) else teaser


def _not_for_sale(rules: Section, text: str, previous: str) -> bool:
    """The customer asked for it (here or in the sentence before), or it is cancelled, refused or already theirs."""
    asked = rules.pattern("asked")
    return bool(rules.pattern("offer_excuse").search(text) or asked.search(text) or asked.search(previous))


def _price_apart(rules: Section, text: str, pitches: list[re.Match]) -> bool:
    """A price or benefit apart from some nudge: "korting" alone is both and counts once."""
    spans = [m.span() for m in pitches]
    for price in rules.pattern("price").finditer(text):
        if any(price.end() <= start or end <= price.start() for start, end in spans):
            return True
    return False


# --- selling, by structure -------------------------------------------------------------------------------------
# An upsell is built from (a) something new of ours ("thing": a plan, add-on, course, card, a sale, a referral
# scheme; or, by structure, `beyond`: something past the customer's case, "a second pair", "wij leveren ook ...";
# or `product_names`: "our" + a capitalised name), (b) a proposal to take it ("would you like to add", "why not",
# "u kunt nu ook", "ik kan het direct regelen", "Book now"; or `invitation`: "might be interested", "don't miss",
# "wist u dat", "vraag een offerte aan", "as an existing customer") and (c) an incentive or price ("£25", "10%
# korting", a discount code, "het eerste jaar gratis", "save 20%", "scherpe acties"). Two of the three in a sentence
# make an upsell, and so does a proposal question (or a question naming a thing of ours) next to a sentence with an
# incentive.
_SALE_PARTS = ("thing", "proposal", "incentive")
# The pack lists of each part searched in the whole draft: a thing of ours by name (`thing`) or by structure, something
# beyond the customer's case (`beyond`: "a second pair", "wij leveren ook ..."); a proposal (`proposal`) or an
# invitation (`invitation`: interest, don't miss, did you know, a quote or test drive, as an existing customer).
_PART_KEYS = (("thing", ("thing", "beyond")), ("proposal", ("proposal", "invitation")))


class _SaleParts:
    """The spans of each sale part in the sentences of a draft. Every pair holds something of ours or a proposal,
    rare in a reply; so those two are searched in the whole draft, and an incentive (an amount, common in a
    reply) only in the sentences that hold one of them and in the sentences next to those."""

    def __init__(self, rules: Section, texts: list[str], sentences: tuple[Sentence, ...] | list[Sentence], draft: str) -> None:
        self.texts = texts
        self.possessive = _words(rules, "possessive_words")
        self._found: list[dict[str, list[tuple[int, int]]]] = [{} for _ in texts]
        starts = [sentence.start for sentence in sentences]
        lowered = _lower(draft)
        scans = [(kind, _joined(rules, *keys), lowered) for kind, keys in _PART_KEYS]
        scans += [("thing", pattern, draft) for pattern in _cased(rules, "product_names")]
        for kind, pattern, text in scans:
            for m in pattern.finditer(text):
                i = bisect_right(starts, m.start()) - 1
                if i >= 0:
                    self._add(kind, i, m.start() - starts[i], m.end() - starts[i])
        near = sorted({j for i, found in enumerate(self._found) if found for j in (i - 1, i, i + 1) if 0 <= j < len(texts)})
        incentive, own_money = _joined(rules, "incentive"), _joined(rules, "own_money")
        for i in near:
            # The amount of a refund, a bill or compensation is the customer's own money, no incentive.
            text = _lower(texts[i])
            if not own_money.search(text):
                for m in incentive.finditer(text):
                    self._add("incentive", i, m.start(), m.end())

    def _add(self, kind: str, i: int, start: int, end: int) -> None:
        text = self.texts[i]
        if end <= len(text) and not self._customers(text, start, 1 if kind == "incentive" else 2):
            self._found[i].setdefault(kind, []).append((start, end))

    @property
    def found_any(self) -> bool:
        return any(self._found)

    def of(self, i: int) -> dict[str, list[tuple[int, int]]]:
        return self._found[i] if 0 <= i < len(self._found) else {}

    def _customers(self, text: str, start: int, words: int) -> bool:
        """The part is the customer's own: "your upgrade", "uw korting". An amount is theirs only right after the
        possessive ("uw € 10"): "je" is also a subject ("kun je voor € 10 extra ...")."""
        return any(w.lower() in self.possessive for w in text[max(0, start - 24):start].split()[-words:])


def _structured_sale(parts: _SaleParts, i: int) -> tuple[int, int] | None:
    """The span of a sale part that, with another, makes an upsell of sentence i."""
    here = parts.of(i)
    pair = _two_parts(here)
    if pair is not None:
        return pair
    text = parts.texts[i]
    question = text.rfind("?")
    for kind in ("proposal", "thing"):
        asked = [span for span in here.get(kind, ()) if span[0] < question]
        if asked and ("incentive" in parts.of(i - 1) or "incentive" in parts.of(i + 1)):
            return asked[0]
    return None


def _two_parts(here: dict[str, list[tuple[int, int]]]) -> tuple[int, int] | None:
    """A span of one part with a span of another part that does not overlap it ("upgrade" is not twice a part)."""
    if len(here) < 2:
        return None
    kinds = [k for k in _SALE_PARTS if k in here]
    for a, kind in enumerate(kinds):
        for other in kinds[a + 1:]:
            for start, end in here[kind]:
                if any(e <= start or end <= s for s, e in here[other]):
                    return start, end
    return None


def _sale_by_structure(rules: Section, parts: _SaleParts, i: int, previous: str) -> str | None:
    """An upsell by its parts, unless the customer asked for it or has it; a favour that makes good is no sale."""
    span = _structured_sale(parts, i)
    if span is None:
        return None
    text = parts.texts[i]
    # A sentence that turns to something else ("Did you know ...", "Overigens ...") is not covered by the request
    # granted in the one before ("Your seat has been changed as requested.").
    if _not_for_sale(rules, text, "" if rules.pattern("topic_shift").search(text) else previous):
        return None
    return _unless_favour(rules, text, previous, text[span[0]:span[1]])


def _entitled(rules: Section, text: str, previous: str, following: str) -> bool:
    """The discount is the customer's own money: what they were entitled to or what applied to their order
    (`entitlement`: "entitled", "the difference", "gold ook voor"), settled by us in this sentence or the next to it
    (`settled`: applied, refunded, credited, "teruggestort")."""
    if not rules.pattern("entitlement").search(text):
        return False
    settled = rules.pattern("settled")
    return any(settled.search(t) for t in (text, previous, following) if t)


def detect_feedback_or_upsell(ctx: CheckContext) -> list[Finding]:
    rules = _rules(ctx, "feedback_or_upsell")
    if rules is None:
        return []
    findings: list[Finding] = []
    texts = [_norm(sentence.text) for sentence in ctx.doc.sentences] + [""]
    live = _live_sales_rules(rules, ctx.text)
    parts = _SaleParts(rules, texts[:-1], ctx.doc.sentences, _norm(ctx.text))
    if not (live or parts.found_any or _can_hold(rules, ctx.text, ("feedback", "followup_ask", "promo", "pitch", "nudge"))):
        return []  # nothing in the draft can start a feedback ask or a sale
    asked = _asked_scope(rules, ctx, texts[:-1])
    for i, sentence in enumerate(ctx.doc.sentences):
        text, previous = texts[i], texts[i - 1] if i else ""
        what = _feedback_ask(rules, text, previous, texts[i + 1])
        if what is None:
            what = _sales_pitch(rules, text, previous, texts[i + 1], live) or (
                parts.of(i) and _sale_by_structure(rules, parts, i, previous))
            if what and (i in asked or _cheaper_for_cost(rules, ctx.text, text) or _entitled(rules, text, previous, texts[i + 1])):
                what = None
        if what:
            findings.append(_upsell_finding(sentence, what if isinstance(what, str) else what.group(0)))
    return findings


def _asked_scope(rules: Section, ctx: CheckContext, texts: list[str]) -> frozenset[int]:
    """The sentences that answer the customer's own question: those after a sentence that names it (`question`: "U
    vroeg of er een grotere bundel is."), in the same paragraph, up to three on, until one turns to something else
    ("Trouwens, ...", "By the way"); a sentence that itself turns away from it ("Los van uw vraag ...") answers
    nothing. An offer there is what they asked about, not a sale."""
    asked = rules.pattern("question")
    if not _can_hold(rules, ctx.text, ("question",)):
        return frozenset()  # most replies name no question of the customer
    sentences, shift = ctx.doc.sentences, rules.pattern("topic_shift")
    scope: set[int] = set()
    for i, text in enumerate(texts):
        if not asked.search(text) or shift.search(text):
            continue
        for j in range(i + 1, min(i + 4, len(sentences))):
            if "\n" in ctx.text[sentences[j - 1].end:sentences[j].start] or shift.match(sentences[j].text.lstrip()):
                break
            scope.add(j)
    return frozenset(scope)


def _cheaper_for_cost(rules: Section, draft: str, text: str) -> bool:
    """The customer finds the cost too high and is shown a cheaper way: help, no sale ("since the bill is too
    high for you, the Basic plan might suit you better")."""
    return bool(rules.pattern("cheaper").search(text) and rules.pattern("cost_complaint").search(draft))


def _live_sales_rules(rules: Section, text: str) -> frozenset[str]:
    """The sales rules whose parts are all somewhere in the draft: most drafts hold no deal and no teaser, and
    then their sentences are not searched for them (one search of the whole draft is cheaper than one a sentence)."""
    live = set()
    if rules.pattern("deal").search(text) and rules.pattern("acquire").search(text):
        live.add("deal")
    if "?" in text and rules.pattern("teaser").search(text):  # a teaser is a question
        live.add("teaser")
    return frozenset(live)


def _upsell_finding(sentence: Sentence, what: str) -> Finding:
    return flag(
        "feedback_or_upsell", f"Asks for feedback or sells something the customer did not ask about: {quote(what)}",
        sentence, "Leave it out: help with what the customer asked, nothing more.",
    )


class _StockApologies:
    """Whole stock apologies of every pack (`stock_patterns`), for checks that must see past them:
    responsiveness.py strips `HOLLOW_EMPATHY.patterns` before looking for an admission of a mistake."""

    @property
    def patterns(self) -> re.Pattern:
        if "stock" not in _REGEXES_STOCK:
            from ..packs import available_languages, compile_phrases, load_pack

            phrases: list[str] = []
            for language in available_languages():
                pack = load_pack(language)
                phrases += pack.section("phrases").get("hollow_empathy", {}).get("stock_patterns", []) if pack else []
            _REGEXES_STOCK["stock"] = compile_phrases(phrases)
        return _REGEXES_STOCK["stock"]


_REGEXES_STOCK: dict[str, re.Pattern] = {}
HOLLOW_EMPATHY = _StockApologies()
