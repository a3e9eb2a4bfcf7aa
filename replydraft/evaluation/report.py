"""What a run says: a summary (pass rates, tokens, cost, latency), report.md, a static report.html and a comparison of two runs."""

from __future__ import annotations

import base64
import html
import io
import json
import statistics
from collections import Counter, defaultdict
from pathlib import Path

from ..errors import InputError
from .store import ResultStore


def _percentile(values: list[float], share: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _rate(passed: int, total: int) -> float | None:
    return round(passed / total, 4) if total else None


def summarize(records: list[dict]) -> dict:
    total = len(records)
    passed = sum(bool(r["passed"]) for r in records)
    return {
        "items": total,
        "passed": passed,
        "pass_rate": _rate(passed, total),
        "statuses": dict(Counter(r["status"] for r in records)),
        "cached": sum(bool(r.get("cached")) for r in records),
        "scorers": {name: {"passed": p, "applicable": n, "rate": _rate(p, n)} for name, (p, n) in _scorer_tallies(records)},
        "sets": {name: {"passed": p, "items": n, "rate": _rate(p, n)} for name, (p, n) in _set_tallies(records)},
        "tokens": {"prompt": sum(_result(r).get("prompt_tokens", 0) for r in records),
                   "completion": sum(_result(r).get("completion_tokens", 0) for r in records)},
        "cost_estimate": _cost(records),
        "latency_seconds": _latency(records),
        "readability": _readability(records),
    }


def _result(record: dict) -> dict:
    return record.get("result") or {}


def _set_tallies(records: list[dict]) -> list[tuple[str, tuple[int, int]]]:
    """(set, (items passed, items)), by set name."""
    tallies: dict[str, tuple[int, int]] = {}
    for record in records:
        passed, total = tallies.get(record["set"], (0, 0))
        tallies[record["set"]] = (passed + bool(record["passed"]), total + 1)
    return sorted(tallies.items())


def _scorer_tallies(records: list[dict]) -> list[tuple[str, tuple[int, int]]]:
    """(scorer, (items passed, items it applies to)), by scorer name."""
    tallies: dict[str, tuple[int, int]] = {}
    for record in records:
        for name, s in record.get("scores", {}).items():
            if s["passed"] is not None:
                passed, applicable = tallies.get(name, (0, 0))
                tallies[name] = (passed + bool(s["passed"]), applicable + 1)
    return sorted(tallies.items())


def _cost(records: list[dict]) -> float | None:
    costs = [_result(r)["cost_estimate"] for r in records if _result(r).get("cost_estimate") is not None]
    return round(sum(costs), 6) if costs else None


def _latency(records: list[dict]) -> dict:
    """p50 and p95 seconds per phase and per item, over the drafts made in this run (no cache, no error)."""
    phases: dict[str, list[float]] = defaultdict(list)
    item_seconds = []
    for record in records:
        if record.get("cached") or record["status"] == "error":
            continue
        item_seconds.append(record["seconds"])
        for call in _result(record).get("calls", []):
            if call.get("seconds"):
                phases[call["phase"]].append(call["seconds"])
    if item_seconds:
        phases["item"] = item_seconds
    return {phase: {"p50": _percentile(v, 0.5), "p95": _percentile(v, 0.95), "calls": len(v)} for phase, v in phases.items()}


def _readability(records: list[dict]) -> dict:
    scores = [((_result(r).get("checks") or {}).get("readability") or {}).get("score") for r in records]
    scores = [s for s in scores if s is not None]
    return {
        "scores": [round(s, 1) for s in scores],
        "median": round(statistics.median(scores), 1) if scores else None,
    }


def _pct(rate: float | None) -> str:
    return "n/a" if rate is None else f"{rate:.0%}"


def _findings(record: dict) -> list[str]:
    checks = (record.get("result") or {}).get("checks") or {}
    order = {"error": 0, "warning": 1, "info": 2}
    return [f"{f['code']} ({f['severity']})" for f in sorted(checks.get("findings", []), key=lambda f: order[f["severity"]])]


def _failed_scorers(record: dict) -> list[str]:
    return [name for name, s in record.get("scores", {}).items() if s["passed"] is False and not name.startswith("finding:")]


def readability_png(scores: list[float]) -> bytes | None:
    """A histogram of the drafts' reading-ease scores; None when matplotlib (the `eval` extra) is missing."""
    if not scores:
        return None
    try:
        import matplotlib

        matplotlib.use("Agg")
        from matplotlib import pyplot
    except ImportError:
        return None
    figure, axes = pyplot.subplots(figsize=(6, 2.8), dpi=100)
    axes.hist(scores, bins=range(0, 125, 5), color="#3b6ea5", edgecolor="white")
    axes.axvline(60, color="#b03a2e", linestyle="--", linewidth=1)
    axes.set_xlabel("leesgemak / reading ease (Flesch-Douma, Flesch); 60 = B1 threshold")
    axes.set_ylabel("drafts")
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    pyplot.close(figure)
    return buffer.getvalue()


def markdown(summary: dict, records: list[dict], manifest: dict, plot: bool) -> str:
    lines = [
        f"# Eval run: {', '.join(manifest.get('sets', []))}",
        "",
        f"Policy `{manifest.get('policy')}` · model `{manifest.get('model')}` · prompts `{manifest.get('prompt_hash')}`"
        + (f" · judge `{manifest['judge']}`" if manifest.get("judge") else ""),
        "",
        f"**Passed {summary['passed']} of {summary['items']} items ({_pct(summary['pass_rate'])})**: "
        "an item passes when its draft is `ready` and every annotation scorer passes. Statuses: "
        + ", ".join(f"{k} {v}" for k, v in sorted(summary["statuses"].items()))
        + (f"; {summary['cached']} from the cache" if summary["cached"] else "") + ".",
        "",
        "## Pass rate per set",
        "",
        "| set | items | passed | rate |",
        "|---|---:|---:|---:|",
        *(f"| {name} | {s['items']} | {s['passed']} | {_pct(s['rate'])} |" for name, s in summary["sets"].items()),
        "",
        "## Pass rate per scorer",
        "",
        "Finding scorers pass when the draft has no such finding; `n/a` items are left out of the rate.",
        "",
        "| scorer | passed | applicable | rate |",
        "|---|---:|---:|---:|",
        *(f"| {name} | {s['passed']} | {s['applicable']} | {_pct(s['rate'])} |" for name, s in summary["scorers"].items()),
        "",
        "## Tokens, cost and latency",
        "",
        f"Tokens: {summary['tokens']['prompt']:,} prompt + {summary['tokens']['completion']:,} completion. "
        + (f"Estimated cost: ${summary['cost_estimate']:.4f}." if summary["cost_estimate"] is not None
           else "Cost: no price for this model in the policy."),
        "",
        "| phase | calls | p50 s | p95 s |",
        "|---|---:|---:|---:|",
        *(f"| {phase} | {v['calls']} | {v['p50']:.2f} | {v['p95']:.2f} |" for phase, v in summary["latency_seconds"].items()),
        "",
        "## Readability",
        "",
        f"Median reading ease {summary['readability']['median']} over {len(summary['readability']['scores'])} drafts."
        if summary["readability"]["median"] is not None else "No readability scores (no checked drafts).",
        "",
    ]
    if plot:
        lines += ["![readability distribution](readability.png)", ""]
    lines += ["## Items", "", "| id | set | status | passed | failed scorers | findings | draft |", "|---|---|---|---|---|---|---|"]
    for r in records:
        draft = ((r.get("result") or {}).get("text") or r.get("error") or "").replace("|", "\\|").replace("\n", "<br>")
        lines.append(
            f"| {r['id']} | {r['set']} | {r['status']} | {'yes' if r['passed'] else 'no'} | "
            f"{', '.join(_failed_scorers(r))} | {', '.join(_findings(r))} | {draft} |"
        )
    return "\n".join(lines) + "\n"


_CSS = """body{font-family:system-ui,sans-serif;max-width:72rem;margin:2rem auto;padding:0 1rem;color:#222}
table{border-collapse:collapse;margin:1rem 0}td,th{border:1px solid #ccc;padding:.3rem .5rem;vertical-align:top;text-align:left}
td.n{text-align:right}.ready{color:#1e7b34}.needs_review{color:#9a6700}.error{color:#b03a2e}
pre{white-space:pre-wrap;margin:0;font-family:inherit;max-width:36rem}details summary{cursor:pointer}"""


def html_report(summary: dict, records: list[dict], manifest: dict, png: bytes | None) -> str:
    e = html.escape

    def table(headers: list[str], rows: list[list[str]], numeric: set[int] = frozenset()) -> str:
        head = "".join(f"<th>{e(h)}</th>" for h in headers)
        body = "".join(
            "<tr>" + "".join(f"<td{' class=n' if i in numeric else ''}>{cell}</td>" for i, cell in enumerate(row)) + "</tr>"
            for row in rows
        )
        return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"

    parts = [
        f"<!doctype html><html lang=en><meta charset=utf-8><title>Eval run</title><style>{_CSS}</style>",
        f"<h1>Eval run: {e(', '.join(manifest.get('sets', [])))}</h1>",
        f"<p>Policy <code>{e(str(manifest.get('policy')))}</code> · model <code>{e(str(manifest.get('model')))}</code>"
        f" · prompts <code>{e(str(manifest.get('prompt_hash')))}</code></p>",
        f"<p><strong>Passed {summary['passed']} of {summary['items']} items ({_pct(summary['pass_rate'])})</strong>. "
        + e(", ".join(f"{k} {v}" for k, v in sorted(summary["statuses"].items()))) + "</p>",
        "<h2>Per set</h2>",
        table(["set", "items", "passed", "rate"],
              [[e(n), str(s["items"]), str(s["passed"]), _pct(s["rate"])] for n, s in summary["sets"].items()], {1, 2, 3}),
        "<h2>Per scorer</h2>",
        table(["scorer", "passed", "applicable", "rate"],
              [[e(n), str(s["passed"]), str(s["applicable"]), _pct(s["rate"])] for n, s in summary["scorers"].items()],
              {1, 2, 3}),
        "<h2>Tokens, cost and latency</h2>",
        f"<p>{summary['tokens']['prompt']:,} prompt + {summary['tokens']['completion']:,} completion tokens; "
        + (f"estimated cost ${summary['cost_estimate']:.4f}" if summary["cost_estimate"] is not None else "no price known")
        + ".</p>",
        table(["phase", "calls", "p50 s", "p95 s"],
              [[e(p), str(v["calls"]), f"{v['p50']:.2f}", f"{v['p95']:.2f}"] for p, v in summary["latency_seconds"].items()],
              {1, 2, 3}),
        "<h2>Readability</h2>",
        f"<img alt='readability distribution' src='data:image/png;base64,{base64.b64encode(png).decode()}'>" if png
        else "<p>No plot (no checked drafts, or matplotlib is not installed: pip install 'replydraft[eval]').</p>",
        "<h2>Items</h2>",
        table(["id", "set", "status", "passed", "failed scorers", "findings", "draft"], [
            [e(r["id"]), e(r["set"]), f"<span class={e(r['status'])}>{e(r['status'])}</span>", "yes" if r["passed"] else "no",
             e(", ".join(_failed_scorers(r))), e(", ".join(_findings(r))),
             f"<details><summary>draft</summary><pre>{e((r.get('result') or {}).get('text') or r.get('error') or '')}</pre></details>"]
            for r in records
        ]),
        "</html>",
    ]
    return "\n".join(parts) + "\n"


def write_reports(out: Path, records: list[dict]) -> dict:
    """summary.json, report.md, report.html (and readability.png) in the run directory; returns the summary."""
    manifest = json.loads((out / "run.json").read_text(encoding="utf-8"))
    summary = summarize(records)
    png = readability_png(summary["readability"]["scores"])
    if png:
        (out / "readability.png").write_bytes(png)
    (out / "summary.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    (out / "report.md").write_text(markdown(summary, records, manifest, plot=png is not None), encoding="utf-8")
    (out / "report.html").write_text(html_report(summary, records, manifest, png), encoding="utf-8")
    return summary


def load_run(directory: Path) -> tuple[dict, list[dict]]:
    results = directory / "results.jsonl"
    if not results.exists():
        raise InputError(f"{directory} is not an eval run: it has no results.jsonl")
    manifest_path = directory / "run.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8")) if manifest_path.exists() else {}
    return manifest, list(ResultStore(results).load().values())


def _delta(a: float | None, b: float | None) -> str:
    if a is None or b is None:
        return "n/a"
    points = (b - a) * 100
    return f"{points:+.0f} pts"


def compare(run_a: Path, run_b: Path) -> tuple[str, int]:
    """A markdown comparison (regressed items first) and the number of regressed items."""
    manifest_a, records_a = load_run(run_a)
    manifest_b, records_b = load_run(run_b)
    by_id_a = {r["id"]: r for r in records_a}
    by_id_b = {r["id"]: r for r in records_b}
    common = [key for key in by_id_a if key in by_id_b]
    a = summarize([by_id_a[k] for k in common])
    b = summarize([by_id_b[k] for k in common])
    regressed, improved = _changed_items([(key, by_id_a[key], by_id_b[key]) for key in common])
    only = (f" ({len(by_id_a) - len(common)} only in A, {len(by_id_b) - len(common)} only in B)"
            if len(common) < max(len(by_id_a), len(by_id_b)) else "")
    lines = [
        f"# Compare {run_a.name} → {run_b.name}",
        "",
        f"- A: {_describe(manifest_a)}",
        f"- B: {_describe(manifest_b)}",
        f"- {len(common)} items in both runs{only}",
        f"- Pass rate: {_pct(a['pass_rate'])} → {_pct(b['pass_rate'])} ({_delta(a['pass_rate'], b['pass_rate'])}); "
        f"median reading ease {a['readability']['median']} → {b['readability']['median']}; "
        f"tokens {a['tokens']['prompt'] + a['tokens']['completion']:,} → {b['tokens']['prompt'] + b['tokens']['completion']:,}",
        "",
        f"## Regressed items ({len(regressed)})",
        "",
        *_item_table(regressed),
        "",
        "## Per scorer (worst change first)",
        "",
        "| scorer | A | B | change |",
        "|---|---:|---:|---:|",
        *_scorer_rows(a["scorers"], b["scorers"]),
        "",
        f"## Improved items ({len(improved)})",
        "",
        *_item_table(improved),
    ]
    return "\n".join(lines) + "\n", len(regressed)


def _describe(manifest: dict) -> str:
    return f"policy `{manifest.get('policy')}`, model `{manifest.get('model')}`, prompts `{manifest.get('prompt_hash')}`"


def _changed_items(pairs: list[tuple[str, dict, dict]]) -> tuple[list[str], list[str]]:
    """Table rows of the items that got worse from A to B, and of those that got better."""
    regressed, improved = [], []
    for key, ra, rb in pairs:
        newly_failing = _flipped(ra, rb, was=True, now=False)
        newly_passing = _flipped(ra, rb, was=False, now=True)
        row = f"| {key} | {ra['status']} → {rb['status']} | {', '.join(newly_failing) or '-'} | {', '.join(newly_passing) or '-'} |"
        if (ra["passed"] and not rb["passed"]) or (ra["passed"] == rb["passed"] and len(newly_failing) > len(newly_passing)):
            regressed.append(row)
        elif (rb["passed"] and not ra["passed"]) or len(newly_passing) > len(newly_failing):
            improved.append(row)
    return regressed, improved


def _flipped(ra: dict, rb: dict, *, was: bool, now: bool) -> list[str]:
    """The scorers whose verdict went from `was` in A to `now` in B."""
    return sorted(n for n, s in rb.get("scores", {}).items()
                  if s["passed"] is now and ra.get("scores", {}).get(n, {}).get("passed") is was)


def _item_table(rows: list[str]) -> list[str]:
    if not rows:
        return ["None."]
    return ["| item | status A → B | scorers now failing | scorers now passing |\n|---|---|---|---|", *rows]


def _scorer_rows(a: dict, b: dict) -> list[str]:
    """One row per scorer of either run, the worst change first."""
    deltas = []
    for name in sorted(set(a) | set(b)):
        ra, rb = a.get(name, {}).get("rate"), b.get(name, {}).get("rate")
        deltas.append(((rb or 0) - (ra or 0), name, ra, rb))
    return [f"| {name} | {_pct(ra)} | {_pct(rb)} | {_delta(ra, rb)} |" for _, name, ra, rb in sorted(deltas)]
