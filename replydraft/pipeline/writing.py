"""Phases 2 to 4: the draft, its B1 rewrite, the post-check gate and one revision; then the values back."""

from __future__ import annotations

import json
import re

from ..backends.base import ChatResponse
from ..checks import check, extract_promises
from ..errors import ModelOutputError
from ..facts import lost_facts
from ..ingest import SIGN_OFF_PHRASES
from ..language import detect_language
from ..masking import PLACEHOLDER
from ..prompts import render, strip_markers
from ..types import Analysis, CheckReport, Email, Finding
from .calls import Calls

LANGUAGE_NAMES = {"nl": "Dutch (Nederlands)", "en": "English", "de": "German", "fr": "French", "es": "Spanish"}
# The reply's own closing, when it ends the reply: a sign-off line ("Met vriendelijke groet," or "Groetjes,
# Sanne"), then at most a few short signature lines. The team's signature goes there instead. A line that
# only starts with such a word ("Take care to keep the receipt: ...") is text, and stays.
_CLOSING = re.compile(
    rf"\n[ \t]*(?:{SIGN_OFF_PHRASES})[ \t]*[,.!]?[ \t]*(?:[^\W\d_][\w.'’-]*(?:[ \t]+[^\W\d_][\w.'’-]*){{0,4}})?[ \t]*"
    rf"(?:\n[^\n]{{0,60}}){{0,4}}\s*\Z",
    re.IGNORECASE,
)


def strip_closing(text: str) -> str:
    return _CLOSING.sub("", text.strip()).rstrip()


def greeting(email: Email, language: str, register: str) -> str:
    first = email.sender_name.split()[0] if email.sender_name.strip() else ""
    if language == "en":
        return f"Dear {email.sender_name}," if register == "formal" and email.sender_name else f"Hi {first}," if first else "Hello,"
    if register == "je":
        return f"Hoi {first}," if first else "Hoi,"
    return f"Beste {email.sender_name}," if email.sender_name else "Beste klant,"


def _reply_text(response: ChatResponse) -> str:
    """A text phase's answer as the agent would read it: without our prompt's markers (a small model
    echoes them) and without the model's own closing (we add the team's signature)."""
    return strip_closing(strip_markers(response.content))


def write(calls: Calls, email: Email, analysis: Analysis, note: str | None, language: str, register: str):
    """The draft, then (in the full profile) its B1 rewrite, which must keep every fact and promise."""
    language_name = LANGUAGE_NAMES.get(language, language)
    with calls.clock.time("render"):
        request = calls.ask("draft", render(
            "draft.j2", email=email, analysis=analysis, policy=calls.policy, note=note, language_name=language_name,
            register=register, greeting=greeting(email, language, register), plain=not calls.profile.rewrite,
        ))
    draft_text = _reply_text((yield from calls.call(request)))
    if not draft_text:
        raise ModelOutputError("the model returned an empty draft")
    if not calls.profile.rewrite:
        return draft_text, draft_text
    request = calls.ask("rewrite", render("rewrite.j2", text=draft_text, language_name=language_name, register=register))
    text = _reply_text((yield from calls.call(request))) or draft_text
    return draft_text, text


def with_findings(report: CheckReport, extra: list[Finding]) -> CheckReport:
    if not extra:
        return report
    return report.model_copy(update={"findings": report.findings + extra, "status": "needs_review"})


def _lost_findings(lost: list[str]) -> list[Finding]:
    return [
        Finding(
            code="rewrite_lost_fact", severity="error", rule="B1 rewrite",
            message=f"The plain-language rewrite lost a fact or promise of the draft: {fact!r}",
            suggestion=f"Put {fact!r} back in.",
        )
        for fact in lost
    ]


def unfilled_placeholders(text: str) -> list[Finding]:
    """A masking placeholder left after restoring: the model made up data the mail never had."""
    return [
        Finding(
            code="placeholder", severity="error", rule="GR6",
            message=f"Placeholder for personal data that is not in the mail: “{m.group(0)}”",
            start=m.start(), end=m.end(), suggestion="Leave it out, or fill in the real value yourself.",
        )
        for m in PLACEHOLDER.finditer(text)
    ]


class Gate:
    """The post-check of a draft body with our signature; the draft's own language is detected on the
    body alone and compared with the customer's, which the mail carries."""

    def __init__(self, calls: Calls, draft_text: str, signature: str, language: str, register: str, analysis: Analysis) -> None:
        self.calls, self.draft_text, self.signature, self.register, self.analysis = calls, draft_text, signature, register, analysis
        with calls.clock.time("check"):
            self.promise_times = [p.when for p in extract_promises(draft_text, language) if p.when]

    def __call__(self, body: str, email: Email, analysis: Analysis | None = None, compare_facts: bool = True) -> CheckReport:
        with self.calls.clock.time("check"):
            lost = lost_facts(self.draft_text, body, self.promise_times) if compare_facts else []
            report = check(
                f"{body}\n\n{self.signature}", language=detect_language(body), register=self.register,
                policy=self.calls.policy, email=email, analysis=analysis or self.analysis,
            )
        return with_findings(report, _lost_findings(lost))


def revise(calls: Calls, gate: Gate, text: str, email: Email, language: str, register: str):
    """One revision round listing what failed, then the check again (use with `yield from`)."""
    report = gate(text, email)
    errors = [f for f in report.findings if f.severity == "error"]
    if not errors:
        return text, report
    request = calls.ask("revision", render(
        "revise.j2", findings=errors, text=text, email=email, language_name=LANGUAGE_NAMES.get(language, language),
        register=register,
    ))
    revised = _reply_text((yield from calls.call(request)))
    if revised and revised != text:  # an unchanged text keeps its report
        return revised, gate(revised, email)
    return text, report


def restored(masking, gate: Gate, text: str, report: CheckReport, analysis: Analysis, raw_email: Email):
    """The agent gets the real values back, in the draft and in the analysis (JSON-safe values only).
    The final check reads what the agent will send against the real mail, even when the draft uses no
    placeholder: a value the model was never shown is still the customer's, or an attacker's."""
    if masking is None or not masking.entities:
        return text, report, analysis
    text = masking.restore(text)
    analysis = Analysis.model_validate(json.loads(masking.restore(json.dumps(analysis.model_dump(mode="json")))))
    kept = [f for f in report.findings if f.code == "rewrite_lost_fact"]
    # Facts lost in the rewrite were judged on the masked texts; the restored text differs from the
    # masked draft in every value, so it is not compared again and the earlier verdict is kept.
    final = gate(text, raw_email, analysis, compare_facts=False)
    return text, with_findings(final, kept), analysis
