"""How a name is read: the words it is made of, where it ends, and where the same person recurs.

A name is capitalised words and Dutch particles (van, de, van der, ten, ter, ...), at most five
words, never ending in a particle. Once found, the name is masked wherever it recurs in the mail,
as a whole (any case) and as its first name or surname alone (as written, capitalised), all under
one placeholder: "Anneke de Vries", "Anneke" and "mevrouw De Vries" are one person, [NAAM_1].
"""

from __future__ import annotations

import re
from functools import cache

from . import cues, gazetteer

Span = tuple[int, int, str, str]

_TOKEN = re.compile(r"(?:[A-Z]\.){2,4}|[^\W\d_](?:[\w'’-]*[^\W_])?\.?|[A-Z]\.|['’][ts](?!\w)")


@cache
def particles() -> frozenset[str]:
    return frozenset(w for p in cues.values("names", "particles") for w in p.lower().split())


@cache
def stop_words() -> frozenset[str]:
    from ..packs import words_of_every_pack

    return frozenset((cues.words("names", "not_names") | words_of_every_pack("function_words")) - particles())


def take_name(text: str, position: int, any_case: bool, limit: int = 5, named: bool = False) -> tuple[int, int] | None:
    """The name that starts at `position` (after spaces): name words and particles separated by single spaces.

    In any case only when its first word is lower case ("anneke de vries"); a capitalised name ends at
    the first lower-case word that is no particle. A function word ends it too, except a capitalised
    one right after a particle or after the first word ("van der Meer", "Koen Moet"), or first after a
    cue that names it a name (`named`: "her name is Mei Tanaka")."""
    while position < len(text) and text[position] in " \t:":
        position += 1
    end, real = _name_end(text, position, any_case, limit, named)
    if real and _street_follows(text, end):
        end = _before_street_name(text, position, end)  # "Albert Heijn in de Lange Elisabethstraat": the street's words go
    return (position, end) if real and len(text[position:end].rstrip(".")) > 1 else None  # one letter alone is an initial, no name


def _name_end(text: str, position: int, any_case: bool, limit: int, named: bool) -> tuple[int, int]:
    """Where the name that starts at `position` ends, and how many words it has besides particles."""
    end, words, real, previous_particle, lower_case = position, 0, 0, False, None
    while words < limit + 3:
        m = _TOKEN.match(text, position)
        if not m:
            break
        word = m.group(0).rstrip(".") if len(m.group(0)) > 2 else m.group(0)
        particle = word.lower() in particles()
        if lower_case is None and not particle:
            lower_case = not word[:1].isupper()
        if not (particle and real < limit):
            surname_place = _surname_place(text, position + len(word), real, previous_particle, named)
            if real >= limit or not _name_word(word.lower(), word[:1].isupper(), surname_place,
                                               any_case and lower_case is not False, previous_particle):
                break
            real += 1
            end = position + len(word)
        previous_particle = particle
        words += 1
        position += len(word)
        if text[position : position + 1] != " ":
            break
        position += 1
    return end, real


def _surname_place(text: str, word_end: int, real: int, after_particle: bool, named: bool) -> bool:
    """A word stands where a surname does: after a particle, ending its line after a first name, or
    first after a cue that names it a name."""
    at_end = text[word_end : word_end + 1] in ("", "\n", "\r", ",")
    return after_particle or (real > 0 and at_end) or (named and real == 0)


def _street_follows(text: str, end: int) -> bool:
    following = re.match(r" ([^\W\d_][\w'’-]*)", text[end : end + 60])
    return bool(following) and street_word(following.group(1).lower())


def _before_street_name(text: str, start: int, end: int) -> int:
    """The end of a name whose last words begin the street that follows: cut before the particles
    ("in de", "van de") that lead into the street's name; the whole name when none do."""
    words = [(m.start(), m.group(0)) for m in re.finditer(r"\S+", text[start:end])]
    for i in range(len(words) - 1, 0, -1):
        if words[i][1].lower() in particles() and words[i - 1][1].lower() not in particles():
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
    if lower in stop_words():
        return (capital and surname_place) or (any_case and after_particle)  # "dennis van der meer"
    return True


def first_name_at(text: str, position: int) -> bool:
    """A known first name, in any case, starts after the spaces at `position` ("mijn zoon daan")."""
    m = _TOKEN.match(text, position + len(text[position : position + 4]) - len(text[position : position + 4].lstrip(" \t")))
    return bool(m) and gazetteer.is_first_name(m.group(0).rstrip(".")) and m.group(0).lower() not in stop_words()


def is_organisation(name: str) -> bool:
    """One word in capitals ("KPN", "TUI") is an organisation or a code, not a person."""
    words = name.split()
    return len(words) == 1 and len(name) > 1 and name.isupper() and "." not in name


def known_surname(words: str) -> bool:
    return any(w.lower() in gazetteer.last_names() for w in words.split() if w.lower() not in particles())


def key_words(name: str) -> frozenset[str]:
    return frozenset(w for w in re.findall(r"[^\W\d_][\w'’-]*", name.lower()) if w not in particles())


def people_of(names: list[str]) -> dict[str, str]:
    """Each name mapped to its person: the longest name whose words include its words."""
    person: dict[str, str] = {}
    for name in sorted(set(names), key=lambda n: (-len(key_words(n)), names.index(n))):
        words = key_words(name)
        person[name] = next((p for p in dict.fromkeys(person.values()) if words and words <= key_words(p)), name)
    return person


def _forms(name: str) -> list[tuple[str, bool]]:
    """(form, any case) in which a known name recurs: whole in any case, first name or surname as written."""
    forms = [(name, True)]
    words = name.split()
    stop = stop_words()
    if len(words) > 1:
        first, surname = words[0], " ".join(words[1:])
        if first.lower() not in stop and first.lower() not in particles() and len(first) > 1:
            forms.append((first, False))
        forms.append((surname, False))
        if words[1].lower() in particles():
            forms.append((surname[:1].upper() + surname[1:], False))
        core = words[-1]
        if len(core) > 2 and core.lower() not in stop:
            forms.append((core, False))
    return forms


def _after_relative(text: str, start: int) -> bool:
    """"tante Gerda" after "Gerda de Boer": another person with the same first name."""
    before = re.search(r"([^\W\d_]+)\s+$", text[max(0, start - 20) : start])
    return bool(before) and before.group(1).lower() in cues.words("names", "relatives")


def recurrences(text: str, people: dict[str, str]) -> list[Span]:
    found = []
    for name, person in people.items():
        for form, any_case in _forms(name):
            flags = re.IGNORECASE if any_case else 0
            for m in re.finditer(rf"(?<![\w@.-]){re.escape(form)}(?![\w@]|\.\w|-\w*\d)", text, flags):
                if not _after_relative(text, m.start()):
                    found.append((m.start(), m.end(), "NAAM", person))
    return found
