"""What the pipeline adds beyond the model's own time, on a 300-word Dutch mail.

Runs draft_reply with a FakeBackend that answers instantly, a different mail every run, and reports
the non-LLM time per phase (ingest, prompt assembly and rendering, token counting, checks).

    python benchmarks/pipeline_overhead.py [--runs 100]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import dutch_text  # noqa: E402

from replydraft import Email, FakeBackend, draft_reply  # noqa: E402
from replydraft.policy import load_policy  # noqa: E402


def analysis(mail: str) -> dict:
    first_question = next((s.strip() + "?" for s in mail.split("?")[:1] if s.strip()), "Wanneer komt mijn pakket?")
    return {
        "questions": [{"quote": first_question.split(".")[-1].strip(), "kind": "question", "topic": "levering"}],
        "question_behind": "", "facts_given": [], "missing_info": [], "emotion": "neutraal",
        "emotion_intensity": 0, "our_mistake": False, "broken_promise": False, "thanks_given": False,
        "intent": "vraag", "assumptions_to_verify": [],
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=100)
    args = parser.parse_args()
    rng = random.Random(7)
    policy = load_policy()
    phases: dict[str, list[float]] = {}
    for run in range(args.runs + 5):
        body = dutch_text(rng) + "\n\nWanneer komt mijn pakket? Kan ik nog annuleren?\n\nGroet,\nMarieke"
        reply = dutch_text(rng, words=120)
        mail = Email(subject="Vraag over mijn bestelling", body=body, sender_name="Marieke de Vries")
        result = draft_reply(mail, policy=policy, backend=FakeBackend([analysis(body), reply, reply], default=reply))
        if run < 5:
            continue  # warm-up: templates, word lists, encodings
        for phase, ms in result.timings_ms.items():
            phases.setdefault(phase, []).append(ms)
    words = len(body.split())
    print(f"draft_reply on {args.runs} different Dutch mails of ~{words} words, model time excluded (FakeBackend):")
    for phase, values in phases.items():
        print(f"  {phase:<10} median {statistics.median(values):7.2f} ms   p95 {sorted(values)[int(len(values) * 0.95)]:7.2f} ms")


if __name__ == "__main__":
    main()
