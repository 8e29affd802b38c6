"""``python -m bench.sync [--json PATH] [--changes N] [--library N] [--no-browser]``.

1. N changes (10,000) written on device A, pushed to the server, pulled by device B:
   seconds for A's push, for B's pull and both (target ≤ 5 s on loopback), on SQLite and
   on PostgreSQL. Devices are CPython clients (memory database, the outbox layer, httpx);
   the server is ``./lk serve`` in its own process.
2. Push throughput: 1, 4 and 16 devices (each its own account) push 2,000 changes each
   (20 transactions of 100) at the same time; changes per second over all of them.
3. The first sync of a library of 100,000 characters into a browser: Chromium, Pyodide,
   IndexedDB and fetch, as the app does it (pushed to the server by a CPython device first).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import sys
import time
from pathlib import Path
from typing import Any

from app.sync import NetworkError
from bench._cli import bench_parser, report
from bench.sync._clients import Device, character
from bench.sync._servers import PASSWORD, server_process
from tools.postgres import ThrowawayPostgres

TARGET_S = 5.0


def run_async(coroutine: Any) -> Any:
    """Run a coroutine to the end on a loop of its own thread (Playwright's sync API
    keeps a loop running on this one while a browser is open)."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()
CLIENTS = (1, 4, 16)
PER_CLIENT = 2000


async def _a_to_b(origin: str, changes: int) -> dict[str, float]:
    a = await Device(origin).open("alice", PASSWORD)
    b = await Device(origin).open("alice", PASSWORD)
    await a.write([character(n) for n in range(changes)], per_transaction=1000)
    push = await a.timed_sync()
    pull = await b.timed_sync()
    count = await b.db.table("characters").count()
    for d in (a, b):
        await d.close()
    assert count == changes, f"B has {count} of {changes} records"
    return {"push_s": push, "pull_s": pull, "total_s": push + pull}


async def _throughput(origin: str, clients: int) -> dict[str, float]:
    devices = [await Device(origin).open(f"user{n}", PASSWORD) for n in range(clients)]
    for n, device in enumerate(devices):
        await device.write([character(i, f"u{n}-") for i in range(PER_CLIENT)], per_transaction=100)

    async def push(device: Device) -> None:
        api = await device.replica.api()
        try:
            await device.replica.push_all(api)
        except NetworkError:  # a kept-alive connection the server closed: as the task would
            await device.replica.push_all(api)

    started = time.perf_counter()
    await asyncio.gather(*(push(d) for d in devices))
    elapsed = time.perf_counter() - started
    for d in devices:
        assert await d.db.table("sync_outbox").count() == 0
        await d.close()
    return {"clients": clients, "changes": clients * PER_CLIENT, "seconds": elapsed,
            "changes_per_s": clients * PER_CLIENT / elapsed}


def _server_figures(backend: str, changes: int, postgres: ThrowawayPostgres | None) -> dict[str, Any]:
    users = ["alice", *(f"user{n}" for n in range(max(CLIENTS)))]
    out: dict[str, Any] = {"backend": backend}
    with server_process(backend, users, postgres=postgres) as server:
        out["a_to_b"] = run_async(_a_to_b(server, changes))
    out["push"] = []
    for clients in CLIENTS:
        with server_process(backend, users[1:clients + 1], postgres=postgres) as server:
            out["push"].append(run_async(_throughput(server, clients)))
    return out


async def _fill(origin: str, records: int) -> float:
    device = await Device(origin).open("reader", PASSWORD)
    await device.write([character(n) for n in range(records)], per_transaction=5000)
    seconds = await device.timed_sync()
    await device.close()
    return seconds


def _browser_figures(records: int) -> dict[str, Any]:
    from tools.browser import browser_session

    with browser_session(timeout_ms=900_000) as session:
        page_origin = session.url("/").rstrip("/")
        with server_process("sqlite", ["reader"], cors=(page_origin,)) as server:
            fill = run_async(_fill(server, records))
            session.run_python((Path(__file__).with_name("_in_page.py")).read_text())
            result: dict[str, Any] = session.run_python(
                f"await first_sync({server!r}, 'reader', {PASSWORD!r}, "
                f"'bench-sync-{int(time.time())}')")
        result["browser"] = session.page.evaluate("navigator.userAgent")
    result["pushed_by_cpython_s"] = fill
    result["records_per_s"] = result["records"] / result["sync_s"]
    return result


def table(results: dict[str, Any]) -> str:
    lines = [f"{results['changes']:,} changes A → server → B (target ≤ {TARGET_S:g} s, loopback)",
             "", "| backend | A pushes | B pulls | total |", "|---|---:|---:|---:|"]
    for server in results["servers"]:
        f = server["a_to_b"]
        lines.append(f"| {server['backend']} | {f['push_s']:.2f} s | {f['pull_s']:.2f} s "
                     f"| {f['total_s']:.2f} s |")
    lines += ["", f"push throughput, {PER_CLIENT:,} changes per device, devices at once",
              "", "| backend | " + " | ".join(f"{c} device{'s' if c > 1 else ''}"
                                              for c in CLIENTS) + " |",
              "|---|" + "---:|" * len(CLIENTS)]
    for server in results["servers"]:
        lines.append(f"| {server['backend']} | " + " | ".join(
            f"{p['changes_per_s']:,.0f}/s" for p in server["push"]) + " |")
    browser = results.get("browser")
    if browser:
        lines += ["", f"first sync of {browser['records']:,} characters into the browser "
                      f"(Pyodide, IndexedDB, fetch): {browser['sync_s']:.1f} s "
                      f"({browser['records_per_s']:,.0f} records/s; sign-in "
                      f"{browser['sign_in_s'] * 1000:.0f} ms)"]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = bench_parser("python -m bench.sync", __doc__)
    parser.add_argument("--changes", type=int, default=10_000)
    parser.add_argument("--library", type=int, default=100_000)
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument("--backends", default="sqlite,postgresql")
    args = parser.parse_args(argv)
    results: dict[str, Any] = {"changes": args.changes, "servers": []}
    backends = [b for b in args.backends.split(",") if b]
    postgres = ThrowawayPostgres().start() if "postgresql" in backends else None
    try:
        for backend in backends:
            results["servers"].append(_server_figures(backend, args.changes, postgres))
    finally:
        if postgres is not None:
            postgres.stop()
    if not args.no_browser:
        results["browser"] = _browser_figures(args.library)
    report(table(results), results, args.json)
    ok = all(s["a_to_b"]["total_s"] <= TARGET_S for s in results["servers"])
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
