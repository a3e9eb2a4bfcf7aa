"""A pattern for a long list of phrases that only tries the phrases that can occur in the text.

`re` tries the alternatives of `a|b|c|…` one after the other at every word, so a pack's list of two
hundred phrases costs two hundred attempts at every word of a draft: once most of `check()`'s time
(docs/performance.md). Most phrases hold a literal that every match contains ("review" in
`(uw|je) (\\w+ )?review\\w*`), and a text without that literal cannot match the phrase. Before each
search, `PhrasePattern` drops the phrases whose literal is missing from the text (a few C-speed
substring tests) and runs the alternation of the rest, usually none or one.

It matches exactly what the full alternation matches: a dropped phrase matches nowhere in the text,
and the others keep their order. Texts with characters that `re` folds differently from
`str.lower()` (the long s, the Kelvin sign, dotted capital I) and very long texts get the full pattern.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from contextvars import ContextVar
from re import _constants as sre
from re import _parser as sre_parse

_SUBSTRING_LOOKUP_UP_TO = 20_000  # characters
_COMPILED_PER_PATTERN = 256
_REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT)
_NEVER = re.compile(r"(?!)")
# Characters that re.IGNORECASE matches to a letter other than their str.lower() ("ſ" matches "s"),
# and the dotted capital I, whose lower case is two characters.
try:
    from re._casefix import _EXTRA_CASES

    _ODD_FOLDS = re.compile("[" + re.escape("".join(
        c for c in {chr(c) for c in _EXTRA_CASES} | {chr(c) for cases in _EXTRA_CASES.values() for c in cases} | {"\u0130"}
        if not c.isascii()  # "i" and "s" are listed for their odd partners; the partners are what we look for
    )) + "]")
except ImportError:  # another Python's private layout: every character beyond Latin-1 takes the full pattern
    _ODD_FOLDS = re.compile(r"[^\x00-\xff]")


def wrap(phrases: list[str]) -> str:
    return "|".join(f"(?:{p})" for p in phrases)


class _Scope:
    """One text being checked: its lower case, its three-letter pieces, and the patterns narrowed to it."""

    def __init__(self, text: str, parts: list[str]) -> None:
        self.folded = text.lower()
        self._parts = parts  # held, so that their ids stay theirs while the scope lives
        self._known = {id(text)} | {id(part) for part in parts}
        self._small = len(text) <= _SUBSTRING_LOOKUP_UP_TO
        folded = self.folded
        self.trigrams = {folded[i : i + 3] for i in range(len(folded) - 2)}
        self.narrowed: dict[PhrasePattern, re.Pattern] = {}

    def covers(self, text: str) -> bool:
        """`text` is the scope's text or a part of it: a phrase missing from the whole is missing from it.
        Any part is looked up in a draft-sized text; in a longer one only the sentences are known, as a
        lookup would cost the whole text's length at every search."""
        return id(text) in self._known or (self._small and text.lower() in self.folded)


_scope: ContextVar[_Scope | None] = ContextVar("phrase_scope", default=None)


@contextmanager
def phrase_scope(text: str, parts: list[str]):
    """Within this block, phrase patterns searching `text` or a part of it try only the phrases it can hold.
    A text with characters `re` folds oddly gets the full patterns."""
    if _ODD_FOLDS.search(text):
        yield
        return
    token = _scope.set(_Scope(text, parts))
    try:
        yield
    finally:
        _scope.reset(token)


class PhrasePattern:
    """A compiled `(?<![\\w])(?:phrase|phrase|…)(?![\\w])` that, inside a `phrase_scope`, searches the
    scope's text and its parts with only the phrases that text can hold.

    It offers the `re.Pattern` methods the checks use; `pattern` is the full source."""

    def __init__(self, phrases: list[str], template: str, flags: int) -> None:
        self._phrases = phrases
        self._template = template
        self._flags = flags
        self._full = re.compile(template.format(wrap(phrases)), flags)
        self._compiled: dict[tuple[int, ...], re.Pattern] = {}
        self.pattern = self._full.pattern
        self.flags = self._full.flags
        # The literals, indexed by their first three letters: a text's three-letter pieces pick the
        # few literals worth a substring test, and each found literal ticks off the sets it is in.
        anchors = [_anchor_sets(p) for p in phrases]
        self._needed = [len(sets) for sets in anchors]
        self._free = [i for i, sets in enumerate(anchors) if not sets]
        self._sets_of: dict[str, list[tuple[int, int]]] = {}
        for i, sets in enumerate(anchors):
            for j, literals in enumerate(sets):
                for literal in literals:
                    self._sets_of.setdefault(literal, []).append((i, j))
        self._by_trigram: dict[str, list[str]] = {}
        for literal in self._sets_of:
            self._by_trigram.setdefault(literal[:3], []).append(literal)

    def __repr__(self) -> str:
        return f"PhrasePattern({len(self._phrases)} phrases)"

    def for_text(self, text: str) -> re.Pattern:
        """The pattern that matches `text` exactly as the full one does, with as few phrases as the scope allows."""
        scope = _scope.get()
        if scope is None or not scope.covers(text):
            return self._full
        narrowed = scope.narrowed.get(self)
        if narrowed is None:
            narrowed = scope.narrowed[self] = self._with(self._live(scope))
        return narrowed

    def _live(self, scope: _Scope) -> tuple[int, ...]:
        ticked: dict[int, set[int]] = {}
        for trigram in self._by_trigram.keys() & scope.trigrams:
            for literal in self._by_trigram[trigram]:
                if literal in scope.folded:
                    for i, j in self._sets_of[literal]:
                        ticked.setdefault(i, set()).add(j)
        return tuple(sorted(self._free + [i for i, sets in ticked.items() if len(sets) == self._needed[i]]))

    def _with(self, live: tuple[int, ...]) -> re.Pattern:
        if len(live) == len(self._phrases):
            return self._full
        if not live:
            return _NEVER
        compiled = self._compiled.get(live)
        if compiled is None:
            if len(self._compiled) >= _COMPILED_PER_PATTERN:
                self._compiled.clear()
            compiled = re.compile(self._template.format(wrap([self._phrases[i] for i in live])), self._flags)
            self._compiled[live] = compiled
        return compiled

    def search(self, text: str, pos: int = 0, endpos: int = 2**63 - 1) -> re.Match | None:
        return self.for_text(text).search(text, pos, endpos)

    def match(self, text: str, pos: int = 0, endpos: int = 2**63 - 1) -> re.Match | None:
        return self.for_text(text).match(text, pos, endpos)

    def fullmatch(self, text: str, pos: int = 0, endpos: int = 2**63 - 1) -> re.Match | None:
        return self.for_text(text).fullmatch(text, pos, endpos)

    def finditer(self, text: str, pos: int = 0, endpos: int = 2**63 - 1):
        return self.for_text(text).finditer(text, pos, endpos)

    def findall(self, text: str, pos: int = 0, endpos: int = 2**63 - 1) -> list:
        return self.for_text(text).findall(text, pos, endpos)

    def sub(self, replacement, text: str, count: int = 0) -> str:
        return self.for_text(text).sub(replacement, text, count)

    def split(self, text: str, maxsplit: int = 0) -> list:
        return self.for_text(text).split(text, maxsplit)


def _anchor_sets(phrase: str) -> tuple[frozenset[str], ...]:
    """Sets of lower-case literals such that every match of `phrase` holds at least one literal of each
    set; empty when none is known. The most selective set comes first."""
    try:
        parsed = sre_parse.parse(phrase, re.IGNORECASE)
    except re.error:
        return ()
    sets = {frozenset(a.lower() for a in found) for found in _anchors(list(parsed))}
    # Only literals of three or more letters are indexed: a set with a shorter one ("u", "we") says little
    # and is left out, which only keeps more phrases.
    sets = {s for s in sets if all(len(a) >= 3 for a in s)}
    return tuple(sorted(sets, key=lambda s: (-min(map(len, s)), len(s), sorted(s))))


def _anchors(items: list) -> list[set[str]]:
    """The anchor sets of a parsed sequence: each run of literals, and each required group's, repeat's
    or branch's own set (a branch gives one set: a literal of each of its alternatives)."""
    sets: list[set[str]] = []
    run: list[str] = []
    for op, value in items + [(None, None)]:
        if op is sre.LITERAL:
            run.append(chr(value))
            continue
        if run:
            sets.append({"".join(run)})
            run = []
        sets += _item_anchors(op, value)
    return sets


def _item_anchors(op, value) -> list[set[str]]:
    if op is sre.SUBPATTERN:
        return _anchors(list(value[-1]))
    if op is sre.BRANCH:
        best = [_most_selective(_anchors(list(branch))) for branch in value[1]]
        return [set().union(*best)] if best and all(best) else []
    if op in _REPEATS and value[0] >= 1:
        return _anchors(list(value[2]))
    return []


def _most_selective(sets: list[set[str]]) -> set[str] | None:
    return max(sets, key=lambda s: (min(map(len, s)), -len(s))) if sets else None
