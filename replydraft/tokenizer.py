"""Tokenise a text once into sentences and words with character offsets, shared by every check.

syntok splits Dutch correctly around "d.d.", "nr." and "art." (textstat's splitter does not), but
it keeps a sentence together after a final abbreviation, e-mail address or section number
("We bellen u z.s.m. Daarna ..."); `_resplit` cuts those where the next word starts a sentence.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import NamedTuple

import syntok.segmenter as segmenter
from syntok._segmentation_states import State
from syntok.tokenizer import Token as SyntokToken
from syntok.tokenizer import Tokenizer

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
        # tuple.__new__ skips the NamedTuple's Python-level __new__; a first character that is
        # alphanumeric already matches \w, so the regex only runs on punctuation.
        first = value[:1]
        is_word = first.isalnum() or _WORD.search(value) is not None
        return _new_tuple(cls, (value, start, start + len(value), value.lower(), is_word, first.isalpha()))


_new_tuple = tuple.__new__


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


_token_at = Token.at


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


def _sentence_from(tokens: list, text: str, base: int) -> Sentence:
    """A sentence of syntok tokens whose offsets count from `base` (their paragraph's start) in `text`."""
    start = tokens[0].offset + base
    last = tokens[-1]
    end = last.offset + base + len(last.value)
    return Sentence(
        start=start,
        end=end,
        text=text[start:end],
        tokens=tuple([_token_at(t.value, t.offset + base) for t in tokens]),
    )


# syntok's own `analyze` tokenises every paragraph with its document offset, and its tokenizer makes
# that offset by prefixing the paragraph with as many spaces: quadratic in the number of paragraphs
# (docs/performance.md). Each paragraph is tokenised from 0 here instead and the
# offsets are shifted back; the paragraph split and the segmenter are syntok's own.
_TOKENIZER = Tokenizer(replace_not_contraction=False)
_SPACES = Tokenizer._spaces
_MEMO_PARAGRAPH_CHARS = 200
_MEMO_PARAGRAPHS = 4096


def _plain_word(run: str) -> bool:
    """An ASCII letters-and-digits run without a lower-to-upper change: syntok yields it as one token."""
    return run.isascii() and run.isalnum() and (len(run) == 1 or run.isupper() or run[1:].islower() or run.isdigit())


def _syntok_tokens(paragraph: str):
    """The tokens of syntok's `Tokenizer.tokenize(paragraph)` (syntok 1.4), with a fast path for plain words.

    Most whitespace-separated runs are plain words, which syntok's generic path (prefix, word and tail
    split, a regex over the word) yields unchanged; the other runs take that path, copied from
    syntok. tests/test_check_linear.py holds the two to the same tokens.
    """
    offset = 0
    for mo in _SPACES.finditer(paragraph):
        run = mo.group(0)
        if _plain_word(run):
            yield SyntokToken(paragraph[offset : mo.start()], run, mo.start())
        elif not run[-1].isalnum() and _plain_word(run[:-1]):  # "pakket." "Jansen,": the word, then the mark
            yield SyntokToken(paragraph[offset : mo.start()], run[:-1], mo.start())
            yield SyntokToken("", run[-1], mo.end() - 1)
        else:
            yield from _syntok_run(paragraph, mo, offset)
        offset = mo.end()
    if offset < len(paragraph):
        yield SyntokToken(paragraph[offset:], "", len(paragraph))


def _syntok_run(text: str, mo, offset: int):
    """The loop body of syntok's `Tokenizer.tokenize` for one whitespace-separated run."""
    start = Tokenizer._find_start(mo.start(), mo.end(), text)
    if start == mo.end():
        yield SyntokToken(text[offset : mo.start()], mo.group(0), mo.start())
        return
    end = Tokenizer._find_end(start, mo.end(), text)
    if start > mo.start():
        offset = yield from _TOKENIZER._split_nonword_prefix(mo, offset, start, text)
    if start != end:
        yield from _TOKENIZER._split_word(text[offset:start], text[start:end], start)
    tail = text[end : mo.end()]
    if tail.startswith("..."):
        yield SyntokToken("", "...", end)
        end += 3
        tail = tail[3:]
    for index, char in enumerate(tail):
        yield SyntokToken("", char, index + end)


# syntok's segmenter is a state machine run token by token in Python: half of tokenising. Most paragraphs
# of a reply are plain, and in a plain paragraph its decision at every terminal is known beforehand:
# after an ordinary word, a terminal before a capitalised word ends the sentence and one before a
# lower-case word does not (syntok's `_move_and_maybe_extract_terminal`). Anything else (brackets,
# quotes, an abbreviation, a number or a single letter before the terminal, a digit after it) goes to
# syntok, with the stretch of the paragraph around it. tests/test_tokenizer_plain.py holds the two to
# the same sentences.
_PLAIN_TERMINALS = frozenset(".!?")
_NOT_PLAIN = frozenset(State.terminals - _PLAIN_TERMINALS) | State.opening_brackets | State.closing_brackets | State.closing_quotes | frozenset("\"“‘«»„")
_NOT_A_WORD_BEFORE = State.abbreviations | State.months | State.roman_numerals


def _terminal_runs(tokens: list):
    """(first, end) of each run of plain terminals: tokens[first:end] are all ".", "!" or "?"."""
    i, n = 0, len(tokens)
    while i < n:
        if tokens[i].value not in _PLAIN_TERMINALS:
            i += 1
            continue
        end = i + 1
        while end < n and tokens[end].value in _PLAIN_TERMINALS:
            end += 1
        yield i, end
        i = end


def _plain_segments(tokens: list) -> list[list] | None:
    """The sentences syntok would make of a plain paragraph's tokens, or None when it is not plain."""
    if any(t.value in _NOT_PLAIN for t in tokens):
        return None
    segments: list[list] = []
    start, n = 0, len(tokens)
    for i, end in _terminal_runs(tokens):
        if end == n:
            break
        blank_end = end == n - 1 and not tokens[end].value  # only the paragraph's trailing blank follows
        splits = _splits(tokens[i - 1].value if i else "", None if blank_end else tokens[end])
        if splits is None:
            return None
        if splits:
            segments.append(tokens[start:end])
            start = end
    if start < n and (n - start > 1 or tokens[start].value):  # a lone trailing blank is no sentence
        segments.append(tokens[start:])
    return segments


def _splits(before: str, after) -> bool | None:
    """syntok's decision at a terminal between the word `before` and the token `after` (None: the
    paragraph's trailing blank), where it is known without its state machine; None when it is not."""
    if after is not None:
        if after.value[:1].islower() or after.value in (",", ":"):
            return False  # a lower-case word or inner punctuation goes on the sentence, whatever came before
        if not after.spacing or not after.value[:1].isupper():
            return None
    if len(before) >= 2 and before.isalpha() and before not in _NOT_A_WORD_BEFORE:
        return True
    if len(before) >= 2 and before.isascii() and before.isdigit() and (after is None or after.value not in State.months):
        return True
    return None


# Around a bracket or a quote syntok may skip text or keep a closing mark with the sentence: no cut there.
_CUT_CLEARANCE = State.max_bracket_skipping_length + 30  # characters


def _segments(tokens: list) -> list[list]:
    """syntok's sentences of a paragraph: plain stretches cut here, the rest by syntok. The paragraph is
    cut where syntok's decision is known to be a split, far from any bracket or quote; after a split
    syntok starts afresh, so each stretch is segmented on its own as it would be in the whole."""
    plain = _plain_segments(tokens)
    if plain is not None:
        return plain
    segments: list[list] = []
    start = 0
    for cut in [*_safe_cuts(tokens), len(tokens)]:
        stretch = tokens[start:cut]
        if stretch:
            found = _plain_segments(stretch)
            segments += list(segmenter.segment(iter(stretch))) if found is None else found
        start = cut
    return segments


def _safe_cuts(tokens: list) -> list[int]:
    """Indices of the tokens that start a sentence by a known split, at a clearance from brackets and quotes."""
    marks = [t.offset for t in tokens if t.value in _NOT_PLAIN]
    cuts, n = [], len(tokens)
    for i, end in _terminal_runs(tokens):
        if i and end < n and tokens[end].value and _splits(tokens[i - 1].value, tokens[end]):
            at = tokens[end].offset
            k = bisect_left(marks, at - _CUT_CLEARANCE)
            if k == len(marks) or marks[k] > at + _CUT_CLEARANCE:
                cuts.append(end)
    return cuts


def _paragraph_pieces(paragraph: str) -> list[list]:
    """The paragraph's sentences as lists of syntok tokens, offsets counted from the paragraph's start."""
    pieces: list[list] = []
    for raw in _segments(list(_syntok_tokens(paragraph))):
        for piece in _resplit(raw):
            if pieces and _is_lone_title(pieces[-1]) and "\n" not in paragraph[pieces[-1][-1].offset : piece[0].offset]:
                pieces[-1].extend(piece)
            else:
                pieces.append(piece)
    return pieces


def tokenize(text: str) -> Doc:
    """Split `text` into sentences of tokens; offsets index into `text`. Linear in the text's length.
    Nothing is remembered between calls: a mail's text never outlives the check that read it.

    >>> [s.text for s in tokenize("We bellen u z.s.m. Daarna sturen we het pakket.").sentences]
    ['We bellen u z.s.m.', 'Daarna sturen we het pakket.']
    """
    sentences: list[Sentence] = []
    # A paragraph repeated within the text ("Ok.", a signature, a looping model) is segmented once.
    seen: dict[str, list[list]] = {}
    for base, paragraph in segmenter.preprocess_with_offsets(text):
        pieces = seen.get(paragraph)
        if pieces is None:
            pieces = _paragraph_pieces(paragraph)
            if len(paragraph) <= _MEMO_PARAGRAPH_CHARS and len(seen) < _MEMO_PARAGRAPHS:
                seen[paragraph] = pieces
        sentences += [_sentence_from(piece, text, base) for piece in pieces]
    return Doc(text=text, sentences=tuple(_split_after_links(_split_lines(sentences, text), text)))


def _split_lines(sentences, text: str):
    """A salutation, bullet or signature line without a full stop is its own sentence."""
    for sentence in sentences:
        if "\n" not in sentence.text:
            yield sentence
        else:
            yield from _cut(sentence, text, lambda before, token: "\n" in text[before.end : token.start])


# "Steps here: https://… Let us know how it goes." A link has no full stop of its own, so syntok runs
# the next sentence on; a capital after a link starts a new sentence.
_LINK_THEN_CAPITAL = re.compile(r"(?:https?://|www\.)[^\s<>\"]{1,2000}\s+(?=[A-Z\u00C0-\u00DE])")


def _split_after_links(sentences, text: str):
    for sentence in sentences:
        cuts = deque(sentence.start + m.end() for m in _LINK_THEN_CAPITAL.finditer(sentence.text))
        if not cuts:
            yield sentence
            continue

        def after_a_cut(_before: Token, token: Token) -> bool:
            if cuts and token.start >= cuts[0]:
                cuts.popleft()
                return True
            return False

        yield from _cut(sentence, text, after_a_cut)


def _cut(sentence: Sentence, text: str, starts_new: Callable[[Token, Token], bool]):
    """The sentence in pieces: a new piece starts at every token where `starts_new(previous, token)`."""
    group: list[Token] = []
    for token in sentence.tokens:
        if group and starts_new(group[-1], token):
            yield _from_tokens(group, text)
            group = []
        group.append(token)
    if group:
        yield _from_tokens(group, text)


def _from_tokens(tokens: list[Token], text: str) -> Sentence:
    start, end = tokens[0].start, tokens[-1].end
    return Sentence(start=start, end=end, text=text[start:end], tokens=tuple(tokens))
