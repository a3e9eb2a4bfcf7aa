"""Concurrency speed-up of `replydraft eval` against a fixed-latency fake backend.

Every model call sleeps LATENCY seconds (as a remote model would), the rest of the pipeline is real:
ingest, prompt rendering, token counting, post-checks, scoring, the results file and the reports.
Ideal speed-up at concurrency N is N; the target is at least 0.9 of that.

    python benchmarks/eval_concurrency.py --latency 0.5 --concurrency 1 4 8
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from replydraft import FakeBackend, load_policy  # noqa: E402
from replydraft.backends.fake import plausible_reply  # noqa: E402
from replydraft.evaluation.report import write_reports  # noqa: E402
from replydraft.evaluation.runner import run_eval  # noqa: E402
from replydraft.evaluation.sets import load_sets  # noqa: E402

SETS = sorted((Path(__file__).resolve().parent.parent / "evals" / "sets").glob("*.jsonl"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=float, default=0.5, help="seconds per model call")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 4, 8])
    parser.add_argument("--keep", help="keep the last run's directory here (for its report)")
    args = parser.parse_args()
    if args.concurrency[0] != 1:
        parser.error("the first --concurrency must be 1: it is the reference")
    items = load_sets(SETS)
    policy = load_policy("default")
    print(f"{len(items)} items from {', '.join(p.name for p in SETS)}; {args.latency} s per model call\n")
    print("| concurrency | wall s | model calls | speed-up | ideal | share of ideal |")
    print("|---:|---:|---:|---:|---:|---:|")
    baseline = None
    for concurrency in args.concurrency:
        fake = FakeBackend(default=plausible_reply, latency=args.latency)
        with tempfile.TemporaryDirectory() as scratch:
            out = Path(args.keep) / f"concurrency-{concurrency}" if args.keep else Path(scratch) / "run"
            if (out / "results.jsonl").exists():
                parser.error(f"{out} holds a run already; a benchmark must not resume")
            started = time.perf_counter()
            records = asyncio.run(run_eval(items, backend=fake, policy=policy, out=out, concurrency=concurrency,
                                           quiet=True))
            wall = time.perf_counter() - started
            summary = write_reports(out, records)
        baseline = baseline or wall  # concurrency 1 is the reference
        speed_up = baseline / wall
        print(f"| {concurrency} | {wall:.1f} | {len(fake.calls)} | {speed_up:.2f} | {concurrency} | "
              f"{speed_up / concurrency:.2f} |", flush=True)
    print(f"\nlast run: passed {summary['passed']} of {summary['items']}; statuses {summary['statuses']}")


if __name__ == "__main__":
    main()
