"""Readability statistics of a text, from the shared tokens: the numbers the B1 verdict judges, and where they come from.

Flesch-Douma (nl) and Flesch reading ease (en) are computed here from syntok's sentences, because
textstat's own splitter miscounts Dutch abbreviations.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from ..packs import load_pack
from ..tokenizer import Doc, Sentence, Token
from ..types import Readability
from .readability_words import (
    difficult_word,
    maybe_name,
    officialese,
    rare_for_readers,
    readability_settings,
    syllables,
    word_lists,
)

# Tokens that are not words for the statistics: they carry facts, not vocabulary (kinds: link, number, code, name).
_EDGE = ".,;:!?\"'()“”‘’«»…*"
_URL = re.compile(
    r"(?i)(?:[a-z][a-z0-9+.-]*://|www\.)\S+|[\w-]+(?:\.[\w-]+)*\.(?:com|nl|org|net|be|de|eu|io|co|uk|ly|gl|me|info|app|gov|edu|us|ca|fr|tv|gg)(?:[/?#]\S*)?"
)
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.\w{2,}")
_SLOT = re.compile(r"\[[A-Z_ ]+\]")
_CHUNK = re.compile(r"\S+")


def _chunk_kind(chunk: str) -> str:
    """What a whitespace-separated piece of text is: "word", or not a word ("link", "number", "code", "name")."""
    if chunk.isalpha() and chunk[1:].islower():
        return "word"  # the common case, decided without a pattern
    bare = chunk.strip(_EDGE)
    if bare.isalpha() and bare[1:].islower():
        return "word"  # the next most common: a word with its comma or full stop
    if _SLOT.fullmatch(bare):
        return "name"
    if not bare:
        return "word"
    if bare[0] in "@#" or _EMAIL.fullmatch(bare) or _URL.fullmatch(bare):
        return "link"
    if any(c.isdigit() for c in bare) or bare[0] in "€$£¥":
        return "number"
    letters = [c for c in bare if c.isalpha()]
    if len(letters) >= 2 and all(c.isupper() for c in letters):
        return "code"
    if any(c.isupper() for c in bare[1:]):
        return "name"  # a brand: "PostNL", "iPhone", "YouTube"
    return "word"


def token_kinds(doc: Doc) -> dict[int, str]:
    """The kind of every token that is not an ordinary word, by its start offset (one pass over the text)."""
    starts = [t.start for s in doc.sentences for t in s.tokens]
    kinds: dict[int, str] = {}
    for chunk in _CHUNK.finditer(doc.text):
        kind = _chunk_kind(chunk.group(0))
        if kind == "word":
            continue
        i, end = bisect_left(starts, chunk.start()), chunk.end()
        while i < len(starts) and starts[i] < end:
            kinds[starts[i]] = kind
            i += 1
    return kinds


def without_links(text: str) -> str:
    """The text as a reader reads it: without the links, addresses, @handles and #tags it carries."""
    return " ".join(c for c in _CHUNK.findall(text) if _chunk_kind(c) != "link")


def _kind(token: Token, kinds: dict[int, str], language: str, sentence_start: bool) -> str:
    kind = kinds.get(token.start, "word")
    if kind != "word" or not token.is_alpha_word:
        return "other" if kind == "word" else kind
    if token.value[:1].isupper() and not sentence_start and token.lower not in word_lists(language)["function"]:
        return "name"  # capitalised mid-sentence: a name or a brand, not vocabulary
    return "word"


def is_passive(sentence: Sentence, language: str) -> bool:
    return load_pack(language).grammar.is_passive([t.lower for t in sentence.tokens if t.is_alpha_word])


def subordinate_clauses(sentence: Sentence, language: str) -> int:
    lists = word_lists(language)
    return load_pack(language).grammar.subordinate_clauses(sentence.tokens, lists["subordinators"], lists["relatives"])


def measure(doc: Doc, language: str, rare_zipf: float) -> tuple[Readability, dict]:
    """Readability features, plus the offending spans the B1 verdict needs.

    Links, e-mail addresses, @handles and #tags are not read as words: they add nothing to a sentence's
    length. Numbers, amounts, dates, codes and names count for the length but are no vocabulary: the
    rare-word, long-word, syllable and difficult-word statistics look at ordinary words only.
    """
    lists = word_lists(language)
    kinds = token_kinds(doc)
    tally: dict[str, int] = dict.fromkeys(("words", "vocabulary", "syllables", "long", "content", "rare", "negations"), 0)
    sentences: list[Sentence] = []
    lengths: list[int] = []
    passive: list[Sentence] = []
    subordinate: list[tuple[Sentence, int]] = []
    negated: list[Sentence] = []
    rare_words: list[Token] = []
    difficult: dict[str, tuple[Token, str | None]] = {}
    for sentence in doc.sentences:
        words = _sentence_words(sentence, kinds, language)
        if not words:
            continue
        sentences.append(sentence)
        lengths.append(len(words))
        _count_vocabulary(words, language, rare_zipf, tally, rare_words, difficult)
        sentence_negations = sum(t.lower in lists["negations"] for t, _ in words)
        tally["words"] += len(words)
        tally["negations"] += sentence_negations
        if sentence_negations:
            negated.append(sentence)
        if is_passive(sentence, language):
            passive.append(sentence)
        subordinate.append((sentence, subordinate_clauses(sentence, language)))
    official_hits = list(officialese(language)[0].finditer(doc.text))
    readability = _readability(language, tally, lengths, len(passive), subordinate, len(official_hits))
    evidence = {
        "lengths": list(zip(sentences, lengths)),
        "passive": passive,
        "subordinate": subordinate,
        "negated": negated,
        "rare": rare_words,
        "officialese": official_hits,
        "difficult": list(difficult.values()),
    }
    return readability, evidence


def _sentence_words(sentence: Sentence, kinds: dict[int, str], language: str) -> list[tuple[Token, str]]:
    """The sentence's words for its length, each with its kind; links, addresses, handles and tags left out."""
    words = [
        (t, "word" if t.start not in kinds and t.is_alpha_word and t.value[:1].islower() else _kind(t, kinds, language, False))
        for t in sentence.tokens if t.is_word and kinds.get(t.start) != "link"
    ]
    if words and words[0][1] == "name" and words[0][0].start not in kinds:
        words[0] = (words[0][0], "word")  # a capital that starts the sentence
    return words


def _count_vocabulary(
    words: list[tuple[Token, str]], language: str, rare_zipf: float, tally: dict[str, int],
    rare_words: list[Token], difficult: dict[str, tuple[Token, str | None]],
) -> None:
    long_word = readability_settings(language, "formula")["long_word_syllables"]
    function_words = word_lists(language)["function"]
    for position, (token, kind) in enumerate(words):
        if kind != "word":
            continue
        n = syllables(token.lower, language)
        tally["vocabulary"] += 1
        tally["syllables"] += n
        tally["long"] += n >= long_word
        if len(token.value) < 3 or token.lower in function_words:
            continue
        tally["content"] += 1
        if rare_for_readers(token.lower, language, rare_zipf):
            tally["rare"] += 1
            rare_words.append(token)
        if token.lower not in difficult and (position or not maybe_name(token, language)):
            hard, alternative = difficult_word(token.lower, language)
            if hard:
                difficult[token.lower] = (token, alternative)


def _readability(
    language: str, tally: dict[str, int], lengths: list[int], passive: int,
    subordinate: list[tuple[Sentence, int]], official: int,
) -> Readability:
    formula = readability_settings(language, "formula")
    words, vocabulary = tally["words"], tally["vocabulary"]
    wps = words / len(lengths) if lengths else 0.0
    spw = tally["syllables"] / vocabulary if vocabulary else 0.0
    score = formula["base"] - formula["per_word_per_sentence"] * wps - formula["per_syllable_per_word"] * spw
    return Readability(
        formula=formula["name"],
        score=round(score, 1) if words else None,
        words=words,
        sentences=len(lengths),
        words_per_sentence=round(wps, 1),
        max_sentence_words=max(lengths, default=0),
        long_word_ratio=round(tally["long"] / vocabulary, 3) if vocabulary else 0.0,
        rare_word_ratio=round(tally["rare"] / tally["content"], 3) if tally["content"] else 0.0,
        negations=tally["negations"],
        passive_sentences=passive,
        subordinate_max=max((c for _, c in subordinate), default=0),
        officialese=official,
    )
