"""What `replydraft eval SET...` prints of a run, and the exit code that gates on --min-pass."""

from __future__ import annotations

import sys

from .api import EvalSummary

EXIT_OK, EXIT_BELOW_MIN_PASS = 0, 1


def present(summary: EvalSummary) -> int:
    """The summary on stdout, a missed --min-pass on stderr; returns the exit code."""
    rate = summary.pass_rate
    print(f"passed {summary.passed} of {summary.items} items ({'n/a' if rate is None else f'{rate:.0%}'}); "
          + ", ".join(f"{k} {v}" for k, v in sorted(summary.statuses.items())))
    for name, tally in summary.sets.items():
        print(f"  {name:<24} {tally.passed:>3}/{tally.total:<3}")
    failing = sorted((s.rate, name) for name, s in summary.scorers.items() if s.rate is not None and s.rate < 1)
    for share, name in failing[:8]:
        print(f"  {name:<32} {share:.0%}")
    print(f"report: {summary.out / 'report.md'} and {summary.out / 'report.html'}")
    if summary.below_min_pass:
        print(f"replydraft eval: pass rate {summary.pass_rate:.0%} is below --min-pass {summary.min_pass:.0%}",
              file=sys.stderr)
        return EXIT_BELOW_MIN_PASS
    return EXIT_OK
