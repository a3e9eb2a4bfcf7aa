"""`replydraft eval SET...`: load the sets, pick the backends, run, report, gate on --min-pass."""

from __future__ import annotations

import asyncio
import os
import re
import sys
from pathlib import Path

from ..backends import OpenAIBackend, resolve_backend
from ..errors import ConfigError, UsageError
from ..policy import load_policy
from .batch import BatchRunner
from .report import write_reports
from .runner import run_eval
from .sets import load_sets
from .store import DraftCache

EXIT_OK, EXIT_BELOW_MIN_PASS = 0, 1


def _only(path: str | None, items):
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


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-") or "run"


def _judge(model: str | None):
    if not model:
        return None
    return OpenAIBackend(
        model=model,
        base_url=os.environ.get("REPLYDRAFT_JUDGE_BASE_URL") or None,
        api_key=os.environ.get("REPLYDRAFT_JUDGE_API_KEY") or None,
    )


def _cache_dir() -> Path:
    from platformdirs import user_cache_dir

    return Path(os.environ.get("REPLYDRAFT_CACHE_DIR") or user_cache_dir("replydraft")) / "eval-drafts"


def run_from_args(args) -> int:
    if args.min_pass is not None and not 0 <= args.min_pass <= 1:
        raise UsageError(f"--min-pass is a share between 0 and 1, not {args.min_pass}")
    if args.concurrency < 1:
        raise UsageError("--concurrency must be at least 1")
    paths = [Path(p) for p in args.sets]
    items = _only(args.only, load_sets(paths))
    policy = load_policy(args.policy)
    backend = resolve_backend(None, quiet=getattr(args, "quiet", False))
    batch = None
    if args.batch_api:
        if not isinstance(backend, OpenAIBackend):
            raise ConfigError("--batch-api needs an OpenAI endpoint (OPENAI_API_KEY, or REPLYDRAFT_BASE_URL of a server "
                              "that serves /v1/batches); the embedded model has no Batch API")
        batch = BatchRunner(backend, on_status=lambda m: print(m, file=sys.stderr, flush=True))
    if getattr(backend, "builtin", False):
        from ..backends.embedded import SMALL_MODEL_NOTICE

        print(SMALL_MODEL_NOTICE, file=sys.stderr)
    out = Path(args.out) if args.out else Path("evals/runs") / _slug(
        f"{'+'.join(p.stem for p in paths)}.{policy.name}.{backend.model}"
    )
    records = asyncio.run(run_eval(
        items, backend=backend, policy=policy, out=out, concurrency=args.concurrency, timeout=args.timeout,
        retries=args.retries, cache=None if args.no_cache else DraftCache(_cache_dir()), judge=_judge(args.judge),
        batch=batch, raw=args.raw, quiet=getattr(args, "quiet", False),
    ))
    summary = write_reports(out, records)
    _print_summary(summary, out)
    if args.min_pass is not None and (summary["pass_rate"] or 0) < args.min_pass:
        print(f"replydraft eval: pass rate {summary['pass_rate']:.0%} is below --min-pass {args.min_pass:.0%}",
              file=sys.stderr)
        return EXIT_BELOW_MIN_PASS
    return EXIT_OK


def _print_summary(summary: dict, out: Path) -> None:
    rate = summary["pass_rate"]
    print(f"passed {summary['passed']} of {summary['items']} items ({'n/a' if rate is None else f'{rate:.0%}'}); "
          + ", ".join(f"{k} {v}" for k, v in sorted(summary["statuses"].items())))
    for name, s in summary["sets"].items():
        print(f"  {name:<24} {s['passed']:>3}/{s['items']:<3}")
    failing = sorted((s["rate"], name) for name, s in summary["scorers"].items() if s["rate"] is not None and s["rate"] < 1)
    for share, name in failing[:8]:
        print(f"  {name:<32} {share:.0%}")
    print(f"report: {out / 'report.md'} and {out / 'report.html'}")
