"""Split a mail's text into the new message, the quoted history and the signature.

mail-parser-reply does the first cut; this module adds what it misses (Dutch Gmail/Apple "Op ...
schreef Naam <adres>:", forwarded and "Oorspronkelijk bericht" separators, ">"-quoted blocks,
closings such as "Groet," and "Verstuurd vanaf mijn iPhone"). The signature is cut conservatively:
a line is only taken as a sign-off when it is short, so a sentence that starts with "Bedankt, ..."
stays in the body.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Mapping

from .headers import leading_headers

PARSER_LANGUAGES = ("nl", "en", "de", "fr")

# What mail-parser-reply does not know: Dutch Gmail/Thunderbird ("Op ... om 14:03 schreef Naam
# <adres>:"), Dutch Apple Mail ("Op ... heeft Naam het volgende geschreven:"), and the forwarded and
# "original message" separators. A quote header must hold a time and a year or full date, so a
# customer's "Op 3 mei om 10:30 schreef ik u:" stays in the body.
_HEADER_START = re.compile(r"^(?:> ?)*(?:op|on|am|le|el|il|dne|den)\b", re.IGNORECASE)
_HEADER_VERB = re.compile(
    r"\b(?:schreef|wrote|schrieb|a\s+écrit|escribió|ha\s+scritto|het\s+volgende\s+geschreven)\b[^:]{0,200}:\s*$",
    re.IGNORECASE,
)
_HEADER_TIME = re.compile(r"\d{1,2}[:.]\d{2}")
_HEADER_DATE = re.compile(r"\b(?:19|20)\d{2}\b|\b\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}\b")
# The line over a quoted original and over a forwarded mail ("-----Oorspronkelijk bericht-----").
_ORIGINAL_LINE = (
    r"-{2,}\s*(?:Oorspronkelijk\s+bericht|Origineel\s+bericht|Oorspronkelijke\s+e-?mail|Original\s+message|"
    r"Ursprüngliche\s+Nachricht|Message\s+d'origine)\s*-{2,}"
)
_FORWARDED_LINE = (
    r"-{2,}\s*(?:Doorgestuurd\s+bericht|Forwarded\s+message|Weitergeleitete\s+Nachricht|Message\s+transféré)\s*-{2,}"
    r"|Begin\s+(?:forwarded\s+message|doorgestuurd\s+bericht)\s*:"
)
_SEPARATOR = re.compile(rf"^(?:> ?)*(?:{_ORIGINAL_LINE}|{_FORWARDED_LINE})\s*$", re.IGNORECASE)
_FORWARD = re.compile(rf"^(?:{_FORWARDED_LINE})\s*$", re.IGNORECASE)
_QUOTED = re.compile(r"^>")
_FORWARD_SUBJECT = re.compile(r"^\s*(?:fwd?|doorst|wg|tr)\s*:", re.IGNORECASE)
_RULE = re.compile(r"^[-_=*~#. ]{2,}$")

# Sign-offs in Dutch, English, German and French, as a regular expression to build on (no anchors,
# no flags: compile it with re.IGNORECASE). mail-parser-reply knows only a few, with no guard against
# a sentence that merely starts with one.
SIGN_OFF_PHRASES = (
    r"(?:met\s+)?(?:vriendelijke|hartelijke|beste|warme|zonnige|sportieve|lieve)\s+groet(?:en)?|groet(?:en|jes)?|"
    r"mvg|m\.v\.g\.?|gr\.?|liefs|doei|"
    r"(?:kind|best|warm|warmest|many)\s+(?:regards|wishes)|regards|cheers|sincerely|yours\s+(?:sincerely|faithfully|truly)|"
    r"all\s+the\s+best|best(?=\s*(?:,|$))|take\s+care|"
    r"mit\s+freundlichen\s+grüßen|viele\s+grüße|liebe\s+grüße|beste\s+grüße|cordialement|bien\s+à\s+vous"
)
_SIGN_OFF_LINE = re.compile(rf"^(?:{SIGN_OFF_PHRASES})\b\s*[,.!]?\s*(?P<rest>.*)$", re.IGNORECASE)
_THANKS = re.compile(
    r"^(?:alvast\s+)?(?:bedankt|dank\s+(?:u|je)(?:\s+wel)?|dankjewel|dankuwel|thanks|thank\s+you|many\s+thanks|danke|merci)"
    r"(?:\s+(?:alvast|in\s+advance|voor\s+\w+(?:\s+\w+)?))?\s*[,.!]*\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
_SENT_FROM = re.compile(
    r"^(?:(?:verstuurd|verzonden)\s+(?:vanaf|met|van|via)\s|sent\s+(?:from|with|via)\s|get\s+outlook\s+for|"
    r"outlook\s+voor\s|download\s+outlook|gesendet\s+von|envoyé\s+de(?:puis)?\s)",
    re.IGNORECASE,
)
_PS = re.compile(r"^p\.?\s?s\.?\b", re.IGNORECASE)  # a P.S. under the sign-off is message, not signature
_DELIMITER = re.compile(r"^(?:--|__|—|[_-]{32,})$")
# "-Maarten de Jong": a dash glued to a name, not a list item ("- ordernummer 4471829").
_DASH_NAME = re.compile(r"^[-–—~][A-ZÀ-Þ][A-Za-zÀ-ÿ.'’-]*(?:\s+[A-Za-zÀ-ÿ.'’-]+){0,3}$")
_LIST_ITEM = re.compile(r"^(?:[-–—*•]|\d+[.)])\s*\w")

# mail-parser-reply's signature pattern starts with `\s*^`: it backtracks over every run of
# whitespace from each of its characters, quadratic in the run's length. Long runs carry no meaning
# in a mail: they are shortened first.
_LONG_BLANK = re.compile(r"[^\S\n]{20,}")
_BLANK_LINES = re.compile(r"\n(?:[^\S\n]*\n){2,}")


@dataclass(frozen=True)
class MailParts:
    """A mail's text split up. `forwarded_headers`: sender, subject and date of a forwarded mail
    that had no comment of its own (then the forwarded mail is the message), else empty."""

    body: str
    history: str
    signature: str
    forwarded_headers: Mapping[str, str] = field(default_factory=dict)


def split_message(text: str) -> tuple[str, str, str]:
    """(body, history, signature) of one mail's text; history newest first, with its quote headers."""
    parts = _split(text)
    return parts.body, parts.history, parts.signature


def split_mail(text: str, subject: str = "") -> MailParts:
    """split_message for a whole mail: a forward with no comment (an agent forwarding a customer's
    mail to the tool) is the forwarded mail, and a body that is only "Verstuurd vanaf mijn iPhone"
    is signature."""
    parts = _split(text, forwarded=bool(_FORWARD_SUBJECT.match(subject or "")))
    if _SENT_FROM.match(parts.body) and "\n" not in parts.body:
        return replace(parts, body="", signature=(parts.body + "\n\n" + parts.signature).strip())
    return parts


def _split(text: str, forwarded: bool = False) -> MailParts:
    """`forwarded`: the subject says it is a forward, so a header block with no separator above it opens one."""
    msg = _parse_replies(text)
    head, tail = _new_text_and_history(msg)
    if not head.strip() and tail:
        head, tail = _bottom_posted(tail, msg)
    if not head.strip() and tail:
        inner = _forwarded(tail, forwarded)
        if inner is not None:
            headers, rest = inner
            return replace(_split(rest), forwarded_headers=headers)
    head, quoted = _take_quotes(head)
    if quoted:
        tail = (quoted + "\n\n" + tail).strip()
    body, signature = _cut_signature(head, msg)
    return MailParts(_tidy(body), _tidy(tail), _tidy(signature))


def _tidy(text: str) -> str:
    return re.sub(r"\n{3,}", "\n\n", text).strip()


# --- mail-parser-reply ------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _reply_regexes() -> dict:
    """mail-parser-reply builds its patterns for every message; build them once and hand them in."""
    from mailparser_reply.parser import EmailMessage

    probe = EmailMessage(text="", languages=list(PARSER_LANGUAGES), keep_hyphen_lists=True)
    return {
        "_header_regex": probe.HEADER_REGEX,
        "_signature_regex": probe.SIGNATURE_REGEX,
        "_disclaimers_regex": probe.DISCLAIMERS_REGEX,
    }


def _shorten_whitespace(text: str) -> str:
    """Runs of 20+ spaces or tabs become one space; three or more line breaks become one blank line."""
    return _BLANK_LINES.sub("\n\n", _LONG_BLANK.sub(" ", text))


def _parse_replies(text: str):
    from mailparser_reply.parser import EmailMessage

    # keep_hyphen_lists: a customer's "- ordernummer 123" list is not a signature.
    return EmailMessage(
        text=_shorten_whitespace(text), languages=list(PARSER_LANGUAGES), keep_hyphen_lists=True, **_reply_regexes()
    ).read()


def _new_reply(msg):
    """mail-parser-reply's first reply when it is new text, None when the mail starts with a quote header."""
    first = msg.replies[0] if msg.replies else None
    return None if first is None or first.headers else first


# --- new text and quoted history --------------------------------------------------------------


def _new_text_and_history(msg) -> tuple[str, str]:
    """The new text is mail-parser-reply's first reply, up to the first quote header it did not know."""
    reply = _new_reply(msg)
    if reply is None:
        head, tail = "", msg.text.strip()
    else:
        head, tail = reply.content, "\n\n".join(r.content for r in msg.replies[1:])
    lines = head.split("\n")
    found = _first_quote_header(lines)
    if found:
        head, tail = "\n".join(lines[:found[0]]), ("\n".join(lines[found[0]:]) + "\n\n" + tail).strip()
    return head, tail


def _is_quote_header(lines: list[str], i: int) -> int:
    """How many lines the quote header at line i spans (0: none). Gmail wraps long ones once."""
    line = lines[i]
    if _SEPARATOR.match(line):
        return 1
    if not _HEADER_START.match(line):
        return 0
    for span in (1, 2):
        candidate = " ".join(lines[i:i + span])
        if len(candidate) < 400 and _HEADER_VERB.search(candidate) and _HEADER_TIME.search(candidate) \
                and _HEADER_DATE.search(candidate):
            return span
    return 0


def _first_quote_header(lines: list[str], start: int = 0) -> tuple[int, int] | None:
    for i in range(start, len(lines)):
        span = _is_quote_header(lines, i)
        if span:
            return i, span
    return None


def _bottom_posted(tail: str, msg) -> tuple[str, str]:
    """A reply written under the quote ("Op ... schreef:", "> ...", then the answer): the unquoted
    lines after the first quoted block, up to the next quote header, are the new message."""
    lines = tail.split("\n")
    first_quoted = next((i for i, line in enumerate(lines) if _QUOTED.match(line)), None)
    if first_quoted is None:
        return "", tail
    stop = _answer_end(lines, first_quoted, msg)
    own = [i for i in range(first_quoted, stop) if lines[i].strip() and not _QUOTED.match(lines[i])]
    if not own:
        return "", tail
    taken = set(range(own[0], stop)) - {i for i in range(own[0], stop) if _QUOTED.match(lines[i])}
    head = "\n".join(lines[i] for i in sorted(taken))
    rest = "\n".join(line for i, line in enumerate(lines) if i not in taken)
    return head, rest.strip()


def _answer_end(lines: list[str], first_quoted: int, msg) -> int:
    """Where the answer under the first quoted block ends: at the next quote header, ours or mail-parser-reply's."""
    stop = len(lines)
    later = _first_quote_header(lines, first_quoted + 1)
    if later:
        stop = later[0]
    below = "\n".join(lines[first_quoted + 1:stop])
    header = msg.HEADER_REGEX.search(below)
    if header:
        stop = first_quoted + 1 + below[: header.start()].count("\n")
    return stop


def _forwarded(tail: str, hinted: bool) -> tuple[dict[str, str], str] | None:
    """A forward with no comment: its header block and its text, or None."""
    lines = tail.split("\n")
    start = 0
    if _FORWARD.match(lines[0].strip()):
        start = 1
    elif not hinted:
        return None
    headers, rest = leading_headers("\n".join(lines[start:]))
    if not headers or not rest.strip():
        return None
    return headers, rest


def _take_quotes(head: str) -> tuple[str, str]:
    """">"-quoted lines in the new message (inline answers, a quote whose header we did not know)
    and the attribution line above each quoted block ("Marc wrote:", "26.06.2014, "X" <x@y>:")."""
    lines = head.split("\n")
    quoted = {i for i, line in enumerate(lines) if _QUOTED.match(line)}
    if not quoted:
        return head, ""
    taken = _with_attributions(lines, quoted)
    own = [line for i, line in enumerate(lines) if i not in taken]
    if not any(line.strip() for line in own):
        return head, ""
    return "\n".join(own), "\n".join(line for i, line in enumerate(lines) if i in taken).strip()


def _with_attributions(lines: list[str], quoted: set[int]) -> set[int]:
    """The quoted lines plus the attribution above each quoted block (two lines when it wraps)."""
    taken = set(quoted)
    for i in sorted(quoted):
        if i - 1 in quoted:
            continue  # not the first line of its block
        j = _previous_nonblank(lines, i)
        if j is None or j in taken or not _is_attribution(lines[j]):
            continue
        taken.add(j)
        if j > 0 and _wraps_into_attribution(lines[j - 1]):
            taken.add(j - 1)
    return taken


def _previous_nonblank(lines: list[str], i: int) -> int | None:
    j = i - 1
    while j >= 0 and not lines[j].strip():
        j -= 1
    return j if j >= 0 else None


def _is_attribution(line: str) -> bool:
    line = line.strip()
    if not line.endswith(":") or len(line) > 300:
        return False
    return "@" in line or bool(_HEADER_VERB.search(line)) or bool(
        _HEADER_TIME.search(line) and _HEADER_DATE.search(line)
    )


def _wraps_into_attribution(line: str) -> bool:
    """The first half of an attribution wrapped over two lines: no sentence end, an address or date."""
    return bool(line.strip()) and not line.rstrip().endswith((".", "!", "?", ":")) and (
        "@" in line or bool(_HEADER_DATE.search(line))
    )


# --- signature --------------------------------------------------------------------------------


def _cut_signature(head: str, msg) -> tuple[str, str]:
    """(body, signature) of the new text: from the sign-off down, plus a disclaimer that ends it."""
    lines = head.split("\n")
    cut = _signature_start(lines, _new_reply(msg))
    signature = ""
    if cut is not None:
        head, signature = "\n".join(lines[:cut]), "\n".join(lines[cut:])
    head, disclaimer = _strip_disclaimer(head, msg)
    if disclaimer:
        signature = (signature + "\n\n" + disclaimer).strip()
    return _drop_trailing_rules(head), signature


def _signature_start(lines: list[str], reply) -> int | None:
    """The first signature line: ours, or mail-parser-reply's when it is earlier and one we accept."""
    ours = _signature_line(lines)
    if reply is None or not reply.signatures:
        return ours
    library = _library_signature_line(lines, reply.signatures)
    if library is not None and (ours is None or library < ours):
        return library
    return ours


def _drop_trailing_rules(head: str) -> str:
    lines = head.rstrip().split("\n")
    while len(lines) > 1 and (not lines[-1].strip() or _RULE.match(lines[-1].strip())):
        lines.pop()  # a separator line left above the quote
    return "\n".join(lines)


def _strip_disclaimer(head: str, msg) -> tuple[str, str]:
    """A disclaimer mail-parser-reply finds, only when it ends the text: never a customer's sentence."""
    for match in msg.DISCLAIMERS_REGEX.finditer(head):
        if not head[match.end():].strip():
            start = match.start() + (1 if head[match.start():match.start() + 1] in ".!?" else 0)
            if head[:start].strip():
                return head[:start], head[start:].strip()
    return head, ""


@dataclass(frozen=True)
class _Lines:
    """The new text's non-empty lines: where each stands (`index`), stripped (`text`), and whether a
    question or P.S. (`question_from`) or a list item (`list_from`) comes at it or later. Both are
    computed once from the end, so a very long mail is one pass instead of one pass per line."""

    index: tuple[int, ...]
    text: tuple[str, ...]
    question_from: tuple[bool, ...]
    list_from: tuple[bool, ...]


def _nonempty_lines(lines: list[str]) -> _Lines:
    index = tuple(i for i, line in enumerate(lines) if line.strip())
    text = tuple(lines[i].strip() for i in index)
    question_from, list_from = [False] * (len(text) + 1), [False] * (len(text) + 1)
    for n in range(len(text) - 1, -1, -1):
        question_from[n] = question_from[n + 1] or text[n].endswith("?") or bool(_PS.match(text[n]))
        list_from[n] = list_from[n + 1] or bool(_LIST_ITEM.match(text[n]))
    return _Lines(index, text, tuple(question_from), tuple(list_from))


def _signature_line(lines: list[str]) -> int | None:
    """Index of the first signature line, or None.

    Only a short sign-off line counts, followed by short lines (name, phone) with no question or
    P.S.: "Bedankt, maar het pakket is kapot" and "Groeten uit Spanje! Ik wil..." stay in the body.
    A thanks line stays in the body too (the analysis reads it); the lines under it are the signature.
    """
    view = _nonempty_lines(lines)
    for n, i in enumerate(view.index):
        if _opens_signature(view, n):
            return i
        if _thanks_over_signature(view, n):
            return view.index[n + 1]
    return None


def _opens_signature(view: _Lines, n: int) -> bool:
    return _is_delimiter(view, n) or _is_sent_from(view, n) or _is_sign_off(view, n) or _is_dash_name(view, n)


def _bare(line: str) -> str:
    """The line without the bold or italic marks around it."""
    return line.strip("*_ ") or line


def _after(view: _Lines, n: int) -> int:
    return len(view.text) - n - 1


def _short(line: str, words: int) -> bool:
    return len(line.split()) <= words and not line.rstrip().endswith("?")


def _only_short_lines_follow(view: _Lines, n: int) -> bool:
    """Nothing after line n, or a short line (name, phone) or a rule next and no question or P.S. further on."""
    if not _after(view, n):
        return True
    following = view.text[n + 1]
    return (_short(following, 6) or set(following) <= set("_-=")) and not view.question_from[n + 1]


def _is_delimiter(view: _Lines, n: int) -> bool:
    """"-- " and its kin, between the message and something under it."""
    return bool(n and _after(view, n) and _DELIMITER.match(view.text[n]))


def _is_sent_from(view: _Lines, n: int) -> bool:
    """"Verstuurd vanaf mijn iPhone" near the end, under the message."""
    return bool(n and _after(view, n) <= 3 and _SENT_FROM.match(_bare(view.text[n])))


def _is_sign_off(view: _Lines, n: int) -> bool:
    """A sign-off over short lines."""
    return _short_sign_off(_bare(view.text[n])) and _only_short_lines_follow(view, n)


def _short_sign_off(line: str) -> bool:
    """"Met vriendelijke groet," with at most a short name after it on the line."""
    m = _SIGN_OFF_LINE.match(line)
    return bool(m and _short(m.group("rest"), 4))


def _is_dash_name(view: _Lines, n: int) -> bool:
    """"-Maarten", under the message and not part of a list."""
    if not n or not _DASH_NAME.match(_bare(view.text[n])) or not _only_short_lines_follow(view, n):
        return False
    return not _LIST_ITEM.match(view.text[n - 1]) and not view.list_from[n + 1]


def _thanks_over_signature(view: _Lines, n: int) -> bool:
    """A short thanks line under the message with only a few short lines under it: those are the signature."""
    m = _THANKS.match(_bare(view.text[n]))
    if not (n and m and _short(m.group("rest"), 3) and 0 < _after(view, n) <= 4):
        return False
    return all(_short(line, 6) and not _PS.match(line) for line in view.text[n + 1:])


def _library_signature_line(lines: list[str], signature: str) -> int | None:
    """The line where mail-parser-reply's signature starts, when that line is one we accept."""
    first = signature.strip().split("\n", 1)[0].strip()
    if not first:
        return None
    i = next((i for i in range(len(lines) - 1, 0, -1) if lines[i].strip() == first), None)
    if i is None or any(line.strip().endswith("?") or _PS.match(line.strip()) for line in lines[i + 1:]):
        return None  # a question or P.S. under it: message, not signature
    if _DELIMITER.match(first) or _SENT_FROM.match(_bare(first)) or _short_sign_off(_bare(first)):
        return i
    return None
