"""Read a customer mail (.eml, helpdesk JSON, HTML or plain text) into an `Email`.

    read_email(Path("mail.eml"))             # a file: kind from its extension, else sniffed
    read_email(raw_bytes)                    # bytes: sniffed (JSON object, RFC 822 headers, HTML, text)
    read_email("Waar blijft mijn pakket?")   # a str is always the mail's content, never a file name

Every kind ends the same way: the text is split into the new message (`body`), the quoted earlier
messages (`history`, newest first, as mail clients quote them) and the sign-off (`signature`) with
mail-parser-reply, plus what it misses (Dutch Gmail/Apple "Op ... schreef Naam <adres>:", forwarded
and "Oorspronkelijk bericht" separators, ">"-quoted blocks, closings such as "Groet," and
"Verstuurd vanaf mijn iPhone"). The signature is cut conservatively: a line is only taken as a
sign-off when it is short, so a sentence that starts with "Bedankt, ..." stays in the body.

Unreadable input raises InputError naming what is wrong: a missing file, binary data, invalid JSON
(with line and column), an unknown JSON key, or a mail with no new text.
"""

from __future__ import annotations

import email
import email.header
import email.policy
import email.utils
import json
import mimetypes
import re
from datetime import datetime, timezone
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Literal

from .errors import InputError
from .language import detect_language, detect_register
from .types import Email

Kind = Literal["auto", "text", "eml", "json"]
PARSER_LANGUAGES = ("nl", "en", "de", "fr")
JSON_KEYS = frozenset({"subject", "body", "from", "received_at", "thread", "attachments", "ticket_id"})
THREAD_KEYS = frozenset({"body", "from", "sent_at"})
FROM_KEYS = frozenset({"name", "email"})
_EXTENSIONS = {".eml": "eml", ".json": "json", ".txt": "text", ".text": "text", ".html": "html", ".htm": "html"}
_SNIFF_BYTES = 8192


# --- entry point ------------------------------------------------------------------------------


def read_email(source: str | bytes | Path, *, kind: Kind = "auto") -> Email:
    """Read one customer mail into an `Email` with body, history, signature, language and register.

    `source`: a `pathlib.Path` is read from disk; `bytes` and `str` are the mail itself.
    `kind`: "eml", "json" or "text" forces the format; "auto" goes by the file extension
    (.eml, .json, .txt, .html) and otherwise sniffs the content.
    """
    if kind not in ("auto", "text", "eml", "json"):
        raise InputError(f"unknown kind {kind!r}: use 'auto', 'text', 'eml' or 'json'")
    extension = ""
    if isinstance(source, Path):
        extension = source.suffix.lower()
        data: str | bytes = _read_file(source)
    elif isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
    elif isinstance(source, str):
        data = source
    else:
        raise InputError(f"cannot read a mail from {type(source).__name__}: pass a str, bytes or pathlib.Path")

    if isinstance(data, bytes) and data.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")):
        data = _bytes_to_text(data)  # UTF-16/32 (Notepad's "Unicode"): decode before sniffing
    if kind == "auto":
        kind = _EXTENSIONS.get(extension) or _sniff(data)  # type: ignore[assignment]
        if kind == "text" and extension in (".txt", ".text") and _sniff(data) == "eml":
            kind = "eml"  # a mail saved as .txt with its RFC 822 headers
    if kind == "eml":
        return _from_eml(data)
    text = _to_text(data, extension)
    if kind == "json":
        return _from_json(text)
    if kind == "html":
        return _from_text(html_to_text(text), what="HTML mail")
    return _from_text(text)


def _read_file(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"mail file not found: {path}") from None
    except IsADirectoryError:
        raise InputError(f"{path} is a directory, not a mail file") from None
    except OSError as exc:
        raise InputError(f"cannot read mail file {path}: {exc.strerror or exc}") from None


# --- sniffing and decoding --------------------------------------------------------------------

_RFC_HEADER_LINE = re.compile(rb"^[!-9;-~]+:[ \t]?|^[ \t]+\S", re.ASCII)
_RFC_KNOWN = re.compile(
    rb"^(from|subject|mime-version|date|to|message-id|received|return-path|delivered-to|content-type|"
    rb"reply-to|x-[a-z0-9-]+|dkim-signature|authentication-results|arc-[a-z-]+|sender|cc):",
    re.IGNORECASE,
)
_HTML_START = re.compile(rb"^\s*(?:<!doctype\s+html|<html|<head|<body|<div|<p[\s>]|<table|<meta|<!--)", re.IGNORECASE)
_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
         (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))


def _head_bytes(data: str | bytes) -> bytes:
    head = data[:_SNIFF_BYTES]
    return head if isinstance(head, bytes) else head.encode("utf-8", "surrogatepass")


def _sniff(data: str | bytes) -> str:
    head = _head_bytes(data).lstrip(b"\xef\xbb\xbf")
    stripped = head.lstrip()
    if stripped.startswith(b"{") and (stripped[1:].lstrip()[:1] in (b'"', b"}") or data.rstrip()[-1:] in ("}", b"}")):
        return "json"
    if _looks_rfc822(head):
        return "eml"
    if _HTML_START.match(head):
        return "html"
    return "text"


def _looks_rfc822(head: bytes) -> bool:
    lines = head.lstrip(b" \t\r\n").splitlines()
    if lines and lines[0].startswith(b"From ") and b":" not in lines[0][:5]:
        lines = lines[1:]  # an mbox "From " separator line
    known = 0
    for line in lines[:60]:
        if not line.strip():
            break
        if not _RFC_HEADER_LINE.match(line):
            return False
        known += bool(_RFC_KNOWN.match(line))
    return known > 0


def _decode(data: bytes, charset: str | None = None) -> str:
    """Bytes to text, never failing. Valid UTF-8 wins over the label (mail that says latin-1 but is
    UTF-8 is common; latin-1 text that happens to be valid UTF-8 is not), except for UTF-16/32
    labels. Latin-1 labels are read as Windows-1252, as mail clients do. Unknown labels fall back
    to UTF-8, then Windows-1252 with replacement characters."""
    label = (charset or "").strip().strip("\"'").lower()
    if label in ("latin-1", "latin1", "iso-8859-1", "iso8859-1", "iso_8859-1", "l1", "us-ascii", "ascii", "cp819"):
        label = "cp1252"
    if not label.startswith(("utf-16", "utf-32", "utf16", "utf32", "ucs")):
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            pass
    for name in (label, "cp1252"):
        if not name:
            continue
        try:
            return data.decode(name)
        except (LookupError, UnicodeDecodeError, ValueError):
            continue
    try:
        return data.decode(label or "cp1252", errors="replace")
    except LookupError:
        return data.decode("cp1252", errors="replace")


def _bytes_to_text(data: bytes) -> str:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(codec, errors="replace")
    if b"\x00" in data[:_SNIFF_BYTES]:
        raise InputError("the input looks binary (it contains NUL bytes), not a mail")
    return _decode(data)


def _to_text(data: str | bytes, extension: str = "") -> str:
    if isinstance(data, bytes):
        if extension == ".msg" and data.startswith(b"\xd0\xcf\x11\xe0"):
            raise InputError("Outlook .msg files are not supported: save the mail as .eml")
        data = _bytes_to_text(data)
    text = _clean_str(data).lstrip("\ufeff")
    _reject_binary(text)
    return text


_JUNK = re.compile("[\x01-\x08\x0e-\x1f\x7f-\x9f\ufffd]")  # control and replacement characters
_SURROGATE = re.compile("[\ud800-\udfff]")


def _reject_binary(text: str, what: str = "the input") -> None:
    if "\x00" in text:
        raise InputError(f"{what} looks binary (it contains NUL bytes), not a mail")
    sample = text[:_SNIFF_BYTES]
    if not sample.strip():
        return
    odd = len(_JUNK.findall(sample))
    if odd / len(sample) > 0.05:
        raise InputError(
            f"{what} looks binary or undecodable ({odd} of {len(sample)} characters are control or "
            "replacement characters)"
        )


def _clean_str(text: str) -> str:
    """Lone surrogates (from undecodable bytes) back to text, and CRLF/CR line ends to LF."""
    if _SURROGATE.search(text):
        try:
            text = _decode(text.encode("utf-8", "surrogateescape"))
        except UnicodeEncodeError:
            text = text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


# --- HTML -------------------------------------------------------------------------------------

_BLOCK = frozenset(
    "address article aside blockquote center dd div dl dt fieldset figcaption figure footer form h1 h2 h3 "
    "h4 h5 h6 header hr li main nav ol p pre section table tbody thead tfoot tr ul".split()
)
_PARAGRAPH = frozenset("p h1 h2 h3 h4 h5 h6 table ul ol blockquote pre hr".split())
_SKIP = frozenset({"script", "style", "title", "noscript", "template", "xml", "svg", "object"})
_SPACES = re.compile(r"[ \t\n\r\f\v\u00a0\u200b]+")
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())

# Text a reader cannot see is not mail text: a hidden span is where an injected instruction hides.
# Hidden: display:none, visibility:hidden, opacity:0, font-size below 2px (0, 1px, 1pt, 0em),
# max-height/height 0 with overflow hidden, positioned or indented off screen (-500px or further),
# the `hidden` attribute, and text coloured like its background. White text with no background set on
# the element or an ancestor counts as white on white: mail clients render the body on white.
_HIDDEN_STYLE = re.compile(
    r"(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*(?:hidden|collapse)|opacity\s*:\s*0(?:\.0+)?\s*(?:;|$|!)"
    r"|font-size\s*:\s*(?:0(?:\.\d+)?(?:px|pt|em|rem|%)?|1(?:\.\d+)?(?:px|pt))\s*(?:;|$|!)"
    r"|(?:left|top|right|text-indent|margin-left|margin-top)\s*:\s*-\s*(?:[5-9]\d\d|\d{4,})(?:\.\d+)?px)",
    re.IGNORECASE,
)
_ZERO_BOX = re.compile(r"(?:^|;)\s*(?:max-)?(?:height|width)\s*:\s*0(?:px)?\s*(?:;|$|!)", re.IGNORECASE)
_OVERFLOW_HIDDEN = re.compile(r"overflow\s*:\s*hidden", re.IGNORECASE)
_STYLE_COLOR = re.compile(r"(?:^|;)\s*color\s*:\s*([^;!]+)", re.IGNORECASE)
_STYLE_BACKGROUND = re.compile(r"(?:^|;)\s*background(?:-color)?\s*:\s*([^;!]+)", re.IGNORECASE)
_WHITE = frozenset({"#fff", "#ffffff", "white", "rgb(255,255,255)", "rgba(255,255,255,1)", "#fffffe", "#fefefe"})


def _colour(value: str | None) -> str | None:
    return re.sub(r"\s+", "", value.lower()) if value else None


def _element_colours(attrs: dict) -> tuple[str | None, str | None]:
    """(text colour, background colour) an element sets, from its style or the old attributes."""
    style = attrs.get("style") or ""
    colour = _STYLE_COLOR.search(style)
    background = _STYLE_BACKGROUND.search(style)
    text = _colour(colour.group(1) if colour else attrs.get("color"))
    back = _colour(background.group(1).split()[0] if background else attrs.get("bgcolor"))
    return text, back


def _is_hidden(attrs: dict, background: str | None, colours: tuple[str | None, str | None]) -> bool:
    """Does this element hide its text? `background` is the nearest background colour set above it,
    `colours` the element's own (text, background)."""
    if "hidden" in attrs:
        return True
    style = attrs.get("style") or ""
    if _HIDDEN_STYLE.search(style) or (_ZERO_BOX.search(style) and _OVERFLOW_HIDDEN.search(style)):
        return True
    text, back = colours
    back = back or background
    if text is None:
        return False
    return text == back or (back is None and text in _WHITE)


class _HTMLText(HTMLParser):
    """Collects lines of text, each with its <blockquote> depth."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[tuple[int, str]] = []
        self.current: list[str] = []
        self.current_depth = 0
        self.depth = 0
        self.skip: list[str] = []
        self.pre = 0
        self.backgrounds: list[tuple[str, str | None]] = []  # (open tag, background colour in force)

    def _break(self, blank: bool = False) -> None:
        if self.current:
            self.lines.append((self.current_depth, "".join(self.current).strip()))
            self.current = []
        if blank and self.lines and self.lines[-1][1]:
            self.lines.append((self.depth, ""))

    def _br(self) -> None:
        if self.current:
            self._break()
        else:
            self.lines.append((self.depth, ""))  # <br><br>, <div><br></div>: an empty line

    def _background(self) -> str | None:
        return self.backgrounds[-1][1] if self.backgrounds else None

    def _open(self, tag: str, attrs: dict) -> bool:
        """Track the background in force; True when the element hides its text (then skipped whole)."""
        background = self._background()
        if not attrs or tag in _VOID:
            if tag not in _VOID:
                self.backgrounds.append((tag, background))
            return False
        colours = _element_colours(attrs)
        if _is_hidden(attrs, background, colours):
            return True
        self.backgrounds.append((tag, colours[1] or background))
        return False

    def _close(self, tag: str) -> None:
        # Pop to the nearest open element of this name; a stray end tag (none open nearby) changes nothing.
        for back in range(1, min(len(self.backgrounds), 64) + 1):
            if self.backgrounds[-back][0] == tag:
                del self.backgrounds[-back:]
                return

    def handle_starttag(self, tag, attrs):
        if self.skip:
            if tag == self.skip[-1]:
                self.skip.append(tag)
            return
        if tag in _SKIP:
            self.skip.append(tag)
        elif self._open(tag, dict(attrs)):
            if tag in _BLOCK:
                self._break(blank=tag in _PARAGRAPH)
            self.skip.append(tag)
        elif tag == "br":
            self._br()
        elif tag in _BLOCK:
            self._break(blank=tag in _PARAGRAPH)
            if tag == "blockquote":
                self.depth += 1
            elif tag == "li":
                self.current, self.current_depth = ["- "], self.depth
            elif tag == "pre":
                self.pre += 1
        elif tag in ("td", "th") and self.current:
            self.current.append(" ")

    def handle_endtag(self, tag):
        if self.skip:
            if tag == self.skip[-1]:
                self.skip.pop()
            return
        self._close(tag)
        if tag == "br":  # </br>: browsers read it as <br>
            self._br()
        elif tag in _BLOCK:
            self._break()
            if tag == "blockquote" and self.depth:
                self.depth -= 1
            elif tag == "pre" and self.pre:
                self.pre -= 1
            self._break(blank=tag in _PARAGRAPH)

    def handle_data(self, data):
        if self.skip:
            return
        if self.pre:
            for i, part in enumerate(data.split("\n")):
                if i:
                    self._break()
                if part:
                    if not self.current:
                        self.current_depth = self.depth
                    self.current.append(part)
            return
        data = _SPACES.sub(" ", data)
        if not self.current:
            data = data.lstrip()
            if not data:
                return
            self.current_depth = self.depth
        self.current.append(data)

    def text(self) -> str:
        self._break()
        out = [(("> " * depth) + line.rstrip()).rstrip() for depth, line in self.lines]
        return re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip()


def html_to_text(html: str) -> str:
    """HTML mail to plain text: no tags, scripts or styles; <br>, <p>, <div>, <li> become line
    breaks; entities unescaped; <blockquote> lines quoted with "> " so quoted history stays visible."""
    parser = _HTMLText()
    try:
        parser.feed(html)
        parser.close()
    except Exception:  # html.parser is lenient; whatever it still chokes on leaves the text read so far
        pass
    return parser.text()


_TAG = re.compile(r"</?(?:p|br|div|span|html|body|table|td|tr|b|i|a|font|blockquote|ul|li)\b[^>]{0,300}>", re.I)


def _looks_html(text: str) -> bool:
    head = text[:2000]
    if _HTML_START.match(head.encode("utf-8", "replace")):
        return True
    return len(_TAG.findall(head)) >= 2


# --- splitting the new message from history and signature --------------------------------------

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
_SEPARATOR = re.compile(
    r"^(?:> ?)*(?:-{2,}\s*(?:Oorspronkelijk\s+bericht|Origineel\s+bericht|Oorspronkelijke\s+e-?mail|"
    r"Doorgestuurd\s+bericht|Forwarded\s+message|Original\s+message|Ursprüngliche\s+Nachricht|"
    r"Weitergeleitete\s+Nachricht|Message\s+d'origine|Message\s+transféré)\s*-{2,}"
    r"|Begin\s+(?:forwarded\s+message|doorgestuurd\s+bericht)\s*:)\s*$",
    re.IGNORECASE,
)
_QUOTED = re.compile(r"^>")

# Sign-offs, checked line by line; mail-parser-reply knows only a few, with no guard against a
# sentence that merely starts with one.
_CLOSING = re.compile(
    r"^(?:(?:met\s+)?(?:vriendelijke|hartelijke|beste|warme|zonnige|sportieve|lieve)\s+groet(?:en)?|groet(?:en|jes)?|"
    r"mvg|m\.v\.g\.?|gr\.?|liefs|doei|"
    r"(?:kind|best|warm|warmest|many)\s+(?:regards|wishes)|regards|cheers|sincerely|yours\s+(?:sincerely|faithfully|truly)|"
    r"all\s+the\s+best|best(?=\s*(?:,|$))|take\s+care|"
    r"mit\s+freundlichen\s+grüßen|viele\s+grüße|liebe\s+grüße|beste\s+grüße|cordialement|bien\s+à\s+vous)"
    r"\b\s*[,.!]?\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
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


# mail-parser-reply's signature pattern starts with `\s*^`: it backtracks over every run of
# whitespace from each of its characters, quadratic in the run's length (8,000 blank lines took
# 4 s, 200,000 took minutes). Long runs carry no meaning in a mail: they are shortened first.
_LONG_BLANK = re.compile(r"[^\S\n]{20,}")
_BLANK_LINES = re.compile(r"\n(?:[^\S\n]*\n){2,}")


def _shorten_whitespace(text: str) -> str:
    """Runs of 20+ spaces or tabs become one space; three or more line breaks become one blank line."""
    return _BLANK_LINES.sub("\n\n", _LONG_BLANK.sub(" ", text))


def _parse_replies(text: str):
    from mailparser_reply.parser import EmailMessage

    # keep_hyphen_lists: a customer's "- ordernummer 123" list is not a signature.
    return EmailMessage(
        text=_shorten_whitespace(text), languages=list(PARSER_LANGUAGES), keep_hyphen_lists=True, **_reply_regexes()
    ).read()


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


def _short(line: str, words: int) -> bool:
    return len(line.split()) <= words and not line.rstrip().endswith("?")


def _signature_line(lines: list[str]) -> int | None:
    """Index of the first signature line, or None.

    Only a short sign-off line counts, followed by short lines (name, phone) with no question or
    P.S.: "Bedankt, maar het pakket is kapot" and "Groeten uit Spanje! Ik wil..." stay in the body.
    A thanks line stays in the body too (the analysis reads it); the lines under it are the signature.
    """
    nonempty = [i for i, line in enumerate(lines) if line.strip()]
    stripped = [lines[i].strip() for i in nonempty]
    # Per line, whether a question, P.S. or list item comes later: computed once from the end, so a
    # 40,000-line mail is one pass instead of one pass per line.
    question_after = [False] * (len(stripped) + 1)
    list_after = [False] * (len(stripped) + 1)
    for n in range(len(stripped) - 1, -1, -1):
        question_after[n] = question_after[n + 1] or stripped[n].endswith("?") or bool(_PS.match(stripped[n]))
        list_after[n] = list_after[n + 1] or bool(_LIST_ITEM.match(stripped[n]))
    for n, i in enumerate(nonempty):
        line = stripped[n].strip("*_ ") or stripped[n]
        remaining = len(nonempty) - n - 1
        following = stripped[n + 1] if remaining else ""
        signature_like = not remaining or (_short(following, 6) or set(following) <= set("_-=")) and not question_after[n + 1]
        if _DELIMITER.match(stripped[n]) and remaining and n:
            return i
        if _SENT_FROM.match(line) and remaining <= 3 and n:
            return i
        m = _CLOSING.match(line)
        if m and _short(m.group("rest"), 4) and signature_like:
            return i
        if n == 0:
            continue  # below, only a sign-off line opens the signature when it is the mail's first line
        m = _THANKS.match(line)
        if m and _short(m.group("rest"), 3) and remaining and remaining <= 4 and all(
            _short(a, 6) and not _PS.match(a) for a in stripped[n + 1:]
        ):
            return nonempty[n + 1]
        if _DASH_NAME.match(line) and signature_like and not _LIST_ITEM.match(stripped[n - 1]) and not list_after[n + 1]:
            return i
    return None


def _library_signature_line(lines: list[str], signature: str) -> int | None:
    """The line where mail-parser-reply's signature starts, when that line is one we accept."""
    first = signature.strip().split("\n", 1)[0].strip()
    if not first:
        return None
    for i in range(len(lines) - 1, 0, -1):
        if lines[i].strip() == first:
            line = first.strip("*_ ") or first
            after = [a.strip() for a in lines[i + 1:] if a.strip()]
            if any(a.endswith("?") or _PS.match(a) for a in after):
                return None  # a question or P.S. under it: message, not signature
            if _DELIMITER.match(first) or _SENT_FROM.match(line) or (
                (m := _CLOSING.match(line)) and _short(m.group("rest"), 4)
            ):
                return i
            return None
    return None


_FORWARD = re.compile(
    r"^(?:-{2,}\s*(?:Doorgestuurd\s+bericht|Forwarded\s+message|Weitergeleitete\s+Nachricht|Message\s+transféré)"
    r"\s*-{2,}|Begin\s+(?:forwarded\s+message|doorgestuurd\s+bericht)\s*:)\s*$",
    re.IGNORECASE,
)
_FORWARD_SUBJECT = re.compile(r"^\s*(?:fwd?|doorst|wg|tr)\s*:", re.IGNORECASE)
_RULE = re.compile(r"^[-_=*~#. ]{2,}$")


def split_message(text: str) -> tuple[str, str, str]:
    """(body, history, signature) of one mail's text; history newest first, with its quote headers."""
    body, history, signature, _ = _split(text)
    return body, history, signature


def _split(text: str, forwarded: bool = False) -> tuple[str, str, str, dict[str, str]]:
    """split_message, plus the header block of a forwarded mail that had no comment of its own:
    then the forwarded mail is the message (an agent forwarding a customer's mail to the tool)."""
    msg = _parse_replies(text)
    replies = msg.replies
    first = replies[0] if replies else None
    if first is None or first.headers:  # it starts with a quote header: no new text above it
        head, tail = "", msg.text.strip()
    else:
        head = first.content
        tail = "\n\n".join(r.content for r in replies[1:])

    lines = head.split("\n")
    found = _first_quote_header(lines)
    if found:
        head, tail = "\n".join(lines[:found[0]]), ("\n".join(lines[found[0]:]) + "\n\n" + tail).strip()

    if not head.strip() and tail:
        head, tail = _bottom_posted(tail, msg)
    if not head.strip() and tail:
        inner = _forwarded(tail, forwarded)
        if inner is not None:
            headers, rest = inner
            body, history, signature, _ = _split(rest)
            return body, history, signature, headers

    head, quoted = _take_quotes(head)
    if quoted:
        tail = (quoted + "\n\n" + tail).strip()

    lines = head.split("\n")
    cut = _signature_line(lines)
    if first is not None and not first.headers and first.signatures:
        library = _library_signature_line(lines, first.signatures)
        if library is not None and (cut is None or library < cut):
            cut = library
    signature = ""
    if cut is not None:
        head, signature = "\n".join(lines[:cut]), "\n".join(lines[cut:])
    head, disclaimer = _strip_disclaimer(head, msg)
    if disclaimer:
        signature = (signature + "\n\n" + disclaimer).strip()
    lines = head.rstrip().split("\n")
    while len(lines) > 1 and (not lines[-1].strip() or _RULE.match(lines[-1].strip())):
        lines.pop()  # a separator line left above the quote
    return _tidy("\n".join(lines)), _tidy(tail), _tidy(signature), {}


def _forwarded(tail: str, hinted: bool) -> tuple[dict[str, str], str] | None:
    """A forward with no comment: its header block and its text, or None."""
    lines = tail.split("\n")
    start = 0
    if _FORWARD.match(lines[0].strip()):
        start = 1
    elif not hinted:
        return None
    headers, rest = _leading_headers("\n".join(lines[start:]))
    if not headers or not rest.strip():
        return None
    return headers, rest


def _is_attribution(line: str) -> bool:
    line = line.strip()
    if not line.endswith(":") or len(line) > 300:
        return False
    return "@" in line or bool(_HEADER_VERB.search(line)) or bool(
        _HEADER_TIME.search(line) and _HEADER_DATE.search(line)
    )


def _take_quotes(head: str) -> tuple[str, str]:
    """">"-quoted lines in the new message (inline answers, a quote whose header we did not know)
    and the attribution line above each quoted block ("Marc wrote:", "26.06.2014, "X" <x@y>:")."""
    lines = head.split("\n")
    quoted = {i for i, line in enumerate(lines) if _QUOTED.match(line)}
    if not quoted:
        return head, ""
    taken = set(quoted)
    for i in sorted(quoted):
        if i - 1 in quoted:
            continue
        j = i - 1
        while j >= 0 and not lines[j].strip():
            j -= 1
        if j >= 0 and j not in taken and _is_attribution(lines[j]):
            taken.add(j)
            k = j - 1
            if k >= 0 and lines[k].strip() and not lines[k].rstrip().endswith((".", "!", "?", ":")) and (
                "@" in lines[k] or _HEADER_DATE.search(lines[k])
            ):
                taken.add(k)  # an attribution wrapped over two lines
    own = [line for i, line in enumerate(lines) if i not in taken]
    if not any(line.strip() for line in own):
        return head, ""
    return "\n".join(own), "\n".join(line for i, line in enumerate(lines) if i in taken).strip()


def _bottom_posted(tail: str, msg) -> tuple[str, str]:
    """A reply written under the quote ("Op ... schreef:", "> ...", then the answer): the unquoted
    lines after the first quoted block, up to the next quote header, are the new message."""
    lines = tail.split("\n")
    first_quoted = next((i for i, line in enumerate(lines) if _QUOTED.match(line)), None)
    if first_quoted is None:
        return "", tail
    stop = len(lines)
    later = _first_quote_header(lines, first_quoted + 1)
    if later:
        stop = later[0]
    header = msg.HEADER_REGEX.search("\n".join(lines[first_quoted + 1:stop]))
    if header:
        offset = "\n".join(lines[first_quoted + 1:stop])[: header.start()].count("\n")
        stop = first_quoted + 1 + offset
    own = [i for i in range(first_quoted, stop) if lines[i].strip() and not _QUOTED.match(lines[i])]
    if not own:
        return "", tail
    taken = set(range(own[0], stop)) - {i for i in range(own[0], stop) if _QUOTED.match(lines[i])}
    head = "\n".join(lines[i] for i in sorted(taken))
    rest = "\n".join(line for i, line in enumerate(lines) if i not in taken)
    return head, rest.strip()


def _strip_disclaimer(head: str, msg) -> tuple[str, str]:
    """A disclaimer mail-parser-reply finds, only when it ends the text: never a customer's sentence."""
    for match in msg.DISCLAIMERS_REGEX.finditer(head):
        if not head[match.end():].strip():
            start = match.start() + (1 if head[match.start():match.start() + 1] in ".!?" else 0)
            if head[:start].strip():
                return head[:start], head[start:].strip()
    return head, ""


def _tidy(text: str) -> str:
    return re.sub(r"\n{3,}", "\n\n", text).strip()


# --- leading header block in a plain-text mail ------------------------------------------------

_TEXT_HEADER = re.compile(
    r"^[*_ ]*(from|van|to|aan|subject|onderwerp|date|datum|sent|verzonden|cc|bcc|reply-to)[*_ ]*:[*_ ]*(.*)$",
    re.IGNORECASE,
)
_HEADER_NAMES = {
    "from": "from", "van": "from", "subject": "subject", "onderwerp": "subject",
    "date": "date", "datum": "date", "sent": "date", "verzonden": "date",
}


def _leading_headers(text: str) -> tuple[dict[str, str], str]:
    """A pasted header block at the top of a plain-text mail ("Van: ...", "Onderwerp: ...", then a
    blank line): its sender, subject and date, and the text after it."""
    lines = text.lstrip("\n").split("\n")
    found: dict[str, str] = {}
    for i, line in enumerate(lines[:12]):
        if not line.strip():
            if found and i < len(lines) - 1:
                return found, "\n".join(lines[i + 1:])
            return {}, text
        m = _TEXT_HEADER.match(line.strip())
        if not m:
            return {}, text
        name = _HEADER_NAMES.get(m.group(1).lower())
        if name and name not in found:
            found[name] = m.group(2).strip()
    return {}, text


# --- the three kinds --------------------------------------------------------------------------


def _finish(
    text: str,
    *,
    what: str,
    subject: str = "",
    sender: tuple[str, str] = ("", ""),
    received_at: datetime | None = None,
    attachments: tuple[str, ...] = (),
    extra_history: str = "",
) -> Email:
    _reject_binary(text, what)
    if _looks_html(text):
        text = html_to_text(text)
    body, history, signature, forwarded = _split(text, bool(_FORWARD_SUBJECT.match(subject or "")))
    if forwarded:  # a forward with no comment: the forwarded mail is the customer's
        subject = forwarded.get("subject") or subject
        if forwarded.get("from"):
            sender = _parse_address(forwarded["from"])
        received_at = _parse_date(forwarded.get("date")) or received_at
    if extra_history:
        history = (history + "\n\n" + extra_history).strip()
    if _SENT_FROM.match(body) and "\n" not in body:  # nothing but "Verstuurd vanaf mijn iPhone"
        signature, body = (body + "\n\n" + signature).strip(), ""
    if not body.strip():
        reason = "it has no text at all" if not text.strip() else "it has no new text above the quoted history or signature"
        raise InputError(f"the mail is empty (de e-mail is leeg): {what} has no new message; {reason}")
    language = detect_language(body)
    closing = "\n".join(signature.split("\n")[:2])
    register = detect_register(f"{body}\n{closing}" if closing else body, language)
    return Email(
        body=body,
        subject=_one_line(subject),
        sender_name=_one_line(sender[0]),
        sender_address=_one_line(sender[1]),
        received_at=received_at,
        history=history,
        signature=signature,
        attachments=attachments,
        language=language,
        register=register,
    )


def _from_text(text: str, what: str = "the text") -> Email:
    headers, rest = _leading_headers(text)
    return _finish(
        rest,
        what=what,
        subject=headers.get("subject", ""),
        sender=_parse_address(headers.get("from", "")),
        received_at=_parse_date(headers.get("date")),
    )


def _one_line(value: str) -> str:
    return " ".join(_clean_str(value or "").split())


def _parse_address(value: str) -> tuple[str, str]:
    value = _one_line(value)
    if not value:
        return "", ""
    name, address = email.utils.parseaddr(value)
    if "@" not in address:
        return value.strip("<>\" "), ""
    return name.strip().strip('"'), address


def _parse_date(value) -> datetime | None:
    if not isinstance(value, str) or not value.strip():
        return None
    value = value.strip()
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00") if value.endswith("Z") else value)
    except ValueError:
        pass
    try:
        return email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


# --- .eml ------------------------------------------------------------------------------------


def _from_eml(data: str | bytes) -> Email:
    if isinstance(data, str):
        raw = data.lstrip("\ufeff \t\r\n")
        from_str = True
        if "\x00" in raw[:_SNIFF_BYTES]:
            raise InputError("the e-mail looks binary (it contains NUL bytes)")
        message = email.message_from_string(raw, policy=email.policy.default)
    else:
        raw_bytes = data.lstrip(b"\xef\xbb\xbf").lstrip()
        if b"\x00" in raw_bytes[:_SNIFF_BYTES]:
            raise InputError("the e-mail looks binary (it contains NUL bytes)")
        from_str = False
        message = email.message_from_bytes(raw_bytes, policy=email.policy.default)

    body_text = _eml_body(message, from_str)
    attachments = tuple(_eml_attachments(message))
    sender = _eml_sender(message)
    return _finish(
        body_text,
        what="the e-mail",
        subject=_eml_header(message, "subject"),
        sender=sender,
        received_at=_parse_date(_eml_header(message, "date")),
        attachments=attachments,
    )


_MAX_HEADER = 4000  # a 200 KB Subject takes the stdlib a second to decode; nobody reads past this


def _raw_header(message, name: str) -> str | None:
    for key, value in message.raw_items():
        if key.lower() == name:
            raw = str(value)
            return raw[:_MAX_HEADER].rsplit(None, 1)[0] if len(raw) > _MAX_HEADER else raw
    return None


def _eml_header(message, name: str) -> str:
    """A header decoded (RFC 2047 words, any charset), or "" when absent or undecodable."""
    raw = _raw_header(message, name)
    if raw is None:
        return ""
    try:
        return _clean_str(str(email.policy.default.header_factory(name, raw)))
    except Exception:  # a header policy.default cannot parse: the older decoder, then the raw text
        try:
            return _clean_str(str(email.header.make_header(email.header.decode_header(raw))))
        except Exception:
            return _clean_str(raw)


def _eml_sender(message) -> tuple[str, str]:
    raw = _raw_header(message, "from")
    if raw is None:
        return "", ""
    try:
        addresses = email.policy.default.header_factory("from", raw).addresses
        if addresses:
            return _one_line(addresses[0].display_name or ""), _one_line(addresses[0].addr_spec or "")
    except Exception:
        pass
    return _parse_address(_eml_header(message, "from"))


def _part_text(part, from_str: bool) -> str:
    try:
        payload = part.get_payload()
        cte = str(part.get("content-transfer-encoding", "") or "").strip().lower()
        if from_str and isinstance(payload, str) and cte not in ("base64", "quoted-printable", "x-uuencode", "uuencode"):
            return _clean_str(payload)
        data = part.get_payload(decode=True)
        if data is None:
            return _clean_str(payload) if isinstance(payload, str) else ""
        return _clean_str(_decode(data, part.get_content_charset()))
    except Exception:
        return ""


def _find_part(message, subtype: str):
    try:
        return message.get_body(preferencelist=(subtype,))
    except Exception:
        return None


def _eml_body(message, from_str: bool) -> str:
    plain = _find_part(message, "plain")
    if plain is not None:
        text = _part_text(plain, from_str)
        if text.strip() and not _looks_html(text):
            return text
    html = _find_part(message, "html")
    if html is not None:
        text = _part_text(html, from_str)
        if text.strip():
            return html_to_text(text)
    if plain is not None:
        return html_to_text(_part_text(plain, from_str))
    if not message.is_multipart() and message.get_content_maintype() in ("text", "message"):
        return _part_text(message, from_str)
    return _salvaged_text(message, from_str)


_MIME_LINE = re.compile(r"^(?:--\S*|content-[\w-]+:.*|mime-version:.*)$", re.IGNORECASE)


def _salvaged_text(message, from_str: bool) -> str:
    """Text a mail program still shows when no part is declared text/plain or text/html: a part
    labelled application/plain (seen in S/MIME), a mail that is one .txt attachment, or the raw
    text of a multipart whose first boundary is broken (minus the MIME lines)."""
    try:
        for part in message.walk():
            if part.is_multipart():
                continue
            lone_txt = part is message and _filename(part).lower().endswith(".txt")
            if part.get_content_subtype() == "plain" or lone_txt:
                text = _part_text(part, from_str)
                if text.strip() and _looks_like_text(text):
                    return text
        if message.get_content_maintype() == "multipart" and not message.is_multipart():
            payload = message.get_payload()
            if isinstance(payload, str):
                return "\n".join(line for line in _clean_str(payload).split("\n") if not _MIME_LINE.match(line.strip()))
    except Exception:  # a structure the stdlib cannot walk: nothing to salvage
        pass
    return ""


def _looks_like_text(text: str) -> bool:
    sample = text[:_SNIFF_BYTES]
    return "\x00" not in sample and len(_JUNK.findall(sample)) <= 0.05 * len(sample)


def _eml_attachments(message) -> list[str]:
    names: list[str] = []
    counter = 0

    def visit(part, top: bool) -> None:
        nonlocal counter
        ctype = part.get_content_type()
        maintype = part.get_content_maintype()
        if ctype == "message/rfc822" and not top:
            name = _filename(part)
            if not name:
                inner = part.get_payload()
                inner = inner[0] if isinstance(inner, list) and inner else inner
                subject = _eml_header(inner, "subject") if hasattr(inner, "get") else ""
                name = f"{_safe_name(subject) or 'message'}.eml"
            names.append(name)
            return
        if part.is_multipart():
            for sub in part.iter_parts() if hasattr(part, "iter_parts") else part.get_payload():
                visit(sub, False)
            return
        if top:
            return
        name = _filename(part)
        disposition = (part.get_content_disposition() or "").lower()
        if name:
            names.append(name)
        elif disposition == "attachment" or maintype in ("image", "application", "audio", "video", "font", "model"):
            counter += 1
            extension = mimetypes.guess_extension(ctype) or ".bin"
            names.append(f"attachment-{counter}{extension}")

    try:
        visit(message, True)
    except Exception:
        pass
    return names


def _filename(part) -> str:
    try:
        name = part.get_filename()
    except Exception:
        name = None
    return _safe_name(name or "")


def _safe_name(name: str) -> str:
    name = _one_line(name).replace("\\", "/").rsplit("/", 1)[-1]
    return "".join(c for c in name if c.isprintable())[:200]


# --- helpdesk JSON ----------------------------------------------------------------------------


def _from_json(text: str) -> Email:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}") from None
    except RecursionError:
        raise InputError("invalid JSON: nested too deeply") from None
    if not isinstance(data, dict):
        raise InputError(f"the JSON mail must be an object with a 'body', got {type(data).__name__}")
    unknown = sorted(set(data) - JSON_KEYS)
    if unknown:
        raise InputError(
            f"unknown key {unknown[0]!r} in the JSON mail (known keys: {', '.join(sorted(JSON_KEYS))})"
        )
    if "body" not in data:
        raise InputError("the JSON mail has no 'body'")
    body = _json_str(data, "body")
    subject = _json_str(data, "subject")
    sender = _json_sender(data.get("from"), "from")
    received_at = _json_date(data.get("received_at"), "received_at")
    attachments = data.get("attachments", [])
    if not isinstance(attachments, list) or not all(isinstance(a, str) for a in attachments):
        raise InputError("'attachments' in the JSON mail must be a list of file names")
    thread = data.get("thread", [])
    if thread is None:
        thread = []
    if not isinstance(thread, list):
        raise InputError(f"'thread' in the JSON mail must be a list, got {type(thread).__name__}")
    ticket_id = data.get("ticket_id")
    if isinstance(ticket_id, int) and not isinstance(ticket_id, bool):
        ticket_id = str(ticket_id)  # helpdesks number their tickets
    if ticket_id is not None and (not isinstance(ticket_id, str) or not 0 < len(ticket_id.strip()) <= 200):
        raise InputError("'ticket_id' in the JSON mail must be the helpdesk's ticket id: a string or number, 1 to 200 characters")
    email = _finish(
        body,
        what="the JSON mail's body",
        subject=subject,
        sender=sender,
        received_at=received_at,
        attachments=tuple(_safe_name(a) for a in attachments if a.strip()),
        extra_history=_thread_history(thread),
    )
    return email.model_copy(update={"ticket_id": _one_line(ticket_id)}) if ticket_id is not None else email


def _json_str(data: dict, key: str, where: str = "") -> str:
    value = data.get(key, "")
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InputError(f"'{where}{key}' in the JSON mail must be a string, got {type(value).__name__}")
    return _clean_str(value)


def _json_sender(value, where: str) -> tuple[str, str]:
    if value is None or value == "":
        return "", ""
    if isinstance(value, str):
        return _parse_address(value)
    if isinstance(value, dict):
        unknown = sorted(set(value) - FROM_KEYS)
        if unknown:
            raise InputError(f"unknown key {unknown[0]!r} in '{where}' of the JSON mail (known: email, name)")
        name, address = _json_str(value, "name", f"{where}."), _json_str(value, "email", f"{where}.")
        return _one_line(name), _one_line(address)
    raise InputError(f"'{where}' in the JSON mail must be \"Name <address>\" or {{\"name\", \"email\"}}")


def _json_date(value, where: str) -> datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise InputError(f"'{where}' in the JSON mail must be a date string, got {type(value).__name__}")
    if isinstance(value, (int, float)):
        try:
            return datetime.fromtimestamp(value, tz=timezone.utc)
        except (OverflowError, OSError, ValueError):
            return None
    return _parse_date(value)


def _thread_history(thread: list) -> str:
    """Earlier messages of a helpdesk thread, newest first like quoted mail history.

    The list is taken as oldest first (as helpdesks export it) unless every entry has a `sent_at`
    that parses, in which case that order wins.
    """
    entries = []
    for i, item in enumerate(thread):
        where = f"thread[{i}]"
        if isinstance(item, str):
            body, sender, when = _clean_str(item), ("", ""), None
            raw_when = ""
        elif isinstance(item, dict):
            unknown = sorted(set(item) - THREAD_KEYS)
            if unknown:
                raise InputError(
                    f"unknown key {unknown[0]!r} in {where} of the JSON mail (known: {', '.join(sorted(THREAD_KEYS))})"
                )
            body = _json_str(item, "body", f"{where}.")
            sender = _json_sender(item.get("from"), f"{where}.from")
            raw_when = item.get("sent_at") if isinstance(item.get("sent_at"), str) else ""
            when = _json_date(item.get("sent_at"), f"{where}.sent_at")
        else:
            raise InputError(f"{where} in the JSON mail must be a string or an object, got {type(item).__name__}")
        if _looks_html(body):
            body = html_to_text(body)
        if body.strip():
            entries.append((i, body.strip(), sender, when, raw_when))
    if entries and all(e[3] is not None for e in entries):
        try:
            entries.sort(key=lambda e: (_aware(e[3]), e[0]))
        except TypeError:
            pass
    parts = []
    for _, body, (name, address), when, raw_when in reversed(entries):
        who = f"{name} <{address}>" if name and address else name or address
        stamp = when.isoformat(sep=" ", timespec="minutes") if when else raw_when
        label = " | ".join(p for p in (f"From: {who}" if who else "", f"Sent: {stamp}" if stamp else "") if p)
        parts.append(f"----- {label or 'Earlier message'} -----\n{body}")
    return "\n\n".join(parts)


def _aware(when: datetime) -> datetime:
    return when if when.tzinfo else when.replace(tzinfo=timezone.utc)
