"""The app.db side of the benchmark: Python source run inside Pyodide in the same page."""

SETUP_PY = r"""
import js
from app.db import Database

def _rec(i):
    return {"id": i, "n": i, "cat": i % 100, "name": "name" + str(i), "v": i * 0.5}

_bench_db = Database("bench-appdb")
await _bench_db.delete()
_bench_db = Database("bench-appdb")
_bench_db.version(1).stores({"small": "id, n, cat", "big": "id, n, cat"})
await _bench_db.open()
await _bench_db.big.bulk_put([_rec(i) for i in range(100000)])
_small_records = [_rec(i) for i in range(10000)]
True
"""

OPS_PY = {
    "bulk_put": r"""
db = _bench_db
await db.small.clear()
recs = [dict(r) for r in _small_records]
t = js.performance.now()
await db.small.bulk_put(recs)
js.performance.now() - t
""",
    "range_read": r"""
db = _bench_db
t = js.performance.now()
res = await db.big.where("n").between(20000, 30000).to_array()
ms = js.performance.now() - t
assert len(res) == 10000
del res  # freed outside the timed part, as JavaScript frees Dexie's results later
ms
""",
    "where_equals": r"""
db = _bench_db
t = js.performance.now()
res = await db.big.where("cat").equals(7).to_array()
ms = js.performance.now() - t
assert len(res) == 1000
del res  # (else the next read's assignment frees these 1k dicts inside its timing)
ms
""",
    "tx_loop": r"""
db = _bench_db
t = js.performance.now()
async with db.transaction("rw", db.small):
    for i in range(1000):
        v = await db.small.get(i)
        v["v"] += 1
        await db.small.put(v)
js.performance.now() - t
""",
    "single_gets": r"""
db = _bench_db
t = js.performance.now()
for i in range(1000):
    await db.small.get(i)
js.performance.now() - t
""",
    "count": r"""
db = _bench_db
t = js.performance.now()
c = await db.big.count()
ms = js.performance.now() - t
assert c == 100000
ms
""",
    "modify": r"""
db = _bench_db
def bump(v):
    v["flag"] = v.get("flag", 0) + 1
t = js.performance.now()
await db.small.to_collection().modify(bump)
js.performance.now() - t
""",
}
