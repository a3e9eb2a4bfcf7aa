"""The optional LLM judge: a second model, never the drafting one, grades the six Golden Rules.

The draft is untrusted data (it came from a model that read a possibly hostile mail), so the
judge sees it between neutralised markers and answers in a fixed JSON shape; anything else is
recorded as a judge error, never as a pass.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..backends.base import Backend, ChatRequest
from ..errors import BackendError
from ..prompts import render
from ..types import Email
from .scorers import Score


class RuleGrade(BaseModel):
    model_config = ConfigDict(extra="ignore")
    rule: int = Field(ge=1, le=6)
    passed: bool = Field(alias="pass")
    reason: str = ""


class Judgement(BaseModel):
    model_config = ConfigDict(extra="ignore")
    rules: list[RuleGrade]


def judge_request(email: Email, draft: str) -> ChatRequest:
    mail = f"Subject: {email.subject}\n\n{email.body}" if email.subject else email.body
    return ChatRequest(
        phase="judge",
        messages=[{"role": "user", "content": render("judge.j2", mail=mail, draft=draft)}],
        max_tokens=600,
        temperature=0.0,
        json_schema=Judgement.model_json_schema(by_alias=True),
        schema_name="judgement",
    )


def parse_judgement(content: str) -> dict[str, Score]:
    """`judge:GR1` ... `judge:GR6`; a rule the judge left out is not applicable, not passed."""
    start, end = content.find("{"), content.rfind("}")
    try:
        judgement = Judgement.model_validate_json(content[start : end + 1] if start != -1 else content)
    except ValidationError as exc:
        raise BackendError(f"the judge did not answer in the agreed JSON: {exc.errors()[0]['msg']}") from None
    scores = {f"judge:GR{n}": Score(None, "not graded") for n in range(1, 7)}
    for grade in judgement.rules:
        scores[f"judge:GR{grade.rule}"] = Score(grade.passed, grade.reason.strip()[:200])
    return scores


async def ajudge(backend: Backend, email: Email, draft: str) -> dict[str, Score]:
    response = await backend.acomplete(judge_request(email, draft))
    return parse_judgement(response.content)
