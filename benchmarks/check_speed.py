"""Median time of a full check() on a 300-word Dutch draft, a different text every iteration.

    python benchmarks/check_speed.py [--runs 300]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import dutch_text  # noqa: E402

from replydraft import check  # noqa: E402
from replydraft.policy import load_policy  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=300)
    args = parser.parse_args()
    rng = random.Random(42)
    policy = load_policy()
    texts = [dutch_text(rng) for _ in range(args.runs + 20)]
    for text in texts[:20]:  # warm-up: word lists, pattern compilation, wordfreq's tables
        check(text, language="nl", policy=policy)
    times = []
    for text in texts[20:]:
        started = time.perf_counter()
        check(text, language="nl", policy=policy)
        times.append((time.perf_counter() - started) * 1000)
    words = statistics.mean(len(t.split()) for t in texts)
    print(f"check() on {args.runs} different Dutch drafts of ~{words:.0f} words:")
    print(f"  median {statistics.median(times):.2f} ms   p95 {sorted(times)[int(len(times) * 0.95)]:.2f} ms   "
          f"min {min(times):.2f} ms   max {max(times):.2f} ms")
    started = time.perf_counter()
    for text in texts[20:]:
        check(text, policy=policy)
    detect = (time.perf_counter() - started) * 1000 / args.runs
    print(f"  with language detection: mean {detect:.2f} ms")


if __name__ == "__main__":
    main()
