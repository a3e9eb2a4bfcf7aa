"""Known first names and surnames, from Faker's person providers (the locales each pack names).

Faker is the standard, MIT-licensed source of first names per country; masking imports the provider
modules directly (no Faker() instance), once per process and only when a mail is first masked
(its cost, most of it importing the faker package: docs/performance.md). A name that is also a common word of the
language ("Will", "Mark", "June", "Dan") counts only with a capitalised surname after it; a name that
is a function word or a word masking already knows is no name ("Beste", "Ben", "Van").
"""

from __future__ import annotations

import importlib
from functools import cache

from wordfreq import zipf_frequency

from . import cues

# A word this frequent in Dutch or English text (zipf, wordfreq) is a word first and a name second.
COMMON = 5.0
# A lower-case surname must be this rare as a word ("kees jansen", never "kees gebeld").
RARE = 3.0


def _provider_names(attributes: tuple[str, ...]) -> set[str]:
    names: set[str] = set()
    for locale in cues.values("names", "name_locales"):
        try:
            provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        except (ImportError, AttributeError):
            continue
        for attribute in attributes:
            value = getattr(provider, attribute, ())
            names.update(value.keys() if isinstance(value, dict) else value)
    return names


@cache
def first_names() -> frozenset[str]:
    stop = cues.words("names", "not_names") | cues.words("names", "greeting_words")
    from ..packs import available_languages, load_pack

    names = _provider_names(("first_names", "first_names_male", "first_names_female"))
    for language in available_languages():  # a pack's own first_names.txt adds what Faker lacks
        pack = load_pack(language)
        names |= set(pack.words("first_names")) if pack else set()
    from .name_reading import particles

    stop |= particles()
    return frozenset(n.lower() for n in names if len(n) > 1 and n.isalpha() and n.lower() not in stop)


@cache
def last_names() -> frozenset[str]:
    """Surname words in lower case, particles dropped ("van Beek" gives "beek")."""
    return frozenset(w.lower() for n in _provider_names(("last_names",)) for w in n.replace("-", " ").split() if len(w) > 2)


@cache
def frequency(word: str) -> float:
    word = word.lower()
    return max(zipf_frequency(word, "nl"), zipf_frequency(word, "en"))


def is_first_name(word: str) -> bool:
    """A known first name, also hyphenated ("Willem-Jan"), in any case; not in all capitals ("KIM" is a code)."""
    if len(word) > 1 and word.isupper():
        return False
    parts = word.lower().split("-")
    return all(p in first_names() for p in parts)


def is_common(word: str) -> bool:
    """A common word or a function word ("Elke", "Ben", "Will"): as a first name it needs a capitalised surname."""
    from .name_reading import stop_words

    return frequency(word) >= COMMON or word.lower() in stop_words()


def surname_like(word: str, lower_case: bool, after_particle: bool) -> bool:
    """A word in a surname's place: capitalised and no common word, or (in a lower-case name) a known
    surname or a rare word."""
    from .name_reading import particles, stop_words, street_word

    core = word.lower()
    if core in stop_words() or core in particles() or not word[:1].isalpha() or street_word(core):
        return False
    if word[:1].isupper() and not word.isupper():
        if is_first_name(word) and not is_common(word):  # a middle name: "Jan Willem Brouwer"
            return True
        return core.split("-")[0] in last_names() or frequency(core.split("-")[0]) < 4.5
    if not lower_case or not word.islower():
        return False
    return core in last_names() or frequency(core) < (4.0 if after_particle else RARE)
