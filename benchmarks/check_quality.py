"""Precision and recall of the post-check per finding code on the labelled development set.

    python benchmarks/check_quality.py [--set tests/data/check_devset.jsonl] [--misses]

Every item is judged on the five gated phrase codes plus any code it lists in `expect` or `judge`:
a judged code that fires without being expected is a false positive, an expected code that does
not fire is a false negative.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass, field
from pathlib import Path

from replydraft import check
from replydraft.policy import load_policy

DEVSET = Path(__file__).resolve().parents[1] / "tests" / "data" / "check_devset.jsonl"
ALWAYS_JUDGED = ("conditionality", "dismissive_thanks", "hollow_empathy", "vague_promise", "needless_formality")
ITEM_KEYS = {"id", "lang", "text", "expect", "judge", "note"}


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    items: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


def load_set(path: Path) -> list[dict]:
    items = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        item = json.loads(line)
        unknown = set(item) - ITEM_KEYS
        if unknown or not {"id", "text", "expect"} <= set(item):
            raise ValueError(f"{path.name} line {number}: bad keys {sorted(unknown) or 'missing id/text/expect'}")
        items.append(item)
    return items


def score_set(items: list[dict]) -> dict[str, Score]:
    policy = load_policy()
    scores: dict[str, Score] = {}
    for item in items:
        fired = {f.code for f in check(item["text"], language=item.get("lang"), policy=policy).findings}
        expected = set(item["expect"])
        for code in set(ALWAYS_JUDGED) | expected | set(item.get("judge", [])):
            s = scores.setdefault(code, Score())
            s.items += 1
            if code in expected and code in fired:
                s.tp += 1
            elif code in expected:
                s.fn += 1
                s.misses.append(f"FN {item['id']}: {item['text']}")
            elif code in fired:
                s.fp += 1
                s.misses.append(f"FP {item['id']}: {item['text']}")
    return scores


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", type=Path, default=DEVSET)
    parser.add_argument("--misses", action="store_true", help="list every false positive and false negative")
    args = parser.parse_args()
    items = load_set(args.set)
    scores = score_set(items)
    print(f"{len(items)} items in {args.set.name}\n")
    print(f"| code | items | TP | FP | FN | precision | recall |\n|---|---:|---:|---:|---:|---:|---:|")
    for code in sorted(scores, key=lambda c: (c not in ALWAYS_JUDGED, c)):
        s = scores[code]
        print(f"| {code} | {s.items} | {s.tp} | {s.fp} | {s.fn} | {s.precision:.2f} | {s.recall:.2f} |")
    if args.misses:
        for code, s in sorted(scores.items()):
            for miss in s.misses:
                print(f"{code:<20} {miss}")


if __name__ == "__main__":
    main()
