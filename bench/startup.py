"""Startup benchmark: cold (fresh browser profile) and warm (reload) loads of the built site.

    ./lk bench startup [--runs N] [--json PATH]

For each run a new Chromium context (an empty profile: no HTTP cache, no service worker)
loads the app, then reloads it once the first visit's background work is done (the
service worker holds the site, the interpreter snapshot is kept). Reported per
phase, median of the runs: first paint of the shell, Python running (the boot's
"database" stage, right after PyScript has loaded the runtime and packages), the page
marked ``data-ready`` (first screen rendered from IndexedDB) and the bytes received
over the network (gzip, as a static host would send them).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from tools.browser import launch_chromium, shared_site
from tools.server import StaticServer

__all__ = ["main", "measure"]

TARGETS = {"cold": {"paint": 200, "ready": 4000}, "warm": {"paint": 200, "ready": 1500}}


def _load(page: Any, cdp: Any, url: str, reload: bool) -> dict[str, float]:
    received = [0]

    def on_finished(event: dict[str, Any]) -> None:
        received[0] += event.get("encodedDataLength", 0)

    cdp.on("Network.loadingFinished", on_finished)
    if reload:
        page.reload(wait_until="commit")
    else:
        page.goto(url, wait_until="commit")
    page.wait_for_function("document.documentElement.dataset.ready === 'true'", timeout=120_000)
    figures = page.evaluate("""() => {
        const paint = performance.getEntriesByName('first-contentful-paint')[0];
        const marks = window.lkBoot.marks;
        return { paint: paint ? paint.startTime : NaN, python: marks.database, ready: marks.ready };
    }""")
    time.sleep(0.3)  # let late network events land before counting bytes
    cdp.remove_listener("Network.loadingFinished", on_finished)
    return {**figures, "bytes": float(received[0])}


def measure(runs: int = 5) -> dict[str, dict[str, list[float]]]:
    from playwright.sync_api import sync_playwright

    site = shared_site()
    results: dict[str, dict[str, list[float]]] = {"cold": {}, "warm": {}}
    with StaticServer({"/": site}) as server, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        for _ in range(runs):
            context = browser.new_context()
            page = context.new_page()
            cdp = context.new_cdp_session(page)
            cdp.send("Network.enable")
            for phase, reload in (("cold", False), ("warm", True)):
                if reload:  # warm = the first visit has finished its background work:
                    # the service worker has the site, the interpreter snapshot is kept
                    page.evaluate("async () => { await navigator.serviceWorker.ready; }")
                    page.wait_for_function("navigator.serviceWorker.controller !== null")
                    page.wait_for_function("window.lkBoot.snapshot !== undefined",
                                           timeout=120_000)
                for key, value in _load(page, cdp, server.url("/"), reload).items():
                    results[phase].setdefault(key, []).append(value)
            context.close()
        browser.close()
    return results


def _table(results: dict[str, dict[str, list[float]]], runs: int) -> str:
    lines = [f"Startup, median of {runs} runs (ms since navigation; bytes over the network)",
             "", "| load | shell paint | Python running | data-ready | bytes received |",
             "|---|---|---|---|---|"]
    for phase in ("cold", "warm"):
        m = {k: statistics.median(v) for k, v in results[phase].items()}
        target = TARGETS[phase]
        lines.append(
            f"| {phase} | {m['paint']:.0f} ms (target < {target['paint']}) | {m['python']:.0f} ms"
            f" | {m['ready']:.0f} ms (target ≤ {target['ready']}) | {m['bytes'] / 1e6:.2f} MB |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="./lk bench startup", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    results = measure(args.runs)
    print(_table(results, args.runs))
    if args.json:
        summary = {phase: {k: {"median": statistics.median(v), "runs": v}
                           for k, v in figures.items()} for phase, figures in results.items()}
        args.json.write_text(json.dumps({"runs": args.runs, "results": summary}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
