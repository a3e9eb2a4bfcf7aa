"""The OpenAI-compatible path against a real server: cassettes recorded from `replydraft local-server`.

Recorded with `scripts/record-cassettes` (the embedded model served by llama-cpp-python's server);
replayed offline with the network blocked. vcrpy does not match on the request body, so each
cassette carries the prompt fingerprint it was recorded with, and a changed template fails here
with the command that re-records. A replay that leaves recorded interactions unplayed fails too.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from pathlib import Path

import pytest

from replydraft import draft_reply, read_email
from replydraft.backends import ChatRequest, OpenAIBackend
from replydraft.errors import BackendError
from replydraft.model_file import MODEL_NAME
from replydraft.pipeline import analysis_schema
from replydraft.prompts import template_hash

from .conftest import ROOT

BASE_URL = "http://127.0.0.1:8081/v1"
RECORD_COMMAND = "scripts/record-cassettes"
CASSETTES = Path(__file__).parent / "cassettes" / "test_cassettes"

pytestmark = [pytest.mark.vcr, pytest.mark.block_network]


@pytest.fixture(scope="module")
def vcr_config():
    return {
        "filter_headers": ["authorization", "api-key", "openai-organization", "openai-project"],
        "decode_compressed_response": True,
    }


def fingerprint() -> str:
    schema = json.dumps(analysis_schema(), sort_keys=True).encode()
    return f"{template_hash()}-{hashlib.sha256(schema).hexdigest()[:8]}"


@pytest.fixture(autouse=True)
def cassette_guard(request, vcr, record_mode):
    meta = CASSETTES / f"{request.node.name}.meta.json"
    if record_mode == "none":
        if not meta.exists():
            pytest.fail(f"no cassette for {request.node.name}; record it with: {RECORD_COMMAND}")
        recorded = json.loads(meta.read_text())["prompt_fingerprint"]
        if recorded != fingerprint():
            pytest.fail(
                f"the prompt templates changed since this cassette was recorded ({recorded} -> {fingerprint()}); "
                f"re-record with: {RECORD_COMMAND}"
            )
    yield
    if record_mode == "none":
        unplayed = len(vcr.data) - vcr.play_count
        assert unplayed == 0, f"{unplayed} recorded interactions were not played: the code made fewer calls than recorded"
    else:
        meta.parent.mkdir(parents=True, exist_ok=True)
        meta.write_text(json.dumps({
            "prompt_fingerprint": fingerprint(),
            "server": "replydraft local-server (llama-cpp-python)",
            "model": MODEL_NAME,
            "recorded": datetime.date.today().isoformat(),
        }, indent=2) + "\n")


def local_server(mode: str) -> OpenAIBackend:
    return OpenAIBackend(base_url=BASE_URL, model=MODEL_NAME, structured_output=mode, max_retries=0, timeout=900)


def test_full_draft_against_the_local_server():
    mail = read_email(ROOT / "examples" / "vertraagd-pakket.txt")
    result = draft_reply(mail, backend=local_server("json_object"))

    assert result.status in ("ready", "needs_review"), result.error
    assert [c.phase for c in result.calls][:3] == ["analysis", "draft", "rewrite"]
    assert len(result.calls) <= 4
    # Tokens are the server's own counts, and every call carries the shared static prefix.
    assert all(c.prompt_tokens > c.static_prompt_tokens * 0.8 for c in result.calls)
    assert result.completion_tokens > 0
    # Whatever the small model quoted survived verification only if it is really in the mail.
    mail_text = " ".join(mail.body.split()).lower()
    assert result.analysis.questions, "the analysis found none of the customer's questions"
    for question in result.analysis.questions:
        assert " ".join(question.quote.split()).lower() in mail_text
    # The gate: an error finding never leaves as ready.
    errors = [f for f in result.checks.findings if f.severity == "error"]
    assert (result.status == "ready") == (not errors)
    if errors:
        assert result.calls[-1].phase == "revision"


def test_json_object_with_schema_is_the_structured_output_llama_cpp_python_accepts():
    request = ChatRequest(
        phase="analysis",
        messages=[{"role": "user", "content": "Welke vragen staan in deze mail? 'Waar blijft mijn pakket? Kan ik nog annuleren?' Antwoord in JSON."}],
        max_tokens=700,
        json_schema=analysis_schema(),
    )
    response = local_server("json_object").complete(request)
    assert response.finish_reason == "stop", "the answer was cut off; raise max_tokens and re-record"
    data = json.loads(response.content)
    assert set(data) >= {"questions"} and isinstance(data["questions"], list)
    assert response.prompt_tokens > 0 and response.completion_tokens > 0


def test_json_schema_is_refused_by_llama_cpp_python_with_a_500():
    request = ChatRequest(phase="analysis", messages=[{"role": "user", "content": "Geef JSON."}], max_tokens=20,
                          json_schema={"type": "object", "properties": {"a": {"type": "string"}}})
    with pytest.raises(BackendError, match="HTTP 500"):
        local_server("json_schema").complete(request)
