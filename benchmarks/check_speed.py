"""Time of a full check(): median on 300-word Dutch drafts, and growth on three 1 MB worst-case shapes.

    python benchmarks/check_speed.py [--runs 300] [--shapes word,paragraphs,line] [--no-shapes] [--by-check]

First the median and p95 of check() on `--runs` different 300-word Dutch drafts. Then check() on
three shapes at 250 KB, 500 KB and 1 MB, to show that it grows linearly (1 MB / 500 KB should be
about 2; it was 4 or more where something was quadratic):

- word: one "word" of 1,000,000 letters (a pasted hash or a key held down);
- paragraphs: 200,000 short paragraphs, "Ok.\\n\\n" repeated;
- line: ordinary Dutch sentences, 1 MB on one line without a newline.

Times are wall clock, with the process's CPU time beside them (on a busy machine the CPU time is
the steadier of the two). `--by-check` adds the CPU time per draft of tokenising and of each registered
detector.
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

MB = 1_000_000
SIZES = (MB // 4, MB // 2, MB)


def long_word(size: int) -> str:
    """One whitespace-free run of letters: a Dutch compound repeated until `size` letters."""
    base = "klantenservicemedewerker"
    return (base * (size // len(base) + 1))[:size]


def short_paragraphs(size: int) -> str:
    """`size` characters of "Ok." paragraphs, each followed by a blank line (200,000 of them in 1 MB)."""
    return ("Ok.\n\n" * (size // 5 + 1))[:size]


def one_line(size: int) -> str:
    """Ordinary Dutch sentences, `size` characters on a single line."""
    rng = random.Random(1)
    parts: list[str] = []
    length = 0
    while length < size:
        part = dutch_text(rng).replace("\n", " ")
        parts.append(part)
        length += len(part) + 1
    return " ".join(parts)[:size]


SHAPES = {"word": long_word, "paragraphs": short_paragraphs, "line": one_line}


def _label(size: int) -> str:
    return f"{size // MB} MB" if size % MB == 0 else f"{size // 1000} KB"


def _timed_check(text: str, policy) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    check(text, language="nl", policy=policy)
    return time.perf_counter() - wall, time.process_time() - cpu


def drafts(runs: int, policy) -> None:
    rng = random.Random(42)
    texts = [dutch_text(rng) for _ in range(runs + 20)]
    for text in texts[:20]:  # warm-up: word lists, pattern compilation, wordfreq's tables
        check(text, language="nl", policy=policy)
    times = []
    for text in texts[20:]:
        started = time.perf_counter()
        check(text, language="nl", policy=policy)
        times.append((time.perf_counter() - started) * 1000)
    words = statistics.mean(len(t.split()) for t in texts)
    print(f"check() on {runs} different Dutch drafts of ~{words:.0f} words:")
    print(f"  median {statistics.median(times):.2f} ms   p95 {sorted(times)[int(len(times) * 0.95)]:.2f} ms   "
          f"min {min(times):.2f} ms   max {max(times):.2f} ms")
    started = time.perf_counter()
    for text in texts[20:]:
        check(text, policy=policy)
    detect = (time.perf_counter() - started) * 1000 / runs
    print(f"  with language detection: mean {detect:.2f} ms")


def by_check(runs: int, policy) -> None:
    """CPU time per draft of tokenising and of each detector, by wrapping them (the wrapping costs a little)."""
    import replydraft.checks as checks

    spent: dict[str, float] = {}

    def timed(name, function):
        def run(*args):
            started = time.process_time()
            result = list(function(*args)) if name != "tokenize" else function(*args)
            spent[name] = spent.get(name, 0.0) + time.process_time() - started
            return result
        return run

    originals = checks.detectors, checks.tokenize
    wrapped = [timed(f"{d.__module__.rsplit('.', 1)[-1]}.{d.__name__}", d) for d in originals[0]()]
    checks.detectors, checks.tokenize = (lambda: wrapped), timed("tokenize", originals[1])
    try:
        rng = random.Random(42)
        for text in [dutch_text(rng) for _ in range(runs)]:
            check(text, language="nl", policy=policy)
    finally:
        checks.detectors, checks.tokenize = originals
    print(f"CPU time per draft, by step ({runs} drafts; the first ones include warming up):")
    for name, seconds in sorted(spent.items(), key=lambda item: -item[1]):
        print(f"  {seconds * 1000 / runs:6.2f} ms  {name}")


def shapes(names: list[str], policy) -> None:
    print("check() on worst-case shapes (language nl; wall s, cpu s in parentheses):")
    print(f"  {'shape':<12}" + "".join(f"{_label(size):>18}" for size in SIZES) + f"{'1 MB / 500 KB':>16}")
    for name in names:
        walls = []
        cells = []
        for size in SIZES:
            wall, cpu = _timed_check(SHAPES[name](size), policy)
            walls.append(wall)
            cells.append(f"{wall:.2f} ({cpu:.2f})")
        ratio = walls[-1] / walls[-2] if walls[-2] else float("nan")
        print(f"  {name:<12}" + "".join(f"{cell:>18}" for cell in cells) + f"{ratio:>16.2f}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--shapes", default=",".join(SHAPES), help="comma-separated: " + ", ".join(SHAPES))
    parser.add_argument("--no-shapes", action="store_true", help="only the 300-word drafts")
    parser.add_argument("--by-check", action="store_true", help="also the CPU time of each step of a check")
    args = parser.parse_args()
    names = [name for name in args.shapes.split(",") if name]
    unknown = [name for name in names if name not in SHAPES]
    if unknown:
        parser.error(f"unknown shape(s): {', '.join(unknown)}; choose from {', '.join(SHAPES)}")
    policy = load_policy()
    drafts(args.runs, policy)
    if args.by_check:
        by_check(args.runs, policy)
    if not args.no_shapes:
        shapes(names, policy)


if __name__ == "__main__":
    main()
