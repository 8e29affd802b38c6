"""Cross-tab latency: a write in a hidden tab until the visible tab's DOM shows it.

Two real pages of one origin in one Chromium. The visible page mounts a keyed list
(``app.ui``) of a ``query_store`` (``app.reactive`` over ``app.db.live_query``); a
MutationObserver notes when each row appears or disappears. The hidden page puts or
deletes one record at a time. Latency = the moment the write was issued in the hidden
page → the row's DOM change in the visible one (both on ``performance.timeOrigin +
performance.now()``, one clock for every page of the browser).

What "hidden" means here: headless Chromium never hides a page (every tab reports
``visibilityState == "visible"`` and runs its timers on time, whether or not another tab
was brought to the front, with or without Playwright's anti-throttling switches;
``Emulation.setFocusEmulationEnabled`` changes focus only, and there is no CDP command
for visibility). So the writing page is made to behave as Chromium treats a hidden tab:
it reports ``hidden`` and its timers wake only on whole seconds (Chromium's budget
throttling of hidden pages; after five minutes hidden, chained timers wake once a
minute). Message events (Pyodide's ``call_soon``, BroadcastChannel) are not throttled,
as in Chromium.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

__all__ = ["HIDDEN_TAB_JS", "measure_app_cross_tab", "measure_cross_tab"]

#: Makes a loaded page behave as a hidden tab: visibility "hidden", timers on whole seconds.
HIDDEN_TAB_JS = """
() => {
  Object.defineProperty(document, "visibilityState", { get: () => "hidden" });
  Object.defineProperty(document, "hidden", { get: () => true });
  const realTimeout = window.setTimeout.bind(window);
  const realInterval = window.setInterval.bind(window);
  const aligned = (ms) => {
    const now = performance.timeOrigin + performance.now();
    const due = now + Math.max(0, ms || 0);
    return Math.ceil(due / 1000) * 1000 - now;
  };
  window.setTimeout = (fn, ms, ...args) => realTimeout(fn, aligned(ms), ...args);
  window.setInterval = (fn, ms, ...args) => realInterval(fn, Math.max(1000, ms || 0), ...args);
  return document.visibilityState;
}
"""

_VISIBLE_PY = """
import js
from app.db import Database
from app.reactive import query_store
from app.ui import BrowserDom, Row, mount

_xt_db = Database({name!r})
await _xt_db.delete()
_xt_db = Database({name!r})
_xt_db.version(1).stores({{"notes": "id, n"}})
await _xt_db.open()
_xt_items = query_store(lambda: _xt_db.notes.order_by("n").to_array(), [])

def _xt_row(ctx, item):
    return Row(ctx.el("li", {{"data-id": item["id"]}}, item["text"]), lambda new: None)

def _xt_view(ctx):
    ul = ctx.el("ul")
    ctx.each(ul, _xt_items, key=lambda it: it["id"], render=_xt_row)
    return ul

_xt_host = js.document.createElement("div")
js.document.body.appendChild(_xt_host)
_xt_mounted = mount(BrowserDom(), _xt_host, _xt_view)
True
"""

_OBSERVE_JS = """
() => {
  const host = document.body.lastElementChild;
  window.__xt = { shown: {}, gone: {} };
  const now = () => performance.timeOrigin + performance.now();
  new MutationObserver((records) => {
    const t = now();
    for (const r of records) {
      for (const n of r.addedNodes) if (n.dataset && n.dataset.id) window.__xt.shown[n.dataset.id] = t;
      for (const n of r.removedNodes) if (n.dataset && n.dataset.id) window.__xt.gone[n.dataset.id] = t;
    }
  }).observe(host, { subtree: true, childList: true });
  return true;
}
"""

_HIDDEN_PY = """
import js
from app.db import Database
_xt_w = Database({name!r})
_xt_w.version(1).stores({{"notes": "id, n"}})
await _xt_w.open()
True
"""

_WRITE_PY = """
_t0 = js.performance.timeOrigin + js.performance.now()
{statement}
[_t0, js.performance.timeOrigin + js.performance.now()]
"""


@contextmanager
def _visible_and_hidden(session: Any, path: str, ready_js: str) -> Iterator[tuple[Any, Any, str]]:
    """Two pages of one origin at ``path`` (each ready once ``ready_js`` resolves); the
    second made to behave as a hidden tab. Yields (visible, hidden, its visibility)."""
    context = session.browser.new_context()
    try:
        visible, hidden = context.new_page(), context.new_page()
        for page in (visible, hidden):
            page.set_default_timeout(120_000)
            page.goto(session.url(path))
            page.evaluate(ready_js)
        yield visible, hidden, hidden.evaluate(HIDDEN_TAB_JS)
    finally:
        context.close()


def _spread(values: list[float]) -> dict[str, float]:
    return {"ms": statistics.median(values), "ms_min": min(values), "ms_max": max(values)}


def run(page: Any, source: str) -> Any:
    """Run Python ``source`` in ``page`` (the test page's evaluator); its last value."""
    return page.evaluate("(source) => window.__lkEval(source)", source)


def _wait_js(kind: str, key: str) -> str:
    return f"() => window.__xt.{kind}[{key!r}] !== undefined"


def measure_cross_tab(session: Any, repeat: int = 15) -> dict[str, Any]:
    """Put then delete ``repeat`` records from a hidden tab; ms until the visible tab's
    DOM showed each change (and until the writing tab's ``await`` returned)."""
    name = "bench-cross-tab"
    with _visible_and_hidden(session, "/__test__/", "() => window.__lkReady") as (
        visible,
        hidden,
        state,
    ):
        run(visible, _VISIBLE_PY.format(name=name))
        visible.evaluate(_OBSERVE_JS)
        run(hidden, _HIDDEN_PY.format(name=name))
        samples: dict[str, list[float]] = {"put": [], "delete": [], "put_await": []}
        for i in range(repeat):
            key = f"k{i}"
            t0, t_done = run(
                hidden,
                _WRITE_PY.format(
                    statement=f"await _xt_w.notes.put({{'id': {key!r}, 'n': {i}, 'text': 'note {i}'}})"
                ),
            )
            visible.wait_for_function(_wait_js("shown", key))
            samples["put"].append(visible.evaluate(f"window.__xt.shown[{key!r}]") - t0)
            samples["put_await"].append(t_done - t0)
        for i in range(repeat):
            key = f"k{i}"
            t0, _t_done = run(
                hidden, _WRITE_PY.format(statement=f"await _xt_w.notes.delete({key!r})")
            )
            visible.wait_for_function(_wait_js("gone", key))
            samples["delete"].append(visible.evaluate(f"window.__xt.gone[{key!r}]") - t0)
        run(visible, "_xt_mounted.unmount()\n_xt_db.close()\nawait _xt_db.delete()\nTrue")
    return {
        "writer_visibility": state,
        "repeat": repeat,
        "put → row shown": _spread(samples["put"]),
        "delete → row gone": _spread(samples["delete"]),
        "put → writer's await returns": _spread(samples["put_await"]),
    }


_APP_OBSERVE_JS = """
() => {
  window.__xtApp = {};
  const now = () => performance.timeOrigin + performance.now();
  new MutationObserver(() => {
    const t = now();
    for (const a of document.querySelectorAll("#app a")) {
      const name = a.textContent;
      if (name.startsWith("Xtab ") && window.__xtApp[name] === undefined) window.__xtApp[name] = t;
    }
  }).observe(document.body, { subtree: true, childList: true, characterData: true });
  return true;
}
"""

_APP_CREATE_JS = """
(name) => {
  const input = document.getElementById("new-character-name");
  input.value = name;
  input.dispatchEvent(new Event("input", { bubbles: true }));
  const t0 = performance.timeOrigin + performance.now();
  input.form.requestSubmit();
  return t0;
}
"""


def measure_app_cross_tab(session: Any, repeat: int = 15) -> dict[str, Any]:
    """The whole app: a character created on the Characters screen of a hidden tab, until
    the visible tab's Characters screen lists it (domain, state and UI included)."""
    ready = (
        "() => new Promise((ok) => { const f = () => document.documentElement.dataset.ready"
        " === 'true' ? ok(true) : setTimeout(f, 20); f(); })"
    )
    with _visible_and_hidden(session, "/", ready) as (visible, hidden, state):
        visible.evaluate(_APP_OBSERVE_JS)
        samples: list[float] = []
        for i in range(repeat):
            name = f"Xtab {i:03d}"
            t0 = hidden.evaluate(_APP_CREATE_JS, name)
            visible.wait_for_function(f"() => window.__xtApp[{name!r}] !== undefined")
            samples.append(visible.evaluate(f"window.__xtApp[{name!r}]") - t0)
    return {
        "writer_visibility": state,
        "repeat": repeat,
        "create → listed (the app)": _spread(samples),
    }
