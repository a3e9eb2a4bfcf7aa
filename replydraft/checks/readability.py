"""Readability features and the B1 verdict (Dutch first, English too), from the shared tokens.

Flesch-Douma (nl) and Flesch reading ease (en) are computed here from syntok's sentences, because
textstat's own splitter miscounts Dutch abbreviations; syllables per word come from textstat for
Dutch and from pyphen's en_US patterns for English (textstat's English path downloads NLTK's cmudict).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import cache, lru_cache

import pyphen
from textstat.backend.counts import count_syllables as _textstat_syllables
from wordfreq import zipf_frequency

from ..packs import compile_phrases, load_pack
from ..text import Doc, Sentence, Token
from ..types import B1Verdict, Finding, Readability
from .base import CheckContext, flag, quote

# Tokens that are not words for the statistics: they carry facts, not vocabulary (kinds: link, number, code, name).
_EDGE = ".,;:!?\"'()“”‘’«»…*"
_URL = re.compile(
    r"(?i)(?:[a-z][a-z0-9+.-]*://|www\.)\S+|[\w-]+(?:\.[\w-]+)*\.(?:com|nl|org|net|be|de|eu|io|co|uk|ly|gl|me|info|app|gov|edu|us|ca|fr|tv|gg)(?:[/?#]\S*)?"
)
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.\w{2,}")
_SLOT = re.compile(r"\[[A-Z_ ]+\]")
_CHUNK = re.compile(r"\S+")


@lru_cache(maxsize=65536)
def _chunk_kind(chunk: str) -> str:
    """What a whitespace-separated piece of text is: "word", or not a word ("link", "number", "code", "name")."""
    if chunk.isalpha() and chunk[1:].islower():
        return "word"  # the common case, decided without a pattern
    if _SLOT.fullmatch(chunk.strip(_EDGE)):
        return "name"
    bare = chunk.strip(_EDGE)
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


def _kind(token: Token, kinds: dict[int, str], language: str, sentence_start: bool) -> str:
    kind = kinds.get(token.start, "word")
    if kind != "word" or not token.is_alpha_word:
        return "other" if kind == "word" else kind
    if token.value[:1].isupper() and not sentence_start and token.lower not in _lists(language)["function"]:
        return "name"  # capitalised mid-sentence: a name or a brand, not vocabulary
    return "word"


@cache
def _settings(language: str, table: str) -> dict:
    return load_pack(language).section("readability").get(table, {})


@cache
def _lists(language: str) -> dict[str, frozenset[str]]:
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
        return max(1, _textstat_syllables(word, "nl"))
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


def _maybe_name(token: Token, language: str) -> bool:
    """A capitalised sentence-initial word that is not a known word: perhaps a name ("Verhoeven belt u")."""
    return token.value[:1].isupper() and _zipf(token.lower, language) < 2.0 and not difficult_word(token.lower, language)[1]


def is_content_word(token: Token, language: str, sentence_start: bool) -> bool:
    if not token.is_alpha_word or len(token.value) < 3:
        return False
    if token.value[:1].isupper() and not sentence_start:
        return False  # a name or a brand, not vocabulary
    return token.lower not in _lists(language)["function"]


def is_passive(sentence: Sentence, language: str) -> bool:
    return load_pack(language).grammar.is_passive([t.lower for t in sentence.tokens if t.is_alpha_word])


def subordinate_clauses(sentence: Sentence, language: str) -> int:
    lists = _lists(language)
    return load_pack(language).grammar.subordinate_clauses(sentence.tokens, lists["subordinators"], lists["relatives"])


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
    settings = _settings(language, "difficult")
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
    for ending, replacement in _settings(language, "difficult").get("base_endings", []):
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
        for band in _settings(language, "difficult").get("bands", [])
    )


@cache
def _nominalisations(language: str) -> tuple[tuple[dict, re.Pattern], ...]:
    return tuple((rule, re.compile(rule["pattern"])) for rule in _settings(language, "difficult").get("nominalisations", []))


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
    for prefix in _settings(language, "difficult").get("plain_prefixes", "").split():
        rest = word[len(prefix):].lstrip("-")
        if word.startswith(prefix) and len(rest) >= 4 and (_zipf(rest, language) >= 3.0 or rest in _plain_formal(language)):
            return not difficult_word(rest, language)[0]  # "misconfiguration" is as hard as "configuration"
    return False


@cache
def _plain_formal(language: str) -> frozenset[str]:
    return frozenset(_settings(language, "difficult").get("plain_formal", "").split())


@cache
def _formal_pattern(language: str) -> re.Pattern:
    return re.compile("|".join(f"(?:{p})" for p in _settings(language, "difficult")["formal_patterns"]))


def measure(doc: Doc, language: str, rare_zipf: float) -> tuple[Readability, dict]:
    """Readability features, plus the offending spans the B1 verdict needs.

    Links, e-mail addresses, @handles and #tags are not read as words: they add nothing to a sentence's
    length. Numbers, amounts, dates, codes and names count for the length but are no vocabulary: the
    rare-word, long-word, syllable and difficult-word statistics look at ordinary words only.
    """
    lists = _lists(language)
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
    long_word = _settings(language, "formula")["long_word_syllables"]
    function_words = _lists(language)["function"]
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
        if token.lower not in difficult and (position or not _maybe_name(token, language)):
            hard, alternative = difficult_word(token.lower, language)
            if hard:
                difficult[token.lower] = (token, alternative)


def _readability(
    language: str, tally: dict[str, int], lengths: list[int], passive: int,
    subordinate: list[tuple[Sentence, int]], official: int,
) -> Readability:
    formula = _settings(language, "formula")
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


_Failure = tuple[str, "tuple[int, int] | None", "str | None"]


def _too_long(r: Readability, ev: dict, limits) -> list[_Failure]:
    too_long = [(s, n) for s, n in ev["lengths"] if n > limits.max_sentence_words]
    if not too_long:
        return []
    return [(
        f"{len(too_long)} sentence{'s' if len(too_long) > 1 else ''} over {limits.max_sentence_words} words: "
        + ", ".join(f"{_quote(s, 50)} ({n})" for s, n in too_long[:3]),
        (too_long[0][0].start, too_long[0][0].end),
        "Split it into sentences of one idea each.",
    )]


def _long_on_average(r: Readability, ev: dict, limits) -> list[_Failure]:
    # A mean says something about a text, not about one or two sentences (those have the max).
    if r.sentences < 3 or r.words_per_sentence <= limits.max_mean_sentence_words:
        return []
    return [(
        f"mean sentence length {r.words_per_sentence} words, over {limits.max_mean_sentence_words}",
        None,
        "Use shorter sentences: one message per sentence.",
    )]


def _passive(r: Readability, ev: dict, limits) -> list[_Failure]:
    # One passive sentence is a style choice; a habit of them is what makes a text impersonal.
    passive = ev["passive"]
    if len(passive) < 2 or len(passive) / r.sentences <= limits.max_passive_share:
        return []
    return [(
        f"{len(passive)} of {r.sentences} sentences passive (at most {limits.max_passive_share:.0%}): "
        + ", ".join(_quote(s, 40) for s in passive[:3]),
        (passive[0].start, passive[0].end),
        "Say who does it: 'Wij sturen ...' instead of 'Er wordt ... gestuurd'.",
    )]


def _clauses(r: Readability, ev: dict, limits) -> list[_Failure]:
    heavy = [(s, c) for s, c in ev["subordinate"] if c > limits.max_subordinate_clauses]
    if not heavy:
        return []
    return [(
        f"{len(heavy)} sentence{'s' if len(heavy) > 1 else ''} with more than {limits.max_subordinate_clauses} "
        f"subordinate clause: " + ", ".join(_quote(s, 40) for s, _ in heavy[:3]),
        (heavy[0][0].start, heavy[0][0].end),
        "Split off the subordinate clause into its own sentence.",
    )]


def _rare(r: Readability, ev: dict, limits) -> list[_Failure]:
    if r.rare_word_ratio <= limits.max_rare_word_share or len({t.lower for t in ev["rare"]}) < 2:
        return []
    first = ev["rare"][0]
    return [(
        f"{r.rare_word_ratio:.0%} rare words (at most {limits.max_rare_word_share:.0%}): "
        + ", ".join(sorted({t.value for t in ev["rare"]})[:8]),
        (first.start, first.end),
        "Use common words.",
    )]


def _officialese(r: Readability, ev: dict, limits) -> list[_Failure]:
    if r.officialese <= limits.max_officialese:
        return []
    hits = ev["officialese"]
    return [("officialese: " + ", ".join(f"'{m.group(0)}'" for m in hits[:5]), (hits[0].start(), hits[0].end()), None)]


def _reading_ease(r: Readability, ev: dict, limits) -> list[_Failure]:
    if r.words < limits.min_words_for_formula or r.score is None or r.score >= limits.min_reading_ease:
        return []
    return [(
        f"{r.formula} {r.score} (at least {limits.min_reading_ease:g} on texts of {limits.min_words_for_formula}+ words)",
        None,
        "Shorter sentences and shorter, common words raise the score.",
    )]


_B1_RULES = (_too_long, _long_on_average, _passive, _clauses, _rare, _officialese, _reading_ease)


def check_b1(ctx: CheckContext) -> tuple[Readability | None, B1Verdict, list[Finding]]:
    if not ctx.calibrated:
        return None, B1Verdict(ok=None, reasons=[f"B1 checks are not calibrated for language '{ctx.language}'"]), []
    limits = ctx.policy.b1
    readability, ev = measure(ctx.doc, ctx.language, limits.rare_word_zipf)
    failures = [failure for rule in _B1_RULES for failure in rule(readability, ev, limits)]
    findings = _officialese_findings(ev["officialese"], ctx.language)
    findings += _difficult_findings(ev["difficult"], [(f.start, f.end) for f in findings])
    findings += [flag("not_b1", f"Not B1: {reason}", span, suggestion) for reason, span, suggestion in failures]
    reasons = [reason for reason, _, _ in failures]
    if readability.sentences and len(ev["negated"]) / readability.sentences > limits.max_negation_share:
        note = (
            f"{readability.negations} negations in {len(ev['negated'])} of {readability.sentences} sentences: "
            "say what is possible instead of what is not"
        )
        reasons.append(f"(warning) {note}")
        findings.append(flag(
            "negation", note.capitalize(), ev["negated"][0],
            "Phrase it positively: 'U kunt ...' instead of 'U kunt niet ...'.",
        ))
    return readability, B1Verdict(ok=not failures, reasons=reasons), findings


def _officialese_findings(hits: list[re.Match], language: str) -> list[Finding]:
    """Every officialese word is named, also when the text stays within the policy's limit."""
    plain = officialese(language)[1]
    findings = []
    for m in hits:
        alternative = plain.get(m.group(0).lower())
        findings.append(flag(
            "officialese", f"'{m.group(0)}' is officialese" + _plain_advice(alternative), (m.start(), m.end()), alternative,
        ))
    return findings


def _quote(sentence: Sentence, limit: int) -> str:
    """The sentence as a reader reads it: without the links, addresses, @handles and #tags it carries."""
    return quote(" ".join(c for c in _CHUNK.findall(sentence.text) if _chunk_kind(c) != "link"), limit)


def _difficult_findings(words: list[tuple[Token, str | None]], official: list[tuple[int, int]]) -> list[Finding]:
    """One finding per difficult word; a word the officialese finding already names gets no second one."""
    findings = []
    for token, alternative in words:
        if any(start < token.end and token.start < end for start, end in official):
            continue
        findings.append(flag(
            "difficult_word", f"'{token.value}' is a difficult word for many readers" + _plain_advice(alternative),
            (token.start, token.end), alternative,
        ))
    return findings


def _plain_advice(alternative: str | None) -> str:
    """ "(weglaten)" and "(leave out)" in the lists mean: drop the word; other parentheses are advice."""
    if not alternative:
        return ""
    if alternative in ("(weglaten)", "(leave out)"):
        return "; leave it out"
    if alternative.startswith("("):
        return f"; {alternative.strip('()')}"
    return f"; write '{alternative}'"


def b1_result(ctx: CheckContext) -> tuple[Readability | None, B1Verdict, list[Finding]]:
    return ctx.memo(check_b1)


def _of(code: str):
    def detect(ctx: CheckContext) -> list[Finding]:
        return [f for f in b1_result(ctx)[2] if f.code == code]
    detect.__name__ = f"detect_{code}"
    return detect


detect_not_b1 = _of("not_b1")
detect_officialese = _of("officialese")
detect_negation = _of("negation")
detect_difficult_words = _of("difficult_word")
