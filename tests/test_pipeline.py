"""The pipeline with the shipped FakeBackend: phases, the gate, the revision round, re-asks, statuses."""

from __future__ import annotations

import asyncio

import pytest

from replydraft import DraftResult, FakeBackend, adraft_reply, draft_reply
from replydraft.errors import ConfigError

from .helpers import GOOD_DRAFT, GOOD_REWRITE, MAIL, QUESTIONS, analysis


def test_two_questions_quoted_timed_counted_and_gated():
    fake = FakeBackend([analysis(), GOOD_DRAFT, GOOD_REWRITE])
    result = draft_reply(MAIL, backend=fake)

    assert isinstance(result, DraftResult)
    assert [q.quote for q in result.analysis.questions] == QUESTIONS
    assert len(fake.calls) == 3 and [c.phase for c in result.calls] == ["analysis", "draft", "rewrite"]
    for phase in ("ingest", "prepare", "render", "analysis", "draft", "rewrite", "check", "non_llm", "total"):
        assert phase in result.timings_ms, phase
    assert result.prompt_tokens > 0 and result.completion_tokens > 0
    assert all(c.prompt_tokens > c.static_prompt_tokens > 0 for c in result.calls)
    assert result.status == result.checks.status == "ready", result.checks.findings
    assert result.text.startswith(GOOD_REWRITE) and "Klantenservice" in result.text
    assert result.prompt_hash and result.model == "fake"


def test_static_prefix_is_identical_and_first_in_every_call():
    fake = FakeBackend([analysis(), GOOD_DRAFT, GOOD_REWRITE])
    draft_reply(MAIL, backend=fake)
    systems = {call.messages[0]["content"] for call in fake.calls}
    assert len(systems) == 1 and fake.calls[0].messages[0]["role"] == "system"
    assert "4471829" not in systems.pop()  # nothing of the mail in the shared prefix


def test_the_analysis_reaches_the_draft_prompt():
    fake = FakeBackend([analysis(missing_info=["het gewenste bezorgmoment"]), GOOD_DRAFT, GOOD_REWRITE])
    draft_reply(MAIL, backend=fake)
    draft_prompt = fake.calls[1].messages[1]["content"]
    for expected in [*QUESTIONS, "4471829", "het gewenste bezorgmoment", "dat het pakket echt vertraagd is", "admit it plainly"]:
        assert expected in draft_prompt, expected
    assert fake.calls[0].json_schema is not None and fake.calls[1].json_schema is None


def test_invented_quote_is_dropped_and_noted():
    invented = analysis(questions=[
        {"quote": QUESTIONS[0], "kind": "question", "topic": ""},
        {"quote": "Krijg ik een schadevergoeding van 500 euro?", "kind": "question", "topic": ""},
    ])
    fake = FakeBackend([invented, GOOD_DRAFT, GOOD_REWRITE])
    result = draft_reply(MAIL, backend=fake)
    quotes = [q.quote for q in result.analysis.questions]
    assert quotes[0] == QUESTIONS[0] and not any("schadevergoeding" in q for q in quotes)
    assert any("schadevergoeding" in note for note in result.notes)
    assert "schadevergoeding" not in fake.calls[1].messages[1]["content"]


def test_rewrite_that_loses_an_amount_needs_review():
    lossy = GOOD_REWRITE.replace("de 89,95 euro", "het geld")
    fake = FakeBackend([analysis(), GOOD_DRAFT, lossy, lossy])  # the revision round loses it again
    result = draft_reply(MAIL, backend=fake)
    assert result.status == "needs_review"
    lost = [f for f in result.checks.findings if f.code == "rewrite_lost_fact"]
    assert lost and "89,95" in lost[0].message
    assert [c.phase for c in result.calls] == ["analysis", "draft", "rewrite", "revision"]
    assert "89,95" in fake.calls[3].messages[1]["content"]  # the revision prompt names what was lost


def test_revision_round_fixes_an_error_and_comes_back_ready():
    conditional = GOOD_REWRITE + " Als u een review achterlaat, krijgt u 10% korting."
    fake = FakeBackend([analysis(), GOOD_DRAFT, conditional, GOOD_REWRITE])
    result = draft_reply(MAIL, backend=fake)
    assert len(fake.calls) == 4 and "conditional" in fake.calls[3].messages[1]["content"].lower()
    assert result.status == "ready", result.checks.findings


def test_remaining_error_after_revision_is_never_ready():
    conditional = GOOD_REWRITE + " Als u een review achterlaat, krijgt u 10% korting."
    fake = FakeBackend([analysis(), GOOD_DRAFT, conditional, conditional])
    result = draft_reply(MAIL, backend=fake)
    assert result.status == "needs_review"
    assert any(f.code == "conditionality" for f in result.checks.findings)
    assert len(fake.calls) == 4  # at most one revision round


def test_invalid_json_is_reasked_once_with_the_error():
    fake = FakeBackend(["Natuurlijk! Hier is de analyse: geen JSON", analysis(), GOOD_DRAFT, GOOD_REWRITE])
    result = draft_reply(MAIL, backend=fake)
    assert result.status == "ready"
    retry = fake.calls[1]
    assert retry.phase == "analysis_retry" and "not valid" in retry.messages[-1]["content"]


def test_invalid_json_twice_is_a_clear_error_result():
    fake = FakeBackend(["geen json", {"questions": "niet een lijst"}])
    result = draft_reply(MAIL, backend=fake)
    assert result.status == "error"
    assert "not valid JSON twice" in result.error and "questions" in result.error
    assert result.text == ""


def test_json_in_a_code_fence_is_accepted():
    import json

    fenced = "```json\n" + json.dumps(analysis()) + "\n```"
    result = draft_reply(MAIL, backend=FakeBackend([fenced, GOOD_DRAFT, GOOD_REWRITE]))
    assert len(result.analysis.questions) == 2


def test_async_pipeline_gives_the_same_result():
    fake = FakeBackend([analysis(), GOOD_DRAFT, GOOD_REWRITE])
    result = asyncio.run(adraft_reply(MAIL, backend=fake))
    assert result.status == "ready" and len(result.analysis.questions) == 2


def test_a_model_signature_is_replaced_by_the_policy_signature():
    signed = GOOD_REWRITE + "\n\nMet vriendelijke groet,\n[Uw naam]"
    result = draft_reply(MAIL, backend=FakeBackend([analysis(), GOOD_DRAFT, signed]))
    assert "[Uw naam]" not in result.text and result.text.rstrip().endswith("Voorbeeld BV")


def test_no_backend_configured_names_the_ways(monkeypatch):
    import replydraft.backends as backends

    monkeypatch.setattr(backends, "embedded_available", lambda: False)
    with pytest.raises(ConfigError) as err:
        draft_reply(MAIL)
    message = str(err.value)
    for way in ("OPENAI_API_KEY", "REPLYDRAFT_BASE_URL", "replydraft[local]"):
        assert way in message


def test_plain_text_mail_is_ingested():
    result = draft_reply(MAIL.body, backend=FakeBackend([analysis(), GOOD_DRAFT, GOOD_REWRITE]))
    assert result.status in ("ready", "needs_review") and len(result.analysis.questions) == 2


def test_english_mail_gets_english_signature_and_prompt():
    from replydraft import Email

    mail = Email(body="Hi, when will my order 55123 arrive? Thanks!", language="en", register="informal")
    english = {"questions": [{"quote": "when will my order 55123 arrive?"}], "facts_given": [{"kind": "order number", "value": "55123"}]}
    reply = "Hi,\n\nYour order 55123 arrives tomorrow before 5 pm. You will get a tracking link by email today."
    fake = FakeBackend([english, reply, reply])
    result = draft_reply(mail, backend=fake)
    assert "English" in fake.calls[1].messages[1]["content"]
    assert result.text.rstrip().endswith("Voorbeeld BV") and "Kind regards" in result.text


@pytest.mark.parametrize("text, kept", [
    ("Beste Kees,\n\nWe storten het geld morgen terug.\n\nMet vriendelijke groet,\nTeam Klantenservice\nVoorbeeld BV",
     "Beste Kees,\n\nWe storten het geld morgen terug."),
    ("Hoi Sanne,\n\nHet pakket komt morgen.\nGroetjes, Sanne", "Hoi Sanne,\n\nHet pakket komt morgen."),
    ("Dear Kate,\n\nYour refund is on its way.\n\nTake care to keep the receipt: the warranty needs it.", None),
    ("Hi Tom,\nCheers for your patience! Your order ships today.", None),
    ("Hoi,\nGroetjes van de bezorger: hij komt tussen 9 en 12 uur.", None),
])
def test_the_models_own_closing_goes_and_a_sentence_that_starts_like_one_stays(text, kept):
    from replydraft.pipeline.writing import strip_closing

    assert strip_closing(text) == (kept if kept is not None else text)
