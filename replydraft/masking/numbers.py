"""Numbers and codes: IBAN, BSN, e-mail, phone, postcode, card number, date of birth; each validated.

IBANs by mod-97 and BSNs by the 11-proof (python-stdnum), card numbers by Luhn, phone numbers by
libphonenumber's numbering plans. A number that a label names as something else ("klantnummer
31612345678", "order number 4111111111111111") is never masked: the label must be the nearest
thing before it, with no other number or personal-data label in between.
"""

from __future__ import annotations

import re
from functools import cache

import phonenumbers
from stdnum import iban as stdnum_iban
from stdnum import luhn
from stdnum.nl import bsn as stdnum_bsn

from . import cues

Span = tuple[int, int, str]

# A match starts only where a run of address characters starts: from inside a run ("a-a-a-…"
# without an @) every start would scan to the run's end again, quadratic in the run's length.
EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]{1,254}@[\w-]{1,63}(?:\.[\w-]{1,63}){0,10}\.[A-Za-z]{2,63}\b")
# Country, check digits, then groups of letters and digits separated by at most one space; cut to
# the longest run of groups that validates, so "NL91ABNA0417164300 en" ends before " en".
_IBAN = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{2} ?\d{2}[A-Za-z0-9]*(?: [A-Za-z0-9]+){0,9}")
_NINE_DIGITS = re.compile(
    r"(?<![\d.-])(\d{2}\.\d{2}\.\d{2}\.\d{3}|\d{4}\.\d{2}\.\d{3}|\d{3}[ .]?\d{3}[ .]?\d{3})(?![\d-]|[.,]\d)"
)
# Digits glued to letters ("PL1300-2024112345", a report number) are a code, never a card.
_CARD = re.compile(r"(?<![\dA-Za-z])(?:\d[ -]?){11,18}\d(?!\d)")
_DATE_SHAPE = re.compile(r"\d{1,2}[-/.]\d{1,2}[-/.](?:19|20)\d{2}")
_POSTCODE = re.compile(
    r"(?<![\d.,€$])\b([1-9]\d{3}) ?(?!sa|sd|ss)([a-z]{2})\b(?:(?:,?\s{1,3}(?:huisnummer|huisnr\.?|nr\.?))?\s{1,3}\d{1,5}(?:\s?[a-z]\b|-\d{1,4}|-?[IV]{1,3}\b)?)?", re.IGNORECASE
)
_LOOKBACK = 40


@cache
def birth_pattern() -> re.Pattern:
    months = cues.alternation("birth", "months")
    date = (
        rf"\d{{1,2}}[-/.]\d{{1,2}}[-/.](?:\d{{4}}|'?\d{{2}})(?!\d)"
        rf"|\d{{1,2}}(?:st|nd|rd|th|e|ste|de)?\s+(?:of\s+)?(?:{months})\.?,?\s+'?\d{{2,4}}(?!\d)"
        rf"|(?:{months})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}(?!\d)"
        rf"|\d{{4}}-\d{{2}}-\d{{2}}"
    )
    cue = "|".join(f"(?:{c})" for c in sorted(cues.values("birth", "cue_patterns"), key=len, reverse=True))
    # A few words may stand between the cue and the date ("date of birth for ID: 08-08-1975"), no digit or line break.
    return re.compile(rf"(?<!\w)(?:{cue})(?!\w)[^\d\n.!?]{{0,60}}?(?P<date>{date})", re.IGNORECASE)


@cache
def _date_after_name() -> re.Pattern:
    """A full date right after a person's name ("Hans de Vries 12-12-1958", "Bas Hendriks, geb 17-08-1992")."""
    date = birth_pattern().pattern.split("(?P<date>", 1)[1][:-1]
    return re.compile(rf"[ \t]*[,(]?[ \t]*(?P<date>{date})", re.IGNORECASE)


def birth_after_names(text: str, name_ends: list[int]) -> list[Span]:
    """Dates of birth written right after a name, in a list of people or a signature line."""
    found = []
    for end in name_ends:
        m = _date_after_name().match(text, end)
        if m and re.search(r"(?:19|20)?\d\d$", m.group("date")):
            found.append((m.start("date"), m.end("date"), "GEBOORTEDATUM"))
    return found


def _label_before(text: str, start: int) -> str | None:
    """'other' when a label for something else is the nearest thing before `start`, 'personal' for a
    personal-data label, None for neither. Anything with a digit in between breaks the link."""
    window_start = max(0, start - _LOOKBACK)
    best: tuple[int, str] | None = None
    for kind in ("other", "personal"):
        for m in cues.pattern("labels", kind).finditer(text, window_start, start):
            if best is None or m.end() > best[0] or (m.end() == best[0] and kind == "other"):
                best = (m.end(), kind)
    if best is None or re.search(r"\d", text[best[0] : start]):
        return None
    if best[1] == "other" and re.search(r"[.!?](?:\s|$)", text[best[0] : start]):
        return None  # "… open an account. It is 899 059 582": a label names the number in its own sentence
    return best[1]


def _named(text: str, start: int, key: str) -> bool:
    """A BSN or card name ("BSN", "creditcard") is the nearest thing before `start`, with no digit between."""
    name = None
    for name in cues.pattern("labels", key).finditer(text, max(0, start - _LOOKBACK), start):
        pass
    return name is not None and not re.search(r"\d", text[name.end() : start]) and _label_before(text, start) != "other"


def _ibans(text: str) -> list[Span]:
    found = []
    position = 0
    while m := _IBAN.search(text, position):
        position = m.end()
        groups = m.group(0).split(" ")
        for count in range(len(groups), 0, -1):
            candidate = " ".join(groups[:count])
            compact = candidate.replace(" ", "").upper()
            if 15 <= len(compact) <= 34 and stdnum_iban.is_valid(compact, check_country=False):
                found.append((m.start(), m.start() + len(candidate), "IBAN"))
                position = m.start() + len(candidate)
                break
        else:
            position = m.start() + len(groups[0])  # the next group may start an IBAN ("en NL91 ...")
    return found


_PARAGRAPH_BACK = 240


def _bsn_in_paragraph(text: str, start: int) -> bool:
    """A BSN name earlier in the same paragraph ("mijn BSN? ik vulde in: 137353790", "mijn BSN is …
    en dat van mijn man is 986828282"): an 11-proof number there is one too."""
    window_start = max(0, start - _PARAGRAPH_BACK)
    paragraph_start = text.rfind("\n\n", window_start, start)
    return bool(cues.pattern("labels", "bsn").search(text, paragraph_start + 1 if paragraph_start >= 0 else window_start, start))


def _bsns(text: str) -> list[Span]:
    found = []
    for m in _NINE_DIGITS.finditer(text):
        digits = re.sub(r"\D", "", m.group(0))
        named = "." in m.group(0) or _named(text, m.start(), "bsn") or _bsn_in_paragraph(text, m.start())
        if stdnum_bsn.is_valid(digits) and named:
            if _label_before(text, m.start()) != "other":
                found.append((m.start(), m.end(), "BSN"))
    return found


def _cards(text: str) -> list[Span]:
    found = []
    for m in _CARD.finditer(text):
        digits = re.sub(r"\D", "", m.group(0))
        # Maestro cards can have 12 digits; so can order numbers, one in ten passing Luhn, so those need "kaart"/"card".
        long_enough = len(digits) >= 13 or (len(digits) == 12 and _named(text, m.start(), "card"))
        in_link = text[m.start() - 1 : m.start()] in ("/", "=") and m.start() > 0
        if long_enough and len(digits) <= 19 and luhn.is_valid(digits) and not digits.startswith("0") and not in_link:
            if _label_before(text, m.start()) != "other":
                found.append((m.start(), m.end(), "KAART"))
    return found


_WORD = re.compile(r"[^\W\d_]+")


def _regions(text: str) -> list[str]:
    """The regions whose national numbers the mail may hold: NL first, then those of the mail's language
    (its pack's `phones.regions`: GB and US for English) and those a country hint in the mail names."""
    words = [w.lower() for w in _WORD.findall(text[:5000])]
    languages, hints, hinted_regions = _region_cues()
    best = (0, [])
    for function_words, own_regions in languages:
        score = sum(map(function_words.__contains__, words))
        if score > best[0]:
            best = (score, own_regions)
    found = {m.lastgroup for m in hints.finditer(text)}
    hinted = [region for name, region in hinted_regions.items() if name in found]  # in the packs' order
    return list(dict.fromkeys(["NL"] + hinted + best[1]))


@cache
def _region_cues() -> tuple[list[tuple[frozenset[str], list[str]]], re.Pattern, dict[str, str]]:
    """Each language pack's function words and own phone regions; one pattern for every pack's country
    hints (one pass over the mail), with the region of each of its groups."""
    from ..packs import available_languages, load_pack

    languages, groups, regions = [], [], {}
    for language in available_languages():
        pack = load_pack(language)
        section = pack.section("masking") if pack else None
        phones = section.get("phones", {}) if section else {}
        languages.append((pack.words("function_words") if pack else frozenset(), list(phones.get("regions", []))))
        for region, words in phones.get("hints", {}).items():
            name = f"hint{len(groups)}"
            groups.append(f"(?P<{name}>{'|'.join(words)})")
            regions[name] = region
    hints = re.compile(rf"(?<!\w)(?:{'|'.join(groups)})(?!\w)", re.IGNORECASE) if groups else re.compile(r"(?!)")
    return languages, hints, regions


_SEVEN_DIGITS = re.compile(r"\d(?:[ ().-]{0,2}\d){6}")


_COUNTRY_CODE = re.compile(r"\+\s?\d")


# A stretch that may hold a phone number: four digits or more with the separators people write
# (short service numbers such as "14 020" too).
_PHONE_STRETCH = re.compile(r"[+(]?\d(?:[ \t().\-/]{0,3}\d){3,}")
_MARGIN = 24  # context libphonenumber reads around a number ("tel.", a letter glued to it)
# Regions with valid four-digit numbers in libphonenumber's plans (German 164x, 168x); elsewhere a
# four-digit stretch is a phone number only after a "+".
_FOUR_DIGIT_REGIONS = frozenset({"DE"})
_DIGITS = re.compile(r"[(]?\d(?:[ \t().\-/]{0,3}\d){3}")


def phone_matches(text: str, region: str, leniency) -> list:
    """libphonenumber's matches in `text`, found only in windows around digit stretches: its matcher
    costs milliseconds on a whole draft and most of a draft has no digits. Each match's start and end
    index into `text`."""
    found = []
    windows: list[list[int]] = []
    for m in _PHONE_STRETCH.finditer(text):
        if region not in _FOUR_DIGIT_REGIONS and m.group(0)[0] != "+" and _DIGITS.fullmatch(m.group(0)):
            continue  # a time or a year ("12.30", "2026"): four digits are no phone number here, "+4900" is
        start, end = max(0, m.start() - _MARGIN), min(len(text), m.end() + _MARGIN)
        if windows and start <= windows[-1][1]:
            windows[-1][1] = max(windows[-1][1], end)
        else:
            windows.append([start, end])
    for start, end in windows:
        for match in phonenumbers.PhoneNumberMatcher(text[start:end], region, leniency=leniency):
            match.start += start
            match.end += start
            found.append(match)
    return found


def _matches(text: str, region: str, valid_nl: list | None) -> list:
    """Valid numbers, and numbers after a "+" that are only possible: a country code marks a phone even
    where the numbering plan has no such range yet ("+44 7911 482 630")."""
    valid = valid_nl if region == "NL" and valid_nl is not None else phone_matches(text, region, phonenumbers.Leniency.VALID)
    if not _COUNTRY_CODE.search(text):
        return valid
    possible = [m for m in phone_matches(text, region, phonenumbers.Leniency.POSSIBLE)
                if m.raw_string.startswith("+") and not any(v.start < m.end and m.start < v.end for v in valid)]
    return sorted(valid + possible, key=lambda m: m.start)


def _phones(text: str, valid_nl: list | None) -> list[Span]:
    found: list[Span] = []
    if not _SEVEN_DIGITS.search(text):  # no phone number is shorter; spares libphonenumber's matcher
        return found
    for region in _regions(text):
        for match in _matches(text, region, valid_nl):
            raw = match.raw_string
            if match.start and text[match.start - 1].isalnum():
                continue  # digits glued to letters ("H01XYZ0012345678") are a code
            if region != "NL" and (raw.startswith(("+", "00")) or any(s < match.end and match.start < e for s, e, _ in found)):
                continue  # international numbers are read the same from any region; NL's reading comes first
            if _DATE_SHAPE.fullmatch(raw) or text[match.start - 1 : match.start] in ("/", "=", "#") and match.start:
                continue  # "09-06-2026" is a valid number to libphonenumber; an id in a link is no phone
            if _label_before(text, match.start) != "other":
                found.append((match.start, match.end, "TELEFOON"))
    return found


def _postcodes(text: str) -> list[Span]:
    """Postcodes in any case; in lower case the two letters must not be a word ("1500 en 20 euro")."""
    found = []
    for m in _POSTCODE.finditer(text):
        letters = m.group(2)
        labelled = re.search(r"postcode[ \t]*:?[ \t]*\Z", text[max(0, m.start() - 12) : m.start()], re.IGNORECASE)
        if not letters.isupper() and not labelled and (letters.lower() in short_words() or not letters.islower()):
            continue  # after "postcode" the letters are a postcode's, even when they spell a word ("3572 kg 14")
        found.append((m.start(), m.end(), "POSTCODE"))
    return found


@cache
def short_words() -> frozenset[str]:
    from ..packs import words_of_every_pack

    words = {w for w in words_of_every_pack("function_words") if len(w) == 2}
    return frozenset(words | {"en", "is", "of", "op", "in", "at", "to", "on", "om", "er", "je", "ik", "we", "my", "me", "no",
                              "so", "or", "an", "as", "by", "if", "it", "up", "us", "ca", "pm", "am", "kg", "km", "cm", "mm", "ml",
                              "uu", "xl", "eu", "nl", "be", "de", "du", "ja", "nu", "al", "zo", "ze", "na", "te", "tm", "st", "nd", "rd", "th"})


def spans(text: str, valid_nl_phones: list | None = None) -> list[Span]:
    """The numbers and codes in `text`. `valid_nl_phones`: `phone_matches(text, "NL", VALID)` when the caller
    has it already (libphonenumber's matcher is the costly part)."""
    found: list[Span] = [(m.start(), m.end(), "EMAIL") for m in EMAIL.finditer(text)]
    found += _ibans(text)
    found += [(m.start("date"), m.end("date"), "GEBOORTEDATUM") for m in birth_pattern().finditer(text)]
    found += _bsns(text) + _cards(text) + _phones(text, valid_nl_phones) + _postcodes(text)
    return found
