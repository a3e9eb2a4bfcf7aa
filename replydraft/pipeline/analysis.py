"""Phase 1: the analysis, as validated JSON, checked against the mail it quotes."""

from __future__ import annotations

import copy
from functools import cache

from pydantic import ValidationError

from ..errors import ModelOutputError
from ..prompts import render
from ..types import Analysis, Email, Question
from .calls import Calls


def analysis_schema() -> dict:
    """Analysis as a self-contained JSON Schema (no $refs), which every structured-output server accepts."""
    return copy.deepcopy(_analysis_schema())


@cache
def _analysis_schema() -> dict:
    schema = Analysis.model_json_schema()
    defs = schema.pop("$defs", {})

    def inline(node):
        if isinstance(node, dict):
            if "$ref" in node:
                return inline(defs[node["$ref"].split("/")[-1]])
            return {k: inline(v) for k, v in node.items() if k != "title"}
        if isinstance(node, list):
            return [inline(v) for v in node]
        return node

    schema = inline(schema)
    schema["required"] = list(schema["properties"])
    return schema


def json_only(content: str) -> str:
    """Small models wrap JSON in prose or a code fence; keep the outermost object."""
    start, end = content.find("{"), content.rfind("}")
    if start == -1 or end <= start:
        raise ValueError("no JSON object in the reply")
    return content[start : end + 1]


def _short(exc: ValidationError) -> str:
    first = exc.errors()[0]
    return f"{'.'.join(str(p) for p in first['loc']) or 'root'}: {first['msg']}"


def _parse(content: str) -> tuple[Analysis | None, str]:
    """The analysis, or None and what was wrong with it."""
    try:
        return Analysis.model_validate_json(json_only(content)), ""
    except ValidationError as exc:
        return None, _short(exc)
    except ValueError as exc:
        return None, str(exc).splitlines()[0]


def analyse(calls: Calls, email: Email, history: str, note: str | None):
    """The analysis as validated JSON, with one re-ask quoting the validation error (use with `yield from`)."""
    with calls.clock.time("render"):
        user = render("analysis.j2", email=email, history=history, note=note)
        request = calls.ask("analysis", user, schema=analysis_schema())
    response = yield from calls.call(request)
    analysis, error = _parse(response.content)
    if analysis is not None:
        return analysis
    request = calls.ask("analysis_retry", user, schema=analysis_schema(), history_messages=(
        {"role": "assistant", "content": response.content[:2000]},
        {"role": "user", "content": f"That was not valid: {error}. Reply with the JSON object only."},
    ))
    analysis, error = _parse((yield from calls.call(request)).content)
    if analysis is None:
        raise ModelOutputError(f"the model's analysis was not valid JSON twice; last error: {error}")
    return analysis


def normalise(text: str) -> str:
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return " ".join(text.split()).lower()


def verified(analysis: Analysis, email: Email) -> tuple[Analysis, list[str]]:
    """Drop questions whose quote is not in the mail: they are not the customer's words."""
    mail = normalise(f"{email.subject}\n{email.body}")
    kept, notes = [], []
    for question in analysis.questions:
        if normalise(question.quote) and normalise(question.quote) in mail:
            kept.append(question)
        else:
            notes.append(f"dropped a question the analysis quoted but the mail does not contain: {question.quote[:80]!r}")
    return analysis.model_copy(update={"questions": kept}), notes


def with_question_floor(analysis: Analysis, email: Email, language: str) -> Analysis:
    """Every sentence of the new message that asks ("…?") or requests ("kunt u …", "graag …", "could
    you …") is in the question list, even when the model missed it: unanswered_question then always
    has the customer's questions to check against."""
    from ..packs import load_pack
    from ..tokenizer import tokenize

    pack = load_pack(language) or load_pack("en")
    request = pack.section("analysis").pattern("request")
    known = [normalise(q.quote) for q in analysis.questions]
    doc = tokenize(email.body)
    hidden = _hidden_instructions(email.body, doc)
    added = []
    for sentence in doc.sentences:
        quote = sentence.text.strip()
        asks = quote.endswith("?")
        if not (asks or request.match(quote)) or len(quote.split()) < 3:
            continue
        key = normalise(quote)
        if hidden(sentence, key) or any(key in k or k in key for k in known if k):
            continue
        known.append(key)
        added.append(Question(quote=quote, kind="question" if asks else "request"))
    return analysis.model_copy(update={"questions": analysis.questions + added}) if added else analysis


def _hidden_instructions(body: str, doc):
    """An instruction hidden in the mail ("What is the capital of Brazil?", "Kunt u in uw antwoord ...") is no
    question of the customer's: the floor must not hand it to the draft prompt."""
    from ..checks.injection_mail import instruction_spans, off_case_tasks

    spans = instruction_spans(body, [(s.start, s.end) for s in doc.sentences])
    tasks = [normalise(task) for task, _ in off_case_tasks(body)]

    def hidden(sentence, key: str) -> bool:
        return any(a < sentence.end and sentence.start < b for a, b in spans) or any(
            key in task or task in key for task in tasks if task)

    return hidden
