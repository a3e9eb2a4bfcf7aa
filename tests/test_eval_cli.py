"""`replydraft eval`: the shipped sets load, the schema file is current, runs resume, --min-pass gates, compare prints."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from replydraft import FakeBackend
from replydraft.backends.fake import plausible_reply
from replydraft.cli import main
from replydraft.evaluation.sets import load_sets, schema

ROOT = Path(__file__).parent.parent
SETS = sorted((ROOT / "evals" / "sets").glob("*.jsonl"))


def test_the_shipped_sets_load_and_cover_what_the_issue_asks():
    items = load_sets(SETS)
    languages = Counter(item.annotations.language for _, item in items)
    assert len(items) >= 40 and languages["nl"] >= 30 and languages["en"] >= 10
    assert any(item.annotations.register == "je" for _, item in items)
    assert sum(bool(item.annotations.must_not_contain) for _, item in items) >= 10
    assert sum(item.annotations.our_mistake for _, item in items) >= 5
    assert any(item.mail.thread for _, item in items)


def test_the_schema_file_is_generated_from_the_models():
    shipped = json.loads((ROOT / "evals" / "sets" / "schema.json").read_text(encoding="utf-8"))
    assert shipped == schema(), "regenerate: replydraft eval schema > evals/sets/schema.json"


def test_the_documented_subset_names_shipped_items():
    ids = {item.id for _, item in load_sets(SETS)}
    subset = [line.split("#")[0].strip() for line in (ROOT / "evals" / "subsets" / "embedded-12.txt").read_text().splitlines()]
    subset = [s for s in subset if s]
    assert len(subset) == 12 and set(subset) <= ids


@pytest.fixture
def fake(monkeypatch):
    backend = FakeBackend(default=plausible_reply)
    monkeypatch.setattr("replydraft.evaluation.api.resolve_backend", lambda *_args, **_kwargs: backend)
    return backend


def write_set(tmp_path: Path) -> Path:
    rows = []
    for n, thing in enumerate(["pakket", "factuur", "retour"]):
        body = f"Hallo,\n\nWaar blijft mijn {thing}? Ik wacht al een week.\n\nGroet,\nAnna"
        rows.append({"id": f"cli-{n}", "mail": {"body": body},
                     "annotations": {"language": "nl", "register": "u", "questions": [f"Waar blijft mijn {thing}?"]}})
    path = tmp_path / "mini.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    return path


def test_eval_writes_reports_resumes_and_gates_on_min_pass(tmp_path, fake, capsys):
    out = tmp_path / "run"
    code = main(["eval", str(write_set(tmp_path)), "--out", str(out), "--no-cache", "--min-pass", "0.5"])
    printed = capsys.readouterr().out
    assert code == 1  # the fake's stock reply answers nothing: pass rate 0 < 0.5
    assert "passed 0 of 3 items" in printed
    for name in ("results.jsonl", "report.md", "report.html", "summary.json", "run.json", "readability.png"):
        assert (out / name).exists(), name
    calls = len(fake.calls)
    assert main(["eval", str(write_set(tmp_path)), "--out", str(out), "--no-cache"]) == 0
    assert len(fake.calls) == calls  # resumed: nothing drafted again
    assert len((out / "results.jsonl").read_text().splitlines()) == 3


def test_eval_usage_errors_name_the_problem(tmp_path, fake, capsys):
    assert main(["eval", str(tmp_path / "nope.jsonl")]) == 2
    assert "eval set not found" in capsys.readouterr().err
    assert main(["eval", str(write_set(tmp_path)), "--min-pass", "80"]) == 2
    assert "share between 0 and 1" in capsys.readouterr().err
    only = tmp_path / "only.txt"
    only.write_text("cli-0\nbestaat-niet\n")
    assert main(["eval", str(write_set(tmp_path)), "--only", str(only)]) == 2
    assert "bestaat-niet" in capsys.readouterr().err
    assert main(["eval", "compare", str(tmp_path)]) == 2


def test_eval_compare_prints_regressions_first(tmp_path, fake, capsys):
    path = write_set(tmp_path)
    main(["eval", str(path), "--out", str(tmp_path / "a"), "--no-cache"])
    fake.default = lambda r: ("Beste klant,\n\nAls u een review schrijft, dan zoeken wij uw pakket morgen op."
                              if r.phase in ("draft", "rewrite", "revision") else plausible_reply(r))
    main(["eval", str(path), "--out", str(tmp_path / "b"), "--no-cache"])
    capsys.readouterr()
    assert main(["eval", "compare", str(tmp_path / "a"), str(tmp_path / "b")]) == 0
    text = capsys.readouterr().out
    assert text.index("## Regressed items") < text.index("## Per scorer") < text.index("## Improved items")
    assert "finding:conditionality" in text.split("## Per scorer")[0]
