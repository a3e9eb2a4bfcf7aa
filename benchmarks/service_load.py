"""Load on the service, loopback only: what the service adds beyond the model's own time, and its limits.

    python benchmarks/service_load.py

Starts `replydraft serve`'s app in a subprocess on 127.0.0.1 with a FakeBackend that takes 200 ms
per model call, then sends concurrent POST /v1/drafts from this process. Overhead per request is
wall time minus the model time (200 ms x the calls the DraftResult lists). Bounded: a few hundred
requests, every one accounted for (a status code or an error), nothing leaves the machine.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
LATENCY = 0.2
MAIL = {
    "subject": "Waar blijft mijn pakket?",
    "from": {"name": "Marieke de Vries", "email": "marieke@example.nl"},
    "body": "Goedemiddag,\n\nOp 3 november heb ik een koffiezetapparaat besteld, bestelnummer 4471829. Het zou binnen "
            "twee werkdagen komen.\n\nWanneer wordt mijn pakket bezorgd? En kan ik nog annuleren?\n\nGroet,\nMarieke",
}


def serve(port: int, limit: int) -> None:
    import uvicorn

    sys.path.insert(0, str(ROOT))
    from replydraft import FakeBackend
    from replydraft.backends.fake import plausible_reply
    from replydraft.service import create_app

    app = create_app(backend=FakeBackend(default=plausible_reply, latency=LATENCY), auth=False, max_concurrency=limit)
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


async def burst(base: str, concurrent: int, total: int) -> dict:
    """`total` requests, at most `concurrent` in flight; every request ends as a status code or an exception name."""
    gate = asyncio.Semaphore(concurrent)
    outcomes: list[tuple[int | str, float, float, str | None]] = []
    limits = httpx.Limits(max_connections=concurrent, max_keepalive_connections=concurrent)

    async with httpx.AsyncClient(base_url=base, timeout=120, limits=limits) as http:
        async def one() -> None:
            async with gate:
                started = time.perf_counter()
                try:
                    response = await http.post("/v1/drafts", json={"mail": MAIL})
                    wall = time.perf_counter() - started
                    if response.status_code == 200:
                        body = response.json()
                        outcomes.append((200, wall, wall - LATENCY * len(body["calls"]), body["status"]))
                    else:
                        outcomes.append((response.status_code, wall, 0.0, response.headers.get("retry-after")))
                except httpx.HTTPError as exc:
                    outcomes.append((type(exc).__name__, time.perf_counter() - started, 0.0, None))

        started = time.perf_counter()
        await asyncio.gather(*(one() for _ in range(total)))
        wall = time.perf_counter() - started
    ok = [o for o in outcomes if o[0] == 200]
    overhead_ms = sorted(o[2] * 1000 for o in ok)
    return {
        "concurrent": concurrent, "sent": total, "answered": len(outcomes), "ok": len(ok),
        "drafts_error": sum(o[3] == "error" for o in ok),
        "busy_429": sum(o[0] == 429 for o in outcomes),
        "retry_after_on_429": all(o[3] for o in outcomes if o[0] == 429),
        "other_errors": sum(o[0] not in (200, 429) for o in outcomes),
        "p50_overhead_ms": round(statistics.median(overhead_ms), 1) if ok else None,
        "p95_overhead_ms": round(overhead_ms[int(0.95 * (len(overhead_ms) - 1))], 1) if ok else None,
        "drafts_per_s": round(len(ok) / wall, 1), "wall_s": round(wall, 2),
    }


def start(port: int, limit: int) -> subprocess.Popen:
    process = subprocess.Popen([sys.executable, __file__, "--serve", str(port), "--limit", str(limit)])
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("the service did not start within 30 s")


def run(limit: int, bursts: list[tuple[int, int]], port: int) -> list[dict]:
    process = start(port, limit)
    try:
        asyncio.run(burst(f"http://127.0.0.1:{port}", 4, 8))  # warm up: imports, caches, connections
        return [asyncio.run(burst(f"http://127.0.0.1:{port}", c, n)) for c, n in bursts]
    finally:
        process.terminate()
        process.wait(10)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--limit", type=int, default=128, help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, args.limit)
        return 0

    rows = run(128, [(10, 100), (100, 300)], args.port)  # limit above 100
    rows += run(20, [(60, 60)], args.port + 1)  # 40 over the limit
    print(f"FakeBackend at {LATENCY * 1000:.0f} ms per model call; overhead = wall - model time")
    print("| limit | concurrent | sent | answered | 200 | draft errors | 429 (all with Retry-After) | other errors | p50 overhead | p95 overhead | drafts/s |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for limit, row in zip((128, 128, 20), rows):
        print(f"| {limit} | {row['concurrent']} | {row['sent']} | {row['answered']} | {row['ok']} | {row['drafts_error']} | "
              f"{row['busy_429']} ({'yes' if row['retry_after_on_429'] else 'NO'}) | {row['other_errors']} | "
              f"{row['p50_overhead_ms']} ms | {row['p95_overhead_ms']} ms | {row['drafts_per_s']} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
