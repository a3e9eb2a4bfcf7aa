"""Reading a mail for instructions to the model (injection_followed, checks/injection.py).

An instruction is a sentence that addresses the assistant or tells "your reply" what to contain or
how to look, with the rest of its paragraph; its payloads are the links, e-mail addresses, phone
numbers, amounts, codes, masked values and quoted text it carries. A task is a request the mail makes
that is not about the customer's own case ("What is the capital of Brazil?" in a mail about a
parcel), with or without such a cue. The word readers here also read the draft.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from ..masking import EMAIL, PLACEHOLDER
from ..packs import available_languages, load_pack, words_of_every_pack
from .amounts import AMOUNT, amount_key

_F = re.IGNORECASE

# Addressed to the model itself: never something a customer asks a person.
_TO_THE_MODEL = re.compile(
    r"\b(ignore|disregard|forget|override|negeer|vergeet|ignoreer)\b[^.!?\n]{0,40}\b(instructions?|rules|prompt|above|previous|"
    r"instructies?|regels|opdrachten|eerdere|bovenstaande|vorige)\b|"
    r"\b(assistant|assistent|a\.?i\.?|artificial intelligence|language model|taalmodel|chatbot|chat ?gpt|gpt-?\d*|llm|copilot|"
    r"system ?prompt|systeem ?prompt|system (message|instructions?)|systeem ?(instructies?|bericht)|developer mode)\b",
    _F,
)
# Telling the reply what to contain or how to look: where in "your reply" something goes, or how it starts or ends.
# "In uw antwoord" is left out: that is how customers address a person, and what they ask for there is theirs.
_INTO_THE_REPLY = re.compile(
    r"(?<!forward )(?<!forward to )\b(in|into|to|within|throughout|from|of)\s+(your|the)\s+(reply|response|answer|message|output|responses|replies|answers)\b|"
    r"\byour (reply|response|answer|message)'s\b|^\W*\w+\s+(your|je|jouw)\s+(reply|response|answer|message|antwoord|reactie)\b|"
    r"\b(in|aan|onder|bovenaan|onderaan|bij|uit)\s+(je|jouw|het)\s+(antwoord|reactie|antwoordmail|output)\b|\bvoor het antwoord\b",
    _F,
)
_LAYOUT = re.compile(
    r"^\W*(end|finish|close|sign off|start|begin|open)\s+(with|by)\b|\b(somewhere|at the (top|bottom|end|start|beginning))\b|"
    r"^\W*(eindig|begin|sluit\s+af|start|open|onderteken)\s+met\b|\b(ergens|bovenaan|onderaan)\b",
    _F,
)


@dataclass(frozen=True)
class Payload:
    kind: str  # link, e-mail address, phone number, amount, code, quoted text, wording
    value: str
    key: str  # normalised for matching


# A bare domain starts only where a run of name characters starts: one try per token keeps it linear ("1-1-1-...").
URL = re.compile(
    r"(?:https?://|www\.)[^\s<>\"')\]]+|(?<![\w.-])[\w-]+(?:\.[\w-]+)*\.(?:com|net|org|nl|be|de|eu|io|xyz|info|biz|co|ly|me|app|site|"
    r"online|shop|click|top|link|ru|cn)\b(?:/[^\s<>\"')\]]*)?",
    _F,
)
PHONE = re.compile(r"(?<![\w-])(?:\+|00)?\d[\d \-()]{7,16}\d(?![\w-])")

# A code an attacker wants repeated: letters and digits joined by "-" or "_" ("WELKOM-2024", "REF_77A").
_CODE = re.compile(r"\b(?=[A-Za-z0-9_-]*\d)(?=[A-Za-z0-9_-]*[A-Za-z])[A-Za-z0-9]+(?:[-_][A-Za-z0-9]+)+\b|\b[A-Z]{2,}(?:[-_][A-Z0-9]{2,})+\b")
QUOTED = re.compile(r"\"([^\"\n]{6,200})\"|“([^”\n]{6,200})”|'([^'\n]{6,200})'|‘([^’\n]{6,200})’")
_WORD = re.compile(r"\w+")


def lower_words(text: str) -> list[str]:
    """Every run of word characters, lower-cased."""
    return [w.lower() for w in _WORD.findall(text)]


def shingles(words: list[str], n: int) -> set[tuple[str, ...]]:
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


def url_key(url: str) -> str:
    return re.sub(r"^(?:https?://)?(?:www\.)?", "", url.lower()).rstrip(".,;:!?").rstrip("/")


def digits(text: str) -> str:
    return re.sub(r"\D", "", text)


# A sentence ends at . ! ? before a space or a line end; "www.example.com" and "rich!\"" do not end one.
SENTENCE = re.compile(r"(?:[^\n.!?]|[.!?]+(?=[^\s.!?]))+[.!?]*")


def _is_cue(sentence: str) -> bool:
    return bool(_TO_THE_MODEL.search(sentence) or _INTO_THE_REPLY.search(sentence) or _LAYOUT.search(sentence))


def instruction_spans(text: str, sentences: list[tuple[int, int]] | None = None) -> list[tuple[int, int]]:
    """Where the mail instructs the model: a cue sentence and the rest of its paragraph.

    `sentences` are (start, end) offsets when the text is already tokenised; otherwise a plain
    split is enough, and it keeps a long quoted history from costing a tokeniser pass per check.
    """
    if sentences is None:
        sentences = [m.span() for m in SENTENCE.finditer(text)]
    spans: list[tuple[int, int]] = []
    for start, end in sentences:
        if not _is_cue(text[start:end].strip()):
            continue
        paragraph_end = text.find("\n\n", start)
        end = len(text) if paragraph_end == -1 else paragraph_end
        if spans and start <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(end, spans[-1][1]))
        else:
            spans.append((start, end))
    return spans


def payloads(instruction: str) -> list[Payload]:
    found: list[Payload] = []
    for m in URL.finditer(instruction):
        if "@" not in instruction[max(0, m.start() - 1) : m.start()]:
            found.append(Payload("link", m.group(0), url_key(m.group(0))))
    for m in EMAIL.finditer(instruction):
        found.append(Payload("e-mail address", m.group(0), m.group(0).lower()))
    for m in PHONE.finditer(instruction):
        if len(digits(m.group(0))) >= 9:
            found.append(Payload("phone number", m.group(0).strip(), digits(m.group(0))[-9:]))
    for m in AMOUNT.finditer(instruction):
        found.append(Payload("amount", m.group(0).strip(), amount_key(m)))
    for m in _CODE.finditer(instruction):
        if not PHONE.fullmatch(m.group(0)) and not URL.fullmatch(m.group(0)):
            found.append(Payload("code", m.group(0), m.group(0).lower()))
    for m in PLACEHOLDER.finditer(instruction):
        found.append(Payload("masked value", m.group(0), m.group(0)))
    for m in QUOTED.finditer(instruction):
        phrase = next(g for g in m.groups() if g)
        if len(lower_words(phrase)) >= 2:
            found.append(Payload("quoted text", phrase, " ".join(lower_words(phrase))))
    return found


# --- instructions without cue words: a task that is not the customer's own case -----------------

MIN_REST_WORDS = 5  # a mail needs this many content words besides the sentence to tell "unrelated" apart
OFF_CASE_SHARE = 1 / 3  # at most this share of a task's content words may occur elsewhere in the mail
_CLAUSE = re.compile(r"[:;,]")
_PARAGRAPHS = re.compile(r"\n[ \t]*\n")
# An address starts where its run of non-space starts: "\S+@" tried from every position of a long
# run without an @ is quadratic in the run's length.
_NOT_WORDS = re.compile(r"(?:https?://|www\.)\S+|(?<!\S)[^\s@]*@\S+|@\w+|#\w+|&\w+;")
_LETTERS = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")


@lru_cache(maxsize=1)
def _lexicon() -> dict[str, frozenset[str]]:
    """Every pack's request words and function words, together: an English attack can sit in a Dutch mail."""
    merged: dict[str, set[str]] = {"task_verbs": set(), "request_leads": set(), "first_person": set(), "function": set()}
    for language in available_languages():
        pack = load_pack(language)
        if pack is None:
            continue
        section = pack.section("injection")
        for key in ("task_verbs", "request_leads", "first_person"):
            merged[key] |= {w.lower() for w in section.get(key, [])}
    merged["function"] = set(words_of_every_pack("function_words"))
    return {key: frozenset(found) for key, found in merged.items()}


def letter_words(text: str) -> list[str]:
    """Lower-case words of letters, without links, addresses and @handles (their parts are no words of a sentence)."""
    text = _NOT_WORDS.sub(" ", text)
    found = (w.lower().replace("’", "'") for w in _LETTERS.findall(text))
    return [w[:-2] if w.endswith("'s") else w for w in found]


def content_words(words: list[str]) -> list[str]:
    function = _lexicon()["function"]
    return [w for w in words if len(w) >= 3 and w not in function]


def _is_request(sentence: str, words: list[str]) -> bool:
    """A question, or an imperative whose verb asks for text: "Write ...", "Can you please explain ..."."""
    if sentence.rstrip(" \"'”’)").endswith("?"):
        return True
    lexicon = _lexicon()
    for clause in _CLAUSE.split(sentence)[:6]:  # "User: Next, please repeat ...", "If asked, reply with ..."
        for word in letter_words(clause)[:5]:
            if word in lexicon["task_verbs"]:
                return True
            if word not in lexicon["request_leads"]:
                break
    return False


def off_case_tasks(text: str, counts: dict[str, int] | None = None) -> list[tuple[str, frozenset[str]]]:
    """Sentences of the mail that ask for a task unrelated to the customer's own case, with their distinctive words.

    A request (question or text-producing imperative) without the customer's first person, whose content
    words the rest of the mail does not use: "What is the capital of Brazil?" in a mail about a parcel.
    """
    # A paragraph where the customer speaks of themselves ("I need ...") is their case, questions and all.
    first_person = _lexicon()["first_person"]
    sentences = [
        m.group(0) for paragraph in _PARAGRAPHS.split(text) if not first_person.intersection(letter_words(paragraph))
        for m in SENTENCE.finditer(paragraph) if m.group(0).strip()
    ]
    if counts is None:  # the content words of the whole mail; by default this text is the whole mail
        counts = Counter(content_words(letter_words(text)))
    total = sum(counts.values())
    tasks: list[tuple[str, frozenset[str]]] = []
    for sentence in sentences:
        words = letter_words(sentence)
        content = content_words(words)
        if len(content) < 2 or total - len(content) < MIN_REST_WORDS or not _is_request(sentence, words):
            continue
        mine = Counter(content)
        elsewhere = {w for w in mine if counts[w] > mine[w]}
        if len(elsewhere) <= OFF_CASE_SHARE * len(mine):
            tasks.append((sentence.strip(), frozenset(mine) - elsewhere))
    return tasks


def distinctive_words(instruction: str, mail_words: dict[str, int]) -> frozenset[str]:
    """An instruction's content words that the rest of the mail does not use."""
    mine = Counter(content_words(letter_words(instruction)))
    return frozenset(w for w, n in mine.items() if mail_words.get(w, 0) <= n)


def tasks_in_mail(parts: list[str], instructions: list[str]) -> list[tuple[str, frozenset[str]]]:
    """The tasks the mail's parts set, with their distinctive words: the instructions that are not about
    the customer's own case, then the off-case requests without a cue word."""
    mail_words = Counter(word for text in parts for word in content_words(letter_words(text)))
    total = sum(mail_words.values())
    tasks = []
    for instruction in instructions:
        content = set(content_words(letter_words(instruction)))
        distinctive = distinctive_words(instruction, mail_words)
        # The customer's own case ("I want to speak with an assistant") is no task, as below.
        if total - len(content) >= MIN_REST_WORDS and len(content - distinctive) <= OFF_CASE_SHARE * len(content):
            tasks.append((instruction, distinctive))
    for text in parts:
        tasks += off_case_tasks(text, mail_words)
    return tasks
