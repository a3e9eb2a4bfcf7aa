"""`replydraft.evaluation.run`: the eval as one typed call, the same run the CLI makes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from replydraft import FakeBackend
from replydraft.backends.fake import plausible_reply
from replydraft.errors import UsageError
from replydraft.evaluation import EvalSummary, Tally, run


def write_set(tmp_path: Path) -> Path:
    rows = [{"id": f"api-{n}", "mail": {"body": f"Hallo,\n\nWaar blijft mijn {thing}?\n\nGroet,\nAnna"},
             "annotations": {"language": "nl", "register": "u", "questions": [f"Waar blijft mijn {thing}?"]}}
            for n, thing in enumerate(["pakket", "factuur"])]
    path = tmp_path / "mini.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    return path


def test_run_returns_a_typed_summary_of_what_it_wrote(tmp_path):
    out = tmp_path / "run"
    summary = run([write_set(tmp_path)], backend=FakeBackend(default=plausible_reply), out=out, cache=False,
                  min_pass=0.5, quiet=True)
    assert isinstance(summary, EvalSummary) and summary.out == out
    assert (summary.items, summary.passed, summary.pass_rate) == (2, 0, 0.0)
    assert summary.sets == {"mini": Tally(passed=0, total=2, rate=0.0)}
    assert summary.scorers["questions_addressed"] == Tally(passed=0, total=2, rate=0.0)
    assert summary.below_min_pass
    assert summary.report == json.loads((out / "summary.json").read_text())


def test_run_refuses_bad_options_before_drafting(tmp_path):
    backend = FakeBackend(default=plausible_reply)
    with pytest.raises(UsageError, match="share between 0 and 1"):
        run([write_set(tmp_path)], backend=backend, out=tmp_path / "run", min_pass=80)
    with pytest.raises(UsageError, match="at least 1"):
        run([write_set(tmp_path)], backend=backend, out=tmp_path / "run", concurrency=0)
    assert not backend.calls
