"""The render benchmark's page side: runs inside Pyodide in Chromium (sent as source).

A keyed list of N rows is mounted through ``app.ui``; then single-row edits are applied
and each is timed with ``performance.now()`` and observed with a MutationObserver.
"""

from __future__ import annotations

import statistics
from typing import Any

import js

from app.reactive import writable
from app.ui import BrowserDom, Ctx, Row, mount

_OBSERVER_JS = """
(target) => {
  const observer = new MutationObserver(() => {});
  observer.observe(target, {subtree: true, childList: true, attributes: true, characterData: true});
  return {
    take() {
      return observer.takeRecords().map((r) => [r.type, r.target, [...r.addedNodes], [...r.removedNodes]]);
    },
  };
}
"""


def _row(ctx: Ctx, item: tuple[int, str]) -> Row[tuple[int, str]]:
    dom = ctx.dom
    label = dom.text(item[1])
    node = ctx.el(
        "li",
        None,
        ctx.el("span", {"class": "id"}, str(item[0])),
        ctx.el("span", {"class": "label"}, label),
    )

    def update(new: tuple[int, str]) -> None:
        dom.set_data(label, new[1])

    return Row(node, update)


def _only(records: list[Any], row: Any) -> bool:
    for _type, target, added, removed in records:
        if row.contains(target):
            continue
        nodes = list(added) + list(removed)
        if nodes and all(n == row for n in nodes):
            continue
        return False
    return True


def run(rows: int = 10_000, repeat: int = 15) -> dict[str, Any]:
    dom = BrowserDom()
    host = js.document.createElement("div")
    js.document.body.appendChild(host)
    items = writable([])
    keyed: list[Any] = []

    def view(ctx: Ctx) -> Any:
        ul = ctx.el("ul")
        keyed.append(ctx.each(ul, items, key=lambda it: it[0], render=_row))
        return ul

    m = mount(dom, host, view)
    observer = js.eval(_OBSERVER_JS)(host)
    now = js.performance.now
    results: dict[str, Any] = {"rows": rows}

    data = [(i, f"row {i}") for i in range(rows)]
    t0 = now()
    items.set(data)
    t1 = now()
    js.document.body.offsetHeight  # noqa: B018 - force style and layout
    t2 = now()
    records = observer.take()
    results["mount"] = {
        "ms": t1 - t0,
        "ms_with_layout": t2 - t0,
        "mutations": len(records),
        "only_row": None,
    }

    def measure(name: str, change: Any) -> None:
        times, counts, only = [], [], True
        for i in range(repeat):
            new, key = change(i)
            t0 = now()
            items.set(new)
            t1 = now()
            records = observer.take()
            times.append(t1 - t0)
            counts.append(len(records))
            row = keyed[0].node(key) if key in keyed[0].keys else None
            if row is None:  # removed: the one record must remove exactly that row
                only = only and len(records) == 1 and len(list(records[0][3])) == 1
            else:
                only = only and _only(records, row)
        results[name] = {
            "ms": statistics.median(times),
            "ms_max": max(times),
            "mutations": max(counts),
            "only_row": only,
        }

    state = {"data": data}

    def update(i: int) -> tuple[list[Any], int]:
        new = list(state["data"])
        k = (i * 997 + 17) % len(new)
        new[k] = (new[k][0], f"updated {i}")
        state["data"] = new
        return new, new[k][0]

    def move(i: int) -> tuple[list[Any], int]:
        new = list(state["data"])
        src, dst = (i * 131 + 5) % len(new), (i * 7919 + 9000) % len(new)
        item = new.pop(src)
        new.insert(dst, item)
        state["data"] = new
        return new, item[0]

    def remove(i: int) -> tuple[list[Any], int]:
        new = list(state["data"])
        item = new.pop((i * 577 + 3) % len(new))
        state["data"] = new
        return new, item[0]

    def insert(i: int) -> tuple[list[Any], int]:
        new = list(state["data"])
        key = rows + 1000 + i
        new.insert((i * 389 + 11) % len(new), (key, f"inserted {i}"))
        state["data"] = new
        return new, key

    measure("update one row", update)
    measure("move one row", move)
    measure("remove one row", remove)
    measure("insert one row", insert)
    m.unmount()
    host.remove()
    return results
