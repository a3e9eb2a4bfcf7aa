"""The eval runner: the real pipeline over every item, concurrent, resumable, one failure never stops it.

Each finished item is one line in `<out>/results.jsonl` the moment it finishes. Running the same
command again loads that file and skips every item that finished (errors are tried again), so a
killed run loses at most the items in flight. At the end the file is compacted to one line per item.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from ..backends.base import Backend
from ..errors import BackendError, ReplydraftError
from ..masking import mask_strings
from ..pipeline import adraft_reply, advance, draft_steps, profile_for
from ..policy import Policy
from ..progress import EvalProgress, terminal
from ..prompts import template_hash
from ..types import DraftResult
from .batch import BatchRunner
from .judge import ajudge
from .scorers import score
from .sets import EvalItem
from .store import DraftCache, ResultStore, check_manifest, policy_hash

Items = list[tuple[str, EvalItem]]


def manifest(sets: list[str], policy: Policy, model: str, judge: Backend | None, batch: bool) -> dict:
    return {
        "sets": sets,
        "policy": policy.name,
        "policy_hash": policy_hash(policy),
        "model": model,
        "prompt_hash": template_hash(),
        "judge": judge.model if judge else None,
        "batch_api": batch,
        "started_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }


async def run_eval(
    items: Items,
    *,
    backend: Backend,
    policy: Policy,
    out: Path,
    concurrency: int = 4,
    timeout: float | None = 900.0,
    retries: int = 1,
    backoff: float = 2.0,
    cache: DraftCache | None = None,
    judge: Backend | None = None,
    batch: BatchRunner | None = None,
    quiet: bool = False,
    raw: bool = False,
) -> list[dict]:
    """Run (or resume) an eval; returns one record per item, in set order.

    Drafts are stored masked, as the model saw the mail; `raw=True` keeps the personal data.
    """
    if concurrency < 1:
        raise ReplydraftError("--concurrency must be at least 1")
    check_manifest(out, manifest(sorted({s for s, _ in items}), policy, backend.model, judge, batch is not None))
    store = ResultStore(out / "results.jsonl")
    finished = store.finished()
    todo = [(s, item) for s, item in items if item.id not in finished]
    progress = EvalProgress(len(todo), terminal(quiet))
    if finished:
        progress.say(f"resuming: {len(items) - len(todo)} of {len(items)} items already finished in {out}")
    runner = _Runner(backend=backend, policy=policy, store=store, cache=cache, judge=judge, progress=progress, raw=raw)

    try:
        # Cached drafts cost nothing; take them first so neither path pays for them.
        live: Items = []
        for set_name, item in todo:
            if not await runner.from_cache(set_name, item):
                live.append((set_name, item))
        if batch is not None:
            await runner.batched(live, batch)
        else:
            semaphore = asyncio.Semaphore(concurrency)

            async def one(set_name: str, item: EvalItem) -> None:
                async with semaphore:
                    await runner.live(set_name, item, timeout=timeout, retries=retries, backoff=backoff)

            await asyncio.gather(*(one(s, item) for s, item in live))
    finally:
        progress.close()
    return store.compact([item.id for _, item in items])


@dataclass
class _Runner:
    backend: Backend
    policy: Policy
    store: ResultStore
    cache: DraftCache | None
    judge: Backend | None
    progress: EvalProgress
    raw: bool = False

    async def from_cache(self, set_name: str, item: EvalItem) -> bool:
        if self.cache is None:
            return False
        result = self.cache.get(self.cache.key(item, self.policy, self.backend.model))
        if result is None:
            return False
        await self.record(set_name, item, result, attempts=0, seconds=0.0, cached=True)
        return True

    async def live(self, set_name: str, item: EvalItem, *, timeout: float | None, retries: int, backoff: float) -> None:
        started = time.perf_counter()
        result: DraftResult | None = None
        error = ""
        attempts = 0
        for attempts in range(1, retries + 2):
            try:
                result = await asyncio.wait_for(adraft_reply(item.email(), policy=self.policy, backend=self.backend), timeout)
                error = (result.error or "unknown error") if result.status == "error" else ""
            except TimeoutError:
                result, error = None, f"timed out after {timeout:.0f} s"
            except Exception as exc:  # one item's bug is data about that item; the run goes on
                result, error = None, f"{type(exc).__name__}: {exc}"
            if not error:
                break
            if attempts <= retries:
                await asyncio.sleep(backoff * 2 ** (attempts - 1))
        if error and (result is None or result.status != "error"):
            result = DraftResult.failed(error, model=self.backend.model, prompt_hash=template_hash())
        await self.record(set_name, item, result, attempts=attempts, seconds=time.perf_counter() - started)

    async def batched(self, items: Items, batch: BatchRunner) -> None:
        """Drive every item's pipeline in lockstep: one batch per round of requests."""
        active = {}
        for set_name, item in items:
            steps = draft_steps(item.email(), policy=self.policy, model=self.backend.model,
                                profile=profile_for(self.backend).name)
            try:
                request, _ = advance(steps, None)
            except (ReplydraftError, ValueError) as exc:
                await self.failed(set_name, item, f"{type(exc).__name__}: {exc}")
                continue
            active[item.id] = (set_name, item, steps, request, time.perf_counter())
        while active:
            phases = Counter(request.phase for _, _, _, request, _ in active.values())
            self.progress.say(f"batch round {batch.rounds + 1}: {dict(phases)}")
            try:
                answers = await batch.run({f"{key}:{request.phase}": request for key, (_, _, _, request, _) in active.items()})
            except BackendError as exc:
                for set_name, item, *_ in active.values():
                    await self.failed(set_name, item, str(exc))
                return
            for key, (set_name, item, steps, request, started) in list(active.items()):
                answer = answers[f"{key}:{request.phase}"]
                try:
                    if isinstance(answer, BackendError):
                        raise answer
                    request, result = advance(steps, (answer, 0.0))
                except (ReplydraftError, ValueError) as exc:
                    del active[key]
                    await self.failed(set_name, item, str(exc))
                    continue
                if result is None:
                    active[key] = (set_name, item, steps, request, started)
                else:
                    del active[key]
                    await self.record(set_name, item, result, attempts=1, seconds=time.perf_counter() - started)

    async def failed(self, set_name: str, item: EvalItem, error: str) -> None:
        await self.record(set_name, item, DraftResult.failed(error, model=self.backend.model, prompt_hash=template_hash()),
                          attempts=1, seconds=0.0)

    async def record(self, set_name: str, item: EvalItem, result: DraftResult, *, attempts: int, seconds: float,
                     cached: bool = False) -> None:
        # Scoring runs the register detector over the draft: CPU work, kept off the event loop.
        scores, passed = await asyncio.to_thread(score, item, result)
        judge_error = None
        if self.judge is not None and result.status != "error":
            try:
                scores.update(await ajudge(self.judge, item.email(), result.text))
            except BackendError as exc:
                judge_error = str(exc)
        stored = result if self.raw else DraftResult.model_validate(mask_strings(result.model_dump(mode="json")))
        if self.cache is not None and not cached:
            self.cache.put(self.cache.key(item, self.policy, self.backend.model), stored)
        record = {
            "id": item.id,
            "set": set_name,
            "status": result.status,
            "passed": passed,
            "scores": {name: s.to_json() if self.raw else mask_strings(s.to_json()) for name, s in scores.items()},
            "error": result.error if self.raw else mask_strings(result.error),
            "attempts": attempts,
            "seconds": round(seconds, 3),
            "cached": cached,
            "judge_error": judge_error,
            "result": stored.model_dump(mode="json"),
        }
        self.store.append(record)
        self.progress.update(record)

