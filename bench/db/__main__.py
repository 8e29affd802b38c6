"""``python -m bench.db [--json PATH] [--runs N]``: app.db vs Dexie.js vs raw IndexedDB.

Raw IndexedDB and Dexie 4.4.7 (served from vendor/, bench only) in JavaScript, app.db in
Pyodide, on the same data, in one headless Chromium page (a second page of the same
origin for the cross-tab and cold-open rows, ``_latency.py``).  Prints, per operation,
the median ms of the runs, app.db's min-max, its median ratio to Dexie and the range of
the per-run ratios (each run measures both libraries back to back).
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import sys
from typing import Any

from bench.db._crossings import measure_crossings
from bench.db._js import BENCH_JS
from bench.db._latency import LATENCY_OPS, LatencyRig
from bench.db._py import OPS_PY, SETUP_PY

OPS = [
    # reads of the 100k table first, before this run's writes stir up compaction
    ("range_read", "to_array 10k over an index range"),
    ("where_equals", "where-equals: 1k of 100k"),
    ("count", "count 100k"),
    ("bulk_put", "bulk_put 10k small records"),
    ("single_gets", "1000 single gets by key"),
    ("tx_loop", "1000 get+put pairs, one transaction"),
    ("modify", "modify 10k"),
    *LATENCY_OPS,
]
TARGETS = {
    "single_gets": 1.3,
    "where_equals": 1.3,
    "bulk_put": 1.15,
    "range_read": 1.2,
    "tx_loop": 1.5,
}
_LATENCY = {op for op, _label in LATENCY_OPS}


def run(runs: int) -> dict[str, Any]:
    from tools.browser import browser_session

    results: dict[str, dict[str, list[float]]] = {
        op: {"raw": [], "dexie": [], "appdb": []} for op, _label in OPS
    }
    with browser_session(timeout_ms=600_000) as s:
        dexie_url = s.url("/__vendor__/dexie/dist/dexie.mjs")
        s.page.evaluate(BENCH_JS, dexie_url)
        s.run_python(SETUP_PY)
        rig = LatencyRig(s, dexie_url)
        libs = ["raw", "dexie", "appdb"]
        for run_no in range(runs):
            # rotate who goes first, so background work (LevelDB compaction after the
            # previous writes) does not always land on the same library
            order = libs[run_no % 3 :] + libs[: run_no % 3]
            for op, _label in OPS:
                if op == "open_cold":
                    for lib, ms in rig.open_cold().items():
                        results[op][lib].append(ms)
                    continue
                for lib in order:
                    if op in _LATENCY:
                        ms = getattr(rig, op)(lib)
                    elif lib == "appdb":
                        ms = s.run_python(OPS_PY[op])
                    elif op == "bulk_put":
                        ms = s.page.evaluate(
                            f"async () => __bench.{lib}.bulk_put(__bench.records(0, 10000))"
                        )
                    else:
                        ms = s.page.evaluate(f"async () => __bench.{lib}.{op}()")
                    results[op][lib].append(float(ms))
        rig.close()
        crossings = measure_crossings(s)
        s.run_python("_bench_db.close(); _lat_db.close(); await _bench_db.delete(); True")
    out: dict[str, Any] = {"runs": runs, "ops": {}, "crossings_us": crossings}
    for op, label in OPS:
        samples = results[op]
        med = {k: statistics.median(v) if v and not math.isnan(v[0]) else None
               for k, v in samples.items()}
        ratios = [a / d for a, d in zip(samples["appdb"], samples["dexie"], strict=True) if d]
        # raw IndexedDB against Dexie in the same runs: how far the browser alone moves a
        # per-run ratio (the noise any library's ratio carries)
        raw_ratios = [
            a / d for a, d in zip(samples["raw"], samples["dexie"], strict=True)
            if d and not math.isnan(a)
        ]
        out["ops"][op] = {
            "label": label,
            "raw_ms": None if med["raw"] is None else round(med["raw"], 2),
            "dexie_ms": round(med["dexie"] or 0, 2),
            "appdb_ms": round(med["appdb"] or 0, 2),
            "appdb_min_ms": round(min(samples["appdb"]), 2),
            "appdb_max_ms": round(max(samples["appdb"]), 2),
            "ratio_to_dexie": round(statistics.median(ratios), 3) if ratios else None,
            "ratio_min": round(min(ratios), 3) if ratios else None,
            "ratio_max": round(max(ratios), 3) if ratios else None,
            "raw_ratio_min": round(min(raw_ratios), 3) if raw_ratios else None,
            "raw_ratio_max": round(max(raw_ratios), 3) if raw_ratios else None,
            "target": TARGETS.get(op),
            "samples": samples,
        }
    return out


def table(res: dict[str, Any]) -> str:
    lines = [
        f"app.db vs Dexie 4.4.7 vs raw IndexedDB (median of {res['runs']} runs, ms; "
        "app.db's min–max; app.db / Dexie: median of the per-run ratios and their range)",
        "",
        "| operation | raw IDB | Dexie | app.db | app.db min–max | app.db / Dexie | ratio range "
        "| raw / Dexie range | target |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for _op, r in res["ops"].items():
        target = f"≤ {r['target']}×" if r["target"] else ""
        raw = "–" if r["raw_ms"] is None else f"{r['raw_ms']:.1f}"
        ratio = "–" if r["ratio_to_dexie"] is None else f"{r['ratio_to_dexie']:.2f}×"
        spread = (
            "–" if r["ratio_min"] is None else f"{r['ratio_min']:.2f}–{r['ratio_max']:.2f}×"
        )
        raw_spread = (
            "–" if r.get("raw_ratio_min") is None
            else f"{r['raw_ratio_min']:.2f}–{r['raw_ratio_max']:.2f}×"
        )
        lines.append(
            f"| {r['label']} | {raw} | {r['dexie_ms']:.1f} | {r['appdb_ms']:.1f} "
            f"| {r['appdb_min_ms']:.1f}–{r['appdb_max_ms']:.1f} | {ratio} | {spread} "
            f"| {raw_spread} | {target} |"
        )
    crossings = res.get("crossings_us")
    if crossings:
        lines += ["", "What one crossing costs in this page (µs, mean of many):", ""]
        lines += ["| crossing | µs |", "| --- | ---: |"]
        lines += [f"| {label} | {us:.2f} |" for label, us in crossings.items()]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.db", description=__doc__)
    parser.add_argument("--json", metavar="PATH", help="also write the results as JSON")
    parser.add_argument("--runs", type=int, default=9, help="runs per operation (default 9)")
    args = parser.parse_args(argv)
    res = run(args.runs)
    print(table(res))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(res, f, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
