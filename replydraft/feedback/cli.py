"""`replydraft feedback report | export | forget`: the feedback store from the command line."""

from __future__ import annotations

import re
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from ..errors import InputError


def add_parser(sub) -> None:
    p = sub.add_parser("feedback", help="what agents did with the drafts: report, export as eval items, forget a ticket")
    commands = p.add_subparsers(dest="feedback_command", required=True)

    report = commands.add_parser("report", help="used as is / edited / discarded, similarity, edits per finding, policy and model")
    report.add_argument("--since", metavar="DATE|Nd", help="only drafts since a date (2026-11-01) or the last N days (7d)")
    report.add_argument("--policy", help="only drafts made under this policy")
    report.add_argument("--html", metavar="FILE", help="also write the report as HTML, with the similarity over time")
    report.set_defaults(func=cmd_report)

    export = commands.add_parser("export", help="drafts the agents edited, as eval items with the sent text as reference")
    export.add_argument("--min-edit", type=float, default=0.2, metavar="X",
                        help="only drafts whose edit (1 - similarity) is at least X (default 0.2)")
    export.add_argument("--out", required=True, metavar="FILE", help="the eval set to write (JSON Lines)")
    export.add_argument("--since", metavar="DATE|Nd")
    export.add_argument("--policy")
    export.set_defaults(func=cmd_export)

    forget = commands.add_parser("forget", help="remove every row about one ticket (a GDPR erasure request)")
    forget.add_argument("--ticket", required=True, metavar="ID", help="the helpdesk's ticket id")
    forget.set_defaults(func=cmd_forget)


def parse_since(text: str | None, now: datetime | None = None) -> datetime | None:
    if not text:
        return None
    days = re.fullmatch(r"(\d{1,5})d", text.strip())
    if days:
        return (now or datetime.now(UTC)) - timedelta(days=int(days.group(1)))
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise InputError(f"--since {text!r}: write a date (2026-11-01) or a number of days (7d)") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _store():
    from .store import FeedbackStore

    return FeedbackStore()


def cmd_report(args) -> int:
    from . import report

    since = parse_since(args.since)
    with _store() as store:
        built = report.build(store.rows(since=since, policy=args.policy))
    print(report.as_markdown(built, args.since, args.policy), end="")
    if args.html:
        Path(args.html).write_text(report.as_html(built, args.since, args.policy), encoding="utf-8")
        print(f"\nHTML report: {args.html}", file=sys.stderr)
    return 0


def cmd_export(args) -> int:
    from .export import eval_items, write

    if not 0 <= args.min_edit <= 1:
        raise InputError(f"--min-edit must be between 0 and 1, got {args.min_edit}")
    with _store() as store:
        items = eval_items(store.rows(since=parse_since(args.since), policy=args.policy), args.min_edit)
    write(items, Path(args.out))
    print(f"{len(items)} eval items written to {args.out}", file=sys.stderr)
    return 0


def cmd_forget(args) -> int:
    with _store() as store:
        removed = store.forget_ticket(args.ticket)
    print(f"ticket {args.ticket}: {removed} drafts and everything about them removed", file=sys.stderr)
    return 0
