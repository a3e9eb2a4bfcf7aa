"""Language packs: everything the post-check knows about one language, kept as data.

A pack is a folder `replydraft/packs/<language>/` holding:

- `*.toml`: one file per rule family (`conditionality.toml`, `phrases.toml`, `readability.toml`, ...).
  Each file's tables are read as they are; a key ending in `_patterns` holds a list of regular
  expressions, compiled into one case-insensitive pattern matched on word boundaries. A phrase may
  name a word family as `%name%`, filled from the list `name_words` of the same table: the phrase
  describes the parts of a structure, the family holds their words.
- `*.txt`: word lists, whitespace-separated, `#` starts a comment.
- `*.tsv`: two-column tables (`word<TAB>plain alternative`), `#` starts a comment.

A language is supported by the checks when its pack exists; a new language is one new folder.
What cannot be data (a grammar rule such as Dutch participles) lives in the language's one small
module, `replydraft/packs/<language>/grammar.py`, reached through `Pack.grammar`.
"""

from __future__ import annotations

import importlib
import re
import tomllib
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path
from types import ModuleType
from typing import Any

from .alternation import PhrasePattern

_HERE = Path(__file__).resolve().parent


def available_languages() -> tuple[str, ...]:
    return tuple(sorted(p.name for p in _HERE.iterdir() if p.is_dir() and not p.name.startswith("_")))


@cache
def words_of_every_pack(name: str) -> frozenset[str]:
    """The word list `name` (e.g. "function_words") of every pack together: a Dutch mail carries English
    words, and the other way round."""
    return frozenset(w for language in available_languages() for w in load_pack(language).words(name))


def compile_phrases(phrases: list[str] | tuple[str, ...]) -> re.Pattern | PhrasePattern:
    """One case-insensitive pattern for a list of regex phrases, matched on word boundaries; inside a
    check it searches with only the phrases the draft can hold (`alternation.py`)."""
    return PhrasePattern(sorted(phrases, key=len, reverse=True), r"(?<![\w])(?:{})(?![\w])", re.IGNORECASE)


@dataclass(frozen=True)
class Section:
    """One table of a pack file: values as written, `*_patterns` lists compiled on first use."""

    name: str
    values: dict[str, Any]
    _compiled: dict[str, re.Pattern] = field(default_factory=dict, compare=False, repr=False)

    def __getitem__(self, key: str) -> Any:
        return self.values[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)

    def pattern(self, key: str) -> re.Pattern:
        """The compiled pattern of `<key>_patterns` (or `key` itself when it ends in `_patterns`)."""
        found = self._compiled.get(key)  # cached under the key as called: no string built on the hot path
        if found is None:
            name = key if key.endswith("_patterns") else f"{key}_patterns"
            found = self._compiled.get(name) or compile_phrases(self._expanded(self.values.get(name, [])))
            self._compiled[name] = self._compiled[key] = found
        return found

    def _expanded(self, phrases: list[str]) -> list[str]:
        """Phrases with `%family%` slots filled from the list `family_words` of the same table: one phrase names a
        structure ("the customer + an acquiring verb + a product noun") and the families hold the words, so a word
        added to a family reaches every structure that uses it. A slot without such a list stays as written."""
        def fill(slot: re.Match) -> str:
            words = self.values.get(f"{slot.group(1)}_words")
            return f"(?:{'|'.join(words)})" if isinstance(words, list) else slot.group(0)

        return [_SLOT.sub(fill, phrase) if "%" in phrase else phrase for phrase in phrases]


_SLOT = re.compile(r"%([a-z_]+)%")


@dataclass(frozen=True)
class Pack:
    language: str
    folder: Path

    def section(self, family: str) -> Section:
        return _section(self.folder / f"{family}.toml", family)

    def words(self, name: str) -> frozenset[str]:
        return _words(self.folder / f"{name}.txt")

    def table(self, name: str) -> dict[str, str]:
        return _table(self.folder / f"{name}.tsv")

    @cached_property
    def grammar(self) -> ModuleType | None:
        if not (self.folder / "grammar.py").exists():
            return None
        return importlib.import_module(f"{__name__}.{self.language}.grammar")


@cache
def load_pack(language: str) -> Pack | None:
    """The pack for `language`, or None when the checks do not know the language."""
    folder = _HERE / language
    if not re.fullmatch(r"[a-z]{2,3}", language or "") or not folder.is_dir():
        return None
    return Pack(language=language, folder=folder)


@cache
def _section(path: Path, family: str) -> Section:
    if not path.exists():
        return Section(family, {})
    with path.open("rb") as handle:
        return Section(family, tomllib.load(handle))


@cache
def _words(path: Path) -> frozenset[str]:
    if not path.exists():
        return frozenset()
    words: set[str] = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        words.update(line.split("#", 1)[0].lower().split())
    return frozenset(words)


@cache
def _table(path: Path) -> dict[str, str]:
    if not path.exists():
        return {}
    rows: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "\t" not in line:
            continue
        word, plain = line.split("\t", 1)
        rows[word.strip().lower()] = plain.strip()
    return rows
