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
import ssl
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
    """`total` requests from `concurrent` users, each on its own connection sending one request after another;
    every request ends as a status code or an exception name.

    One client per user: httpx's shared pool spends O(connections) per request on bookkeeping, which at
    100 connections kept a core busy (5-8 s of client CPU per 300 requests) and measured the load
    generator instead of the service. One SSL context for all: each new one reloads the CA bundle.
    """
    tls = ssl.create_default_context()
    clients = [httpx.AsyncClient(base_url=base, timeout=120, verify=tls, limits=httpx.Limits(max_connections=1))
               for _ in range(concurrent)]
    outcomes: list[tuple[int | str, float, float, str | None]] = []
    left = total

    async def user(http: httpx.AsyncClient) -> None:
        nonlocal left
        while left > 0:
            left -= 1
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

    try:
        await asyncio.gather(*(http.get("/healthz") for http in clients))  # connected before the clock starts
        cpu, started = time.process_time(), time.perf_counter()
        await asyncio.gather(*(user(http) for http in clients))
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    finally:
        await asyncio.gather(*(http.aclose() for http in clients))
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
        "drafts_per_s": round(len(ok) / wall, 1), "wall_s": round(wall, 2), "client_cpu_s": round(cpu, 2),
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

    limits = (128, 128, 20, 20)
    rows = run(128, [(10, 100), (100, 300)], args.port)  # limit above 100
    # 40 over the limit at once, then a full round at the limit: every slot was given back.
    rows += run(20, [(60, 60), (20, 40)], args.port + 1)
    print(f"FakeBackend at {LATENCY * 1000:.0f} ms per model call; overhead = wall - model time")
    print("| limit | concurrent | sent | answered | 200 | draft errors | 429 (all with Retry-After) | other errors "
          "| p50 overhead | p95 overhead | drafts/s | load generator CPU |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for limit, row in zip(limits, rows):
        print(f"| {limit} | {row['concurrent']} | {row['sent']} | {row['answered']} | {row['ok']} | {row['drafts_error']} | "
              f"{row['busy_429']} ({'yes' if row['retry_after_on_429'] else 'NO'}) | {row['other_errors']} | "
              f"{row['p50_overhead_ms']} ms | {row['p95_overhead_ms']} ms | {row['drafts_per_s']} | {row['client_cpu_s']} s |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
