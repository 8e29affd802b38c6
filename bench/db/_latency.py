"""The rows that need more than one page: commit -> live query latency (same tab and
another tab, app.db's ``live_query`` beside Dexie's ``liveQuery``), and opening a
100k-record database cold to the first query result.

Times across pages use ``performance.timeOrigin + performance.now()`` (one clock for
every page of the browser). A write is timed from just before it is issued until the
subscriber holds the value it wrote.
"""

from __future__ import annotations

import statistics
from typing import Any

__all__ = ["LATENCY_OPS", "LatencyRig"]

LATENCY_OPS = [
    ("live_same_tab", "commit → live query, same tab"),
    ("live_other_tab", "commit → live query, other tab"),
    ("open_cold", "open 100k-record db cold → first result"),
]

#: Writes per run of a latency row (the row reports the median of each run).
WRITES = 20

_DEXIE_PAGE_JS = r"""
async (dexieUrl) => {
  const { default: Dexie, liveQuery } = await import(dexieUrl);
  const clock = () => performance.timeOrigin + performance.now();
  const db = new Dexie("bench-dexie");
  db.version(1).stores({ small: "id, n, cat", big: "id, n, cat" });
  await db.open();
  window.__lat = { Dexie, liveQuery, db, clock, seen: {} };
  return true;
}
"""

# Subscribe (Dexie) to record ``k`` of ``small``; note when each value first shows up.
_DEXIE_WATCH_JS = r"""
(k) => new Promise((ready) => {
  const L = window.__lat;
  let first = true;
  L.sub = L.liveQuery(() => L.db.small.get(k)).subscribe((v) => {
    if (v && L.seen[v.v] === undefined) L.seen[v.v] = L.clock();
    if (first) { first = false; ready(true); }
  });
})
"""

_DEXIE_WRITE_JS = r"""
async ([k, marker]) => {
  const L = window.__lat;
  const t0 = L.clock();
  await L.db.small.put({ id: k, n: k, cat: 0, name: "live", v: marker });
  return t0;
}
"""

_PY_PAGE = r"""
import asyncio, js
from app.db import Database, live_query
_lat_db = Database("bench-appdb")
_lat_db.version(1).stores({"small": "id, n, cat", "big": "id, n, cat"})
await _lat_db.open()
_lat_clock = lambda: js.performance.timeOrigin + js.performance.now()
_lat_mark = js.eval("window.__latPy = {}; (k, t) => { if (window.__latPy[k] === undefined) window.__latPy[k] = t; }")
True
"""

_PY_WATCH = r"""
_lat_ready = asyncio.Event()
def _lat_next(v):
    if v is not None:
        _lat_mark(v["v"], _lat_clock())
    _lat_ready.set()
_lat_off = live_query(lambda: _lat_db.small.get({k})).subscribe(_lat_next)
await _lat_ready.wait()
True
"""

_PY_WRITE = r"""
_t0 = _lat_clock()
await _lat_db.small.put({{"id": {k}, "n": {k}, "cat": 0, "name": "live", "v": {marker}}})
_t0
"""

_PY_OPEN_COLD = r"""
import js
from app.db import Database
_clock = lambda: js.performance.timeOrigin + js.performance.now()
_t0 = _clock()
_cold = Database("bench-appdb")
_cold.version(1).stores({"small": "id, n, cat", "big": "id, n, cat"})
_first = await _cold.big.where("cat").equals(7).first()
_ms = _clock() - _t0
assert _first is not None
_cold.close()
_ms
"""

_DEXIE_OPEN_COLD_JS = r"""
async (dexieUrl) => {
  const { default: Dexie } = await import(dexieUrl);
  const t0 = performance.now();
  const db = new Dexie("bench-dexie");
  db.version(1).stores({ small: "id, n, cat", big: "id, n, cat" });
  const first = await db.big.where("cat").equals(7).first();
  const ms = performance.now() - t0;
  if (!first) throw new Error("dexie cold open");
  db.close();
  return ms;
}
"""

_RAW_OPEN_COLD_JS = r"""
async () => {
  const t0 = performance.now();
  const db = await new Promise((ok, fail) => {
    const r = indexedDB.open("bench-raw"); r.onsuccess = () => ok(r.result); r.onerror = () => fail(r.error);
  });
  const first = await new Promise((ok, fail) => {
    const r = db.transaction("big", "readonly").objectStore("big").index("cat").get(7);
    r.onsuccess = () => ok(r.result); r.onerror = () => fail(r.error);
  });
  const ms = performance.now() - t0;
  if (!first) throw new Error("raw cold open");
  db.close();
  return ms;
}
"""


def _run(page: Any, source: str) -> Any:
    return page.evaluate("(source) => window.__lkEval(source)", source)


class LatencyRig:
    """A second page of the benchmark's origin, and the measurements that need it."""

    def __init__(self, session: Any, dexie_url: str) -> None:
        self.session = session
        self.dexie_url = dexie_url
        self.other = session.context.new_page()
        self.other.set_default_timeout(600_000)
        self._load(self.other)
        self._prepare(session.page)
        self._marker = 0

    def _load(self, page: Any) -> None:
        page.goto(self.session.url("/__test__/"))
        page.evaluate("() => window.__lkReady")
        self._prepare(page)

    def _prepare(self, page: Any) -> None:
        page.evaluate(_DEXIE_PAGE_JS, self.dexie_url)
        _run(page, _PY_PAGE)

    def close(self) -> None:
        self.other.close()

    # ---------------------------------------------------------------- live queries
    def _latencies(self, writer: Any, reader: Any, lib: str) -> float:
        """Median ms over WRITES writes in ``writer`` until ``reader``'s subscriber has it."""
        k = 123
        if lib == "dexie":
            reader.evaluate(_DEXIE_WATCH_JS, k)
        else:
            _run(reader, _PY_WATCH.format(k=k))
        out = []
        for _ in range(WRITES):
            self._marker += 1
            m = self._marker
            if lib == "dexie":
                t0 = writer.evaluate(_DEXIE_WRITE_JS, [k, m])
                reader.wait_for_function(f"() => window.__lat.seen[{m}] !== undefined")
                t1 = reader.evaluate(f"window.__lat.seen[{m}]")
            else:
                t0 = _run(writer, _PY_WRITE.format(k=k, marker=m))
                reader.wait_for_function(f"() => window.__latPy[{m}] !== undefined")
                t1 = reader.evaluate(f"window.__latPy[{m}]")
            out.append(t1 - t0)
        if lib == "dexie":
            reader.evaluate("window.__lat.sub.unsubscribe()")
        else:
            _run(reader, "_lat_off()\nTrue")
        return statistics.median(out)

    def live_same_tab(self, lib: str) -> float:
        page = self.session.page
        if lib == "raw":
            return float("nan")
        return self._latencies(page, page, lib)

    def live_other_tab(self, lib: str) -> float:
        if lib == "raw":
            return float("nan")
        return self._latencies(self.session.page, self.other, lib)

    # ---------------------------------------------------------------- cold open
    def open_cold(self) -> dict[str, float]:
        """In a freshly loaded page (the runtime started, nothing of any database open
        there): each library opens its 100k-record database and reads one record."""
        page = self.other
        page.goto(self.session.url("/__test__/"))
        page.evaluate("() => window.__lkReady")
        out = {
            "raw": float(page.evaluate(_RAW_OPEN_COLD_JS)),
            "dexie": float(page.evaluate(_DEXIE_OPEN_COLD_JS, self.dexie_url)),
            "appdb": float(_run(page, _PY_OPEN_COLD)),
        }
        self._load(page)  # ready for the live-query rows again
        return out
