"""Where names stand: after a cue, a greeting or a closing, before an address or a date of birth, alone
on a mail's last line, and joined to one of those by "en", "and" or brackets.
"""

from __future__ import annotations

import re
from functools import cache

from . import cues, gazetteer
from .name_reading import first_name_at, is_organisation, known_surname, particles, stop_words, take_name
from .numbers import birth_pattern

_LINE = re.compile(r"[^\n]*")


@cache
def _greeting() -> re.Pattern:
    words = cues.alternation("names", "greeting_words")
    titles = cues.alternation("names", "honorifics")
    return re.compile(rf"^[ \t>]*(?:{words})(?P<titles>(?:\s+(?:{titles})(?!\w))*)[ \t]+", re.IGNORECASE | re.MULTILINE)


@cache
def _closing() -> re.Pattern:
    phrases = "|".join(f"(?:{c})" for c in sorted(cues.values("names", "closing_patterns"), key=len, reverse=True))
    return re.compile(rf"(?:^[ \t>]*|(?<=[.!?] ))(?:{phrases})(?!\w)[ \t]*[,.!]*[ \t]*", re.IGNORECASE | re.MULTILINE)


def cued(text: str) -> list[tuple[int, int]]:
    found = []
    for kind, any_case in (("strong_cue", True), ("weak_cue", False)):
        for m in cues.pattern("names", kind).finditer(text):
            position = m.end() + (1 if text[m.end() : m.end() + 2] == ", " and not any_case else 0)
            first_name = first_name_at(text, position)
            span = take_name(text, position, any_case or first_name, named=any_case)
            lower_first = text[span[0] : span[1]].split()[0] if span and text[span[0]].islower() else ""
            if lower_first and not first_name and (" " not in text[span[0] : span[1]] or lower_first in cues.words("names", "particles")):
                continue  # "my name is misspelled", "I'm in Rotterdam": a lower-case name starts like a name
            if span and position < len(text) and text[position] in " \t:":
                found.append(span)
    return found


def _line_end(text: str, end: int) -> bool:
    """A greeting's or a closing's name ends its line, or is followed by a comma or a full stop."""
    rest = text[end : end + 3]
    return not rest.strip(" \t") or rest.lstrip(" \t")[:1] in ",!.\n"


# A greeting's first word that is no known first name must be rarer than this (Zipf) to be one:
# "Siobhan" is 2.8, "Zilveren", "Digitale" and "Centraal" are 4.2 to 5.1.
_RARE_IN_GREETING = 3.5


def _addresses_person(name: str) -> bool:
    """A greeting without a title names a person only with a first-name signal: "Beste Anneke", "hoi
    sanne", "Hi Grace Liu", or a known surname after a word that is no common word ("Hi Siobhan
    O'Neill"); "Hallo KPN", "hoi ziggo", "Beste Eneco", "Geachte Zilveren Kruis" and "Hallo Centraal
    Beheer" greet an organisation."""
    words = name.split()
    if gazetteer.is_first_name(words[0].rstrip(".")) or re.fullmatch(r"(?:[A-Z]\.)+", words[0]):
        return True
    real = [w for w in words if w.lower() not in particles()]
    return (len(real) > 1 and all(w[:1].isupper() and not w.isupper() for w in real)
            and gazetteer.frequency(real[0]) < _RARE_IN_GREETING and known_surname(real[-1]))


def greeted_organisations(text: str) -> list[tuple[int, int]]:
    """Names a greeting addresses as a shop ("Beste Jan Linders, … in jullie winkel"): not a person anywhere."""
    found = []
    for m in _greeting().finditer(text):
        span = take_name(text, m.end(), any_case=True, limit=4)
        if span and _line_end(text, span[1]) and not m.group("titles").strip() and _greets_an_organisation(text, span[1]):
            found.append(span)
    return found


def greetings(text: str) -> list[tuple[int, int]]:
    found = []
    for m in _greeting().finditer(text):
        span = take_name(text, m.end(), any_case=True, limit=4)
        if span and _line_end(text, span[1]) and (m.group("titles").strip() or _addresses_person(text[span[0] : span[1]])):
            if not _greets_an_organisation(text, span[1]):  # "Beste Jan Linders, … jullie winkel in Venlo"
                found.append(span)
    return found


_GREETING_REACH = 300  # the opening sentences after a greeting


def _greets_an_organisation(text: str, end: int) -> bool:
    """"Beste Hema,\nIk heb in jullie winkel …": a one-word greeting followed by "jullie winkel" / "your
    store" addresses the shop, whatever its name looks like."""
    return bool(cues.pattern("names", "organisation_address").search(text, end, end + _GREETING_REACH))


@cache
def _honorifics() -> re.Pattern:
    return re.compile(rf"(?:{cues.alternation('names', 'honorifics')})(?!\w)\.?[ \t]+", re.IGNORECASE)


def closings(text: str) -> list[tuple[int, int]]:
    found = []
    for m in _closing().finditer(text):
        after = _honorifics().match(text, m.end())  # "Groet, mevr. A. Schouten": the title stays, the name goes
        start = after.end() if after else m.end()
        span = take_name(text, start, any_case=True, limit=4) if text[start : start + 1] not in ("\n", "") else None
        if span and _line_end(text, span[1]) and not is_organisation(text[span[0] : span[1]]):
            found.append(span)
            continue
        position = m.end()
        for _ in range(2):  # the name on one of the next two non-empty lines, alone on it
            line = _LINE.match(text, text.find("\n", position) + 1) if "\n" in text[position:] else None
            if line is None:
                break
            position = line.end()
            if not line.group(0).strip():
                continue
            offset = len(line.group(0)) - len(line.group(0).lstrip(" \t>"))
            span = take_name(text, line.start() + offset, any_case=True, limit=4)
            if span and not text[_line_rest(text, span[1]) : line.end()].strip(" \t,.!") and not is_organisation(text[span[0] : span[1]]):
                found.append(span)
                break
    return found


_BEFORE = re.compile(r"((?:[A-Z][\w'’-]*|van|de|der|den|ten|ter|te|'t)(?: (?:[A-Z][\w'’-]*|van|de|der|den|ten|ter|te|'t)){0,5})[ \t]*,?[ \t]*$")


def before_addresses(text: str, addresses: list[tuple[int, int, str]]) -> list[tuple[int, int]]:
    """The name on an address's line just before it, or alone on the line above it."""
    found = []
    for start, _end, _kind in addresses:
        line_start = text.rfind("\n", 0, start) + 1
        segment = text[max(line_start, start - 80) : start]
        if segment.strip():
            m = _BEFORE.search(segment)
            if m:
                span = take_name(text, start - len(segment) + m.start(1), any_case=False)
                found += [span] if span else []
            continue
        above_start = text.rfind("\n", 0, max(0, line_start - 1)) + 1
        above = text[above_start : max(above_start, line_start - 1)]
        span = take_name(text, above_start + len(above) - len(above.lstrip(" \t>")), any_case=False) if above.strip() else None
        if span and not text[span[1] : line_start].strip(" \t,\n"):
            found.append(span)
    return found


_NICKNAME = re.compile(r"[ \t]*\((?P<name>[A-Z][a-z'’-]+)\)")
_AND = re.compile(r"[ \t]+(?:en|and|&|\+)[ \t]+(?=[A-Z])")


def _joined_after(text: str, end: int) -> tuple[int, int] | None:
    """A second name joined to a found one: a nickname in brackets ("Hendrika Oosterhuis (Riek)") or a
    capitalised name after "en"/"and"/"&" ("onze kinderen Julia en Sem", "Femke en Rutger Dekker")."""
    m = _NICKNAME.match(text, end)
    if m and m.group("name").lower() not in stop_words():
        return m.start("name"), m.end("name")
    m = _AND.match(text, end)
    if not m:
        return None
    span = take_name(text, m.end(), any_case=False, limit=4)
    return span if span and text[span[0] : span[1]].split()[0].lower() not in stop_words() and not is_organisation(text[span[0] : span[1]]) else None


def with_joined(text: str, found: list[tuple[int, int]]) -> list[tuple[int, int]]:
    joined = [j for _s, e in found if (j := _joined_after(text, e))]
    return found + [j2 for _s, e in joined if (j2 := _joined_after(text, e))] + joined


def _line_rest(text: str, end: int) -> int:
    """Where a name that ends at `end` ends with the names joined to it ("Femke en Rutger Dekker")."""
    for _ in range(3):
        joined = _joined_after(text, end)
        if not joined:
            break
        end = joined[1] + (1 if text[joined[1] : joined[1] + 1] == ")" else 0)
    return end


_WHOLE_WORDS_BEFORE = re.compile(r"(?<![\w'’-])" + _BEFORE.pattern)


def before_birth_dates(text: str) -> list[tuple[int, int]]:
    """The capitalised name right before a date of birth on its line: "Wilhelmina Postma, geboortedatum
    30-12-1956", "Account holder Aisha Rahman, born 07/09/1994", "Sandra Koster (geb. 12-04-1983)"."""
    found = []
    for m in birth_pattern().finditer(text):
        line_start = text.rfind("\n", 0, m.start()) + 1
        segment = text[max(line_start, m.start() - 80) : m.start()]
        segment = re.sub(r"(?:[ \t]*\([^()\n]{0,30}\))?[ \t]*[,(]?[ \t]*\Z", "", segment)
        before = _WHOLE_WORDS_BEFORE.search(segment)
        if not before or not before.group(1)[:1].isupper():
            continue
        span = take_name(text, m.start() - len(text[max(line_start, m.start() - 80) : m.start()]) + before.start(1), any_case=False)
        if span and span[1] <= m.start():
            name = text[span[0] : span[1]]
            if " " in name or gazetteer.is_first_name(name):  # "Passport DOB": one word needs to be a first name
                found.append(span)
    return found


_DASHED_END = re.compile(r"[.!?][ \t]+([-–—~][ \t]*[^\W\d_][\w'’-]*(?:[ ][^\W\d_][\w'’-]*){0,2})\Z")
_NAMED_END = re.compile(r"[.!?][ \t]+([^\W\d_][\w'’-]*)\Z")
_SIGN_PREFIX = re.compile(r"[ \t>]*(?:[-–—~*]+[ \t]*|(?:xx*|xo)[ \t]+)?", re.IGNORECASE)


def last_line(text: str) -> list[tuple[int, int]]:
    """A mail's last line, when it is a name alone, perhaps after a dash or kisses ("- Gemma", "xx
    romy"): the sender signing without a closing. Capitalised, or a known first name in any case."""
    stripped = text.rstrip()
    start = stripped.rfind("\n") + 1
    dashed = _DASHED_END.search(stripped, start)
    named = _NAMED_END.search(stripped, start)
    if dashed:  # "… if anything changes. - Gemma": signed after the last sentence, on its line
        start = dashed.start(1)
    elif named and gazetteer.is_first_name(named.group(1)) and not gazetteer.is_common(named.group(1)):
        start = named.start(1)  # "… bel me 06 1947 2258. ruud": a known first name signs after the last sentence
    elif not start or not stripped[:start].strip():
        return []  # one line (a subject, a sentence) is no signature
    offset = _SIGN_PREFIX.match(stripped, start).end() - start
    span = take_name(text, start + offset, any_case=first_name_at(text, start + offset), limit=4)
    return [span] if span and span[1] == len(stripped) else []
