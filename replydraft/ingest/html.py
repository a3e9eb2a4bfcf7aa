"""HTML mail to plain text: visible text only, line breaks where the blocks were, quoted history kept as "> "."""

from __future__ import annotations

import re
from html.parser import HTMLParser

HTML_START = re.compile(rb"^\s*(?:<!doctype\s+html|<html|<head|<body|<div|<p[\s>]|<table|<meta|<!--)", re.IGNORECASE)

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


def looks_html(text: str) -> bool:
    head = text[:2000]
    if HTML_START.match(head.encode("utf-8", "replace")):
        return True
    return len(_TAG.findall(head)) >= 2
