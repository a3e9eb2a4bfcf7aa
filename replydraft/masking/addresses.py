"""Street addresses, found by how they are built: a street word and a house number.

Dutch: a word ending in a street suffix (straat, laan, weg, gracht, ...), with up to three name
words or particles before it ("Van der Helststraat", "Prins Hendrikkade"), then the house number
with its letter or floor ("12", "12a", "3-II", "14 hs"). "Laan van Meerdervoort 12" too. English:
the number first, then name words and a street word ("221B Baker Street", "12 Oak Road"), or the
street then the number ("Baker Street 221B"). In lower case only the unambiguous street words count
("kerkstraat 12", "221b baker street"); others need a capital ("Lexring 2", never "levering 3").
The postcode and city are not part of the address: a postcode is masked as POSTCODE, a city stays.
"""

from __future__ import annotations

import re
from functools import cache

from . import cues

Span = tuple[int, int, str]

_HOUSE_NUMBER = r"[1-9]\d{0,4}(?:(?:\s?-\s?|\s)?(?:I{1,3}|IV|hs|huis|bis|zw|rd|bg)\b|(?:\s|-)?[a-zA-Z]\b|\s?-\s?\d{1,4}(?!\d|[,.]\d))?"
# Repeats are bounded (a word of at most _WORD letters), so that a match is at most _REACH characters
# long before its house number and the search can look only near the candidates (see _dutch_spans).
_WORD = 80
_NAME_WORD = rf"(?:[A-Z][\w'.-]{{0,{_WORD}}}|van|de|der|den|het|'t|ten|ter|te|op|aan|in|bij|achter|over|St\.?|Sint)"
# Where a Dutch address can end: after a word, an optional comma, a space and the first digit of the house number.
_BEFORE_NUMBER = re.compile(r"(?<=[\w'-]),?\s\d")


@cache
def _dutch() -> re.Pattern:
    suffixes = cues.alternation("addresses", "suffixes")
    leading = cues.alternation("addresses", "leading_words")
    return re.compile(
        rf"(?<![\w-])(?P<street>(?:{_NAME_WORD}[ \t]){{0,3}}[\w'-]{{0,{_WORD}}}?(?:{suffixes})"
        rf"|(?:{leading})[ \t](?:(?:van|de|der|den|het|op|aan|in|bij)[ \t]){{1,2}}(?:[A-Z][\w'-]{{0,{_WORD}}}[ \t]){{0,2}}[A-Z][\w'-]{{0,{_WORD}}})"
        rf",?[ \t](?P<number>{_HOUSE_NUMBER})(?![\w,.]\d|\w)",  # a street and its number share a line
        re.IGNORECASE,
    )


@cache
def _english() -> re.Pattern:
    suffixes = cues.alternation("addresses", "suffixes")
    return re.compile(
        rf"(?<![\w-])(?P<number>[1-9]\d{{0,4}}[A-Za-z]?),?[ \t](?P<street>(?:[^\W\d][\w'-]*[ \t]){{1,3}}(?:{suffixes}))(?:(?<=\b\w\w)\.|(?<=\b\w\w\w)\.)?(?!\w)",
        re.IGNORECASE,
    )


def _street_ok(street: str) -> bool:
    """The street part is built like a street: its street word is capitalised or unambiguous, and no other word."""
    words = street.split()
    last = words[-1].lower().strip(".,")
    if last in cues.words("addresses", "not_streets") or (len(words) == 1 and last in cues.words("addresses", "suffixes")):
        return False
    if any(w.lower() in cues.words("names", "not_names") and w.lower() not in _PARTICLES for w in words):
        return False
    strong = any(last.endswith(s) for s in cues.words("addresses", "lowercase_suffixes"))
    capitalised = words[-1][:1].isupper() or words[0][:1].isupper()
    return capitalised or strong


_PARTICLES = {"van", "de", "der", "den", "het", "'t", "ten", "ter", "te", "op", "aan", "in", "bij"}


def _not_a_count(text: str, end: int) -> bool:
    after = text[end : end + 12].lstrip().lower()
    word = re.match(r"[\w%]+", after)
    return not (word and word.group(0) in cues.words("addresses", "not_after"))


def _trim_leading(start: int, street: str) -> int:
    """Keep the name words right before the street word: capitalised words and particles before them
    ("Van der Helststraat", "Prins Hendrikkade"), and "van der" before a lower-case street word;
    "Ik woon aan de Kerkstraat 1" starts at Kerkstraat."""
    words = street.split(" ")
    keep = len(words) - 1
    while keep > 0:
        word = words[keep - 1]
        capital = word[:1].isupper() and word.lower() not in cues.words("names", "not_names")
        particle = word.lower() in _PARTICLES and (word[:1].isupper() or words[keep][:1].isupper() or word.lower() == "der"
                                                    or (word.lower() == "van" and keep < len(words) - 1))
        if not (capital or particle):
            break
        keep -= 1
    while keep < len(words) - 1 and words[keep].lower() in _PARTICLES and not words[keep][:1].isupper() \
            and words[keep].lower() != "van":
        keep += 1
    return start + sum(len(w) + 1 for w in words[:keep])


@cache
def _reach() -> int:
    """The longest a Dutch street part can be: four bounded words and the longest street or leading word."""
    longest = max(len(w) for w in (*cues.values("addresses", "suffixes"), *cues.values("addresses", "leading_words")))
    return 4 * (_WORD + 8) + longest + 16


@cache
def _suffix_end() -> re.Pattern:
    return re.compile(rf"(?:{cues.alternation('addresses', 'suffixes')})\Z", re.IGNORECASE)


@cache
def _leading_start() -> re.Pattern:
    return re.compile(rf"(?<![\w-])(?:{cues.alternation('addresses', 'leading_words')})\s", re.IGNORECASE)


def _windows(text: str) -> list[tuple[int, int]]:
    """Stretches of `text` that hold every Dutch address, in order and merged where they touch.

    A match of _dutch() either ends in a street word right before its house number, and starts at
    most _reach() before that, or starts with a leading word ("Laan van ..."). Searching these
    stretches in order finds exactly what a search of the whole text finds, without trying every
    word of a long draft."""
    reach, after = _reach(), 48
    suffix_end, longest = _suffix_end(), max(map(len, cues.values("addresses", "suffixes")))
    spans = [(max(0, m.start() - reach), m.end() + after) for m in _BEFORE_NUMBER.finditer(text)
             if suffix_end.search(text, max(0, m.start() - longest), m.start())]
    spans += [(m.start(), m.start() + reach + after) for m in _leading_start().finditer(text)]
    windows: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if windows and start <= windows[-1][1]:
            windows[-1] = (windows[-1][0], max(end, windows[-1][1]))
        else:
            windows.append((start, end))
    return [(start, min(end, len(text))) for start, end in windows]


def _dutch_spans(text: str) -> list[Span]:
    found = []
    pattern = _dutch()
    matches = (m for start, end in _windows(text) for m in pattern.finditer(text, start, end))
    for m in matches:
        start = _trim_leading(m.start("street"), m.group("street"))
        street = text[start : m.end("street")]
        if street and _street_ok(street) and _not_a_count(text, m.end()) and not _a_date(text, m.end()):
            if not _glued_abbreviation(street.split()[-1]):
                found.append((start, m.end(), "ADRES"))
    return found


def _a_date(text: str, end: int) -> bool:
    """"Aankomst 18-07-2025": the "house number" goes on as a date."""
    return bool(re.match(r"[-/.]\d", text[end : end + 2]))


@cache
def _abbreviations() -> frozenset[str]:
    """Street words of two letters ("st", "rd", "dr"): abbreviations, words of their own, never the end of another."""
    return frozenset(s.lower() for s in cues.values("addresses", "suffixes") if len(s) <= 2)


def _glued_abbreviation(word: str) -> bool:
    """"Aankomst", "Bord": a word that ends in "st" or "rd" only, no longer street word ("Boulevard" ends in "boulevard")."""
    lower = word.lower()
    if lower in _abbreviations():
        return False
    longer = [s for s in cues.values("addresses", "suffixes") if len(s) > 2 and lower.endswith(s.lower())]
    return not longer and any(lower.endswith(a) for a in _abbreviations())


def _english_spans(text: str) -> list[Span]:
    found = []
    lowercase = cues.words("addresses", "lowercase_suffixes")
    for m in _english().finditer(text):
        words = m.group("street").split()
        last = words[-1].lower()
        names = words[:-1]
        if any(w.lower() in cues.words("names", "not_names") or w.isdigit() for w in names):
            continue
        if not (all(w[:1].isupper() for w in words) or last in lowercase):
            continue
        found.append((m.start(), m.end(), "ADRES"))
    return found


@cache
def _english_compound() -> re.Pattern:
    """"48 Kingsway", "3 Broadway": the number, then one capitalised word ending in an English street word."""
    suffixes = "|".join(re.escape(s) for s in cues.values("addresses", "compound_suffixes"))
    return re.compile(rf"(?<![\w-])\d{{1,5}}[A-Za-z]?,?[ ](?P<street>[A-Z][a-z]{{2,}}(?:{suffixes}))(?![\w-])")


@cache
def _labelled() -> re.Pattern:
    """After an address label ("Nieuw adres:", "verzendadres:", "my address is") the street may be
    built any way: "Hauptstraße 45", "Meir 24", "rue de la Paix 3"."""
    labels = "|".join(f"(?:{c})" for c in cues.values("addresses", "label_patterns"))
    word = rf"[^\W\d_][\w'’.-]{{0,{_WORD}}}"
    return re.compile(rf"(?<!\w)(?P<label>{labels})(?P<colon>(?:[ \t]*+:)?)[ \t]++(?P<street>{word}(?:[ ]{word}){{0,3}}),?[ ]"
                      rf"(?P<number>{_HOUSE_NUMBER})(?![\w,.]\d|\w)", re.IGNORECASE)


def _labelled_spans(text: str) -> list[Span]:
    found = []
    for m in _labelled().finditer(text):
        words = m.group("street").split()
        said = m.group("colon") or re.search(r"\b(?:is|wordt|was|will be)\Z", m.group("label"), re.IGNORECASE)
        if not said and not words[0][:1].isupper():
            continue  # "mijn adres staat in bijlage 2", "het adres op pagina 2": no address follows
        if any(w.lower() in cues.words("names", "not_names") and w.lower() not in _PARTICLES for w in words):
            continue
        if _not_a_count(text, m.end()):
            found.append((m.start("street"), m.end(), "ADRES"))
    return found


_CONNECTORS = "en|van|de|der|den|het|'t|la|le|du|des|am|an"
# Capitalised street words, then a house number, then a Dutch postcode on the same line after a comma
# or at the start of the next line: the shape of a postal address whatever the street is called
# ("Weteringschans 88-3" above "1017 XS Amsterdam", "Bos en Lommerweg 210-3, 1055 DB").
_BEFORE_POSTCODE = re.compile(
    rf"(?<![\w'’.-])(?P<street>[A-Z][\w'’.-]{{1,{_WORD}}}(?:[ ](?:[A-Z][\w'’.-]{{0,{_WORD}}}|(?:{_CONNECTORS})(?=[ ][A-Z]))){{0,4}})"
    rf"[ ](?P<number>{_HOUSE_NUMBER})[ \t]*(?:,[ \t]*|\r?\n[ \t>]*)(?=[1-9]\d{{3}}[ ]?[A-Z]{{2}}(?![\w]))"
)


def _before_postcode_spans(text: str) -> list[Span]:
    found = []
    for m in _BEFORE_POSTCODE.finditer(text):
        words = [w for w in m.group("street").lower().split() if w not in _CONNECTORS.split("|")]
        if not any(w in cues.words("names", "not_names") and w not in _PARTICLES for w in words):
            found.append((m.start("street"), m.end("number"), "ADRES"))
    return found


def spans(text: str) -> list[Span]:
    if not any(c.isdigit() for c in text):  # an address has a house number
        return []
    compound = [(m.start(), m.end(), "ADRES") for m in _english_compound().finditer(text) if _not_a_count(text, m.end())]
    return _dutch_spans(text) + _english_spans(text) + compound + _labelled_spans(text) + _before_postcode_spans(text)
