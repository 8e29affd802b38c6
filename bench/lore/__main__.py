"""Lore engine benchmark: index build and scan, CPython and Pyodide (headless Chromium).

    .venv/bin/python -m bench.lore [--json PATH] [--runs N] [--no-browser]

Cases: 5k entries / 15k keys and 20k entries / 60k keys against a 50 KB chapter, each
compared in the same run with a per-key regex loop (`_naive.py`); then hostile input and
responsiveness (`_hostile.py`). Columns (ms):

* build: `Matcher(...)` with an empty `LayerCache` (three scope layers indexed);
* rebuild: `Matcher(...)` again with the warm cache (what a rescan after an edit costs);
* match: `scan()` without recursion (finding keys + selective logic + order);
* cold / warm: full `scan()` with recursion (3 steps), first and repeated;
* naive: building and running the per-key regex loop;
* for 5k entries, a textbook pure-Python Aho–Corasick automaton (`_aho.py`) for scale.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from ._hostile import memory
from ._measure import measure

__all__ = ["main"]

CASES = [(5_000, 3), (20_000, 3)]
TARGETS = {5_000: {"build_ms": 300, "match_ms": 20}, 20_000: {"match_ms": 100}}
_HERE = Path(__file__).resolve().parent
_FILES = ("_aho.py", "_data.py", "_naive.py", "_measure.py", "_hostile.py")


def run_cpython(runs: int) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    runtime = "CPython " + sys.version.split()[0]
    rows = [measure(n, k, runs=runs, aho=n <= 5000) | {"runtime": runtime} for n, k in CASES]
    return rows, memory() | {"runtime": runtime}


def run_pyodide(runs: int) -> tuple[list[dict[str, Any]], dict[str, Any], dict[str, Any]]:
    from tools.browser import browser_session

    sources = {name: (_HERE / name).read_text() for name in _FILES}
    setup = (
        "import os, sys\n"
        "os.makedirs('/home/pyodide/lorebench', exist_ok=True)\n"
        f"files = {sources!r}\n"
        "for name, text in files.items():\n"
        "    open('/home/pyodide/lorebench/' + name, 'w').write(text)\n"
        "open('/home/pyodide/lorebench/__init__.py', 'w').write('')\n"
        "sys.path.insert(0, '/home/pyodide')\n"
        "import lorebench._measure, lorebench._hostile\n"
        "sys.version.split()[0]\n"
    )
    out = []
    with browser_session(timeout_ms=1_800_000) as s:
        version = s.run_python(setup)
        # Let V8 tier the wasm interpreter up to optimised code first (a page that has been
        # open for a while is in that state); otherwise the first case pays for it.
        s.run_python("lorebench._measure.measure(5000, 3, runs=3, naive=False); None")
        for n, k in CASES:
            row = s.run_python(
                f"lorebench._measure.measure({n}, {k}, runs={runs}, aho={n <= 5000})"
            )
            row["runtime"] = f"Pyodide (Python {version}, Chromium)"
            out.append(row)
        runtime = f"Pyodide (Python {version}, Chromium)"
        hostile = s.run_python("lorebench._hostile.memory()") | {"runtime": runtime}
        blocks = s.run_python("await lorebench._hostile.responsiveness()") | {"runtime": runtime}
    return out, hostile, blocks


def table(rows: list[dict[str, Any]]) -> str:
    head = (
        "| runtime | entries (keys) | build | rebuild (cached) | match | scan cold | scan warm "
        "| naive build | naive scan | naive ÷ match | activated (direct / +recursion) | target |"
    )
    lines = [head, "|" + "---|" * 12]
    for r in rows:
        target = TARGETS.get(r["entries"], {})
        verdict = ", ".join(
            f"{k.removesuffix('_ms')} ≤ {v} {'✓' if r[k] <= v else '✗'}" for k, v in target.items()
        )
        lines.append(
            f"| {r['runtime']} | {r['entries']:,} ({r['keys']:,}) | {r['build_ms']:.1f} | "
            f"{r['rebuild_cached_ms']:.1f} | {r['match_ms']:.1f} | {r['scan_cold_ms']:.1f} | "
            f"{r['scan_warm_ms']:.1f} | {r.get('naive_build_ms', 0):.0f} | {r.get('naive_scan_ms', 0):.0f} | "
            f"{r.get('speedup')}× | {r['activated_direct']} / {r['activated_with_recursion']}"
            f"{'' if r.get('naive_agrees', True) else ' (naive disagrees!)'} | {verdict} |"
        )
    for r in rows:
        if "pure_python_ac_scan_ms" in r:
            lines.append(
                f"\nPure-Python Aho–Corasick ({r['runtime']}, {r['entries']:,} entries): build "
                f"{r['pure_python_ac_build_ms']:.0f} ms, scan {r['pure_python_ac_scan_ms']:.1f} ms "
                "(matching only, before any word-boundary check)."
            )
    return "\n".join(lines)


def hostile_table(memories: list[dict[str, Any]], blocks: dict[str, Any] | None) -> str:
    lines = [
        "| runtime | 30 MB string card: depth check peak | load peak | 40 MB card in a PNG: load peak |",
        "|---|---|---|---|",
    ]
    for m in memories:
        lines.append(
            f"| {m['runtime']} | {m['depth_check_peak_mb']} MB ({m['depth_check_ms']} ms) | "
            f"{m['load_json_peak_mb']} MB ({m['load_json_ms']} ms) | "
            f"{m['load_png_peak_mb']} MB ({m['load_png_ms']} ms) |"
        )
    if blocks:
        b = blocks
        lines += [
            "",
            f"| {b['runtime']} | total | longest main-thread block |",
            "|---|---|---|",
            f"| index {b['entries']:,} entries, `Matcher(...)` | {b['build_sync_ms']} ms | "
            f"{b['build_sync_longest_block_ms']} ms |",
            f"| index {b['entries']:,} entries, `await Matcher.build(...)` | "
            f"{b['build_async_ms']} ms | {b['build_async_longest_block_ms']} ms "
            f"(longest task {b['build_async_longest_task_ms']} ms) |",
            f"| `scan_async` with {b['catastrophic_keys']} catastrophic regex keys "
            f"({b['catastrophic_gave_up']} gave up) | {b['catastrophic_scan_ms']} ms | "
            f"{b['catastrophic_longest_block_ms']} ms (longest task "
            f"{b['catastrophic_longest_task_ms']} ms) |",
        ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.lore", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--json", type=Path, help="write the figures to this file")
    parser.add_argument(
        "--runs", type=int, default=5, help="repetitions per timing (best is reported)"
    )
    parser.add_argument("--no-browser", action="store_true", help="CPython only")
    args = parser.parse_args(argv)
    rows, memory_row = run_cpython(args.runs)
    memories = [memory_row]
    blocks = None
    if not args.no_browser:
        browser_rows, browser_memory, blocks = run_pyodide(args.runs)
        rows = browser_rows + rows
        memories = [browser_memory, memory_row]
    print(table(rows))
    print()
    print(hostile_table(memories, blocks))
    if args.json:
        figures = {"lore": rows, "hostile_memory": memories, "responsiveness": blocks}
        args.json.write_text(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
