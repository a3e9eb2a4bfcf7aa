"""What a reader makes of one word: its syllables, its frequency, whether it is rare, difficult or officialese.

Syllables come from textstat for Dutch and from pyphen's en_US patterns for English (textstat's
English path downloads NLTK's cmudict); frequencies from wordfreq. The word lists and thresholds
live in the language packs (`readability.toml`).
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

import pyphen
from wordfreq import zipf_frequency

from ..packs import compile_phrases, load_pack
from ..tokenizer import Token


@cache
def readability_settings(language: str, table: str) -> dict:
    return load_pack(language).section("readability").get(table, {})


@cache
def word_lists(language: str) -> dict[str, frozenset[str]]:
    pack = load_pack(language)
    names = ("function_words", "subordinators", "negations", "relative_pronouns", "zijn_participles")
    lists = {name: pack.words(name) for name in names}
    lists["function"] = lists["function_words"]
    lists["relatives"] = lists["relative_pronouns"]
    return lists


@cache
def officialese(language: str) -> tuple[re.Pattern, dict[str, str]]:
    """The pack's officialese list: a pattern over all entries and each entry's plain alternative."""
    alternatives = load_pack(language).table("officialese")
    return compile_phrases([re.escape(w) for w in alternatives]), alternatives


@cache
def _en_hyphenator() -> pyphen.Pyphen:
    return pyphen.Pyphen(lang="en_US")


# Longer than any word. wordfreq's longest Dutch and English entries have 37 and 34 letters, so a
# longer string has frequency 0; a Dutch compound whose halves both reach zipf 2.5 has at most
# 28 + 2 + 28 = 58 letters (28: the longest such word, "wereldgezondheidsorganisatie"; 2: a linking
# "en"), so the split below cannot pass beyond this either. A longer token (a pasted hash, a run of
# letters) is rare and its syllables are counted as vowel groups: no wordfreq call, compound split or
# pyphen pass (each costs its length or more, the split its length squared) and no cache entry.
_LONGEST_WORD = 60
_VOWEL_GROUPS = re.compile(r"[aeiouyàáâäèéêëìíîïòóôöùúûü]+", re.IGNORECASE)


def syllables(word: str, language: str) -> int:
    if len(word) > _LONGEST_WORD:
        return max(1, len(_VOWEL_GROUPS.findall(word)))
    return _syllables(word, language)


@lru_cache(maxsize=65536)
def _syllables(word: str, language: str) -> int:
    if language == "nl":
        from textstat.backend.counts import count_syllables  # imported where used: textstat is slow to import

        return max(1, count_syllables(word, "nl"))
    return len(_en_hyphenator().positions(word.lower())) + 1


def _zipf(word: str, language: str) -> float:
    return 0.0 if len(word) > _LONGEST_WORD else _word_zipf(word, language)


@lru_cache(maxsize=65536)
def _word_zipf(word: str, language: str) -> float:
    return zipf_frequency(word, language)


_LINKING = ("", "s", "e", "en")


def is_rare(word: str, language: str, threshold: float) -> bool:
    """Rare unless the word, or both halves of a Dutch compound, are common (see `_is_rare`)."""
    return len(word) > _LONGEST_WORD or _is_rare(word, language, threshold)


@lru_cache(maxsize=65536)
def _is_rare(word: str, language: str, threshold: float) -> bool:
    """Rare unless the word, or both halves of a Dutch compound, are common.

    Dutch writes compounds as one word ("reiskosten", "documentnummer"); readers know them from
    their parts, while wordfreq sees a rare string. The expert edits in the Amsterdam pairs keep
    such compounds, so counting them as rare made simple sentences look harder.
    """
    if _zipf(word, language) >= threshold:
        return False
    if language != "nl" or len(word) < 8:
        return True
    for cut in range(3, len(word) - 2):
        head, tail = word[:cut], word[cut:]
        if _zipf(tail, language) < threshold or len(tail) < 3:
            continue
        for link in _LINKING:
            if head.endswith(link) and len(head) - len(link) >= 3 and _zipf(head[: len(head) - len(link)], language) >= threshold:
                return False
    return True


def maybe_name(token: Token, language: str) -> bool:
    """A capitalised sentence-initial word that is not a known word: perhaps a name ("Verhoeven belt u")."""
    return token.value[:1].isupper() and _zipf(token.lower, language) < 2.0 and not difficult_word(token.lower, language)[1]


def is_content_word(token: Token, language: str, sentence_start: bool) -> bool:
    if not token.is_alpha_word or len(token.value) < 3:
        return False
    if token.value[:1].isupper() and not sentence_start:
        return False  # a name or a brand, not vocabulary
    return token.lower not in word_lists(language)["function"]


@lru_cache(maxsize=65536)
def difficult_word(word: str, language: str) -> tuple[bool, str | None]:
    """Whether a (lower-cased) word is hard for many B1 readers, and its plain alternative when the pack has one."""
    pack = load_pack(language)
    table = pack.table("difficult_words")
    base = pack.grammar.lemma(word)
    for form in (word, base, *sorted(_base_forms(word, base, language) - {word, base})):
        if form in table:
            return True, (table[form] if table[form] not in ("", "-") else None)
    official = officialese(language)[1]
    if base != word and base in official:  # "escalated": a form of an officialese word the list does not spell
        return True, official[base]
    return _difficult_by_shape(word, base, language), None


@lru_cache(maxsize=65536)
def _difficult_by_shape(word: str, base: str, language: str) -> bool:
    settings = readability_settings(language, "difficult")
    plain = _plain_formal(language)
    if len(word) < settings["min_letters"] or word in plain or base in plain or word.removesuffix("s") in plain:
        return False
    if _prefixed_common(word, language):
        return False
    frequency = max(_zipf(form, language) for form in _base_forms(word, base, language))
    if frequency < settings["formal_zipf"]:
        grammar = load_pack(language).grammar
        formal = _formal_pattern(language).fullmatch(word) or grammar.latinate_verb(base, lambda w: _zipf(w, language))
        # "stadsdeel", "waterkwaliteit": a compound ending in a common word is read through its parts
        if formal and is_rare(word, language, settings["formal_zipf"]):
            return True
    if _banded_shape(word, base, frequency, language) or _abstract_nominalisation(word, frequency, language):
        return True
    return frequency < settings["rare_zipf"] and is_rare(word, language, 3.0)


def _base_forms(word: str, base: str, language: str) -> set[str]:
    """The word, its lemma, and the forms the pack's `base_endings` give ("verifying" -> "verify",
    "posities" -> "positie"): a word's frequency is its most frequent form's, so an inflection of a
    common word is as plain as the word."""
    forms = {word, base}
    for ending, replacement in readability_settings(language, "difficult").get("base_endings", []):
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            forms.add(word[: len(word) - len(ending)] + replacement)
    return forms


def _banded_shape(word: str, base: str, frequency: float, language: str) -> bool:
    """A word built like a Latinate loan, less frequent than the band the pack gives that shape
    ("migratie" under the band of -atie nouns, "unilateral" under that of -al adjectives)."""
    for band, pattern in _shape_bands(language):
        if frequency < band and (pattern.fullmatch(word) or pattern.fullmatch(base)) and is_rare(word, language, band):
            return True
    return False


def _abstract_nominalisation(word: str, frequency: float, language: str) -> bool:
    """An uncommon abstract noun built on a formal or uncommon stem: a -heid noun on a rare adjective
    ("ontvankelijkheid"), a her- noun on a nominalisation ("heroverweging"). A compound of common
    parts is read through its parts and stays plain."""
    for rule, pattern in _nominalisations(language):
        found = pattern.fullmatch(word) if frequency < rule["zipf"] else None
        if not found:
            continue
        parts = found.groupdict()
        stem, rest = parts.get("stem"), parts.get("rest")
        if stem and is_rare(word, language, 3.0) and (_zipf(stem, language) < rule["stem_zipf"] or difficult_word(stem, language)[0]):
            return True
        if rest and _zipf(rest, language) >= rule["rest_zipf"]:
            return True
    return False


@cache
def _shape_bands(language: str) -> tuple[tuple[float, re.Pattern], ...]:
    return tuple(
        (band["zipf"], re.compile("|".join(f"(?:{p})" for p in band["patterns"])))
        for band in readability_settings(language, "difficult").get("bands", [])
    )


@cache
def _nominalisations(language: str) -> tuple[tuple[dict, re.Pattern], ...]:
    return tuple((rule, re.compile(rule["pattern"])) for rule in readability_settings(language, "difficult").get("nominalisations", []))


@lru_cache(maxsize=65536)
def rare_for_readers(word: str, language: str, threshold: float) -> bool:
    """Rare, and not a form of a common word: "restarting" and "reinstalling" are read as "restart"
    and "install", whatever the frequency of that exact spelling."""
    if not is_rare(word, language, threshold) or _prefixed_common(word, language):
        return False
    base = load_pack(language).grammar.lemma(word)
    return all(is_rare(form, language, threshold) for form in _base_forms(word, base, language))


def _prefixed_common(word: str, language: str) -> bool:
    """A common word behind a productive prefix ("reinstall", "unmute", "nonrefundable") is no hard word."""
    for prefix in readability_settings(language, "difficult").get("plain_prefixes", "").split():
        rest = word[len(prefix):].lstrip("-")
        if word.startswith(prefix) and len(rest) >= 4 and (_zipf(rest, language) >= 3.0 or rest in _plain_formal(language)):
            return not difficult_word(rest, language)[0]  # "misconfiguration" is as hard as "configuration"
    return False


@cache
def _plain_formal(language: str) -> frozenset[str]:
    return frozenset(readability_settings(language, "difficult").get("plain_formal", "").split())


@cache
def _formal_pattern(language: str) -> re.Pattern:
    return re.compile("|".join(f"(?:{p})" for p in readability_settings(language, "difficult")["formal_patterns"]))

