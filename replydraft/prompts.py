"""Render the prompt templates in `prompts/` and fingerprint them.

Every call's messages are [system: the static rules, identical for every call of a team] +
[user: the phase's task and the mail], so providers and llama.cpp can reuse the shared prefix.
"""

from __future__ import annotations

import hashlib
import re
from functools import cache

import jinja2

from .resources import prompts_dir

TEMPLATES = ("system.j2", "analysis.j2", "draft.j2", "rewrite.j2", "revise.j2")
_DELIMITERS = re.compile(r"<<<|>>>|(?:MAIL|REPLY)>>>|<<<(?:MAIL|REPLY)")


# Our markers as a model may echo them: "<<<MAIL", "REPLY>>>", also spaced or with fewer angle brackets.
MARKER = re.compile(r"(?<!<)<{2,}\s*(?:MAIL|REPLY)\b|\b(?:MAIL|REPLY)\s*>{2,}")
_MAIL_ECHO = re.compile(r"(?<!<)<{2,}\s*MAIL\b.*?(?:\bMAIL\s*>{2,}\n?|\Z)", re.DOTALL)
_AFTER_CLOSE = re.compile(r"\bREPLY\s*>{2,}.*\Z", re.DOTALL)


def strip_markers(text: str) -> str:
    """A model's output without our prompt's markers: an echoed mail block goes whole, everything
    after a closing REPLY>>> goes (the model has finished and starts over), stray markers go."""
    text = _MAIL_ECHO.sub("", text)
    text = _AFTER_CLOSE.sub("", text)
    text = MARKER.sub("", text)
    return re.sub(r"\n{3,}", "\n\n", re.sub(r"[ \t]+\n", "\n", text)).strip()


def as_data(value: object) -> str:
    """Customer text inside a prompt: its own delimiters are neutralised so it cannot close ours."""
    text = "" if value is None else str(value)
    return _DELIMITERS.sub(lambda m: m.group(0).replace("<", "‹").replace(">", "›"), text)


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(prompts_dir())),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=False,
        trim_blocks=False,
    )
    env.filters["as_data"] = as_data
    return env


def render(name: str, **context) -> str:
    return environment().get_template(name).render(**context).strip()


@cache
def template_hash() -> str:
    """sha256 over the templates' bytes: recorded on every result and every cassette."""
    digest = hashlib.sha256()
    for name in TEMPLATES:
        digest.update(name.encode())
        digest.update((prompts_dir() / name).read_bytes())
    return digest.hexdigest()[:16]
