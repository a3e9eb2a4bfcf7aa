"""Precision and recall of the text-only finding codes on the blind sets, next to the development set.

    python benchmarks/blind_sets.py [--round N] [--misses]

A blind set (`tests/data/blind/<code>-r<N>.jsonl`) was written by someone who saw only the code's
definition and the rule it serves (the request is beside it as `<code>-r<N>.prompt.md`); it was
committed before the first run against it. Each item is a piece of a reply labelled `positive` (the
code must fire) or `clean` (it must not). For `difficult_word` a positive only counts when a finding
covers the item's `word` (a `difficult_word` one, or `officialese` for a word that is both, as the
definition says). Only the blind figure counts; the development figure shows what tuning did.
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

from check_quality import Score  # the same tally as the development-set benchmark

from replydraft import check
from replydraft.policy import load_policy

ROOT = Path(__file__).resolve().parents[1]
BLIND = ROOT / "tests" / "data" / "blind"
DEV = ROOT / "tests" / "data" / "dev"
CODES = (
    "conditionality", "dismissive_thanks", "hollow_empathy", "vague_promise",
    "feedback_or_upsell", "needless_formality", "placeholder", "difficult_word",
)


def read_items(path: Path) -> list[dict]:
    items = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        item = json.loads(line)
        if item.get("label") not in ("positive", "clean") or not isinstance(item.get("text"), str):
            raise ValueError(f"{path.name} line {number}: needs 'text' and 'label' positive|clean")
        items.append(item)
    return items


def fired(code: str, item: dict, policy) -> bool:
    report = check(item["text"], language=item.get("lang"), policy=policy)
    findings = [f for f in report.findings if f.code == code]
    if code == "difficult_word" and item["label"] == "positive" and item.get("word"):
        # The definition: a word that is both officialese and difficult gets one finding, the officialese one.
        findings = [f for f in report.findings if f.code in ("difficult_word", "officialese")]
        where = [m.start() for m in re.finditer(re.escape(item["word"]), item["text"])]
        return any(f.start is not None and f.start <= w < f.end for f in findings for w in where)
    return bool(findings)


def score(code: str, items: list[dict]) -> Score:
    policy = load_policy()
    s = Score()
    for item in items:
        hit = fired(code, item, policy)
        positive = item["label"] == "positive"
        if positive and hit:
            s.tp += 1
        elif positive:
            s.fn += 1
            s.misses.append(f"FN {item.get('id')}: {item['text']}")
        elif hit:
            s.fp += 1
            s.misses.append(f"FP {item.get('id')}: {item['text']}")
        s.items += 1
    return s


def blind_files(code: str, round_: int | None) -> list[Path]:
    files = sorted(BLIND.glob(f"{code}-r*.jsonl"), key=_round)
    if round_ is not None:
        files = [p for p in files if p.name == f"{code}-r{round_}.jsonl"]
    return files


def dev_items(code: str, latest_blind: Path | None) -> list[dict]:
    """The development set of a code: its own items plus every blind round before the reported one (seen, so no longer blind)."""
    items = read_items(DEV / f"{code}.jsonl") if (DEV / f"{code}.jsonl").exists() else []
    for path in blind_files(code, None):
        if latest_blind is None or _round(path) < _round(latest_blind):
            items += read_items(path)
    return items


def _round(path: Path) -> int:
    return int(re.search(r"-r(\d+)\.jsonl$", path.name)[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--round", type=int, help="the blind round to report (default: the latest per code)")
    parser.add_argument("--misses", action="store_true", help="list the blind set's false positives and negatives")
    parser.add_argument("--codes", nargs="*", default=CODES)
    args = parser.parse_args()
    print("| code | dev items | dev precision | dev recall | blind set | blind items | blind precision | blind recall |")
    print("|---|---:|---:|---:|---|---:|---:|---:|")
    misses: list[str] = []
    for code in args.codes:
        files = blind_files(code, args.round)
        latest = files[-1] if files else None
        dev = dev_items(code, latest)
        d = score(code, dev) if dev else None
        b = score(code, read_items(latest)) if latest else None
        print(
            f"| `{code}` | {len(dev)} | {f'{d.precision:.2f}' if d else '–'} | {f'{d.recall:.2f}' if d else '–'} "
            f"| {latest.name if latest else '–'} | {b.items if b else 0} "
            f"| {f'{b.precision:.2f}' if b else '–'} | {f'{b.recall:.2f}' if b else '–'} |"
        )
        if b:
            misses += [f"{code:<20} {m}" for m in b.misses]
    if args.misses:
        print()
        print("\n".join(misses))


if __name__ == "__main__":
    main()
