"""The eval as one call: load the sets, pick the backends, run (or resume), write the reports, summarise.

`replydraft eval SET...` is this call and a printout of what it returns.
"""

from __future__ import annotations

import asyncio
import os
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..backends import Backend, OpenAIBackend, resolve_backend
from ..errors import ConfigError, UsageError
from ..policy import Policy, load_policy
from .batch import BatchRunner
from .report import write_reports
from .runner import Items, run_eval
from .sets import load_sets
from .store import DraftCache


@dataclass(frozen=True)
class Tally:
    passed: int
    total: int  # the items of a set; the items a scorer applies to
    rate: float | None  # None when total is 0


@dataclass(frozen=True)
class EvalSummary:
    """What a run came to; `report` is everything summary.json holds (tokens, cost, latency, readability)."""

    out: Path
    items: int
    passed: int
    pass_rate: float | None
    statuses: dict[str, int]
    sets: dict[str, Tally]
    scorers: dict[str, Tally]
    min_pass: float | None
    report: dict

    @property
    def below_min_pass(self) -> bool:
        return self.min_pass is not None and (self.pass_rate or 0) < self.min_pass


def run(
    sets: Sequence[str | Path],
    *,
    policy: str | Path | Policy | None = None,
    backend: Backend | None = None,
    out: str | Path | None = None,
    concurrency: int = 4,
    timeout: float | None = 900.0,
    retries: int = 1,
    only: str | Path | None = None,
    judge: str | Backend | None = None,
    batch: bool = False,
    cache: bool = True,
    min_pass: float | None = None,
    quiet: bool = False,
    raw: bool = False,
) -> EvalSummary:
    """Run the pipeline over annotated sets, or resume the run in `out`, and write its reports there.

    `backend` defaults to the configured one (`resolve_backend`); `only` is a file of item ids (one a
    line, # comments); `judge` grades the Golden Rules too: a backend, or a model name on
    REPLYDRAFT_JUDGE_BASE_URL with REPLYDRAFT_JUDGE_API_KEY; `batch` sends each phase through the
    OpenAI Batch API; `cache=False` neither reuses nor stores drafts; `min_pass` only marks the summary
    (`below_min_pass`); `raw` keeps personal data in results, reports and the cache.
    """
    if min_pass is not None and not 0 <= min_pass <= 1:
        raise UsageError(f"--min-pass is a share between 0 and 1, not {min_pass}")
    if concurrency < 1:
        raise UsageError("--concurrency must be at least 1")
    paths = [Path(p) for p in sets]
    items = _only(only, load_sets(paths))
    chosen_policy = load_policy(policy)
    drafter = resolve_backend(backend, quiet=quiet)
    batch_runner = _batch_runner(drafter) if batch else None
    if getattr(drafter, "builtin", False):
        from ..backends.embedded import SMALL_MODEL_NOTICE

        print(SMALL_MODEL_NOTICE, file=sys.stderr)
    run_dir = Path(out) if out else _default_out(paths, chosen_policy, drafter)
    records = asyncio.run(run_eval(
        items, backend=drafter, policy=chosen_policy, out=run_dir, concurrency=concurrency, timeout=timeout,
        retries=retries, cache=DraftCache(_cache_dir()) if cache else None, judge=_judge(judge), batch=batch_runner,
        raw=raw, quiet=quiet,
    ))
    return _summary(run_dir, write_reports(run_dir, records), min_pass)


def _only(path: str | Path | None, items: Items) -> Items:
    if not path:
        return items
    try:
        wanted = [line.split("#")[0].strip() for line in Path(path).read_text(encoding="utf-8").splitlines()]
    except OSError as exc:
        raise UsageError(f"cannot read --only {path}: {exc.strerror}") from None
    wanted = [w for w in wanted if w]
    known = {item.id for _, item in items}
    unknown = [w for w in wanted if w not in known]
    if unknown:
        raise UsageError(f"--only {path} names ids that are in none of the sets: {', '.join(unknown[:5])}")
    return [(s, item) for s, item in items if item.id in set(wanted)]


def _batch_runner(backend: Backend) -> BatchRunner:
    if not isinstance(backend, OpenAIBackend):
        raise ConfigError("--batch-api needs an OpenAI endpoint (OPENAI_API_KEY, or REPLYDRAFT_BASE_URL of a server "
                          "that serves /v1/batches); the embedded model has no Batch API")
    return BatchRunner(backend, on_status=lambda m: print(m, file=sys.stderr, flush=True))


def _default_out(paths: list[Path], policy: Policy, backend: Backend) -> Path:
    """evals/runs/<sets>.<policy>.<model>: the same command resumes the same run."""
    name = f"{'+'.join(p.stem for p in paths)}.{policy.name}.{backend.model}"
    return Path("evals/runs") / (re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-") or "run")


def _judge(judge: str | Backend | None) -> Backend | None:
    if not isinstance(judge, str):
        return judge
    if not judge:
        return None
    return OpenAIBackend(
        model=judge,
        base_url=os.environ.get("REPLYDRAFT_JUDGE_BASE_URL") or None,
        api_key=os.environ.get("REPLYDRAFT_JUDGE_API_KEY") or None,
    )


def _cache_dir() -> Path:
    from platformdirs import user_cache_dir

    return Path(os.environ.get("REPLYDRAFT_CACHE_DIR") or user_cache_dir("replydraft")) / "eval-drafts"


def _summary(out: Path, report: dict, min_pass: float | None) -> EvalSummary:
    def tallies(rows: dict, total: str) -> dict[str, Tally]:
        return {name: Tally(row["passed"], row[total], row["rate"]) for name, row in rows.items()}

    return EvalSummary(
        out=out, items=report["items"], passed=report["passed"], pass_rate=report["pass_rate"],
        statuses=report["statuses"], sets=tallies(report["sets"], "items"),
        scorers=tallies(report["scorers"], "applicable"), min_pass=min_pass, report=report,
    )
