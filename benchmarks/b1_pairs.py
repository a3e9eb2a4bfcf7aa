"""The B1 verdict on real plain-language pairs: does the simple side pass, and is the verdict ever backwards?

Reads ../shared/data/b1/amsterdam-complex-simple.csv (municipal sentences before and after an expert
plain-language edit). Anonymisation slots ([NAME], [NUMBER], ...) stay as they are: the check reads them as
names and numbers. Checks every sentence alone, and every document (its sentences joined, grouped by
Document ID), both sides, and prints:

- simple passes: the share of pairs whose simple side passes B1 (target >= 90%);
- backwards: pairs where the complex side passes while the simple side fails (target: none, reported);
- complex fails: the share of pairs whose complex side fails B1;
- the B1 reasons that fail simple sides most often.

    python benchmarks/b1_pairs.py [--csv PATH] [--show N]
"""

from __future__ import annotations

import argparse
import collections
import csv
import re
from pathlib import Path

from replydraft.checks import check
from replydraft.policy import load_policy

DEFAULT_CSV = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "b1" / "amsterdam-complex-simple.csv"


def read_pairs(path: Path) -> list[tuple[str, str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [(row["Document ID"], row["Complex"].strip(), row["Simple"].strip())
                for row in csv.DictReader(handle) if row["Complex"].strip() and row["Simple"].strip()]


def documents(pairs: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    grouped: dict[str, tuple[list[str], list[str]]] = collections.defaultdict(lambda: ([], []))
    for doc_id, complex_text, simple_text in pairs:
        grouped[doc_id][0].append(complex_text)
        grouped[doc_id][1].append(simple_text)
    return [(doc_id, " ".join(c), " ".join(s)) for doc_id, (c, s) in grouped.items()]


def verdicts(pairs, policy) -> dict:
    figures = collections.Counter()
    reasons: collections.Counter[str] = collections.Counter()
    failing: list[str] = []
    for _, complex_text, simple_text in pairs:
        complex_ok = check(complex_text, language="nl", policy=policy).b1.ok
        simple = check(simple_text, language="nl", policy=policy).b1
        figures["pairs"] += 1
        figures["simple_pass"] += bool(simple.ok)
        figures["complex_fail"] += not complex_ok
        figures["backwards"] += bool(complex_ok) and not simple.ok
        if not simple.ok:
            failing.append(simple_text)
            for reason in simple.reasons:
                if not reason.startswith("(warning)"):
                    reasons[re.sub(r"[:(].*", "", reason).strip()] += 1
    return {"figures": figures, "reasons": reasons, "failing": failing}


def report(name: str, result: dict, show: int) -> None:
    f = result["figures"]
    n = f["pairs"] or 1
    print(f"{name}: {f['pairs']} pairs; simple passes {f['simple_pass']} ({f['simple_pass'] / n:.1%}); "
          f"backwards (complex passes, simple fails) {f['backwards']}; complex fails {f['complex_fail']} "
          f"({f['complex_fail'] / n:.1%})")
    for reason, count in result["reasons"].most_common(6):
        print(f"    simple side fails on {reason!r}: {count}")
    for text in result["failing"][:show]:
        print("    FAIL", text[:160])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--csv", type=Path, default=DEFAULT_CSV)
    parser.add_argument("--policy", default="default")
    parser.add_argument("--show", type=int, default=0, help="list this many failing simple sides")
    args = parser.parse_args()
    policy = load_policy(args.policy)
    pairs = read_pairs(args.csv)
    report("sentences", verdicts(pairs, policy), args.show)
    report("documents", verdicts(documents(pairs), policy), args.show)


if __name__ == "__main__":
    main()
