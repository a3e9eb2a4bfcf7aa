"""Batch evaluation: annotated sample sets, scorers, a resumable runner, reports and run comparison.

`run(...)` is the whole eval in one typed call; `replydraft eval` calls it and prints its summary.
"""

from .api import EvalSummary, Tally, run

__all__ = ["EvalSummary", "Tally", "run"]
