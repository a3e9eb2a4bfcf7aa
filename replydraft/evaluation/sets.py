"""Annotated sample sets: one JSON object per line, a mail (as the CLI reads it) plus what a good reply must do.

The pydantic models are the format; `evals/sets/schema.json` is generated from them
(`replydraft eval schema`) and a test keeps the two equal.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..errors import InputError
from ..ingest import read_email
from ..types import Email


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Sender(_Strict):
    name: str = ""
    email: str = ""


class ThreadMessage(_Strict):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)
    sender: Sender | str = Field(default="", alias="from")
    sent_at: str = ""
    body: str


class Mail(_Strict):
    """The helpdesk JSON mail, exactly as `replydraft draft mail.json` reads it."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)
    subject: str = ""
    body: str = Field(min_length=1)
    sender: Sender | str = Field(default="", alias="from")
    received_at: str = ""
    thread: list[ThreadMessage] = Field(default_factory=list)
    attachments: list[str] = Field(default_factory=list)


class Annotations(_Strict):
    language: str = Field(pattern=r"^[a-z]{2}$")
    register: Literal["u", "je", "formal", "informal"] = Field(...)  # explicit: see types.CheckReport
    questions: list[str] = Field(description="each question or request, quoted word for word from mail.body")
    facts_given: list[str] = Field(default_factory=list, description="what the customer already told us")
    our_mistake: bool = False
    traps: list[str] = Field(default_factory=list)
    must_not_contain: list[str] = Field(default_factory=list)
    reference: str | None = Field(default=None, description="the reply an agent sent (from `feedback export`), masked")
    reference_similarity: float | None = Field(
        default=None, ge=0, le=1, description="how close the agent-edited draft was to `reference`: the bar for a new draft")
    findings: list[str] = Field(default_factory=list, description="the finding codes the agent-edited draft had")


class EvalItem(_Strict):
    id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
    situation: str = ""
    mail: Mail
    annotations: Annotations

    def email(self) -> Email:
        return read_email(self.mail.model_dump_json(by_alias=True, exclude_defaults=True), kind="json")


def schema() -> dict:
    return EvalItem.model_json_schema(by_alias=True)


def load_set(path: Path) -> list[EvalItem]:
    """Every item of a set file; a bad line is an InputError naming the file, the line and the problem."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise InputError(f"eval set not found: {path}") from None
    except UnicodeDecodeError as exc:
        raise InputError(f"{path} is not UTF-8 text: {exc.reason}") from None
    items: list[EvalItem] = []
    seen: dict[str, int] = {}
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        where = f"{path.name} line {number}"
        try:
            item = EvalItem.model_validate(json.loads(line))
        except json.JSONDecodeError as exc:
            raise InputError(f"{where}: invalid JSON at column {exc.colno}: {exc.msg}") from None
        except ValidationError as exc:
            raise InputError(f"{where}: {_describe(exc)}") from None
        if item.id in seen:
            raise InputError(f"{where}: id {item.id!r} is already used on line {seen[item.id]}")
        seen[item.id] = number
        body = " ".join(item.mail.body.split())
        for question in item.annotations.questions:
            if " ".join(question.split()) not in body:
                raise InputError(f"{where}: annotated question {question[:60]!r} is not quoted word for word from mail.body")
        try:
            item.email()
        except InputError as exc:
            raise InputError(f"{where}: the mail does not read: {exc}") from None
        items.append(item)
    if not items:
        raise InputError(f"eval set {path} has no items")
    return items


def load_sets(paths: list[Path]) -> list[tuple[str, EvalItem]]:
    """(set name, item) for every item of every set; ids must be unique across the run."""
    items: list[tuple[str, EvalItem]] = []
    owner: dict[str, str] = {}
    for path in paths:
        for item in load_set(path):
            if item.id in owner:
                raise InputError(f"id {item.id!r} is in both {owner[item.id]} and {path.name}")
            owner[item.id] = path.name
            items.append((path.stem, item))
    return items


def _describe(exc: ValidationError) -> str:
    problems = []
    for err in exc.errors()[:3]:
        key = ".".join(str(p) for p in err["loc"])
        problems.append(f"unknown key '{key}'" if err["type"] == "extra_forbidden" else f"'{key}': {err['msg']}")
    return "; ".join(problems)
