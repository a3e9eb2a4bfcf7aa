"""Time per phase, tokens and the prompt-prefix saving of one draft on the embedded model.

Drafts examples/vertraagd-pakket.txt in-process (with the backend's profile: lean for the embedded
model; REPLYDRAFT_PROFILE=full for the four-call path), then replays the same prompts with one output
token each, twice: with the model's state reset before every call (every call pays for its whole
prompt) and as shipped (the shared system-prompt prefix is evaluated once and reused).
Needs `pip install -e '.[local]'`.

    python benchmarks/local_draft.py [--mail examples/vertraagd-pakket.txt]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from dataclasses import replace

from replydraft import draft_reply, read_email
from replydraft.backends import ChatRequest, LocalBackend

ROOT = Path(__file__).resolve().parents[1]


class Recording:
    """Passes calls through and keeps the requests, to replay their prompts afterwards."""

    def __init__(self, backend: LocalBackend) -> None:
        self.backend = backend
        self.model = backend.model
        self.structured_output = backend.structured_output
        self.profile = backend.profile
        self.requests: list[ChatRequest] = []

    def complete(self, request: ChatRequest, **options):
        self.requests.append(request)
        return self.backend.complete(request, **options)


def prompt_seconds(backend: LocalBackend, requests: list[ChatRequest], *, reset: bool) -> list[float]:
    """Prompt processing alone: each prompt with one output token, in the pipeline's order."""
    times = []
    for request in requests:
        if reset:
            backend.reset()
        started = time.perf_counter()
        backend.complete(replace(request, max_tokens=1, json_schema=None))
        times.append(time.perf_counter() - started)
    return times


def run(label: str, backend, mail) -> dict:
    started = time.perf_counter()
    result = draft_reply(mail, backend=backend)
    wall = time.perf_counter() - started
    print(f"\n{label}: status {result.status}, {len(result.calls)} calls, {wall:.1f} s wall")
    for call in result.calls:
        print(f"  {call.phase:<9} {call.seconds:6.1f} s   prompt {call.prompt_tokens:5d} tok "
              f"(static prefix {call.static_prompt_tokens})   completion {call.completion_tokens:4d} tok "
              f"of cap {call.max_tokens}, finish {call.finish_reason}")
    print(f"  model time {sum(c.seconds for c in result.calls):.1f} s; tokens: {result.prompt_tokens} prompt + "
          f"{result.completion_tokens} completion; non-LLM time {result.timings_ms.get('non_llm', 0):.0f} ms")
    print(f"  calls cut at their cap: {sum(c.finish_reason == 'length' for c in result.calls)}")
    print("  findings: " + ", ".join(f"{f.code} ({f.severity})" for f in result.checks.findings) if result.checks else "")
    return {c.phase: c.seconds for c in result.calls}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mail", type=Path, default=ROOT / "examples" / "vertraagd-pakket.txt")
    args = parser.parse_args()
    mail = read_email(args.mail)
    started = time.perf_counter()
    backend = LocalBackend()
    print(f"model load: {time.perf_counter() - started:.1f} s ({backend.path.name})")
    recording = Recording(backend)
    run("one draft, as shipped", recording, mail)

    print("\nprompt processing only (1 output token), the same prompts in the pipeline's order:")
    prompt_seconds(backend, recording.requests[:1], reset=True)  # warm-up
    fresh = prompt_seconds(backend, recording.requests, reset=True)
    # As for a new mail: an empty prefix cache and an empty context, then the calls in order.
    backend.reset()
    shared = prompt_seconds(backend, recording.requests, reset=False)
    for request, a, b in zip(recording.requests, fresh, shared):
        print(f"  {request.phase:<9} whole prompt {a:5.1f} s   shared prefix reused {b:5.1f} s")
    print(f"  total: {sum(fresh):.1f} s -> {sum(shared):.1f} s "
          f"({1 - sum(shared) / sum(fresh):.0%} less prompt processing per draft)")


if __name__ == "__main__":
    main()
