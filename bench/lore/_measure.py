"""The measurements, runnable unchanged in CPython and in Pyodide (stdlib + app.lore only)."""

from __future__ import annotations

import gc
import time
from typing import Any

from app.lore import LayerCache, Matcher, MatchOptions

from ._aho import AhoCorasick
from ._data import make_chapter, make_entries
from ._naive import NaiveMatcher

__all__ = ["measure"]


def _ms(fn: Any) -> tuple[float, Any]:
    t = time.perf_counter()
    value = fn()
    return (time.perf_counter() - t) * 1000, value


def _best(fn: Any, runs: int) -> tuple[float, Any]:
    times = []
    value = None
    for _ in range(runs):
        ms, value = _ms(fn)
        times.append(ms)
    return min(times), value


def measure(
    n_entries: int,
    keys_per_entry: int = 3,
    text_size: int = 50_000,
    runs: int = 5,
    naive: bool = True,
    aho: bool = False,
) -> dict[str, Any]:
    """Figures for one case; all times in milliseconds (best of `runs` where repeated: the machine may be shared)."""
    entries = make_entries(n_entries, keys_per_entry)
    text = make_chapter(entries, text_size)
    gc.collect()
    builds = []
    for _ in range(max(1, runs // 2)):
        cache = LayerCache()
        ms, _ = _ms(lambda cache=cache: Matcher(entries, cache=cache))
        builds.append(ms)
    build = min(builds)
    rebuild, _ = _best(lambda: Matcher(entries, cache=cache), runs)
    plain = Matcher(entries, MatchOptions(recursive=False), cache=LayerCache())
    match, plain_result = _best(lambda: plain.scan(text), runs)
    fresh = Matcher(entries, cache=cache)
    cold, _ = _ms(lambda: fresh.scan(text))
    warm, result = _best(lambda: fresh.scan(text), runs)
    out: dict[str, Any] = {
        "entries": n_entries,
        "keys": sum(len(e.keys) for e in entries),
        "text_chars": len(text),
        "build_ms": round(build, 2),
        "rebuild_cached_ms": round(rebuild, 2),
        "match_ms": round(match, 2),
        "scan_cold_ms": round(cold, 2),
        "scan_warm_ms": round(warm, 2),
        "activated_direct": len(plain_result.entries),
        "activated_with_recursion": len(result.entries),
        "recursion_steps": result.steps,
    }
    if aho:
        lowered = text.lower()
        ac_build, ac = _ms(lambda: AhoCorasick([k.lower() for e in entries for k in e.keys]))
        ac_scan, _ = _best(lambda: ac.scan(lowered), max(1, runs // 3))
        out.update(
            {
                "pure_python_ac_build_ms": round(ac_build, 1),
                "pure_python_ac_scan_ms": round(ac_scan, 2),
            }
        )
    if naive:
        naive_build, nm = _ms(lambda: NaiveMatcher(entries))
        naive_scan, naive_result = _ms(lambda: nm.scan(text))
        out.update(
            {
                "naive_build_ms": round(naive_build, 2),
                "naive_scan_ms": round(naive_scan, 2),
                "naive_agrees": {e.id for e in naive_result} == set(plain_result.ids),
                "speedup": round(naive_scan / match, 1) if match else None,
            }
        )
    return out
