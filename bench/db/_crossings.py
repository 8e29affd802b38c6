"""What bounds app.db where it trails Dexie: the cost of each crossing into JavaScript.

Measured in the benchmark's page (Pyodide), as means over many repetitions (the page's
clock is coarse, 0.1 ms, so single calls cannot be timed): calling JavaScript from
Python, JavaScript calling Python, a JavaScript string arriving as a Python ``str``,
``json.loads`` and ``marshal.loads`` of result sets, ``json.dumps`` and ``marshal.dumps``
of a write's records, and one wake-up of a waiting task (the two ways app.db
can resume it: inside the IndexedDB event, or one turn of the event loop later).
"""

from __future__ import annotations

from typing import Any

__all__ = ["CROSSINGS_PY", "measure_crossings"]

CROSSINGS_PY = r"""
import asyncio, gc, json, js
from pyodide.code import run_js
from pyodide.ffi import create_proxy

now = js.performance.now
out = {}

def per_call(label, fn, n):
    t = now()
    for _ in range(n):
        fn()
    out[label] = (now() - t) / n * 1000  # µs

f0 = run_js("() => 0")
f8 = run_js("(a,b,c,d,e,f,g,h) => 0")
per_call("Python → JavaScript call, no arguments", f0, 20000)
per_call(
    "Python → JavaScript call, 8 arguments (a get's)",
    lambda: f8("get", 17, "small", '["small"]', "r", "small", "17", False),
    20000,
)
noop = create_proxy(lambda a, b: None)
record = '0{"value":{"id":1,"n":1,"cat":1,"name":"name1","v":0.5}}'
out["JavaScript → Python call (an id and one record's JSON)"] = run_js(
    "(f, s, n) => { const t = performance.now(); for (let i = 0; i < n; i++) f(i, s);"
    " return (performance.now() - t) / n * 1000; }"
)(noop, record, 20000)
noop.destroy()

rows = ",".join(
    '{"id":%d,"n":%d,"cat":%d,"name":"name%d","v":%s}' % (i, i, i % 100, i, i * 0.5)
    for i in range(10000)
)
js.window.__lkCrossing = "0[" + rows + "]"
per_call(
    "JavaScript string → Python str, 10k records (per record)",
    lambda: js.window.__lkCrossing,
    20,
)
out["JavaScript string → Python str, 10k records (per record)"] /= 10000
text = js.window.__lkCrossing[1:]
small = "[" + ",".join(rows.split("},{")[:1000]) + "}]"

def loads(s, decode=json.loads):
    gc.disable()  # as app.db decodes a big answer
    try:
        decode(s)
    finally:
        gc.enable()

per_call("json.loads, 10k records (per record)", lambda: loads(text), 20)
out["json.loads, 10k records (per record)"] /= 10000
per_call("json.loads, 1k records (per record)", lambda: loads(small), 100)
out["json.loads, 1k records (per record)"] /= 1000
per_call("json.loads, one record", lambda: json.loads(record[1:]), 20000)

# what a many-record answer or write crosses as instead (app.db/_idb/wire.py)
import marshal
from app.db._idb.wire import dumps
records = json.loads(text)
mtext = marshal.dumps(records)
per_call("marshal.loads, 10k records (per record)", lambda: loads(mtext, marshal.loads), 20)
out["marshal.loads, 10k records (per record)"] /= 10000
per_call("json.dumps (the JSON path of a write), 10k records (per record)", lambda: dumps(records), 10)
out["json.dumps (the JSON path of a write), 10k records (per record)"] /= 10000
per_call("marshal.dumps, 10k records (per record)", lambda: marshal.dumps(records), 20)
out["marshal.dumps, 10k records (per record)"] /= 10000
del records

loop = asyncio.get_running_loop()

async def waiter(fut):
    return await fut

async def wake_ups(n):
    t = now()
    for _ in range(n):
        fut = asyncio.Future(loop=loop)
        task = loop.create_task(waiter(fut))
        await asyncio.sleep(0)
        fut.set_result(1)
        await task
    return (now() - t) / n * 1000 / 2

out["one turn of the event loop (a task wake-up outside IndexedDB events)"] = await wake_ups(500)
del js.window.__lkCrossing
out
"""


def measure_crossings(session: Any) -> dict[str, float]:
    """Crossing costs in µs, measured in the benchmark's page."""
    result: dict[str, float] = session.run_python(CROSSINGS_PY)
    return {label: round(us, 2) for label, us in result.items()}
