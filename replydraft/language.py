"""Which language a mail is in, and which register (u/je, formal/informal) it uses.

Language: py3langid, restricted to the languages a Dutch customer service plausibly receives, built
once on first use. Below `SHORT_WORDS` words its guess is unreliable ("Bedankt!", "Hallo"), so a
small function-word vote over Dutch, English, German and French decides first; a short text with no
signal either way gets `DEFAULT_LANGUAGE`. URLs, e-mail addresses and anything with a digit (order
numbers, dates, phone numbers) are removed before either looks at the text.

Register: whole-word counts, no model. Dutch: "u/uw/uzelf" against "jij/jou/jouw/jezelf" (full
weight), "je" (full weight unless it is the generic "je": "je weet maar nooit", "als je ... dan")
and "jullie" (half: customers address a company as "jullie" in polite mails too). English: greetings,
closings and contractions. Every other language: "unknown".
"""

from __future__ import annotations

import re
from functools import lru_cache

from .types import Register

DEFAULT_LANGUAGE = "nl"
SHORT_WORDS = 8
# Languages the identifier may answer. Closely related languages a Dutch inbox almost never gets
# (Afrikaans, Frisian, Luxembourgish, Scandinavian) are left out on purpose: on short Dutch text they
# are the usual wrong answers. Languages in their own script cost nothing and avoid a forced guess.
LANGUAGES = (
    "nl", "en", "de", "fr", "es", "it", "pt", "pl", "tr", "ar", "ro", "ru", "uk", "bg", "el",
    "zh", "ja", "ko", "he", "hi", "fa",
)
_MAX_CHARS = 2000  # language id reads at most this much: enough, and keeps a long mail under a millisecond

_NOISE = re.compile(
    r"(?:https?://|www\.)\S+"  # URLs
    r"|\S+@\S+"  # e-mail addresses
    r"|\S*\d\S*"  # order numbers, dates, amounts, phone numbers
)
_LATIN = re.compile(r"[A-Za-zÀ-ɏ]")
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")

# Function words and a few unmistakable mail words. A word listed for several languages votes
# 1/n for each, so "is" (nl, en) or "de" (nl, fr) does not decide on its own.
_VOTE_WORDS = {
    "nl": """
        de het een en van ik je jij jou jouw u uw mijn mij me we wij ze zij hij is ben bent zijn was waren
        heb hebt heeft hebben wordt worden kan kun kunt kunnen wil wilt willen moet moeten mag zou zouden
        niet geen nog al ook maar of dat die dit deze wat waar wanneer waarom hoe wie welke met voor naar
        bij uit over op aan om te tot dan als er hier daar graag alstublieft alsjeblieft aub svp bedankt
        dank dankjewel dankuwel hoi hallo beste geachte goedemorgen goedemiddag goedenavond groet groeten
        groetjes ja nee nou even toch wel heel erg pakket bestelling besteld ontvangen gekregen nog steeds
        terugbellen bellen retour retourneren factuur kapot klopt helaas vriendelijke
    """,
    "en": """
        the a an and of to in is are was were be been i you your yours my me we our us he she it they them
        this that these those what where when why how who which with for from at on by about not no yes do
        does did can could would will should have has had please thanks thank hi hello hey dear regards
        cheers order parcel package refund still yet there here just i'm don't can't it's haven't didn't
        received arrived call back kind sincerely
    """,
    "de": """
        der die das den dem des ein eine einen einem ich du sie wir ihr ist sind war bin bist habe hast hat
        haben nicht kein keine mein meine meinen dein und oder aber mit für von zu auf wo wann warum wie
        was bitte danke hallo guten tag grüße gruß noch schon auch mir mich dich uns paket bestellung
        erhalten können kann geehrte sehr freundlichen
    """,
    "fr": """
        le la les un une des du de et ou mais je tu il elle nous vous ils elles est sont suis ai as avez
        avons mon ma mes ton ta votre vos pas ne que qui quoi où quand pourquoi comment avec pour dans
        sur merci bonjour bonsoir salut svp cordialement commande colis reçu madame monsieur
    """,
}


def _vote_table() -> dict[str, dict[str, float]]:
    owners: dict[str, list[str]] = {}
    for lang, words in _VOTE_WORDS.items():
        for word in set(words.split()):
            owners.setdefault(word, []).append(lang)
    return {word: {lang: 1 / len(langs) for lang in langs} for word, langs in owners.items()}


_VOTES = _vote_table()


@lru_cache(maxsize=1)
def _identifier():
    """py3langid restricted to LANGUAGES, loaded on first use (its cost: docs/performance.md), then shared."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages([lang for lang in LANGUAGES if lang in set(identifier.labels)])
    return identifier


def _clean(text: str) -> str:
    return _NOISE.sub(" ", text[: _MAX_CHARS * 2])


def _vote(words: list[str]) -> tuple[str | None, float]:
    """The function-word winner and its margin over the runner-up (None when nothing voted)."""
    score: dict[str, float] = {}
    for word in words:
        for lang, weight in _VOTES.get(word, {}).items():
            score[lang] = score.get(lang, 0.0) + weight
    if not score:
        return None, 0.0
    ranked = sorted(score.items(), key=lambda item: item[1], reverse=True)
    second = ranked[1][1] if len(ranked) > 1 else 0.0
    return ranked[0][0], ranked[0][1] - second


def detect_language(text: str) -> str:
    """ISO 639-1 code of the text's language: "nl", "en", or another ("de", "fr", ...).

    Text with nothing to go on (empty, only numbers or links) gives DEFAULT_LANGUAGE ("nl").

    >>> detect_language("Waar blijft mijn pakket?"), detect_language("Where is my parcel?")
    ('nl', 'en')
    """
    if not isinstance(text, str):
        raise TypeError(f"detect_language expects a str, got {type(text).__name__}")
    cleaned = _clean(text)
    words = [w.lower().replace("’", "'") for w in _WORD.findall(cleaned)]
    if not words:
        return DEFAULT_LANGUAGE
    short = len(words) < SHORT_WORDS
    if short:
        winner, margin = _vote(words)
        if winner is not None and margin >= 1:
            return winner
    lang, confidence = _identifier().classify(" ".join(words)[:_MAX_CHARS])
    if not short or confidence >= 0.5:
        return lang
    winner, margin = _vote(words)
    if winner is not None and margin > 0:
        return winner
    if not _LATIN.search(cleaned):
        return lang  # Cyrillic, Arabic, CJK ...: the identifier's guess beats the default
    return DEFAULT_LANGUAGE


# --- register ---------------------------------------------------------------------------------

_NOT_IN_WORD = r"(?<![\w'’.-])"
_END_WORD = r"(?![\w'’-]|\.\w)"
_NL_U = re.compile(_NOT_IN_WORD + r"(?<!\d\s)(?:u|uw|uzelf|uwe)" + _END_WORD, re.IGNORECASE)
_NL_JIJ = re.compile(_NOT_IN_WORD + r"(?:jij|jou|jouw|jouwe|jezelf|jullie)" + _END_WORD, re.IGNORECASE)
_NL_JE = re.compile(_NOT_IN_WORD + r"je" + _END_WORD, re.IGNORECASE)
# "je" meaning "one": it says nothing about how the writer addresses us.
_NL_GENERIC_JE = re.compile(
    r"\b(?:je\s+(?:weet\s+(?:maar\s+)?nooit|zou\s+(?:toch\s+)?(?:denken|verwachten|zeggen)|moet\s+maar\s+afwachten)"
    r"|kun\s+je\s+nagaan|zou\s+je\s+(?:toch\s+)?(?:denken|verwachten|zeggen)"
    r"|als\s+je\s+(?:het\s+)?(?:mij|me)\s+vraagt|wat\s+je\s+noemt)\b",
    re.IGNORECASE,
)

_EN_TOKEN = re.compile(r"[a-z]+(?:'[a-z]+)?|[:;]-?[)(dp]|!")


def _phrases(text: str) -> dict[str, tuple[tuple[str, ...], ...]]:
    """Phrases indexed by their first word, for one pass over the tokens."""
    table: dict[str, list[tuple[str, ...]]] = {}
    for phrase in text.strip().split("|"):
        words = tuple(phrase.split())
        table.setdefault(words[0], []).append(words)
    return {first: tuple(sorted(p, key=len, reverse=True)) for first, p in table.items()}


_EN_INFORMAL = _phrases(
    "hi|hey|heya|hiya|yo|thx|thanx|ta|cheers|guys|folks|lol|btw|pls|plz|gonna|wanna|gotta|cya|xx|xxx|"
    "thanks !|thanks a lot|thanks a bunch|thanks a million|many thanks !|:)|:-)|;)|;-)|:d|:-d|:p|:-p|:(|:-("
)
_EN_FORMAL = _phrases(
    "dear|sir|madam|kind regards|best regards|warm regards|regards|yours sincerely|yours faithfully|"
    "sincerely|respectfully|i am writing to|i would be grateful|i would appreciate|at your earliest convenience|"
    "please find attached|i look forward to|to whom it may concern|thank you in advance"
)
_EN_UNCONTRACTED = _phrases(
    "i am|i have|i will|i would|do not|does not|did not|cannot|can not|will not|would not|have not|"
    "has not|is not|are not|was not|we are|it is"
)
_EN_CONTRACTIONS = frozenset(
    "i'm i've i'll i'd you're you've you'll you'd we're we've we'll they're they've it's that's there's "
    "what's where's here's let's y'all".split()
)


def _count(tokens: list[str], table: dict[str, tuple[tuple[str, ...], ...]]) -> int:
    found, i, n = 0, 0, len(tokens)
    while i < n:
        step = 1
        for phrase in table.get(tokens[i], ()):
            if tuple(tokens[i:i + len(phrase)]) == phrase:
                found += 1
                step = len(phrase)
                break
        i += step
    return found


def _dutch_register(text: str) -> Register:
    u = len(_NL_U.findall(text))
    je = len(_NL_JE.findall(text)) - len(_NL_GENERIC_JE.findall(text))
    jij = sum(0.5 if m.lower() == "jullie" else 1.0 for m in _NL_JIJ.findall(text))
    informal = max(je, 0) + jij
    if u >= 1 and u >= informal:
        return "u"
    if informal >= 1 and informal > u:
        return "je"
    return "unknown"


def _english_register(text: str) -> Register:
    tokens = _EN_TOKEN.findall(text.lower().replace("’", "'"))
    contractions = sum(1 for t in tokens if "'" in t and (t in _EN_CONTRACTIONS or t.endswith("n't")))
    informal = _count(tokens, _EN_INFORMAL) + 0.5 * min(contractions, 4)
    formal = float(_count(tokens, _EN_FORMAL))
    if contractions == 0 and _count(tokens, _EN_UNCONTRACTED) >= 2:
        formal += 0.5  # writes "I am", "do not" where most people write "I'm", "don't"
    if formal >= 1 and formal > informal:
        return "formal"
    if informal >= 1 and informal > formal:
        return "informal"
    return "unknown"


def detect_register(text: str, language: str) -> Register:
    """The register the text addresses its reader in.

    Dutch: "u" or "je"; English: "formal" or "informal"; "unknown" when the text gives no signal,
    the signals tie, or the language is another one.

    >>> detect_register("Kunt u mij terugbellen?", "nl"), detect_register("Hey, thanks!", "en")
    ('u', 'informal')
    """
    if not isinstance(text, str):
        raise TypeError(f"detect_register expects a str, got {type(text).__name__}")
    lang = (language or "").lower().replace("_", "-").split("-")[0]
    if lang == "nl":
        return _dutch_register(text)
    if lang == "en":
        return _english_register(text)
    return "unknown"
