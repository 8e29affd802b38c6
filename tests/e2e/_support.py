"""Helpers for end-to-end tests: use the app the way a person does, and check it.

Open the app (``open_app``), go to a route inside it (``go``), find things by role and
accessible name (``main_heading``, ``main_nav``; Playwright's ``get_by_role`` for the
rest), run axe-core on the page (``axe_violations`` / ``assert_accessible``), and read or
seed IndexedDB on a connection of its own (``stored``, ``seed``).

A new screen's e2e test usually reads::

    open_app(page, live_server.url("/"))
    go(page, "#/personas", heading="Personas")
    page.get_by_role("textbox", name="New persona").fill("Me")
    ...
    assert_accessible(page)
"""

from __future__ import annotations

import json
from typing import Any

from tools.paths import NODE_MODULES

__all__ = [
    "AXE",
    "READY",
    "assert_accessible",
    "axe_violations",
    "chat_record",
    "create_character",
    "eventually_in_page",
    "go",
    "main_heading",
    "main_nav",
    "open_app",
    "seed",
    "stored",
    "wait_ready",
]

READY = "html[data-ready='true']"
AXE = NODE_MODULES / "axe-core" / "axe.min.js"
"""axe-core from vendor/node_modules (a test-only dependency: never part of the site)."""


def wait_ready(page: Any, timeout_ms: int = 60_000) -> None:
    """Wait until the first screen has rendered from IndexedDB (or fail with the boot error)."""
    page.wait_for_function(
        "document.documentElement.dataset.ready === 'true'"
        " || document.documentElement.dataset.boot === 'failed'", timeout=timeout_ms)
    if page.evaluate("document.documentElement.dataset.boot") == "failed":
        message = page.text_content("#boot-error-message")
        detail = page.text_content("#boot-error-detail")
        raise AssertionError(f"the app failed to boot: {message}\n{detail}")


def open_app(page: Any, url: str, timeout_ms: int = 60_000) -> None:
    page.goto(url)
    wait_ready(page, timeout_ms)


_EVENTUALLY = """async ([source, arg, timeoutMs]) => {
  const check = (0, eval)(source);
  const end = performance.now() + timeoutMs;
  for (;;) {
    if (await check(arg)) return true;
    if (performance.now() > end) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}"""


def eventually_in_page(page: Any, predicate: str, arg: Any = None, what: str = "the condition",
                       timeout_ms: int = 10_000) -> None:
    """Wait until the (possibly async) JavaScript ``predicate(arg)`` is truthy in the page.

    Playwright's ``wait_for_function`` does not await a promise (an async predicate is
    truthy at once), so conditions that need ``await`` (IndexedDB, Cache Storage) are
    polled here, inside the page, and fail with a message naming ``what``.
    """
    if not page.evaluate(_EVENTUALLY, [predicate, arg, timeout_ms]):
        raise AssertionError(f"timed out after {timeout_ms} ms waiting for {what}")


def main_heading(page: Any) -> Any:
    """The page's own heading (the ``h1`` inside ``main``)."""
    return page.get_by_role("main").get_by_role("heading", level=1)


def main_nav(page: Any) -> Any:
    """The navigation landmark named "Main"."""
    return page.get_by_role("navigation", name="Main")


def go(page: Any, route: str, heading: str | None = None) -> None:
    """Go to ``route`` ("#/settings") inside the running app, as a link would, and wait
    until the page has opened (its heading is there, nothing is loading)."""
    page.evaluate("(route) => { location.hash = route; }", route)
    page.wait_for_function(
        "(route) => location.hash === route"
        " && document.querySelector('main h1') !== null"
        " && document.querySelector('main [aria-busy=true]') === null", arg=route)
    if heading is not None:
        from playwright.sync_api import expect

        expect(main_heading(page)).to_have_text(heading)


def axe_violations(page: Any, options: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """Run axe-core on the page as it is now; its violations (empty when clean).

    axe is injected from our own files (``add_script_tag(path=...)`` inlines it: no
    request leaves the page's origin), once per document.
    """
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async (options) => (await axe.run(document, options)).violations",
        options or {"resultTypes": ["violations"]})
    return list(result)


def _describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']}")
        for node in v["nodes"][:5]:
            lines.append(f"    {node['target']}: {node['failureSummary']}")
    return "\n".join(lines)


def assert_accessible(page: Any, where: str = "") -> None:
    """axe-core finds nothing on the page as it is now."""
    violations = axe_violations(page)
    assert not violations, f"axe-core violations {where or page.url}:\n{_describe(violations)}"


_READ_TABLE = """async ([name, table]) => {
  const db = await new Promise((ok, fail) => {
    const r = indexedDB.open(name);
    r.onsuccess = () => ok(r.result);
    r.onerror = () => fail(r.error);
  });
  try {
    return await new Promise((ok, fail) => {
      const r = db.transaction(table).objectStore(table).getAll();
      r.onsuccess = () => ok(r.result);
      r.onerror = () => fail(r.error);
    });
  } finally {
    db.close();
  }
}"""

_WRITE_TABLE = """async ([name, table, records]) => {
  const db = await new Promise((ok, fail) => {
    const r = indexedDB.open(name);
    r.onsuccess = () => ok(r.result);
    r.onerror = () => fail(r.error);
  });
  try {
    await new Promise((ok, fail) => {
      const tx = db.transaction(table, "readwrite");
      for (const record of records) tx.objectStore(table).put(record);
      tx.oncomplete = () => ok();
      tx.onerror = () => fail(tx.error);
    });
  } finally {
    db.close();
  }
}"""


def stored(page: Any, table: str, database: str = "lorekeeper") -> list[dict[str, Any]]:
    """Every record of ``table`` in IndexedDB, read on a connection of its own."""
    return list(page.evaluate(_READ_TABLE, [database, table]))


def seed(page: Any, table: str, records: list[dict[str, Any]],
         database: str = "lorekeeper") -> None:
    """Write records straight into IndexedDB (as another tab would), for screens whose
    own way of creating them is not built yet. Prefer creating through the UI."""
    page.evaluate(_WRITE_TABLE, [database, table, json.loads(json.dumps(records))])


def create_character(page: Any, name: str) -> str:
    """Create a character on the Characters screen (which must be open); its id."""
    field = page.get_by_role("textbox", name="New character")
    field.fill(name)
    field.press("Enter")
    link = page.get_by_role("list", name="Characters").get_by_role("link", name=name, exact=True)
    link.wait_for()
    href = link.get_attribute("href")
    assert href is not None and href.startswith("#/characters/"), href
    return str(href.split("/")[-1])


def chat_record(id: str, character_id: str, title: str) -> dict[str, Any]:
    """A chat as the domain stores it, for ``seed`` (chats have no screen to create them
    yet; once "New chat" exists, create them through it instead)."""
    now = "2026-01-01T00:00:00Z"
    return {"id": id, "created_at": now, "updated_at": now, "title": title,
            "character_id": character_id, "folder_id": None, "persona_id": None, "preview": "",
            "last_message_id": None, "last_message_at": None, "message_count": 0}
