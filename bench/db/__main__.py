"""``python -m bench.db [--json PATH] [--runs N]``: app.db vs Dexie.js vs raw IndexedDB.

Everything runs in one headless Chromium page: raw IndexedDB and Dexie 4.4.7 (served
from vendor/, bench only) in JavaScript, app.db in Pyodide, on the same data.  Prints
the median ms of several runs per operation and app.db's ratio to Dexie.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from typing import Any

from bench.db._js import BENCH_JS
from bench.db._py import OPS_PY, SETUP_PY

OPS = [
    # reads of the 100k table first, before this run's writes stir up compaction
    ("range_read", "to_array 10k over an index range", 1.3),
    ("where_equals", "where-equals: 1k of 100k", None),
    ("count", "count 100k", None),
    ("bulk_put", "bulk_put 10k small records", 1.15),
    ("single_gets", "1000 single gets by key", None),
    ("tx_loop", "1000 get+put pairs, one transaction", 1.5),
    ("modify", "modify 10k", None),
]


def run(runs: int) -> dict[str, Any]:
    from tools.browser import browser_session

    results: dict[str, dict[str, list[float]]] = {
        op: {"raw": [], "dexie": [], "appdb": []} for op, *_ in OPS
    }
    with browser_session(timeout_ms=600_000) as s:
        s.page.evaluate(BENCH_JS, s.url("/__vendor__/dexie/dist/dexie.mjs"))
        s.run_python(SETUP_PY)
        libs = ["raw", "dexie", "appdb"]
        for run_no in range(runs):
            # rotate who goes first, so background work (LevelDB compaction after the
            # previous writes) does not always land on the same library
            order = libs[run_no % 3 :] + libs[: run_no % 3]
            for op, *_rest in OPS:
                for lib in order:
                    if lib == "appdb":
                        ms = s.run_python(OPS_PY[op])
                    elif op == "bulk_put":
                        ms = s.page.evaluate(
                            f"async () => __bench.{lib}.bulk_put(__bench.records(0, 10000))"
                        )
                    else:
                        ms = s.page.evaluate(f"async () => __bench.{lib}.{op}()")
                    results[op][lib].append(float(ms))
        s.run_python("_bench_db.close(); await _bench_db.delete(); True")
    out: dict[str, Any] = {"runs": runs, "ops": {}}
    for op, label, target in OPS:
        med = {k: statistics.median(v) for k, v in results[op].items()}
        ratio = med["appdb"] / med["dexie"] if med["dexie"] else float("inf")
        out["ops"][op] = {
            "label": label,
            "raw_ms": round(med["raw"], 2),
            "dexie_ms": round(med["dexie"], 2),
            "appdb_ms": round(med["appdb"], 2),
            "ratio_to_dexie": round(ratio, 3),
            "target": target,
            "samples": results[op],
        }
    return out


def table(res: dict[str, Any]) -> str:
    lines = [
        f"app.db vs Dexie 4.4.7 vs raw IndexedDB (median of {res['runs']} runs, ms)",
        "",
        "| operation | raw IDB | Dexie | app.db | app.db / Dexie | target |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for _op, r in res["ops"].items():
        target = f"≤ {r['target']}×" if r["target"] else ""
        lines.append(
            f"| {r['label']} | {r['raw_ms']:.1f} | {r['dexie_ms']:.1f} | {r['appdb_ms']:.1f} "
            f"| {r['ratio_to_dexie']:.2f}× | {target} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.db", description=__doc__)
    parser.add_argument("--json", metavar="PATH", help="also write the results as JSON")
    parser.add_argument("--runs", type=int, default=5, help="runs per operation (default 5)")
    args = parser.parse_args(argv)
    res = run(args.runs)
    print(table(res))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(res, f, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
