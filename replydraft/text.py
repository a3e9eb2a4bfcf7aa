"""Tokenise a text once into sentences and words with character offsets, shared by every check.

syntok splits Dutch correctly around "d.d.", "nr." and "art." (textstat's splitter does not), but
it keeps a sentence together after a final abbreviation, e-mail address or section number
("We bellen u z.s.m. Daarna ..."); `_resplit` cuts those where the next word starts a sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import NamedTuple

import syntok.segmenter as segmenter

_WORD = re.compile(r"\w", re.UNICODE)
# Titles and initials are followed by a capitalised name, not a new sentence.
_TITLES = frozenset(
    "mevr mevrouw dhr hr mr mrs ms dr drs ir ing prof st fam ds mw jhr bc".split()
)


class Token(NamedTuple):
    """A word or punctuation mark; a NamedTuple because a frozen dataclass is several times slower to build."""

    value: str
    start: int
    end: int
    # Every check asks these of every token; computing them once keeps check() within budget.
    lower: str
    is_word: bool
    is_alpha_word: bool

    @classmethod
    def at(cls, value: str, start: int) -> Token:
        return cls(value, start, start + len(value), value.lower(), _WORD.search(value) is not None, value[:1].isalpha())


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int
    text: str
    tokens: tuple[Token, ...]

    @property
    def words(self) -> list[Token]:
        return [t for t in self.tokens if t.is_word]

    @property
    def is_question(self) -> bool:
        return self.text.rstrip().endswith("?")


@dataclass(frozen=True)
class Doc:
    text: str
    sentences: tuple[Sentence, ...]

    @cached_property
    def words(self) -> list[Token]:
        return [t for s in self.sentences for t in s.tokens if t.is_word]

    @cached_property
    def lower(self) -> str:
        return self.text.lower()


def _starts_sentence(token) -> bool:
    first = token.value[:1]
    return first.isupper() or first in "\"'“‘(-•*"


def _resplit(tokens: list) -> list[list]:
    pieces: list[list] = [[]]
    for i, token in enumerate(tokens):
        pieces[-1].append(token)
        if token.value != "." or i == 0 or i + 1 >= len(tokens):
            continue
        before, after = tokens[i - 1], tokens[i + 1]
        if not _starts_sentence(after) or token.spacing:
            continue
        if before.value.lower() in _TITLES or (len(before.value) == 1 and before.value.isupper()):
            continue
        pieces.append([])
    return [p for p in pieces if p]


def _is_lone_title(tokens: list) -> bool:
    return bool(tokens) and tokens[-1].value == "." and len(tokens) >= 2 and tokens[-2].value.lower() in _TITLES


def _sentence_from(tokens: list, text: str) -> Sentence:
    start = tokens[0].offset
    last = tokens[-1]
    end = last.offset + len(last.value)
    return Sentence(
        start=start,
        end=end,
        text=text[start:end],
        tokens=tuple(Token.at(t.value, t.offset) for t in tokens),
    )


@lru_cache(maxsize=256)
def tokenize(text: str) -> Doc:
    """Split `text` into sentences of tokens; offsets index into `text`.

    >>> [s.text for s in tokenize("We bellen u z.s.m. Daarna sturen we het pakket.").sentences]
    ['We bellen u z.s.m.', 'Daarna sturen we het pakket.']
    """
    pieces: list[list] = []
    for paragraph in segmenter.analyze(text):
        for raw in paragraph:
            for piece in _resplit(list(raw)):
                if pieces and _is_lone_title(pieces[-1]) and "\n" not in text[pieces[-1][-1].offset : piece[0].offset]:
                    pieces[-1].extend(piece)
                else:
                    pieces.append(piece)
    sentences = [_sentence_from(piece, text) for piece in pieces]
    return Doc(text=text, sentences=tuple(_split_lines(sentences, text)))


def _split_lines(sentences: list[Sentence], text: str):
    """A salutation, bullet or signature line without a full stop is its own sentence."""
    for sentence in sentences:
        if "\n" not in sentence.text:
            yield sentence
            continue
        group: list[Token] = []
        for token in sentence.tokens:
            if group and "\n" in text[group[-1].end : token.start]:
                yield _from_tokens(group, text)
                group = []
            group.append(token)
        if group:
            yield _from_tokens(group, text)


def _from_tokens(tokens: list[Token], text: str) -> Sentence:
    start, end = tokens[0].start, tokens[-1].end
    return Sentence(start=start, end=end, text=text[start:end], tokens=tuple(tokens))
