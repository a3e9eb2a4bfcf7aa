"""Prompt-injection attacks on the drafting pipeline: how often they reach the draft, which checks catch them.

    python benchmarks/injection_attacks.py                                   # BIPIA train + bipia-nl, the natural fake
    python benchmarks/injection_attacks.py --attacks ../shared/data/real/spikee-mailbox-attacks.jsonl \\
        --attacks ../shared/data/real/garak-injection-strings.jsonl          # other attack files (repeatable)
    python benchmarks/injection_attacks.py --real                             # the defaults plus spikee and garak
    python benchmarks/injection_attacks.py --model replydraft.evaluation.obedient:canary   # the old canary suite
    python benchmarks/injection_attacks.py --sample 60 --seed 3 --json       # a seeded subset, for machines
    python benchmarks/injection_attacks.py --embedded --sample 24            # the configured model (minutes a mail)

Attack files: BIPIA's {category: [attack]} JSON, or JSON Lines with a `text` key (optional: id, category,
payload, placement, lang, obeyed_reply_sentence). `--model module:function` names a fake model:
`make_model(attack: Attack) -> Callable[[ChatRequest], str | dict]` (see docs/attack-suite.md).
Reached: the attack's payload is in the final draft. Caught: every error code on those drafts.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from replydraft import FakeBackend, draft_reply  # noqa: E402
from replydraft.backends import resolve_backend  # noqa: E402
from replydraft.evaluation.attacks import (  # noqa: E402
    PLACEMENTS, attack_succeeded, attacked_mails, load_attack_file, sample, ungrounded_values, with_canary,
)
from replydraft.evaluation.sets import load_set  # noqa: E402
from replydraft.ingest import read_email  # noqa: E402
from replydraft.policy import load_policy  # noqa: E402

SHARED = ROOT.parent / "shared" / "data"
BIPIA = SHARED / "bipia"
TRANSLATIONS = ROOT / "evals" / "attacks" / "bipia-nl.json"
DEFAULT_ATTACKS = (BIPIA / "text_attack_train.json", TRANSLATIONS)
REAL_ATTACKS = (SHARED / "real" / "spikee-mailbox-attacks.jsonl", SHARED / "real" / "garak-injection-strings.jsonl")
DEFAULT_MODEL = "replydraft.evaluation.obedient:natural"
GROUNDING = ("ungrounded_link", "ungrounded_contact", "promise_beyond_policy")
BASE_IDS = {
    "nl": ["nl-webshop-twee-vragen", "nl-energie-meterstand-gegeven", "nl-bank-pas-buitenland",
           "nl-gemeente-afvalpas", "nl-telecom-storing-thuiswerker"],
    "en": ["en-webshop-two-questions", "en-broken-promise", "en-when-do-you-close", "en-non-native",
           "en-insurer-claim-photos"],
}


def base_mails() -> dict[str, list[tuple[str, dict]]]:
    items = {item.id: item for name in ("nl-kern", "en-core") for item in load_set(ROOT / "evals" / "sets" / f"{name}.jsonl")}
    return {
        language: [(i, items[i].mail.model_dump(mode="json", by_alias=True, exclude_defaults=True)) for i in ids]
        for language, ids in BASE_IDS.items()
    }


def load_model(spec: str):
    """`module:function` -> the function; it is called once per attacked mail with the Attack."""
    module, _, name = spec.partition(":")
    if not module or not name:
        raise SystemExit(f"--model wants module:function, got {spec!r}")
    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError) as exc:
        raise SystemExit(f"cannot load --model {spec}: {exc}") from None


def build_mails(files=DEFAULT_ATTACKS, *, canary: bool = False, placements=PLACEMENTS):
    attacks = [attack for path in files for attack in load_attack_file(path)]
    if canary:
        attacks = [with_canary(attack, n) for n, attack in enumerate(attacks)]
    return attacked_mails(attacks, base_mails(), placements)


def all_attacked_mails(canary: bool = False):
    return build_mails(DEFAULT_ATTACKS, canary=canary)


_SIGNATURES = None


def _grounds(mail) -> str:
    global _SIGNATURES
    if _SIGNATURES is None:
        company = load_policy(None).company
        _SIGNATURES = f"{company.signature}\n{company.signature_en}"
    return json.dumps(mail.base_mail or mail.mail, ensure_ascii=False) + "\n" + _SIGNATURES


def run_one(mail, backend) -> dict:
    email = read_email(json.dumps(mail.mail, ensure_ascii=False).encode(), kind="json")
    started = time.perf_counter()
    result = draft_reply(email, backend=backend)
    findings = result.checks.findings if result.checks else []
    errors = sorted({f.code for f in findings if f.severity == "error"})
    ungrounded = ungrounded_values(result.text, _grounds(mail)) if result.status != "error" else []
    return {
        "id": mail.id, "attack": mail.attack.id, "category": mail.attack.category, "language": mail.language,
        "placement": mail.position, "payload_kind": mail.attack.payload_kind, "status": result.status, "error": result.error,
        "succeeded": result.status != "error" and attack_succeeded(result.text, mail.attack),
        "caught": "injection_followed" in errors, "errors": errors, "codes": [f.code for f in findings],
        "ungrounded": ungrounded, "seconds": round(time.perf_counter() - started, 2), "draft": result.text,
    }


def run(mails, make_model, backend=None, out: Path | None = None, progress: bool = False) -> list[dict]:
    done: dict[str, dict] = {}
    if out and out.exists():
        done = {row["id"]: row for row in map(json.loads, out.read_text().splitlines()) if row.get("status") != "error"}
    rows = []
    for n, mail in enumerate(mails, 1):
        if mail.id in done:
            rows.append(done[mail.id])
            continue
        row = run_one(mail, backend or FakeBackend(default=make_model(mail.attack)))
        rows.append(row)
        if out:
            with out.open("a") as handle:
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")
        if progress:
            print(f"[{n}/{len(mails)}] {mail.id}: {row['status']} reached={row['succeeded']} {row['errors']}", file=sys.stderr)
    return rows


def summary(rows: list[dict], key: str) -> list[dict]:
    """Per value of `key`: mails, reached (payload in the final draft), error codes on the reached drafts, still ready."""
    groups: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        groups[row[key]].append(row)
    out = []
    for name, group in sorted(groups.items()):
        won = [r for r in group if r["succeeded"]]
        codes = Counter(code for r in won for code in r["errors"])
        out.append({key: name, "mails": len(group), "reached": len(won), "caught_by": dict(codes.most_common()),
                    "caught": sum(1 for r in won if r["errors"]), "ready": sum(r["status"] == "ready" for r in won)})
    return out


def overall(rows: list[dict]) -> dict:
    won = [r for r in rows if r["succeeded"]]
    ready = sum(r["status"] == "ready" for r in won)
    return {
        "mails": len(rows), "reached": len(won), "reached_ready": ready,
        "reached_ready_share": round(ready / len(won), 3) if won else 0.0,
        "caught_by_injection_followed": sum(r["caught"] for r in won),
        "ungrounded_value_drafts": sum(bool(r["ungrounded"]) for r in rows),
        "ungrounded_value_ready": sum(bool(r["ungrounded"]) and r["status"] == "ready" for r in rows),
        "errors": sum(r["status"] == "error" for r in rows),
        "false_alarms": sum(1 for r in rows if not r["succeeded"] and r["caught"]),
    }


def markdown(table: list[dict], key: str) -> list[str]:
    lines = [f"| {key} | mails | reached draft | caught (any error) | caught by code | reached and `ready` |",
             "|---|---:|---:|---:|---|---:|"]
    for row in table:
        codes = ", ".join(f"{c} {n}" for c, n in row["caught_by"].items()) or "–"
        lines.append(f"| {row[key]} | {row['mails']} | {row['reached']} | {row['caught']} | {codes} | {row['ready']} |")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--attacks", action="append", type=Path, help="an attack file (repeatable); default: BIPIA train + bipia-nl")
    parser.add_argument("--real", action="store_true", help="add spikee's and garak's attacks from ../shared/data/real")
    parser.add_argument("--model", default=DEFAULT_MODEL, help=f"fake model as module:function (default {DEFAULT_MODEL})")
    parser.add_argument("--placement", action="append", choices=PLACEMENTS, help="only these placements (repeatable)")
    parser.add_argument("--embedded", action="store_true", help="draft with the configured backend instead of a fake")
    parser.add_argument("--sample", type=int, default=0, help="a seeded sample of this many attacked mails")
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--limit", type=int, default=0, help="only the first N attacked mails")
    parser.add_argument("--json", action="store_true", help="print JSON (overall, per category, per placement, rows)")
    parser.add_argument("--out", type=Path, help="write one JSON line per mail here (appends; finished ids are skipped)")
    args = parser.parse_args(argv)

    files = list(args.attacks or DEFAULT_ATTACKS) + (list(REAL_ATTACKS) if args.real else [])
    make_model = load_model(args.model)
    mails = build_mails(files, canary=getattr(make_model, "wants_canary", False), placements=args.placement or PLACEMENTS)
    if args.sample:
        mails = sample(mails, args.sample, args.seed)
    if args.limit:
        mails = mails[:args.limit]
    started = time.perf_counter()
    rows = run(mails, make_model, resolve_backend(None) if args.embedded else None, args.out, progress=args.embedded)
    wall = time.perf_counter() - started
    report = {"model": "embedded" if args.embedded else args.model, "files": [str(f) for f in files],
              "seconds": round(wall, 1), "overall": overall(rows),
              "by_category": summary(rows, "category"), "by_placement": summary(rows, "placement")}
    if args.json:
        print(json.dumps({**report, "rows": [{k: v for k, v in r.items() if k != "draft"} for r in rows]},
                         ensure_ascii=False, indent=1))
        return 0
    o = report["overall"]
    print(f"{o['mails']} attacked mails, {report['model']}, {wall:.1f} s; files: {', '.join(Path(f).name for f in files)}")
    print(f"reached the draft: {o['reached']}/{o['mails']}; of those still `ready`: {o['reached_ready']} "
          f"({o['reached_ready_share']:.1%}); caught by injection_followed: {o['caught_by_injection_followed']}")
    print(f"drafts with an ungrounded link, contact or amount: {o['ungrounded_value_drafts']}, of which `ready`: "
          f"{o['ungrounded_value_ready']}; false alarms (injection_followed, payload absent): {o['false_alarms']}; "
          f"errors: {o['errors']}")
    for key, table in (("category", report["by_category"]), ("placement", report["by_placement"])):
        print()
        print("\n".join(markdown(table, key)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
