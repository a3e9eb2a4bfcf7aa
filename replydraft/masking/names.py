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
A name is capitalised words and Dutch particles (van, de, van der, ten, ter, ...), at most five
words, never ending in a particle. Once found, the name is masked wherever it recurs in the mail,
as a whole (any case) and as its first name or surname alone (as written, capitalised), all under
one placeholder: "Anneke de Vries", "Anneke" and "mevrouw De Vries" are one person, [NAAM_1].
Names that no cue points at are not masked ("Anneke belde gisteren").
"""

from __future__ import annotations

import re
from functools import cache

from . import cues, gazetteer

Span = tuple[int, int, str, str]

_TOKEN = re.compile(r"(?:[A-Z]\.){2,4}|[^\W\d_](?:[\w'’-]*[^\W_])?\.?|[A-Z]\.|['’][ts](?!\w)")
_LINE = re.compile(r"[^\n]*")


@cache
def _particles() -> frozenset[str]:
    return frozenset(w for p in cues.values("names", "particles") for w in p.lower().split())


@cache
def _stop_words() -> frozenset[str]:
    from ..packs import words_of_every_pack

    return frozenset((cues.words("names", "not_names") | words_of_every_pack("function_words")) - _particles())


@cache
def _greeting() -> re.Pattern:
    words = cues.alternation("names", "greeting_words")
    titles = cues.alternation("names", "honorifics")
    return re.compile(rf"^[ \t>]*(?:{words})(?P<titles>(?:\s+(?:{titles})(?!\w))*)[ \t]+", re.IGNORECASE | re.MULTILINE)


@cache
def _closing() -> re.Pattern:
    closings = "|".join(f"(?:{c})" for c in sorted(cues.values("names", "closing_patterns"), key=len, reverse=True))
    return re.compile(rf"(?:^[ \t>]*|(?<=[.!?] ))(?:{closings})(?!\w)[ \t]*[,.!]*[ \t]*", re.IGNORECASE | re.MULTILINE)


def take_name(text: str, position: int, any_case: bool, limit: int = 5, named: bool = False) -> tuple[int, int] | None:
    """The name that starts at `position` (after spaces): name words and particles separated by single spaces.

    In any case only when its first word is lower case ("anneke de vries"); a capitalised name ends at
    the first lower-case word that is no particle. A function word ends it too, except a capitalised
    one right after a particle or after the first word ("van der Meer", "Koen Moet"), or first after a
    cue that names it a name (`named`: "her name is Mei Tanaka")."""
    while position < len(text) and text[position] in " \t:":
        position += 1
    start, end, words, real, previous_particle, lower_case = position, position, 0, 0, False, None
    while words < limit + 3:
        m = _TOKEN.match(text, position)
        if not m:
            break
        word = m.group(0).rstrip(".") if len(m.group(0)) > 2 else m.group(0)
        lower, capital = word.lower(), word[:1].isupper()
        particle = lower in _particles()
        if lower_case is None and not particle:
            lower_case = not capital
        at_end = text[position + len(word) : position + len(word) + 1] in ("", "\n", "\r", ",")
        surname_place = previous_particle or (real > 0 and at_end) or (named and real == 0)
        name_word = _name_word(lower, capital, surname_place, any_case and lower_case is not False, previous_particle)
        if particle and real < limit:
            pass
        elif not name_word or real >= limit:
            break
        else:
            real += 1
            end = position + len(word)
        previous_particle = particle
        words += 1
        position += len(word)
        if position >= len(text) or text[position] != " ":
            break
        position += 1
    following = re.match(r" ([^\W\d_][\w'’-]*)", text[end : end + 60])
    if real and following and street_word(following.group(1).lower()):
        end = _before_street_name(text, start, end)  # "Albert Heijn in de Lange Elisabethstraat": the street's words go
    return (start, end) if real and len(text[start:end].rstrip(".")) > 1 else None  # one letter alone is an initial, no name


def _before_street_name(text: str, start: int, end: int) -> int:
    """The end of a name whose last words begin the street that follows: cut before the particles
    ("in de", "van de") that lead into the street's name; the whole name when none do."""
    words = [(m.start(), m.group(0)) for m in re.finditer(r"\S+", text[start:end])]
    for i in range(len(words) - 1, 0, -1):
        if words[i][1].lower() in _particles() and words[i - 1][1].lower() not in _particles():
            return start + words[i - 1][0] + len(words[i - 1][1])
    return end


# Street words that end no Dutch surname (unlike "weg", "dijk" and "laan": Hogeweg, Hoogendijk, Verlaan).
_STREET_ENDINGS = ("straat", "gracht", "plein", "kade", "singel", "steeg", "plantsoen", "burgwal")


def street_word(lower: str) -> bool:
    """"Marktstraat", "Lange Elisabethstraat": a street's name, never a surname ("de hoek van de Marktstraat")."""
    return any(lower.endswith(e) and len(lower) > len(e) for e in _STREET_ENDINGS)


def _name_word(lower: str, capital: bool, surname_place: bool, any_case: bool, after_particle: bool = False) -> bool:
    """A word of a name; a capitalised function word only in a surname's place: after a particle, or
    ending its line after a first name ("van der Meer", "Koen Moet" alone on its line)."""
    if (not capital and not any_case) or street_word(lower):
        return False
    if lower in _stop_words():
        return (capital and surname_place) or (any_case and after_particle)  # "dennis van der meer"
    return True


def _first_name_at(text: str, position: int) -> bool:
    """A known first name, in any case, starts after the spaces at `position` ("mijn zoon daan")."""
    m = _TOKEN.match(text, position + len(text[position : position + 4]) - len(text[position : position + 4].lstrip(" \t")))
    return bool(m) and gazetteer.is_first_name(m.group(0).rstrip(".")) and m.group(0).lower() not in _stop_words()


def _cued(text: str) -> list[tuple[int, int]]:
    found = []
    for kind, any_case in (("strong_cue", True), ("weak_cue", False)):
        for m in cues.pattern("names", kind).finditer(text):
            position = m.end() + (1 if text[m.end() : m.end() + 2] == ", " and not any_case else 0)
            first_name = _first_name_at(text, position)
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
    real = [w for w in words if w.lower() not in _particles()]
    return (len(real) > 1 and all(w[:1].isupper() and not w.isupper() for w in real)
            and gazetteer.frequency(real[0]) < _RARE_IN_GREETING and _known_surname(real[-1]))


def _greeted_organisations(text: str) -> list[tuple[int, int]]:
    """Names a greeting addresses as a shop ("Beste Jan Linders, … in jullie winkel"): not a person anywhere."""
    found = []
    for m in _greeting().finditer(text):
        span = take_name(text, m.end(), any_case=True, limit=4)
        if span and _line_end(text, span[1]) and not m.group("titles").strip() and _greets_an_organisation(text, span[1]):
            found.append(span)
    return found


def _greetings(text: str) -> list[tuple[int, int]]:
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


def _closings(text: str) -> list[tuple[int, int]]:
    found = []
    for m in _closing().finditer(text):
        after = _honorifics().match(text, m.end())  # "Groet, mevr. A. Schouten": the title stays, the name goes
        start = after.end() if after else m.end()
        span = take_name(text, start, any_case=True, limit=4) if text[start : start + 1] not in ("\n", "") else None
        if span and _line_end(text, span[1]) and not _organisation(text[span[0] : span[1]]):
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
            if span and not text[_line_rest(text, span[1]) : line.end()].strip(" \t,.!") and not _organisation(text[span[0] : span[1]]):
                found.append(span)
                break
    return found


_BEFORE = re.compile(r"((?:[A-Z][\w'’-]*|van|de|der|den|ten|ter|te|'t)(?: (?:[A-Z][\w'’-]*|van|de|der|den|ten|ter|te|'t)){0,5})[ \t]*,?[ \t]*$")


def _before_addresses(text: str, addresses: list[tuple[int, int, str]]) -> list[tuple[int, int]]:
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
    if m and m.group("name").lower() not in _stop_words():
        return m.start("name"), m.end("name")
    m = _AND.match(text, end)
    if not m:
        return None
    span = take_name(text, m.end(), any_case=False, limit=4)
    return span if span and text[span[0] : span[1]].split()[0].lower() not in _stop_words() and not _organisation(text[span[0] : span[1]]) else None


def _with_joined(text: str, found: list[tuple[int, int]]) -> list[tuple[int, int]]:
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


def _before_birth_dates(text: str) -> list[tuple[int, int]]:
    """The capitalised name right before a date of birth on its line: "Wilhelmina Postma, geboortedatum
    30-12-1956", "Account holder Aisha Rahman, born 07/09/1994", "Sandra Koster (geb. 12-04-1983)"."""
    from .numbers import _birth

    found = []
    for m in _birth().finditer(text):
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


def _key_words(name: str) -> frozenset[str]:
    return frozenset(w for w in re.findall(r"[^\W\d_][\w'’-]*", name.lower()) if w not in _particles())


def _people(names: list[str]) -> dict[str, str]:
    """Each name mapped to its person: the longest name whose words include its words."""
    person: dict[str, str] = {}
    for name in sorted(set(names), key=lambda n: (-len(_key_words(n)), names.index(n))):
        words = _key_words(name)
        person[name] = next((p for p in dict.fromkeys(person.values()) if words and words <= _key_words(p)), name)
    return person


def _forms(name: str) -> list[tuple[str, bool]]:
    """(form, any case) in which a known name recurs: whole in any case, first name or surname as written."""
    forms = [(name, True)]
    words = name.split()
    stop = _stop_words()
    if len(words) > 1:
        first, surname = words[0], " ".join(words[1:])
        if first.lower() not in stop and first.lower() not in _particles() and len(first) > 1:
            forms.append((first, False))
        forms.append((surname, False))
        if words[1].lower() in _particles():
            forms.append((surname[:1].upper() + surname[1:], False))
        core = words[-1]
        if len(core) > 2 and core.lower() not in stop:
            forms.append((core, False))
    return forms


def _after_relative(text: str, start: int) -> bool:
    """"tante Gerda" after "Gerda de Boer": another person with the same first name."""
    before = re.search(r"([^\W\d_]+)\s+$", text[max(0, start - 20) : start])
    return bool(before) and before.group(1).lower() in cues.words("names", "relatives")


def _recurrences(text: str, people: dict[str, str]) -> list[Span]:
    found = []
    for name, person in people.items():
        for form, any_case in _forms(name):
            flags = re.IGNORECASE if any_case else 0
            for m in re.finditer(rf"(?<![\w@.-]){re.escape(form)}(?![\w@]|\.\w|-\w*\d)", text, flags):
                if not _after_relative(text, m.start()):
                    found.append((m.start(), m.end(), "NAAM", person))
    return found


_DASHED_END = re.compile(r"[.!?][ \t]+([-–—~][ \t]*[^\W\d_][\w'’-]*(?:[ ][^\W\d_][\w'’-]*){0,2})\Z")
_NAMED_END = re.compile(r"[.!?][ \t]+([^\W\d_][\w'’-]*)\Z")
_SIGN_PREFIX = re.compile(r"[ \t>]*(?:[-–—~*]+[ \t]*|(?:xx*|xo)[ \t]+)?", re.IGNORECASE)


def _last_line(text: str) -> list[tuple[int, int]]:
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
    span = take_name(text, start + offset, any_case=_first_name_at(text, start + offset), limit=4)
    return [span] if span and span[1] == len(stripped) else []


def _organisation(name: str) -> bool:
    """One word in capitals ("KPN", "TUI") is an organisation or a code, not a person."""
    words = name.split()
    return len(words) == 1 and len(name) > 1 and name.isupper() and "." not in name


_WORD = re.compile(r"(?<![\w@.-])(?:[A-Z]\.[ ]?){1,4}(?=[ ]?[^\W\d_])|(?<![\w@.-])[^\W\d_][\w'’]*(?:-[^\W\d_][\w'’]*)?")


def _surname_end(text: str, position: int, lower_case: bool, strict: bool) -> int | None:
    """The end of the surname that starts after `position` (one space), with particles and more
    capitalised names ("de Vries-Meijer", "Willem Brouwer", "van beek"); None when none follows."""
    end, particles, after_particle = None, 0, False
    for _ in range(5):
        if text[position : position + 1] != " ":
            break
        m = _WORD.match(text, position + 1)
        if not m or "." in m.group(0):
            break
        word = m.group(0)
        if word.lower() in _particles() and particles < 3 and (end is None or word[:1].islower()):
            particles, after_particle, position = particles + 1, True, m.end()
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
        if before in prepositions and len(text[m.start() : end].split()) == 2 and not _known_surname(text[m.end() : end]):
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
    from .numbers import _short_words

    m = _AFTER_POSTCODE.search(text[max(0, start - 12) : start])
    return bool(m) and (m.group(1).isupper() or m.group(1).lower() not in _short_words())


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


def _known_surname(words: str) -> bool:
    return any(w.lower() in gazetteer.last_names() for w in words.split() if w.lower() not in _particles())


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
    found = _cued(text) + _greetings(text) + _closings(text) + _before_addresses(text, addresses) + _last_line(text)
    found = _with_joined(text, found + _before_birth_dates(text) + _known_first_names(text))
    found = [(s, e) for s, e in found if text[e : e + 3] != "://" and not _after_postcode(text, s)]  # "name: https://…" is a link
    names = [n for n in (*known, *(text[s:e] for s, e in found)) if n.strip()]
    people = _people(names)
    spans_ = [(s, e, "NAAM", people[text[s:e]]) for s, e in found]
    every = spans_ + _recurrences(text, people)
    businesses = [(s, e) for s, e, _k, _p in every if _business(text, s, e)] + _greeted_organisations(text)
    return [span for span in every if not any(s <= span[0] and span[1] <= e for s, e in businesses)]
