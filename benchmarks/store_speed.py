"""Time of recording a draft and recording an outcome in the feedback store, on SQLite and PostgreSQL.

    python benchmarks/store_speed.py [--drafts 300] [--only sqlite|postgresql]

Drafts are made first with the FakeBackend over the sample mails (not timed). Then each is recorded
with `FeedbackStore.record_draft` (masking the mail, the analysis and the draft for storage, hashing
the masked values, one transaction) and given an outcome with `record_outcome` (masking the sent text
with the draft's placeholders, the similarity and the changed sentences, one transaction). SQLite is a
file in a temporary directory; PostgreSQL is a server started with scripts/test-postgres with its
default durability (fsync on). Wall-clock p50 and p95 per call, in milliseconds, after gc.freeze() as the
service does after its warm-up.
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from replydraft import FakeBackend, draft_reply
from replydraft.backends.fake import plausible_reply
from replydraft.evaluation.sets import load_set
from replydraft.feedback import FeedbackStore

KEY = b"benchmark-key-of-32-characters.."


def drafts(n: int) -> list:
    items = [item for path in sorted((ROOT / "evals" / "sets").glob("*.jsonl")) for item in load_set(path)]
    made = []
    for i in range(n):
        email = items[i % len(items)].email().model_copy(update={"ticket_id": f"T{i}"})
        made.append((email, draft_reply(email, backend=FakeBackend(default=plausible_reply))))
    return made


def edited(text: str, rng: random.Random) -> str:
    sentences = text.split(". ")
    if len(sentences) > 2:
        sentences.pop(rng.randrange(len(sentences)))
    return ". ".join(sentences) + " Bel ons gerust op 020 123 4567."


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def time_store(url: str, made: list) -> dict[str, list[float]]:
    rng = random.Random(7)
    times: dict[str, list[float]] = {"record_draft": [], "record_outcome": []}
    with FeedbackStore(url, KEY) as store:
        for email, result in made:
            started = time.perf_counter()
            store.record_draft(result, email, policy="default")
            times["record_draft"].append((time.perf_counter() - started) * 1000)
        for _email, result in made:
            started = time.perf_counter()
            store.record_outcome(result.draft_id, "sent", sent_text=edited(result.text, rng), agent="agent-1")
            times["record_outcome"].append((time.perf_counter() - started) * 1000)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--drafts", type=int, default=300)
    parser.add_argument("--only", choices=("sqlite", "postgresql"))
    args = parser.parse_args()
    made = drafts(args.drafts)
    # As the service does after its warm-up: what is loaded by now is moved out of the collector's sight,
    # so a collection set off by the drafts made above does not land on a timed call.
    gc.collect()
    gc.freeze()
    print(f"{len(made)} drafts; wall-clock ms per call\n")
    print("| store | call | p50 | p95 | max |")
    print("|---|---|---:|---:|---:|")
    backends = [b for b in ("sqlite", "postgresql") if args.only in (None, b)]
    for backend in backends:
        if backend == "sqlite":
            directory = tempfile.mkdtemp()
            times = time_store(f"sqlite:///{directory}/feedback.sqlite3", made)
        else:
            url, directory = subprocess.run([str(ROOT / "scripts" / "test-postgres"), "start"], capture_output=True,
                                            text=True, check=True).stdout.split()
            try:
                times = time_store(url, made)
            finally:
                subprocess.run([str(ROOT / "scripts" / "test-postgres"), "stop", directory], check=True)
        for call, values in times.items():
            print(f"| {backend} | {call} | {statistics.median(values):.2f} | {percentile(values, 95):.2f} | {max(values):.2f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
