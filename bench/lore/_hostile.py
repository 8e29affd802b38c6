"""Hostile input and responsiveness figures (stdlib + app.lore; runs in CPython and Pyodide).

* memory: tracemalloc peaks of the JSON depth check on a 30 MB string, of loading that
  card, and of loading a 40 MB card embedded in a PNG;
* responsiveness (Pyodide only, it needs the page): the longest main-thread block while
  20,000 entries are indexed synchronously and with `await Matcher.build`, and while a
  scan gives up on the three catastrophic regex keys of issue 11 (`scan_async`). A
  MessageChannel ticker on the page records the longest gap between its ticks; Chromium's
  long-task observer is the cross-check.
"""

from __future__ import annotations

import base64
import gc
import json
import sys
import time
import tracemalloc
from typing import Any

from app.lore import LayerCache, LoreEntry, Matcher, MatchOptions, formats
from app.lore.formats._json import check_depth

from ._data import make_entries

__all__ = ["memory", "responsiveness"]

CATASTROPHIC = [
    ("/(a+)+$/", "a" * 28 + "!"),
    ("/(a|aa)*c/", "a" * 45),
    ("/((a*)*)*b/", "a" * 32),
]


def _peak(fn: Any, *args: Any) -> tuple[float, float]:
    """(peak MB, seconds) of one call."""
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        started = time.perf_counter()
        fn(*args)
        seconds = time.perf_counter() - started
        return tracemalloc.get_traced_memory()[1] / 1e6, seconds
    finally:
        tracemalloc.stop()


def _card(size: int) -> bytes:
    """A Character Card V2 whose description makes it `size` bytes of JSON."""
    shell = json.dumps({"spec": "chara_card_v2", "data": {"name": "x", "description": ""}})
    description = "a line\\n" * ((size - len(shell)) // 9)  # 9 bytes of JSON each
    return json.dumps(
        {"spec": "chara_card_v2", "data": {"name": "x", "description": description}}
    ).encode()


def memory() -> dict[str, Any]:
    card = _card(30_000_000)
    check_mb, check_s = _peak(check_depth, card)
    load_mb, load_s = _peak(formats.load, card)
    png_card = _card(30_000_000)
    png = formats.write_text_chunks(
        formats.tiny_png(), {"chara": base64.b64encode(png_card).decode("ascii")}
    )
    png_mb, png_s = _peak(formats.load, png)
    return {
        "json_mb": round(len(card) / 1e6, 1),
        "depth_check_peak_mb": round(check_mb, 2),
        "depth_check_ms": round(check_s * 1000),
        "load_json_peak_mb": round(load_mb, 1),
        "load_json_ms": round(load_s * 1000),
        "png_mb": round(len(png) / 1e6, 1),
        "load_png_peak_mb": round(png_mb, 1),
        "load_png_ms": round(png_s * 1000),
    }


_TICKER = """
(() => {
  const g = globalThis.__loreGap = { max: 0, last: performance.now(), on: true, long: 0 };
  const channel = new MessageChannel();
  channel.port1.onmessage = () => {
    const now = performance.now();
    g.max = Math.max(g.max, now - g.last);
    g.last = now;
    if (g.on) channel.port2.postMessage(0);
  };
  channel.port2.postMessage(0);
  g.observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) g.long = Math.max(g.long, e.duration);
  });
  g.observer.observe({ type: "longtask" });
  return true;
})()
"""


async def _longest_block(work: Any) -> tuple[float, float, float]:
    """(ms the work took, longest gap between page ticks, longest long task) while the
    awaitable `work` runs."""
    import asyncio

    import js

    js.eval(_TICKER)
    await asyncio.sleep(0.05)  # let the ticker settle
    js.eval("globalThis.__loreGap.max = 0; globalThis.__loreGap.long = 0")
    started = time.perf_counter()
    await work
    elapsed = (time.perf_counter() - started) * 1000
    await asyncio.sleep(0.05)  # the last gap closes at the next tick
    js.eval("globalThis.__loreGap.on = false; globalThis.__loreGap.observer.disconnect()")
    gap = float(js.eval("globalThis.__loreGap.max"))
    longest = float(js.eval("globalThis.__loreGap.long"))
    return elapsed, gap, longest


async def responsiveness(n_entries: int = 20_000) -> dict[str, Any]:
    """Pyodide only: the longest main-thread blocks (a full garbage collection runs before
    each measurement, so none of the earlier garbage is collected during one)."""
    if sys.platform != "emscripten":
        raise RuntimeError("responsiveness is measured in the browser")
    hostile = [LoreEntry(id=f"bad{i}", keys=[key]) for i, (key, _) in enumerate(CATASTROPHIC)]
    text = " ".join(t for _, t in CATASTROPHIC)
    matcher = Matcher(hostile, MatchOptions(recursive=False))
    await matcher.scan_async("warm the worker up")
    gc.collect()
    scan_ms, scan_gap, scan_long = await _longest_block(matcher.scan_async(text))
    result = await matcher.scan_async(text)
    gave_up = sum(1 for item in result.trace for p in item.key_problems if p.problem == "timeout")
    entries = make_entries(n_entries, 3)

    async def build_sync() -> None:
        Matcher(entries, cache=LayerCache())

    async def build_async() -> None:
        await Matcher.build(entries, cache=LayerCache())

    gc.collect()
    sync_ms, sync_gap, sync_long = await _longest_block(build_sync())
    gc.collect()
    async_ms, async_gap, async_long = await _longest_block(build_async())
    return {
        "entries": n_entries,
        "build_sync_ms": round(sync_ms),
        "build_sync_longest_block_ms": round(max(sync_gap, sync_long)),
        "build_async_ms": round(async_ms),
        "build_async_longest_block_ms": round(async_gap),
        "build_async_longest_task_ms": round(async_long),
        "catastrophic_keys": len(CATASTROPHIC),
        "catastrophic_gave_up": gave_up,
        "catastrophic_scan_ms": round(scan_ms),
        "catastrophic_longest_block_ms": round(scan_gap),
        "catastrophic_longest_task_ms": round(scan_long),
    }
