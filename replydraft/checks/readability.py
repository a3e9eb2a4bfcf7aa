"""Readability features and the B1 verdict (Dutch first, English too), from the shared tokens.

Flesch-Douma (nl) and Flesch reading ease (en) are computed here from syntok's sentences, because
textstat's own splitter miscounts Dutch abbreviations; syllables per word come from textstat for
Dutch and from pyphen's en_US patterns for English (textstat's English path downloads NLTK's cmudict).
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

import pyphen
from textstat.backend.counts import count_syllables as _textstat_syllables
from wordfreq import zipf_frequency

from ..packs import compile_phrases, load_pack
from ..text import Doc, Sentence, Token
from ..types import B1Verdict, Finding, Readability
from .base import CheckContext, finding, quote

FORMULAS = {
    # name, base, per word-per-sentence, per syllable-per-word
    "nl": ("flesch-douma", 206.835, 0.93, 77.0),
    "en": ("flesch-reading-ease", 206.835, 1.015, 84.6),
}
LONG_WORD_SYLLABLES = 4

_NL_WORDEN = frozenset("word wordt worden werd werden geworden".split())
_NL_ZIJN = frozenset("ben bent is zijn was waren geweest".split())
_NL_SEPARABLE = (
    "aan af bij binnen buiten door in klaar mee na neer om op over samen tegen terug thuis toe uit vast "
    "voor weg rond kwijt"
).split()
_NL_NOT_PARTICIPLES = frozenset(
    """bericht besluit bestand verband beleid gebied gezond geld geduld gerecht bereid bezet verkeerd bekend
    gewoon genoeg gebit gemak gevoel gehad gebouw beroemd verstand verschil vervoer gebruik geschikt gelijk
    gerust gezin gedicht geheim gemiddeld gesprek geweten bedrijf bezoek verzoek verlof bezwaar besef
    ontwerp onderwerp ontslag ontbijt verlies verslag bestuur gevolg geval bedankt gebeurt geeft geldt gelooft
    geniet gevaar gezondheid gewicht gezicht verplicht gewend begrot gelegenheid geboortedatum""".split()
)
_NL_HEBBEN = frozenset("heb hebt heeft hebben had hadden".split())
_NL_DAT_CONJ_NEXT = frozenset(
    "u je jij we wij ik het de een er uw jouw hij zij ze men dit deze die onze ons uw mijn zijn haar".split()
)
_EN_BE = frozenset("is are was were be been being am 's".split())
_EN_IRREGULAR_PARTICIPLES = frozenset(
    """sent made given done paid taken shown told sold built bought brought caught found held kept known
    left lost meant met put read run said seen set shut spent split spread stolen struck taught thought
    understood won written broken chosen driven eaten fallen forgotten frozen hidden ridden risen shaken
    spoken sworn thrown woken worn withdrawn""".split()
)
_EN_NOT_PASSIVE = frozenset(
    "pleased delighted interested excited concerned tired worried supposed used based sorry glad happy "
    "able aware ready sure afraid".split()
)


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


@lru_cache(maxsize=65536)
def syllables(word: str, language: str) -> int:
    if language == "nl":
        return max(1, _textstat_syllables(word, "nl"))
    return len(_en_hyphenator().positions(word.lower())) + 1


@lru_cache(maxsize=65536)
def _zipf(word: str, language: str) -> float:
    return zipf_frequency(word, language)


_LINKING = ("", "s", "e", "en")


@lru_cache(maxsize=65536)
def is_rare(word: str, language: str, threshold: float) -> bool:
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


def _formula_words(sentence: Sentence) -> list[Token]:
    return [t for t in sentence.tokens if t.is_word]


def is_content_word(token: Token, language: str, sentence_start: bool) -> bool:
    if not token.is_alpha_word or len(token.value) < 3:
        return False
    if token.value[:1].isupper() and not sentence_start:
        return False  # a name or a brand, not vocabulary
    return token.lower not in _lists(language)["function"]


def _nl_participle(word: str) -> bool:
    if len(word) < 5 or word in _NL_NOT_PARTICIPLES:
        return False
    stem = word
    for particle in _NL_SEPARABLE:
        if stem.startswith(particle + "ge") and len(stem) > len(particle) + 4:
            stem = stem[len(particle) :]
            break
    if stem.startswith("ge"):
        return stem.endswith(("d", "t")) or (stem.endswith("en") and len(stem) >= 7)
    if stem.startswith(("be", "ver", "ont", "her", "er")):
        return stem.endswith(("d", "t")) or word in _lists("nl")["zijn_participles"]
    return False


def is_passive(sentence: Sentence, language: str) -> bool:
    words = [t.lower for t in sentence.tokens if t.is_alpha_word]
    if language == "nl":
        worden = any(w in _NL_WORDEN for w in words)
        if not worden and not any(w in _NL_ZIJN for w in words):
            return False
        participles = [w for w in words if _nl_participle(w)]
        if worden:
            return bool(participles)
        if any(w in _NL_HEBBEN for w in words):
            return False  # "Ik ben blij dat u het heeft besteld": the participle belongs to hebben
        zijn_participles = _lists("nl")["zijn_participles"]
        return any(p not in zijn_participles for p in participles)
    for i, w in enumerate(words):
        if w in _EN_BE:
            for nxt in words[i + 1 : i + 4]:
                if nxt in _EN_NOT_PASSIVE:
                    break
                if (nxt.endswith("ed") and len(nxt) > 4) or nxt in _EN_IRREGULAR_PARTICIPLES:
                    return True
    return False


def subordinate_clauses(sentence: Sentence, language: str) -> int:
    lists = _lists(language)
    tokens = [t for t in sentence.tokens]
    count = 0
    for i, token in enumerate(tokens):
        word = token.lower
        prev = tokens[i - 1].value if i else ""
        nxt = tokens[i + 1].lower if i + 1 < len(tokens) else ""
        if language == "nl":
            if word in ("dat", "of"):
                count += prev == "," or (i > 0 and nxt in _NL_DAT_CONJ_NEXT)
            elif word in lists["relatives"]:
                count += prev == ","
            elif word in lists["subordinators"]:
                count += 1
        else:
            if word == "that":
                count += nxt in ("you", "we", "i", "it", "the", "your", "our", "they", "he", "she", "there", "this")
            elif word in lists["subordinators"]:
                count += 1
    return count


def measure(doc: Doc, language: str, rare_zipf: float) -> tuple[Readability, dict]:
    """Readability features, plus the offending spans the B1 verdict needs."""
    formula_name, base, per_wps, per_spw = FORMULAS[language]
    lists = _lists(language)
    sentences = [s for s in doc.sentences if _formula_words(s)]
    word_count = syllable_count = long_words = content = rare = negations = 0
    lengths: list[int] = []
    passive: list[Sentence] = []
    subordinate: list[tuple[Sentence, int]] = []
    negated: list[Sentence] = []
    rare_words: list[Token] = []
    for sentence in sentences:
        words = _formula_words(sentence)
        lengths.append(len(words))
        sentence_negations = 0
        for position, token in enumerate(words):
            n = syllables(token.lower, language) if token.is_alpha_word else 1
            syllable_count += n
            long_words += n >= LONG_WORD_SYLLABLES
            sentence_negations += token.lower in lists["negations"]
            if is_content_word(token, language, position == 0):
                content += 1
                if is_rare(token.lower, language, rare_zipf):
                    rare += 1
                    rare_words.append(token)
        word_count += len(words)
        negations += sentence_negations
        if sentence_negations:
            negated.append(sentence)
        if is_passive(sentence, language):
            passive.append(sentence)
        clauses = subordinate_clauses(sentence, language)
        subordinate.append((sentence, clauses))
    n_sentences = len(sentences)
    wps = word_count / n_sentences if n_sentences else 0.0
    spw = syllable_count / word_count if word_count else 0.0
    score = round(base - per_wps * wps - per_spw * spw, 1) if word_count else None
    official_pattern, _ = officialese(language)
    official_hits = list(official_pattern.finditer(doc.text))
    readability = Readability(
        formula=formula_name,
        score=score,
        words=word_count,
        sentences=n_sentences,
        words_per_sentence=round(wps, 1),
        max_sentence_words=max(lengths, default=0),
        long_word_ratio=round(long_words / word_count, 3) if word_count else 0.0,
        rare_word_ratio=round(rare / content, 3) if content else 0.0,
        negations=negations,
        passive_sentences=len(passive),
        subordinate_max=max((c for _, c in subordinate), default=0),
        officialese=len(official_hits),
    )
    evidence = {
        "lengths": list(zip(sentences, lengths)),
        "passive": passive,
        "subordinate": subordinate,
        "negated": negated,
        "rare": rare_words,
        "officialese": official_hits,
    }
    return readability, evidence


def check_b1(ctx: CheckContext) -> tuple[Readability | None, B1Verdict, list[Finding]]:
    if not ctx.calibrated:
        return None, B1Verdict(ok=None, reasons=[f"B1 checks are not calibrated for language '{ctx.language}'"]), []
    limits = ctx.policy.b1
    readability, ev = measure(ctx.doc, ctx.language, limits.rare_word_zipf)
    failures: list[tuple[str, tuple[int, int] | None, str | None]] = []
    findings: list[Finding] = []

    too_long = [(s, n) for s, n in ev["lengths"] if n > limits.max_sentence_words]
    if too_long:
        failures.append((
            f"{len(too_long)} sentence{'s' if len(too_long) > 1 else ''} over {limits.max_sentence_words} words: "
            + ", ".join(f"{quote(s.text, 50)} ({n})" for s, n in too_long[:3]),
            (too_long[0][0].start, too_long[0][0].end),
            "Split it into sentences of one idea each.",
        ))
    # A mean says something about a text, not about one or two sentences (those have the max).
    if readability.sentences >= 3 and readability.words_per_sentence > limits.max_mean_sentence_words:
        failures.append((
            f"mean sentence length {readability.words_per_sentence} words, over {limits.max_mean_sentence_words}",
            None,
            "Use shorter sentences: one message per sentence.",
        ))
    if readability.sentences and len(ev["passive"]) / readability.sentences > limits.max_passive_share:
        failures.append((
            f"{len(ev['passive'])} of {readability.sentences} sentences passive (at most "
            f"{limits.max_passive_share:.0%}): " + ", ".join(quote(s.text, 40) for s in ev["passive"][:3]),
            (ev["passive"][0].start, ev["passive"][0].end),
            "Say who does it: 'Wij sturen ...' instead of 'Er wordt ... gestuurd'.",
        ))
    heavy = [(s, c) for s, c in ev["subordinate"] if c > limits.max_subordinate_clauses]
    if heavy:
        failures.append((
            f"{len(heavy)} sentence{'s' if len(heavy) > 1 else ''} with more than {limits.max_subordinate_clauses} "
            f"subordinate clause: " + ", ".join(quote(s.text, 40) for s, _ in heavy[:3]),
            (heavy[0][0].start, heavy[0][0].end),
            "Split off the subordinate clause into its own sentence.",
        ))
    if readability.rare_word_ratio > limits.max_rare_word_share and len(ev["rare"]) >= 2:
        first = ev["rare"][0]
        failures.append((
            f"{readability.rare_word_ratio:.0%} rare words (at most {limits.max_rare_word_share:.0%}): "
            + ", ".join(sorted({t.value for t in ev["rare"]})[:8]),
            (first.start, first.end),
            "Use common words.",
        ))
    if readability.officialese > limits.max_officialese:
        _, plain = officialese(ctx.language)
        hits = ev["officialese"]
        failures.append((
            "officialese: " + ", ".join(f"'{m.group(0)}'" for m in hits[:5]),
            (hits[0].start(), hits[0].end()),
            None,
        ))
        for m in hits:
            alternative = plain.get(m.group(0).lower())
            findings.append(finding(
                "officialese", "warning", "B1",
                f"'{m.group(0)}' is officialese" + _plain_advice(alternative),
                (m.start(), m.end()), alternative,
            ))
    if readability.words >= limits.min_words_for_formula and readability.score is not None:
        if readability.score < limits.min_reading_ease:
            failures.append((
                f"{readability.formula} {readability.score} (at least {limits.min_reading_ease:g} on texts of "
                f"{limits.min_words_for_formula}+ words)",
                None,
                "Shorter sentences and shorter, common words raise the score.",
            ))
    for reason, span, suggestion in failures:
        findings.append(finding("not_b1", "error", "B1", f"Not B1: {reason}", span, suggestion))

    reasons = [reason for reason, _, _ in failures]
    if readability.sentences and len(ev["negated"]) / readability.sentences > limits.max_negation_share:
        note = (
            f"{readability.negations} negations in {len(ev['negated'])} of {readability.sentences} sentences: "
            "say what is possible instead of what is not"
        )
        reasons.append(f"(warning) {note}")
        findings.append(finding(
            "negation", "warning", "B1", note.capitalize(), ev["negated"][0],
            "Phrase it positively: 'U kunt ...' instead of 'U kunt niet ...'.",
        ))
    return readability, B1Verdict(ok=not failures, reasons=reasons), findings


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
