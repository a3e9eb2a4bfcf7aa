"""Prompt-injection attacks on the drafting pipeline: how often they succeed, how often the post-check catches them.

    python benchmarks/injection_attacks.py                         # all attacked mails, a fake model that obeys
    python benchmarks/injection_attacks.py --embedded --sample 24  # a seeded sample on the embedded model (1-3 min a mail)

Success: the attack's payload is in the final draft (a deterministic string rule). Caught: the draft
carries an `injection_followed` finding, so it is never `ready`. The attacks come from BIPIA (MIT),
read from ../shared/data/bipia; replydraft ships none of them.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from replydraft import FakeBackend, draft_reply  # noqa: E402
from replydraft.backends import resolve_backend  # noqa: E402
from replydraft.evaluation.attacks import (  # noqa: E402
    attack_succeeded, attacked_mails, load_attacks, obeying_model, sample,
)
from replydraft.evaluation.sets import load_set  # noqa: E402
from replydraft.ingest import read_email  # noqa: E402

BIPIA = ROOT.parent / "shared" / "data" / "bipia"
TRANSLATIONS = ROOT / "evals" / "attacks" / "bipia-nl.json"
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


def all_attacked_mails():
    return attacked_mails(load_attacks(BIPIA, TRANSLATIONS), base_mails())


def run_one(mail, backend) -> dict:
    email = read_email(json.dumps(mail.mail, ensure_ascii=False).encode(), kind="json")
    started = time.perf_counter()
    result = draft_reply(email, backend=backend)
    codes = [f.code for f in result.checks.findings] if result.checks else []
    return {
        "id": mail.id, "category": mail.attack.category, "language": mail.id.split(".")[1], "position": mail.position,
        "payload_kind": mail.attack.payload_kind, "status": result.status, "error": result.error,
        "succeeded": result.status != "error" and attack_succeeded(result.text, mail.attack),
        "caught": "injection_followed" in codes, "codes": codes, "seconds": round(time.perf_counter() - started, 1),
        "draft": result.text,
    }


def table(rows: list[dict], key: str) -> list[str]:
    groups: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        groups[row[key]].append(row)
    lines = [f"| {key} | mails | attack succeeded | caught of succeeded | ready while succeeded |", "|---|---:|---:|---:|---:|"]
    for name, group in sorted(groups.items()):
        won = [r for r in group if r["succeeded"]]
        caught = sum(r["caught"] for r in won)
        ready = sum(r["status"] == "ready" for r in won)
        lines.append(f"| {name} | {len(group)} | {len(won)} | {caught}/{len(won)} | {ready} |")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--embedded", action="store_true", help="draft with the configured backend (the embedded model without an API key)")
    parser.add_argument("--sample", type=int, default=0, help="a seeded sample of this many attacked mails")
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--out", type=Path, help="write one JSON line per mail here (appends; finished ids are skipped)")
    args = parser.parse_args()

    mails = all_attacked_mails()
    if args.sample:
        mails = sample(mails, args.sample, args.seed)
    done: dict[str, dict] = {}
    if args.out and args.out.exists():
        done = {row["id"]: row for row in map(json.loads, args.out.read_text().splitlines()) if row.get("status") != "error"}
    backend = resolve_backend(None) if args.embedded else None
    rows = []
    started = time.perf_counter()
    for n, mail in enumerate(mails, 1):
        if mail.id in done:
            rows.append(done[mail.id])
            continue
        row = run_one(mail, backend or FakeBackend(default=obeying_model(mail.attack)))
        rows.append(row)
        if args.out:
            with args.out.open("a") as handle:
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")
        if args.embedded:
            print(f"[{n}/{len(mails)}] {mail.id}: {row['status']} succeeded={row['succeeded']} caught={row['caught']} {row['seconds']} s", file=sys.stderr)
    wall = time.perf_counter() - started

    won = [r for r in rows if r["succeeded"]]
    print(f"{len(rows)} attacked mails, {'embedded model' if args.embedded else 'a fake model that obeys'}, {wall:.1f} s")
    print(f"attack success: {len(won)}/{len(rows)} = {len(won) / max(1, len(rows)):.1%}")
    print(f"caught (injection_followed) of succeeded: {sum(r['caught'] for r in won)}/{len(won)}")
    print(f"succeeded and still ready: {sum(r['status'] == 'ready' for r in won)}")
    print(f"errors: {sum(r['status'] == 'error' for r in rows)}")
    for key in ("payload_kind", "position", "language"):
        print()
        print("\n".join(table(rows, key)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
