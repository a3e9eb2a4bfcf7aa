"""The eval runner: every item exactly once, resumable after a kill, one failure isolated, cache, reports, compare."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from replydraft import FakeBackend, load_policy
from replydraft.backends.fake import plausible_reply
from replydraft.evaluation.report import compare, write_reports
from replydraft.evaluation.runner import run_eval
from replydraft.evaluation.sets import EvalItem
from replydraft.evaluation.store import DraftCache, ResultStore

PRODUCTS = ["koffiezetapparaat", "stofzuiger", "waterkoker", "broodrooster", "fietslamp", "koptelefoon", "boormachine", "lamp"]


def make_items(count: int = 6) -> list[tuple[str, EvalItem]]:
    items = []
    for n in range(count):
        product = PRODUCTS[n % len(PRODUCTS)]
        body = (f"Goedemiddag,\n\nIk heb een {product} besteld, bestelnummer 70{n:04d}. "
                f"Wanneer wordt mijn {product} bezorgd?\n\nGroet,\nKlant {n}")
        items.append(("testset", EvalItem.model_validate({
            "id": f"item-{n:02d}",
            "mail": {"subject": f"Mijn {product}", "body": body},
            "annotations": {"language": "nl", "register": "u", "questions": [f"Wanneer wordt mijn {product} bezorgd?"],
                            "facts_given": [f"bestelnummer 70{n:04d}"], "must_not_contain": ["ZX-CANARY"]},
        })))
    return items


def drafted_ids(fake: FakeBackend, items) -> list[str]:
    """Which items the backend was asked to analyse, read from the prompts it received."""
    analysed = [c.messages[-1]["content"] for c in fake.calls if c.phase == "analysis"]
    return [item.id for _, item in items for prompt in analysed if item.mail.body.splitlines()[2] in prompt]


def run(items, fake, out, **kwargs):
    kwargs.setdefault("backoff", 0.0)
    return asyncio.run(run_eval(items, backend=fake, policy=load_policy("default"), out=out, **kwargs))


def test_every_item_gets_exactly_one_record_with_scores(tmp_path):
    items = make_items(6)
    fake = FakeBackend(default=plausible_reply)
    records = run(items, fake, tmp_path / "run", concurrency=3)
    assert [r["id"] for r in records] == [item.id for _, item in items]
    assert sorted(drafted_ids(fake, items)) == [item.id for _, item in items]
    lines = (tmp_path / "run" / "results.jsonl").read_text().splitlines()
    assert len(lines) == 6
    first = records[0]
    assert first["status"] in ("ready", "needs_review")
    # The fake's analysis quotes the question, but its stock reply does not answer it.
    assert first["scores"]["questions_addressed"] == {"passed": False, "detail": "1 unanswered_question finding(s)"}
    assert first["scores"]["must_not_contain"]["passed"] is True
    assert "finding:conditionality" in first["scores"] and "b1" in first["scores"]


def test_one_item_raising_does_not_stop_the_others(tmp_path):
    items = make_items(6)

    def reply(request):
        if "stofzuiger" in request.messages[-1]["content"]:
            raise RuntimeError("the backend broke on this mail")
        return plausible_reply(request)

    fake = FakeBackend(default=reply)
    records = run(items, fake, tmp_path / "run", concurrency=3, retries=1)
    by_id = {r["id"]: r for r in records}
    broken = by_id.pop("item-01")
    assert broken["status"] == "error" and "the backend broke on this mail" in broken["error"]
    assert broken["attempts"] == 2 and broken["passed"] is False
    assert all(r["status"] != "error" for r in by_id.values())
    summary = write_reports(tmp_path / "run", records)
    assert summary["statuses"]["error"] == 1 and summary["items"] == 6


def test_a_hanging_item_times_out_and_the_rest_finish(tmp_path):
    items = make_items(3)

    async def slow(request):  # noqa: RUF029 - the fake awaits nothing; the sleep is in acomplete below
        return plausible_reply(request)

    class Hanging(FakeBackend):
        async def acomplete(self, request):
            if "waterkoker" in request.messages[-1]["content"]:
                await asyncio.sleep(30)
            return await super().acomplete(request)

    records = run(items, Hanging(default=plausible_reply), tmp_path / "run", timeout=0.5, retries=0)
    assert [r["status"] == "error" for r in records] == [False, False, True]
    assert "timed out" in records[2]["error"]


def test_resume_skips_finished_items_and_retries_errors(tmp_path):
    items = make_items(6)
    out = tmp_path / "run"

    def flaky(request):
        if "waterkoker" in request.messages[-1]["content"]:
            raise RuntimeError("down")
        return plausible_reply(request)

    run(items[:4], FakeBackend(default=flaky), out, retries=0)
    second = FakeBackend(default=plausible_reply)
    records = run(items, second, out)
    # item-02 failed before, item-04 and item-05 were never run: only those three are drafted again.
    assert sorted(drafted_ids(second, items)) == ["item-02", "item-04", "item-05"]
    assert [r["id"] for r in records] == [item.id for _, item in items]
    assert all(r["status"] != "error" for r in records)
    assert len((out / "results.jsonl").read_text().splitlines()) == 6


KILLED_RUN = textwrap.dedent("""
    import asyncio, sys
    sys.path.insert(0, {tests!r})
    from test_eval_runner import make_items
    from replydraft import FakeBackend, load_policy
    from replydraft.backends.fake import plausible_reply
    from replydraft.evaluation.runner import run_eval
    asyncio.run(run_eval(make_items(8), backend=FakeBackend(default=plausible_reply, latency=0.15),
                         policy=load_policy("default"), out=__import__("pathlib").Path({out!r}), concurrency=2))
""")


def test_a_run_killed_midway_resumes_with_every_item_exactly_once(tmp_path):
    out = tmp_path / "run"
    script = tmp_path / "killed_run.py"
    script.write_text(KILLED_RUN.format(tests=str(Path(__file__).parent), out=str(out)))
    process = subprocess.Popen([sys.executable, str(script)], cwd=Path(__file__).parent.parent)
    results = out / "results.jsonl"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        if results.exists() and len(results.read_text().splitlines()) >= 3:
            break
        time.sleep(0.02)
    assert process.poll() is None, "the run finished before it could be killed"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    before = ResultStore(results).finished()
    assert 3 <= len(before) < 8

    items = make_items(8)
    second = FakeBackend(default=plausible_reply)
    records = run(items, second, out, concurrency=2)
    again = drafted_ids(second, items)
    assert not set(again) & set(before), "a finished item was drafted again"
    assert sorted(again) == sorted(set(item.id for _, item in items) - set(before))
    assert [r["id"] for r in records] == [item.id for _, item in items]
    lines = [json.loads(line) for line in results.read_text().splitlines()]
    assert sorted(r["id"] for r in lines) == [item.id for _, item in items]  # exactly once each after compaction
    for key, record in before.items():  # finished work is kept as it was written
        assert next(r for r in lines if r["id"] == key)["result"] == record["result"]


def test_a_torn_last_line_is_skipped_and_the_item_runs_again(tmp_path):
    items = make_items(3)
    out = tmp_path / "run"
    run(items[:2], FakeBackend(default=plausible_reply), out)
    with open(out / "results.jsonl", "a") as handle:
        handle.write('{"id": "item-02", "status": "rea')  # killed while writing
    second = FakeBackend(default=plausible_reply)
    records = run(items, second, out)
    assert drafted_ids(second, items) == ["item-02"]
    assert len(records) == 3 and records[2]["status"] != "error"


def test_resuming_with_another_policy_is_refused(tmp_path):
    from replydraft.errors import InputError

    items = make_items(1)
    run(items, FakeBackend(default=plausible_reply), tmp_path / "run")
    other = load_policy("default").model_copy(update={"name": "strenger"})
    with pytest.raises(InputError, match="holds a run with policy 'default'"):
        asyncio.run(run_eval(items, backend=FakeBackend(default=plausible_reply), policy=other, out=tmp_path / "run"))


def test_the_cache_pays_for_an_unchanged_item_once(tmp_path):
    items = make_items(4)
    cache = DraftCache(tmp_path / "cache")
    first = FakeBackend(default=plausible_reply)
    run(items, first, tmp_path / "a", cache=cache)
    assert len(first.calls) >= 12
    second = FakeBackend(default=plausible_reply)
    records = run(items, second, tmp_path / "b", cache=cache)
    assert second.calls == []
    assert all(r["cached"] for r in records)
    changed = [(s, i.model_copy(update={"id": i.id})) for s, i in items]
    stricter = load_policy("default").model_copy(update={"name": "ander"})
    third = FakeBackend(default=plausible_reply)
    asyncio.run(run_eval(changed, backend=third, policy=stricter, out=tmp_path / "c", cache=cache, backoff=0))
    assert len(third.calls) >= 12  # another policy is another key


def test_concurrency_is_bounded_and_overlaps(tmp_path):
    items = make_items(8)
    running, peak = 0, 0

    class Counting(FakeBackend):
        async def acomplete(self, request):
            nonlocal running, peak
            running += 1
            peak = max(peak, running)
            try:
                return await super().acomplete(request)
            finally:
                running -= 1

    started = time.perf_counter()
    run(items, Counting(default=plausible_reply, latency=0.1), tmp_path / "run", concurrency=4)
    wall = time.perf_counter() - started
    assert peak == 4
    assert wall < 8 * 3 * 0.1  # sequential would be at least 2.4 s


def test_reports_and_compare_on_two_runs_that_differ(tmp_path):
    items = make_items(4)
    run(items, FakeBackend(default=plausible_reply), tmp_path / "a")
    records = ResultStore(tmp_path / "a" / "results.jsonl").load()

    def conditional(request):
        reply = plausible_reply(request)
        if request.phase in ("draft", "rewrite", "revision") and "koffiezetapparaat" in request.messages[-1]["content"]:
            return "Beste klant,\n\nAls u eerst een review schrijft, dan sturen wij u morgen voor 12.00 uur het antwoord."
        return reply

    b_records = run(items, FakeBackend(default=conditional), tmp_path / "b")
    for name, recs in (("a", list(records.values())), ("b", b_records)):
        summary = write_reports(tmp_path / name, recs)
        assert (tmp_path / name / "report.md").read_text().startswith("# Eval run")
        html = (tmp_path / name / "report.html").read_text()
        assert "<table>" in html and summary["items"] == 4
    assert b_records[0]["scores"]["finding:conditionality"]["passed"] is False
    assert b_records[0]["status"] != "ready"
    text, regressed = compare(tmp_path / "a", tmp_path / "b")
    assert regressed >= 1
    head, _, rest = text.partition("## Per scorer")
    assert "item-00" in head  # regressed items come first
    assert "finding:conditionality" in head and "| finding:conditionality |" in rest


def test_results_and_cache_store_drafts_masked_unless_raw(tmp_path):
    body = "Goedemiddag,\n\nStort het terug op NL91ABNA0417164300. Wanneer krijg ik het geld?\n\nGroet,\nKees"
    items = [("testset", EvalItem.model_validate({
        "id": "iban-01", "mail": {"subject": "Geld terug", "body": body},
        "annotations": {"language": "nl", "register": "u", "questions": ["Wanneer krijg ik het geld?"],
                        "must_not_contain": ["NL91ABNA0417164300"]}}))]

    def reply(request):
        if request.phase.startswith("analysis"):
            return plausible_reply(request)
        return "Beste Kees,\n\nWij storten het geld morgen terug op [IBAN_1]."

    cache = DraftCache(tmp_path / "cache")
    (record,) = run(items, FakeBackend(default=reply), tmp_path / "masked", cache=cache)
    assert record["scores"]["must_not_contain"]["passed"] is False  # scored on the real draft
    written = (tmp_path / "masked" / "results.jsonl").read_text() + "".join(
        p.read_text() for p in (tmp_path / "cache").rglob("*.json"))
    assert "NL91ABNA0417164300" not in written and "[IBAN_1]" in written
    (raw,) = run(items, FakeBackend(default=reply), tmp_path / "raw", raw=True)
    assert "NL91ABNA0417164300" in raw["result"]["text"]
