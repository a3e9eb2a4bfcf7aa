"""The cues masking reads from the language packs: the `masking` section of every pack, merged.

A mail mixes languages (a Dutch mail with an English signature, an English mail to a Dutch shop), so
masking looks for the cues of all packs at once; a new language is its pack's `masking.toml`.
"""

from __future__ import annotations

import re
from functools import cache

from ..packs import available_languages, compile_phrases, load_pack


@cache
def values(table: str, key: str) -> tuple[str, ...]:
    """The list `key` of table `table`, from every pack, in pack order without repeats."""
    seen: dict[str, None] = {}
    for language in available_languages():
        pack = load_pack(language)
        section = pack.section("masking") if pack else None
        for value in (section.get(table, {}) if section else {}).get(key, []):
            seen.setdefault(value, None)
    return tuple(seen)


@cache
def words(table: str, key: str) -> frozenset[str]:
    return frozenset(v.lower() for v in values(table, key))


@cache
def pattern(table: str, key: str) -> re.Pattern:
    """`<key>_patterns` of every pack as one case-insensitive pattern on word boundaries."""
    return compile_phrases(values(table, f"{key}_patterns"))


@cache
def alternation(table: str, key: str) -> str:
    """A list of plain words as a regex alternation, longest first."""
    return "|".join(re.escape(w) for w in sorted(values(table, key), key=len, reverse=True))
