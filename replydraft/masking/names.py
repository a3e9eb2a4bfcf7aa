"""Names of people, found by where they stand, not by a list of names.

A name is masked when it stands:
- in the From header (`Email.sender_name`, passed in as a known name);
- after a cue: "mijn naam is", "ik heet", "namens", "t.a.v.", "my name is", "signed", "on behalf of"
  (then in any case: "mijn naam is anneke de vries"), or "ik ben", "mijn man", "mevrouw", "this is",
  "my husband", "Mr" (then only capitalised: "ik ben Anneke", never "ik ben boos");
- after a greeting word at the start of a line ("Beste Anneke,", "Dear Mr Smith,": the greeting word
  and the title stay, the name alone becomes [NAAM_1]);
- after a closing ("Met vriendelijke groet, Anneke", or alone on one of the two lines below it);
- just before a street address on its line ("Anneke de Vries, Kerkstraat 12") or on the line above it.
Those places are `name_places.py`; how a name is read, and where the same person recurs, is
`name_reading.py`. This module adds a known first name with a surname ("Bas Hendriks") and drops
names that name a business ("Bakkerij Van Dam"). Names that no cue points at are not masked
("Anneke belde gisteren").
"""

from __future__ import annotations

import re
from functools import cache

from . import cues, gazetteer
from .name_places import (
    before_addresses, before_birth_dates, closings, cued, greeted_organisations, greetings, last_line, with_joined,
)
from .name_reading import Span, known_surname, particles, people_of, recurrences
from .numbers import short_words

_WORD = re.compile(r"(?<![\w@.-])(?:[A-Z]\.[ ]?){1,4}(?=[ ]?[^\W\d_])|(?<![\w@.-])[^\W\d_][\w'’]*(?:-[^\W\d_][\w'’]*)?")


def _surname_end(text: str, position: int, lower_case: bool, strict: bool) -> int | None:
    """The end of the surname that starts after `position` (one space), with particles and more
    capitalised names ("de Vries-Meijer", "Willem Brouwer", "van beek"); None when none follows."""
    end, particles_seen, after_particle = None, 0, False
    for _ in range(5):
        if text[position : position + 1] != " ":
            break
        m = _WORD.match(text, position + 1)
        if not m or "." in m.group(0):
            break
        word = m.group(0)
        if word.lower() in particles() and particles_seen < 3 and (end is None or word[:1].islower()):
            particles_seen, after_particle, position = particles_seen + 1, True, m.end()
            continue
        ok = gazetteer.surname_like(word, lower_case, after_particle)
        if not ok or (strict and end is None and not word[:1].isupper()):
            break
        end, position, after_particle = m.end(), m.end(), False
        if lower_case != word.islower():
            break
    return end


def _before(text: str, start: int) -> str:
    m = re.search(r"([^\W\d_]+)[ \t]+$", text[max(0, start - 20) : start])
    return m.group(1).lower() if m else ""


def _known_first_names(text: str) -> list[tuple[int, int]]:
    """A known first name (any case) followed by a surname-shaped word ("Bas Hendriks", "kees jansen",
    "Mohammed El Amrani"), or initials followed by one ("J.P. de Wit"). A first name that is also a
    common word ("Mark", "Will") needs a capitalised surname; after an article ("de Albert Heijn") or,
    with a surname no list knows, after a preposition ("bij Albert Heijn") it is an organisation."""
    found = []
    articles, prepositions = cues.words("names", "org_articles"), cues.words("names", "org_prepositions")
    for m in _WORD.finditer(text):
        word = m.group(0)
        initials = word[1:2] == "."
        if not initials and not gazetteer.is_first_name(word):
            continue
        lower_case = word.islower()
        if lower_case and gazetteer.frequency(word) >= 4.7:
            continue
        strict = initials or gazetteer.is_common(word.split("-")[0])
        end = _surname_end(text, m.end() - (1 if initials and word.endswith(" ") else 0), lower_case, strict)
        before = _before(text, m.start())
        if end is None or before in articles:
            continue
        if before in prepositions and len(text[m.start() : end].split()) == 2 and not known_surname(text[m.end() : end]):
            continue
        if _organisation_follows(text, end):
            continue
        found.append((m.start(), end))
    return found + _joined_first_names(text, found)


def _organisation_follows(text: str, end: int) -> bool:
    """"John Lewis team", "Hans Anders winkel": a word for an organisation right after the name."""
    m = re.match(r"[ \t]+([^\W\d_]+)", text[end : end + 40])
    return bool(m) and m.group(1).lower() in cues.words("names", "organisation_words")


_AFTER_POSTCODE = re.compile(r"(?<![\d-])[1-9]\d{3} ?([A-Za-z]{2}),?[ \t]+\Z")


def _after_postcode(text: str, start: int) -> bool:
    """"1761 bc anna paulowna": the words after a postcode are its town, whatever they look like
    ("1958 en Gerda" is a year and a word)."""
    m = _AFTER_POSTCODE.search(text[max(0, start - 12) : start])
    return bool(m) and (m.group(1).isupper() or m.group(1).lower() not in short_words())


def _business(text: str, start: int, end: int) -> bool:
    """A person-shaped name that names a business: after a trade word ("Bakkerij Van Dam", "Garage
    Jansen"), or after "bij"/"at" with its town behind it ("bij Jan Linders in Venlo": a branch)."""
    trade = cues.pattern("names", "trade")
    before = re.search(r"([^\W\d_][\w-]*)[ \t]+\Z", text[max(0, start - 40) : start])
    if trade.fullmatch(text[start:end].split(" ", 1)[0]) or (before and trade.fullmatch(before.group(1))):
        return True
    if _legal_form_after().match(text, end, end + 60) or _legal_form_after().search(" " + text[start:end]):
        return True  # "Dekkers Interieur B.V." taken whole after "op naam van" is a company too
    branch = re.search(r"[ \t]+(?:in|te|at|on)[ \t]+(?:(?:de|het|the)[ \t]+)?[A-Z]", text[start : end + 12])
    return bool(before and branch and before.group(1).lower() in cues.words("names", "org_prepositions"))


@cache
def _legal_form_after() -> re.Pattern:
    """A company's legal form within two words after a name: "Verhoeven Design B.V.", "Liu Consulting Ltd"."""
    forms = cues.alternation("names", "legal_forms")
    return re.compile(rf"(?:[ \t]+[^\W\d_][\w&'’.-]*){{0,2}}[ \t]+(?:{forms})(?![\w])", re.IGNORECASE)


def _joined_first_names(text: str, found: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """"Femke & Joris van Leeuwen", "Hans en Gerda de Vries": a first name joined to a found name."""
    joined = []
    for start, _end in found:
        m = re.search(r"(?<![\w-])([^\W\d_][\w'’-]*)[ ](?:&|en|and|\+)[ ]$", text[max(0, start - 40) : start])
        if m and m.group(1)[:1].isupper() and gazetteer.is_first_name(m.group(1)):
            offset = max(0, start - 40) + m.start(1)
            joined.append((offset, offset + len(m.group(1))))
    return joined


def spans(text: str, addresses: list[tuple[int, int, str]], known: tuple[str, ...] = ()) -> list[Span]:
    """Every name in `text` with its person (a known name when it is one of those)."""
    found = cued(text) + greetings(text) + closings(text) + before_addresses(text, addresses) + last_line(text)
    found = with_joined(text, found + before_birth_dates(text) + _known_first_names(text))
    found = [(s, e) for s, e in found if text[e : e + 3] != "://" and not _after_postcode(text, s)]  # "name: https://…" is a link
    names = [n for n in (*known, *(text[s:e] for s, e in found)) if n.strip()]
    people = people_of(names)
    spans_ = [(s, e, "NAAM", people[text[s:e]]) for s, e in found]
    every = spans_ + recurrences(text, people)
    businesses = [(s, e) for s, e, _k, _p in every if _business(text, s, e)] + greeted_organisations(text)
    return [span for span in every if not any(s <= span[0] and span[1] <= e for s, e in businesses)]
