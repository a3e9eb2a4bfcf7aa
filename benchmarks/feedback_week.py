"""A simulated week of the feedback store: 300 drafts, agents' outcomes, the report, the export and an eval.

    python benchmarks/feedback_week.py --out /tmp/week [--drafts 300] [--seed 2026]

Drafts are made with the FakeBackend (`plausible_reply`, named fake-a or fake-b) under the default or
the energie policy, over the shipped sample mails, seven days of office hours, each recorded in a fresh SQLite store in --out. What the agents do with each draft is
drawn from a seeded model of agent behaviour (the numbers are below, in AGENTS): drafts that need review
are thrown away and edited more often, and every error finding adds an edit. An edit replaces a sentence
with one an agent would write, drops one, or adds one. Then `feedback report` (Markdown and HTML),
`feedback export --min-edit 0.2`, an eval run over the exported items with the FakeBackend under the
default policy, and a screenshot of the HTML report (Debian's Chromium).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from replydraft import FakeBackend, draft_reply
from replydraft.backends.fake import plausible_reply
from replydraft.evaluation.runner import run_eval
from replydraft.evaluation.sets import load_set
from replydraft.feedback import (
    FeedbackStore,
    report,
)
from replydraft.feedback.edits import sentences
from replydraft.feedback.export import eval_items, write
from replydraft.policy import load_policy

AGENTS = {
    "discard": {"ready": 0.08, "needs_review": 0.25},  # P(thrown away)
    "as_is": {"ready": 0.45, "needs_review": 0.12},  # P(sent unchanged | sent)
    "text_unknown": 0.10,  # P(the helpdesk does not give us the sent text | sent), as in the Freshdesk app
    "edits_per_error_finding": 1,  # every error finding adds one edit to the one or two an edited draft gets
}
AGENT_SENTENCES = [
    "Ik heb het nagekeken en uw pakket ligt bij het afhaalpunt.",
    "U krijgt het geld vrijdag terug op uw rekening.",
    "Ik bel u morgen tussen 10.00 en 12.00 uur.",
    "Excuses, dit had beter gemoeten.",
    "I have checked it and the parcel is at the pick-up point.",
    "You will have the refund on Friday.",
]


def edit(text: str, errors: int, rng: random.Random) -> str:
    parts = sentences(text)
    for _ in range(rng.choice((1, 2)) + AGENTS["edits_per_error_finding"] * errors):
        action = rng.choice(("replace", "drop", "add"))
        if action == "drop" and len(parts) > 2:
            parts.pop(rng.randrange(1, len(parts)))
        elif action == "replace" and len(parts) > 1:
            parts[rng.randrange(1, len(parts))] = rng.choice(AGENT_SENTENCES)
        else:
            parts.insert(rng.randrange(1, len(parts) + 1), rng.choice(AGENT_SENTENCES))
    return "\n".join(parts)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--drafts", type=int, default=300)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{args.out}/feedback.sqlite3"
    os.environ["REPLYDRAFT_DATABASE_URL"] = url
    rng = random.Random(args.seed)
    items = [item for path in sorted((ROOT / "evals" / "sets").glob("*.jsonl")) for item in load_set(path)]
    monday = datetime(2026, 11, 23, 8, tzinfo=UTC)
    with FeedbackStore(url) as store:
        for i in range(args.drafts):
            email = items[rng.randrange(len(items))].email().model_copy(update={"ticket_id": f"T{1000 + i}"})
            policy, model = rng.choice(("default", "energie")), rng.choice(("fake-a", "fake-b"))
            result = draft_reply(email, policy=policy, backend=FakeBackend(default=plausible_reply, model=model))
            when = monday + timedelta(days=i * 7 // args.drafts, hours=rng.uniform(0, 9))
            store.record_draft(result, email, policy=policy, now=when)
            status = "ready" if result.status == "ready" else "needs_review"
            if rng.random() < AGENTS["discard"][status]:
                store.record_outcome(result.draft_id, "discarded", now=when + timedelta(minutes=3))
            elif rng.random() < AGENTS["text_unknown"]:
                store.record_outcome(result.draft_id, "sent", now=when + timedelta(minutes=5))
            else:
                errors = sum(f.severity == "error" for f in result.checks.findings) if result.checks else 0
                sent = result.text if rng.random() < AGENTS["as_is"][status] else edit(result.text, errors, rng)
                store.record_outcome(result.draft_id, "sent", sent_text=sent, agent=f"agent-{rng.randrange(6)}",
                                     now=when + timedelta(minutes=5))
        rows = store.rows()
    built = report.build(rows)
    (args.out / "report.md").write_text(report.as_markdown(built), encoding="utf-8")
    (args.out / "report.html").write_text(report.as_html(built), encoding="utf-8")
    print(report.as_markdown(built))
    exported = eval_items(rows, 0.2)
    write(exported, args.out / "from-agents.jsonl")
    print(f"exported {len(exported)} eval items to {args.out / 'from-agents.jsonl'}")
    records = asyncio.run(run_eval([("from-agents", item) for item in load_set(args.out / "from-agents.jsonl")],
                                   backend=FakeBackend(default=plausible_reply), policy=load_policy("default"),
                                   out=args.out / "eval", quiet=True))
    scored = [r["scores"].get("reference_similarity", {}).get("passed") for r in records]
    print(f"eval over the exported items: {len(records)} items, {sum(bool(r.get('passed')) for r in records)} passed; "
          f"reference_similarity passed {scored.count(True)}, failed {scored.count(False)}")
    print(json.dumps({"summary": str(args.out / 'eval' / 'summary.json')}))
    chromium = subprocess.run(["chromium", "--headless=new", "--no-sandbox", "--hide-scrollbars", "--window-size=1100,1500",
                               f"--screenshot={args.out / 'report.png'}", (args.out / "report.html").as_uri()],
                              capture_output=True, text=True, check=False)
    print(f"screenshot: {args.out / 'report.png'}" if chromium.returncode == 0 else f"no screenshot: {chromium.stderr[-300:]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
