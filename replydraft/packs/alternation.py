"""Pack phrase lists as patterns that, inside a check, try only the phrases the draft can hold.

`re` tries the alternatives of `a|b|c|…` one after the other at every word, so a pack's list of two
hundred phrases costs two hundred attempts at every word of a draft: once most of `check()`'s time
(docs/performance.md). Every phrase holds literals that each of its matches contains ("review" in
`(uw|je) (\\w+ )?review\\w*`, one of "uw"/"je" too), and a draft without them cannot match it.

`check()` opens a `phrase_scope` for the draft. The scope finds once which of all the packs' literals
the draft may hold (those whose three-character pieces are all in it), and each `PhrasePattern` then
searches the draft, its sentences and other parts of it with only its live phrases: none (the pattern
cannot match, `can_match` is False), up to 32 searched one by one in a sentence-sized text (each skipped
when that text lacks its literals: a phrase live in the draft is absent from most of its sentences), or
compiled together in blocks. Outside a scope, and on texts that are not part of the draft, the full
alternation runs.

The matches are the full alternation's, phrase for phrase: a dropped phrase matches nowhere in the
draft, and the others keep their order. Group numbers are not kept: callers use the whole match,
its span, or a named group that only one phrase holds. A draft with characters that `re` folds
differently from `str.lower()` (the long s, the Kelvin sign, dotted capital I) gets full patterns.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from contextvars import ContextVar
from re import _constants as sre
from re import _parser as sre_parse

_SUBSTRING_LOOKUP_UP_TO = 20_000  # characters
_COMPILED_PER_PATTERN = 256
_BLOCK = 16  # phrases per block
_GATE_SETS = 2
_FIRST_OF_UP_TO = 32  # live phrases searched one by one rather than compiled together ...
_FIRST_OF_TEXT_UP_TO = 4_000  # ... in a text of up to this many characters: one search per phrase would scan
# a long text once per phrase at every call, and each call folds the text's case to pick its phrases
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


class _Index:
    """Every phrase pattern's literals, indexed by their first three characters; it only grows, as packs load."""

    def __init__(self) -> None:
        self.version = 0
        self.by_first: dict[str, list[str]] = {}
        self.trigrams_of: dict[str, frozenset[str]] = {}
        self.short: list[str] = []
        self.firsts: frozenset[str] = frozenset()

    def add(self, literals) -> None:
        for literal in literals:
            if literal in self.trigrams_of or literal in self.short:
                continue
            if len(literal) < 3:
                self.short.append(literal)
                continue
            self.trigrams_of[literal] = frozenset(literal[i : i + 3] for i in range(len(literal) - 2))
            self.by_first.setdefault(literal[:3], []).append(literal)
        self.firsts = frozenset(self.by_first)
        self.version += 1


_INDEX = _Index()


class _Scope:
    """One text being checked: its lower case, its three-character pieces, the indexed literals it may
    hold (all of a literal's pieces are in the text: a superset of the literals it holds, which only
    keeps more phrases), and the patterns narrowed to it."""

    def __init__(self, text: str, parts: list[str]) -> None:
        self.folded = text.lower()
        self._parts = parts  # held, so that their ids stay theirs while the scope lives
        self._known = {id(text)} | {id(part) for part in parts}
        self._small = len(text) <= _SUBSTRING_LOOKUP_UP_TO
        folded = self.folded
        self.trigrams = {folded[i : i + 3] for i in range(len(folded) - 2)}
        self.narrowed: dict[PhrasePattern, _Narrowed] = {}
        self._present: frozenset[str] = frozenset()
        self._version = -1

    def covers(self, text: str) -> bool:
        """`text` is the scope's text or a part of it: a phrase missing from the whole is missing from it.
        Any part is looked up in a draft-sized text; in a longer one only the sentences are known, as a
        lookup would cost the whole text's length at every search."""
        return id(text) in self._known or (self._small and text.lower() in self.folded)

    def present(self) -> frozenset[str]:
        if self._version != _INDEX.version:
            trigrams, trigrams_of = self.trigrams, _INDEX.trigrams_of
            found = {literal for first in _INDEX.firsts & trigrams for literal in _INDEX.by_first[first]
                     if trigrams_of[literal] <= trigrams}
            found.update(literal for literal in _INDEX.short if literal in self.folded)
            self._present, self._version = frozenset(found), _INDEX.version
        return self._present


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


class _Narrowed:
    """A pattern's live phrases in one scope, and what searches with them: `fixed` when no phrase or every
    phrase is live, else `short` for sentence-sized texts (a few phrases) and `blocks`, built when first needed."""

    __slots__ = ("blocks", "fixed", "phrases", "short")

    def __init__(self, phrases: tuple[int, ...]) -> None:
        self.phrases = phrases
        self.fixed: re.Pattern | None = None
        self.short: _FirstOf | None = None
        self.blocks: re.Pattern | None = None


class PhrasePattern:
    """A compiled `(?<![\\w])(?:phrase|phrase|…)(?![\\w])` that, inside a `phrase_scope`, searches the
    scope's text and its parts with only the phrases that text can hold.

    It offers the `re.Pattern` methods the checks use; `pattern` is the full source."""

    def __init__(self, phrases: list[str], template: str, flags: int) -> None:
        self._phrases = phrases
        self._template = template
        self._flags = flags
        self._full = self._compile(phrases) if phrases else _NEVER
        self._compiled: dict[tuple[int, ...], re.Pattern] = {}  # by block numbers
        self.pattern = self._full.pattern
        self.flags = self._full.flags
        # Each literal a text may hold ticks off the anchor sets it is in; a phrase whose sets are all
        # ticked (or that has none) can match.
        anchors = [_anchor_sets(p) for p in phrases]
        self._needed = [len(sets) for sets in anchors]
        self._free = [i for i, sets in enumerate(anchors) if not sets]
        self._sets_of: dict[str, list[tuple[int, int]]] = {}
        for i, sets in enumerate(anchors):
            for j, literals in enumerate(sets):
                for literal in literals:
                    self._sets_of.setdefault(literal, []).append((i, j))
        self._literals = frozenset(self._sets_of)
        _INDEX.add(self._literals)
        self._singles: dict[int, re.Pattern] = {}
        self._never_empty = [not _can_be_empty(p) for p in phrases]
        # A sentence lacking a literal of each of a phrase's two most selective sets skips that phrase (testing
        # every set would cost more than it saves: the others are short and common).
        self._gates = [sets[:_GATE_SETS] for sets in anchors]

    def __repr__(self) -> str:
        return f"PhrasePattern({len(self._phrases)} phrases)"

    def for_text(self, text: str) -> re.Pattern | _FirstOf:
        """The pattern that matches `text` exactly as the full one does, with as few phrases as the scope allows."""
        scope = _scope.get()
        if scope is None or not scope.covers(text):
            return self._full
        narrowed = scope.narrowed.get(self)
        if narrowed is None:
            narrowed = scope.narrowed[self] = self._narrowed(self._live(scope))
        if narrowed.fixed is not None:
            return narrowed.fixed
        if narrowed.short is not None and len(text) <= _FIRST_OF_TEXT_UP_TO:
            return narrowed.short
        if narrowed.blocks is None:
            narrowed.blocks = self._blocks(narrowed.phrases)
        return narrowed.blocks

    def _narrowed(self, live: tuple[int, ...]) -> _Narrowed:
        narrowed = _Narrowed(live)
        if not live:
            narrowed.fixed = _NEVER
        elif len(live) == len(self._phrases):
            narrowed.fixed = self._full
        elif len(live) <= _FIRST_OF_UP_TO and all(self._never_empty[i] for i in live):
            narrowed.short = _FirstOf([self._single(i) for i in live], [self._gates[i] for i in live])
        return narrowed

    def _live(self, scope: _Scope) -> tuple[int, ...]:
        ticked: dict[int, set[int]] = {}
        for literal in self._literals & scope.present():
            for i, j in self._sets_of[literal]:
                ticked.setdefault(i, set()).add(j)
        return tuple(sorted(self._free + [i for i, sets in ticked.items() if len(sets) == self._needed[i]]))

    def _blocks(self, live: tuple[int, ...]) -> re.Pattern:
        """The live phrases compiled together, in blocks, so that drafts share compiled patterns (a
        pattern for every exact set of phrases would be compiled anew for most drafts)."""
        blocks = tuple(sorted({i // _BLOCK for i in live}))
        compiled = self._compiled.get(blocks)
        if compiled is None:
            if len(self._compiled) >= _COMPILED_PER_PATTERN:
                self._compiled.clear()
            compiled = self._compile([p for i, p in enumerate(self._phrases) if i // _BLOCK in blocks])
            self._compiled[blocks] = compiled
        return compiled

    def _single(self, i: int) -> re.Pattern:
        single = self._singles.get(i)
        if single is None:
            single = self._singles[i] = self._compile([self._phrases[i]])
        return single

    def _compile(self, phrases: list[str]) -> re.Pattern:
        return re.compile(self._template.format(wrap(phrases)), self._flags)

    def can_match(self, text: str) -> bool:
        """False when no phrase can match `text` (inside a scope that covers it): a check can skip its work."""
        return self.for_text(text) is not _NEVER

    def search(self, text: str, pos: int = 0, endpos: int = 2**63 - 1) -> re.Match | None:
        return self.for_text(text).search(text, pos, endpos)

    def match(self, text: str, pos: int = 0, endpos: int = 2**63 - 1) -> re.Match | None:
        return self.for_text(text).match(text, pos, endpos)

    def fullmatch(self, text: str, pos: int = 0, endpos: int = 2**63 - 1) -> re.Match | None:
        return self.for_text(text).fullmatch(text, pos, endpos)

    def finditer(self, text: str, pos: int = 0, endpos: int = 2**63 - 1):
        return self.for_text(text).finditer(text, pos, endpos)

    def findall(self, text: str, pos: int = 0, endpos: int = 2**63 - 1) -> list:
        return self._full.findall(text, pos, endpos)  # its groups are the full pattern's

    def sub(self, replacement, text: str, count: int = 0) -> str:
        return self._full.sub(replacement, text, count)

    def split(self, text: str, maxsplit: int = 0) -> list:
        return self._full.split(text, maxsplit)


class _FirstOf:
    """The alternation of a few phrase patterns without compiling it: at the leftmost position where any
    of them matches, the first of them that matches there, as `re` picks in `a|b|c`. Compiling a pattern
    for every few phrases a draft can hold would cost more than the searches.

    Each search first drops the phrases whose anchor literals the searched text lacks: a phrase live in
    the draft is usually absent from a given sentence, and a substring test costs far less than a search."""

    def __init__(self, patterns: list[re.Pattern], gates: list[tuple[frozenset[str], ...]]) -> None:
        self._items = list(zip(patterns, gates))
        self._anchors = tuple({anchor for gate in gates for anchors in gate for anchor in anchors})
        self._last: tuple[str, list[re.Pattern]] | None = None  # checks often search one sentence several times

    def _candidates(self, text: str) -> list[re.Pattern]:
        if self._last is not None and self._last[0] is text:
            return self._last[1]
        folded = text.lower()
        held = {anchor for anchor in self._anchors if anchor in folded}
        candidates = [pattern for pattern, gate in self._items if all(not held.isdisjoint(anchors) for anchors in gate)]
        self._last = (text, candidates)
        return candidates

    def search(self, text: str, pos: int = 0, endpos: int = 2**63 - 1) -> re.Match | None:
        best = None
        for pattern in self._candidates(text):
            found = pattern.search(text, pos, endpos)
            if found is not None and (best is None or found.start() < best.start()):
                best = found
        return best

    def match(self, text: str, pos: int = 0, endpos: int = 2**63 - 1) -> re.Match | None:
        return next((m for p in self._candidates(text) if (m := p.match(text, pos, endpos)) is not None), None)

    def fullmatch(self, text: str, pos: int = 0, endpos: int = 2**63 - 1) -> re.Match | None:
        return next((m for p in self._candidates(text) if (m := p.fullmatch(text, pos, endpos)) is not None), None)

    def finditer(self, text: str, pos: int = 0, endpos: int = 2**63 - 1):
        """Each pattern's next match is kept until the scan passes its start: every pattern searches
        each stretch of the text once, as in one pass of the alternation."""
        patterns = self._candidates(text)
        upcoming = [p.search(text, pos, endpos) for p in patterns]
        while True:
            best = None
            for i, found in enumerate(upcoming):
                if found is not None and (best is None or found.start() < upcoming[best].start()):
                    best = i
            if best is None:
                return
            match = upcoming[best]
            yield match
            resume = match.end()  # never empty: only phrases that cannot match empty come here
            for i, found in enumerate(upcoming):
                if found is not None and found.start() < resume:
                    upcoming[i] = patterns[i].search(text, resume, endpos)


def _anchor_sets(phrase: str) -> tuple[frozenset[str], ...]:
    """Sets of lower-case literals such that every match of `phrase` holds at least one literal of each
    set; empty when none is known. The most selective set comes first."""
    try:
        parsed = sre_parse.parse(phrase, re.IGNORECASE)
    except re.error:
        return ()
    sets = {frozenset(a.lower() for a in found) for found in _anchors(list(parsed))}
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


def _can_be_empty(phrase: str) -> bool:
    try:
        parsed = sre_parse.parse(phrase, re.IGNORECASE)
    except re.error:
        return True
    return parsed.getwidth()[0] == 0
