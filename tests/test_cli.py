"""The command line: both output forms of `check`, the JSONL batch form, bad input, and `draft` errors."""

from __future__ import annotations

import io
import json
import sys

import pytest

from replydraft.cli import main

from .conftest import ROOT

EXAMPLE_DRAFT = ROOT / "examples" / "concept-antwoord.txt"
GOOD_DRAFT = ROOT / "examples" / "goed-antwoord.txt"


def run(capsys, *argv, stdin: bytes | None = None, monkeypatch=None):
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8"))
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_check_prints_findings_for_a_person(capsys):
    code, out, _ = run(capsys, "check", str(EXAMPLE_DRAFT))
    assert code == 1 and out.startswith("NEEDS REVIEW")
    for expected in ("conditionality", "hollow_empathy", "vague_promise", "officialese", "→"):
        assert expected in out


def test_check_json_follows_the_contract(capsys):
    code, out, _ = run(capsys, "check", str(EXAMPLE_DRAFT), "--json", "--lang", "nl")
    report = json.loads(out)
    assert code == 1
    assert set(report) >= {"language", "register", "status", "readability", "b1", "conditionality", "findings", "promises"}
    assert "id" not in report
    assert set(report["readability"]) >= {"formula", "score", "words_per_sentence", "max_sentence_words",
                                          "long_word_ratio", "negations", "passive_sentences"}
    assert set(report["b1"]) == {"ok", "reasons"} and 0 <= report["conditionality"]["score"] <= 1
    finding = report["findings"][0]
    assert set(finding) == {"code", "severity", "rule", "message", "start", "end", "suggestion"}
    text = EXAMPLE_DRAFT.read_text()
    conditional = next(f for f in report["findings"] if f["code"] == "conditionality")
    assert "review" in text[conditional["start"] : conditional["end"]]


def test_good_example_is_ready(capsys):
    code, out, _ = run(capsys, "check", str(GOOD_DRAFT), "--email", str(ROOT / "examples" / "vertraagd-pakket.txt"))
    assert code == 0 and out.startswith("READY"), out


def test_check_reads_standard_input(capsys, monkeypatch):
    code, out, _ = run(capsys, "check", "-", "--json", stdin="Denk er maar niet over na!".encode(), monkeypatch=monkeypatch)
    assert json.loads(out)["findings"][0]["code"] == "dismissive_thanks"


def test_jsonl_batch_keeps_ids_and_survives_a_bad_line(capsys, tmp_path):
    batch = tmp_path / "drafts.jsonl"
    batch.write_text(
        json.dumps({"id": "a1", "text": "Als u een review achterlaat, krijgt u korting.", "lang": "nl"}) + "\n"
        + "{niet json\n"
        + json.dumps({"id": "b2", "text": "Your parcel arrives tomorrow before noon.", "lang": "en"}) + "\n"
        + json.dumps({"id": "c3", "text": "", "lang": "nl"}) + "\n"
    )
    code, out, err = run(capsys, "check", "--jsonl", str(batch))
    lines = [json.loads(line) for line in out.splitlines()]
    assert [line.get("id") for line in lines] == ["a1", None, "b2", "c3"]
    assert lines[0]["status"] == "needs_review" and lines[2]["status"] == "ready"
    assert lines[1]["error"] == "bad_input" and "line 2" in lines[1]["message"]
    assert "empty" in lines[3]["message"]
    assert code == 2 and "line 2" in err


def test_empty_text_is_exit_2_with_a_message(capsys, tmp_path):
    empty = tmp_path / "leeg.txt"
    empty.write_text("  \n")
    code, _, err = run(capsys, "check", str(empty))
    assert code == 2 and "empty" in err


def test_binary_junk_is_exit_2_with_a_message(capsys, tmp_path):
    junk = tmp_path / "junk.bin"
    junk.write_bytes(bytes(range(256)) * 4)
    code, _, err = run(capsys, "check", str(junk))
    assert code == 2 and "binary" in err


def test_missing_file_is_exit_2(capsys):
    code, _, err = run(capsys, "check", "bestaat/niet.txt")
    assert code == 2 and "no such file" in err


def test_uncalibrated_language_is_noted_and_other_checks_run(capsys, tmp_path):
    german = tmp_path / "de.txt"
    german.write_text("Hallo [Name], Ihr Paket kommt morgen.")
    code, out, _ = run(capsys, "check", str(german), "--lang", "de", "--json")
    report = json.loads(out)
    assert report["readability"] is None and report["b1"]["ok"] is None
    assert any("not calibrated" in n for n in report["notes"])
    assert [f["code"] for f in report["findings"]] == ["placeholder"]


def test_draft_without_backend_names_the_ways_to_configure_one(capsys, monkeypatch):
    import replydraft.backends as backends

    monkeypatch.setattr(backends, "embedded_available", lambda: False)
    code, _, err = run(capsys, "draft", str(ROOT / "examples" / "vertraagd-pakket.txt"))
    assert code == 2
    for way in ("OPENAI_API_KEY", "REPLYDRAFT_BASE_URL", "replydraft[local]"):
        assert way in err


def test_draft_with_unknown_policy_is_exit_2(capsys, monkeypatch):
    monkeypatch.setenv("REPLYDRAFT_BASE_URL", "http://127.0.0.1:9/v1")
    code, _, err = run(capsys, "draft", str(ROOT / "examples" / "vertraagd-pakket.txt"), "--policy", "onbekend")
    assert code == 2 and "unknown policy" in err
