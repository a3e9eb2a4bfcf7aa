"""The `replydraft` command: a thin layer over the library.

Exit codes: 0 done (and, for `check` on one text, ready); 1 the text needs review; 2 bad input or
configuration, with a message naming what was wrong; 3 the model or its server failed.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from .errors import BackendError, ConfigError, ReplydraftError, UsageError
from .types import Analysis, CheckReport, DraftResult

EXIT_OK, EXIT_REVIEW, EXIT_USAGE, EXIT_BACKEND = 0, 1, 2, 3


def _read_input(source: str) -> str:
    from .errors import InputError

    if source == "-":
        data = sys.stdin.buffer.read()
    else:
        path = Path(source)
        if not path.is_file():
            raise InputError(f"no such file: {source}")
        data = path.read_bytes()
    from .ingest import reject_binary

    reject_binary(data, source)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _load_analysis(path: str | None) -> Analysis | None:
    from .errors import InputError

    if not path:
        return None
    try:
        return Analysis.model_validate_json(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot read analysis {path}: {exc}") from None


def _load_email(path: str | None):
    if not path:
        return None
    from .ingest import read_email

    return read_email(Path(path))


def _span(text: str, start: int | None) -> str:
    if start is None:
        return "     "
    line = text.count("\n", 0, start) + 1
    column = start - (text.rfind("\n", 0, start) + 1) + 1
    return f"{line}:{column}"


def print_report(report: CheckReport, text: str, out=None) -> None:
    out = out or sys.stdout
    label = {"ready": "READY", "needs_review": "NEEDS REVIEW"}[report.status]
    print(f"{label}  language={report.language} register={report.register}", file=out)
    r = report.readability
    if r:
        print(
            f"  {r.formula}: {r.score}  words/sentence {r.words_per_sentence} (max {r.max_sentence_words})  "
            f"passive {r.passive_sentences}  negations {r.negations}  rare words {r.rare_word_ratio:.0%}",
            file=out,
        )
    b1 = "B1" if report.b1.ok else "not B1" if report.b1.ok is False else "B1 not checked"
    print(f"  {b1}; conditionality {report.conditionality.score:.2f}", file=out)
    for note in report.notes:
        print(f"  note: {note}", file=out)
    for f in report.findings:
        print(f"  {_span(text, f.start):>6}  {f.severity:<7} {f.code:<24} {f.message}", file=out)
        if f.suggestion:
            print(f"  {'':6}  {'':7} {'':24} → {f.suggestion}", file=out)
    for p in report.promises:
        print(f"  promise: {p.actor} · {p.action} · {p.when or 'no time given'}", file=out)


def cmd_check(args) -> int:
    from .checks import check

    if args.jsonl:
        return _check_jsonl(args)
    if not args.file:
        raise UsageError("give a FILE (or - for standard input), or --jsonl FILE")
    text = _read_input(args.file)
    report = check(
        text, language=args.lang, policy=args.policy, email=_load_email(args.email), analysis=_load_analysis(args.analysis)
    )
    if args.json:
        print(json.dumps(report.to_json_dict(), ensure_ascii=False, indent=2))
    else:
        print_report(report, text)
    return EXIT_OK if report.status == "ready" else EXIT_REVIEW


def _check_jsonl(args) -> int:
    from .checks import check
    from .policy import load_policy

    policy = load_policy(args.policy)
    source = sys.stdin if args.jsonl == "-" else open(args.jsonl, encoding="utf-8")
    bad = 0
    with source:
        for number, line in enumerate(source, 1):
            if not line.strip():
                continue
            item_id = None
            try:
                item = json.loads(line)
                if not isinstance(item, dict) or "text" not in item:
                    raise UsageError('each line must be an object with "text" (and optional "id", "lang")')
                unknown = set(item) - {"id", "text", "lang"}
                if unknown:
                    raise UsageError(f"unknown key {sorted(unknown)[0]!r}")
                item_id = item.get("id")
                report = check(item["text"], language=item.get("lang"), policy=policy, id=None if item_id is None else str(item_id))
                print(json.dumps(report.to_json_dict(), ensure_ascii=False), flush=True)
            except (ValueError, ReplydraftError) as exc:
                bad += 1
                message = f"line {number}: {exc}"
                print(json.dumps({"id": item_id, "error": "bad_input", "message": message}, ensure_ascii=False), flush=True)
                print(f"replydraft check: {message}", file=sys.stderr)
    return EXIT_USAGE if bad else EXIT_OK


def print_result(result: DraftResult, out=None) -> None:
    out = out or sys.stdout
    if result.status == "error":
        print(f"ERROR: {result.error}", file=out)
        return
    print(result.text, file=out)
    print("\n" + "-" * 60, file=out)
    if result.checks:
        body = result.text
        print_report(result.checks, body, out)
    for note in result.notes:
        print(f"  note: {note}", file=out)
    llm = sum(c.seconds for c in result.calls)
    print(
        f"  {len(result.calls)} model calls, {result.prompt_tokens}+{result.completion_tokens} tokens, "
        f"{llm:.1f} s model time, {result.timings_ms.get('non_llm', 0):.0f} ms other work; model {result.model}",
        file=out,
    )


def cmd_draft(args) -> int:
    from .backends import resolve_backend
    from .ingest import read_email
    from .pipeline import draft_reply, result_json

    if args.file == "-":
        email = read_email(sys.stdin.buffer.read())
    else:
        email = read_email(Path(args.file))
    from .progress import DraftProgress, terminal

    backend = resolve_backend(None, quiet=args.quiet)
    if getattr(backend, "builtin", False) and not args.quiet:
        from .backends.embedded import SMALL_MODEL_NOTICE

        print(SMALL_MODEL_NOTICE, file=sys.stderr)
    console = terminal(args.quiet)
    if console is None:
        result = draft_reply(email, policy=args.policy, backend=backend, note=args.note)
    else:
        with DraftProgress(console) as progress:
            result = draft_reply(email, policy=args.policy, backend=backend, note=args.note, progress=progress)
    if args.json:
        print(result_json(result))
    else:
        print_result(result)
    return {"ready": EXIT_OK, "needs_review": EXIT_OK, "error": EXIT_BACKEND}[result.status]


def cmd_redact(args) -> int:
    from .masking import mask

    masked = mask(_read_input(args.file))
    entities = [
        {"type": e.type, "placeholder": e.placeholder, "start": e.start, "end": e.end,
         **({"value": e.value} if args.show_values else {})}
        for e in masked.entities
    ]
    if args.json:
        print(json.dumps({"masked": masked.text, "entities": entities}, ensure_ascii=False, indent=2))
        return EXIT_OK
    print(masked.text)
    print("\n" + "-" * 60)
    for e in entities:
        print(f"  {e['placeholder']:<20} {e['type']:<14} characters {e['start']}-{e['end']}"
              + (f"  {e['value']}" if args.show_values else ""))
    print(f"  {len(entities)} value(s) would be masked before any model sees this text")
    return EXIT_OK


def cmd_eval(args) -> int:
    words = args.sets
    if words[0] == "compare":
        if len(words) != 3:
            raise UsageError("usage: replydraft eval compare RUN_A RUN_B (two run directories)")
        from .evaluation.report import compare

        text, _ = compare(Path(words[1]), Path(words[2]))
        print(text, end="")
        return EXIT_OK
    if words[0] == "schema":
        from .evaluation.sets import schema

        print(json.dumps(schema(), ensure_ascii=False, indent=2))
        return EXIT_OK
    from .evaluation import run
    from .evaluation.cli import present

    return present(run(
        words, policy=args.policy, out=args.out, concurrency=args.concurrency, timeout=args.timeout,
        retries=args.retries, only=args.only, judge=args.judge, batch=args.batch_api, cache=not args.no_cache,
        min_pass=args.min_pass, quiet=args.quiet, raw=args.raw,
    ))


def cmd_local_server(args) -> int:

    from .model_file import MODEL_NAME, model_path

    path = model_path(args.model)
    command = [
        sys.executable, "-m", "replydraft.backends.llama_amx", "--model", str(path), "--model_alias", MODEL_NAME,
        "--host", "127.0.0.1", "--port", str(args.port), "--n_ctx", str(args.n_ctx),
        "--n_threads", str(os.cpu_count() or 2), "--cache", "True", "--cache_size", str(1 << 30), "--verbose", "False",
    ]
    print(f"replydraft: serving {path.name} on http://127.0.0.1:{args.port}/v1 "
          f"(set REPLYDRAFT_BASE_URL=http://127.0.0.1:{args.port}/v1 REPLYDRAFT_MODEL={MODEL_NAME} "
          "REPLYDRAFT_STRUCTURED_OUTPUT=json_object)", file=sys.stderr)
    sys.stderr.flush()
    # Replace this process, so a signal to `replydraft local-server` stops the server itself.
    os.execv(sys.executable, command)


def cmd_serve(args) -> int:
    import logging

    try:
        import uvicorn

        from .service import create_app
        from .service.config import serve_settings
        from .service.server import uvicorn_config
    except ImportError:
        raise ConfigError("the service needs FastAPI and uvicorn: pip install 'replydraft[service]'") from None
    from .feedback import FeedbackStore

    settings = serve_settings(host=args.host, no_auth=args.no_auth, config_path=args.config,
                              frame_origins=args.frame_origins or [])
    store = FeedbackStore(settings.database_url)  # every draft the service makes is recorded
    app = create_app(policy=args.policy, tokens=settings.tokens, auth=settings.auth, max_concurrency=args.max_concurrency,
                     frame_origins=settings.frame_origins, read_timeout=args.read_timeout, docs=args.docs, store=store,
                     retention_days=settings.retention_days)
    print(f"replydraft: sidebar and API on http://{args.host}:{args.port}/", file=sys.stderr)
    print(f"replydraft: drafts and outcomes recorded in {store.url.split('@')[-1]}", file=sys.stderr)
    if not settings.frame_origins:
        print("replydraft: no --frame-origin: no helpdesk page may embed the sidebar or send it a mail", file=sys.stderr)
    # One line per request from the service (method, path, status, ms); never a mail's text below debug.
    logging.basicConfig(level=args.log_level.upper(), format="%(levelname)s:     %(name)s: %(message)s")
    uvicorn.Server(uvicorn_config(app, host=args.host, port=args.port, log_level=args.log_level, access_log=False)).run()
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    from .feedback.cli import add_parser as add_feedback_parser

    parser = argparse.ArgumentParser(prog="replydraft", description="Draft and check replies to customer e-mails.")
    sub = parser.add_subparsers(dest="command", required=True)
    for add in (_add_check, _add_draft, _add_redact):
        add(sub)

    p = sub.add_parser(
        "eval", help="run the pipeline over annotated sample sets and report; also: eval compare RUN_A RUN_B, eval schema",
        description="Run the real pipeline over annotated sample sets (evals/sets/*.jsonl), score every draft and write "
        "results.jsonl, report.md and report.html to --out. Run the same command again to resume. "
        "Also: `replydraft eval compare RUN_A RUN_B` and `replydraft eval schema`.",
    )
    p.add_argument("sets", nargs="+", metavar="SET", help="set files (JSONL), or: compare RUN_A RUN_B, or: schema")
    p.add_argument("--policy", help="policy name or path (default: default)")
    p.add_argument("--concurrency", type=int, default=4, help="items drafted at the same time (default 4)")
    p.add_argument("--out", help="run directory (default: evals/runs/<sets>.<policy>.<model>); an existing run resumes")
    p.add_argument("--min-pass", dest="min_pass", type=float, help="exit 1 when the overall pass rate is below this (0-1)")
    p.add_argument("--judge", metavar="MODEL", help="grade the Golden Rules with this model too (REPLYDRAFT_JUDGE_BASE_URL "
                   "and REPLYDRAFT_JUDGE_API_KEY, else the drafting endpoint's settings)")
    p.add_argument("--batch-api", dest="batch_api", action="store_true",
                   help="submit through the OpenAI Batch API (one batch per pipeline phase) instead of live calls")
    p.add_argument("--only", metavar="FILE", help="run only the item ids listed in FILE (one per line, # comments)")
    p.add_argument("--timeout", type=float, default=900.0, help="seconds per item before it counts as an error (default 900)")
    p.add_argument("--retries", type=int, default=1, help="retries of a failed item (default 1)")
    p.add_argument("--no-cache", dest="no_cache", action="store_true", help="do not reuse or store cached drafts")
    p.add_argument("--raw", action="store_true",
                   help="store drafts with their personal data in results, reports and the cache (default: masked)")
    p.add_argument("--quiet", action="store_true", help="no progress on stderr (it is shown only on a terminal anyway)")
    p.set_defaults(func=cmd_eval)

    add_feedback_parser(sub)
    _add_serve(sub)
    _add_local_server(sub)
    return parser


def _add_check(sub) -> None:
    """replydraft check"""
    p = sub.add_parser("check", help="check a reply (written by hand or drafted) against B1 and the Golden Rules")
    p.add_argument("file", nargs="?", metavar="FILE|-")
    p.add_argument("--lang", help="language of the text (nl, en); detected when left out")
    p.add_argument("--policy", help="policy name or path (default: default)")
    p.add_argument("--email", metavar="MAIL", help="the customer's mail, for the checks that need context")
    p.add_argument("--analysis", metavar="FILE", help="an analysis JSON, for the checks that need context")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.add_argument("--jsonl", metavar="FILE", help='check many texts: one {"id","text","lang"} per line; one report per line')
    p.set_defaults(func=cmd_check)


def _add_draft(sub) -> None:
    """replydraft draft"""
    p = sub.add_parser("draft", help="draft a checked reply to a customer mail (.txt, .eml or helpdesk JSON)")
    p.add_argument("file", metavar="FILE|-")
    p.add_argument("--policy", help="policy name or path (default: default)")
    p.add_argument("--note", help="context from the agent, e.g. 'refund approved'")
    p.add_argument("--json", action="store_true", help="print the full DraftResult as JSON")
    p.add_argument("--quiet", action="store_true",
                   help="nothing on stderr but errors: no progress (shown only on a terminal anyway), no model notice")
    p.set_defaults(func=cmd_draft)


def _add_redact(sub) -> None:
    """replydraft redact"""
    p = sub.add_parser("redact", help="show what personal data would be masked before a model sees this text (for audits)")
    p.add_argument("file", metavar="FILE|-")
    p.add_argument("--json", action="store_true", help='print {"masked": ..., "entities": [{"type","placeholder","start","end"}]}')
    p.add_argument("--show-values", dest="show_values", action="store_true", help="also print the raw values (careful)")
    p.set_defaults(func=cmd_redact)


def _add_serve(sub) -> None:
    """replydraft serve"""
    p = sub.add_parser("serve", help="the HTTP service and the agent sidebar (FastAPI on uvicorn)")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8080)
    p.add_argument("--policy", help="the team's policy name or path (default: default)")
    p.add_argument("--config", metavar="FILE", help="a TOML file with tokens = [\"...\"] (besides REPLYDRAFT_API_TOKENS) "
                   "and frame_origins = [\"https://...\"]")
    p.add_argument("--frame-origin", dest="frame_origins", action="append", metavar="ORIGIN",
                   help="a helpdesk page that embeds the sidebar, scheme://host[:port]; repeat for more. Only these may "
                   "frame it, send it a mail and receive its draft (default: none, paste and copy only)")
    p.add_argument("--read-timeout", dest="read_timeout", type=float, default=20.0, metavar="SECONDS",
                   help="a request's head, and then its body, must each arrive within this (default 20)")
    p.add_argument("--docs", action="store_true", help="serve Swagger UI at /docs (it loads scripts from a CDN); "
                   "/openapi.json is always served")
    p.add_argument("--no-auth", dest="no_auth", action="store_true", help="no tokens; only on a loopback host")
    p.add_argument("--max-concurrency", dest="max_concurrency", type=int, default=32,
                   help="drafts at the same time; more get 429 with Retry-After (default 32)")
    p.add_argument("--log-level", dest="log_level", default="info", choices=["debug", "info", "warning", "error"],
                   help="debug also logs the model calls, mail text included (default info)")
    p.set_defaults(func=cmd_serve)


def _add_local_server(sub) -> None:
    """replydraft local-server"""
    p = sub.add_parser("local-server", help="serve the embedded model over an OpenAI-compatible API on 127.0.0.1")
    p.add_argument("--port", type=int, default=8081)
    p.add_argument("--model", help="a GGUF file (default: REPLYDRAFT_LOCAL_MODEL or the built-in model)")
    p.add_argument("--n-ctx", dest="n_ctx", type=int, default=4096)
    p.set_defaults(func=cmd_local_server)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except UsageError as exc:
        print(f"replydraft {args.command}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except BackendError as exc:
        print(f"replydraft {args.command}: {exc}", file=sys.stderr)
        return EXIT_BACKEND
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
