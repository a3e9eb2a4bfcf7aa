"""Precision and recall on the probe sets: development material written from a code's definition by
someone who never saw the checks, after the three blind rounds of issue 14 were spent.

    python benchmarks/probe_sets.py [--probe N] [--misses]

A probe is not a blind round: it was run to find kinds of mistakes, and the kinds it showed were fixed.
Its first-run figure, before any fix, is in docs/post-check-quality.md; this prints today's.
"""

from __future__ import annotations

import argparse
import re

from blind_sets import ROOT, read_items, score

PROBES = ROOT / "tests" / "data" / "probe"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--probe", type=int, help="only this probe (default: every probe)")
    parser.add_argument("--misses", action="store_true", help="list each probe's false positives and negatives")
    args = parser.parse_args()
    print("| probe set | items | precision | recall |")
    print("|---|---:|---:|---:|")
    misses: list[str] = []
    for path in sorted(PROBES.glob("*-p*.jsonl")):
        code, number = re.fullmatch(r"(.+)-p(\d+)\.jsonl", path.name).groups()
        if args.probe is not None and int(number) != args.probe:
            continue
        s = score(code, read_items(path))
        print(f"| {path.name} | {s.items} | {s.precision:.2f} | {s.recall:.2f} |")
        misses += [f"{path.name:<28} {m}" for m in s.misses]
    if args.misses:
        print()
        print("\n".join(misses))


if __name__ == "__main__":
    main()
