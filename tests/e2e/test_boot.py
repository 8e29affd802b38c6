"""Booting, offline use and hosting, tested as a person would meet them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from tests.e2e._support import eventually_in_page, open_app, wait_ready
from tools.build import APP_WHEEL, write_service_worker

STAGES = ["runtime", "packages", "database", "screen"]

FRESH_PROFILE = True  # about the first visit: a new, empty profile per test


def _service_worker_ready(page: Any) -> None:
    page.evaluate("async () => { await navigator.serviceWorker.ready; }")
    page.wait_for_function("navigator.serviceWorker.controller !== null")


def _cache_names(page: Any) -> list[str]:
    return page.evaluate("async () => (await caches.keys()).filter(k => k.startsWith('lorekeeper-'))")


def test_boot_shows_named_stages_then_marks_the_page_ready(live_server: Any, page: Any) -> None:
    page.goto(live_server.url("/"))
    # The shell paints before Python: the title, the bar and the stage list are there at once.
    assert page.is_visible("#boot-progress")
    assert page.text_content("#boot-title") == "Lorekeeper"
    labels = page.eval_on_selector_all("#boot-stages li", "els => els.map(e => e.dataset.stage)")
    assert labels == STAGES
    wait_ready(page)
    marks = page.evaluate("window.lkBoot.marks")
    times = [marks[name] for name in [*STAGES, "ready"]]
    assert times == sorted(times), marks
    assert page.evaluate("document.getElementById('boot-progress').value") == 100
    assert page.is_hidden("#boot") and page.is_visible("#app")


def test_runtime_and_code_come_from_our_origin_in_few_requests(
        live_server: Any, page: Any, requests_seen: list[str]) -> None:
    open_app(page, live_server.url("/"))
    python = [u for u in requests_seen if u.endswith((".py", ".whl"))]
    # The app's Python code is one wheel, not one request per module (the service worker
    # revalidates the same URL once when it precaches, hence the set).
    assert {u for u in python if "lorekeeper" in u} == {live_server.url(
        f"/static/vendor/pyodide/{APP_WHEEL}")}
    assert not [u for u in python if u.endswith(".py")]


def test_works_with_the_server_stopped_after_one_visit(site: Path, make_server: Any,
                                                       page: Any) -> None:
    server = make_server({"/": site})
    open_app(page, server.url("/"))
    _service_worker_ready(page)
    manifest = json.loads((site / "precache-manifest.json").read_text())
    cached = page.evaluate("""async (name) => (await (await caches.open(name)).keys()).length""",
                           f"lorekeeper-{manifest['version']}")
    assert cached == len(manifest["files"])
    server.stop()
    page.reload()
    wait_ready(page)
    assert page.evaluate("navigator.serviceWorker.controller !== null")


def test_a_new_build_replaces_the_cache(site: Path, tmp_path: Path, make_server: Any,
                                        page: Any) -> None:
    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    server = make_server({"/": copy})
    open_app(page, server.url("/"))
    _service_worker_ready(page)
    before = _cache_names(page)
    assert len(before) == 1
    index = copy / "index.html"
    index.write_text(index.read_text().replace("</body>", "<!-- release 2 -->\n</body>"))
    version = write_service_worker(copy)
    page.reload()
    wait_ready(page)
    eventually_in_page(
        page,
        """async (name) => JSON.stringify((await caches.keys())
            .filter(k => k.startsWith('lorekeeper-'))) === JSON.stringify([name])""",
        f"lorekeeper-{version}", "the new cache in and the old one gone", timeout_ms=60_000)
    page.reload()
    wait_ready(page)
    cached = page.evaluate("""async (name) => {
        const r = await (await caches.open(name)).match(new URL('./', location.href).href);
        return r ? await r.text() : null; }""", f"lorekeeper-{version}")
    assert cached is not None and "release 2" in cached
    assert "release 2" in page.content()


def test_runs_from_a_sub_path(site: Path, make_server: Any, page: Any,
                              requests_seen: list[str]) -> None:
    server = make_server({"/lorekeeper/": site})
    open_app(page, server.url("/lorekeeper/"))
    assert all("/lorekeeper/" in url for url in requests_seen if url.startswith(server.origin))
    _service_worker_ready(page)
    assert page.evaluate("navigator.serviceWorker.controller.scriptURL").endswith(
        "/lorekeeper/sw.js")


def _boot_error(page: Any) -> str:
    page.wait_for_selector("html[data-boot='failed']", state="attached")
    assert page.is_visible("#boot-error")
    return page.text_content("#boot-error-message") or ""


def test_a_missing_file_gives_a_readable_error(site: Path, tmp_path: Path, make_server: Any,
                                               page: Any) -> None:
    broken = tmp_path / "site"
    shutil.copytree(site, broken)
    (broken / "static" / "vendor" / "pyodide" / APP_WHEEL).unlink()
    server = make_server({"/": broken})
    page.goto(server.url("/"))
    message = _boot_error(page)
    assert "missing" in message and APP_WHEEL in message


def test_no_indexeddb_gives_a_readable_error(live_server: Any, page: Any) -> None:
    page.add_init_script("Object.defineProperty(window, 'indexedDB', {value: undefined})")
    page.goto(live_server.url("/"))
    assert "IndexedDB" in _boot_error(page)


def test_blocked_webassembly_gives_a_readable_error(live_server: Any, page: Any) -> None:
    page.add_init_script("delete window.WebAssembly")
    page.goto(live_server.url("/"))
    assert "WebAssembly" in _boot_error(page)


def test_what_a_person_writes_survives_a_reload(live_server: Any, page: Any) -> None:
    open_app(page, live_server.url("/#/characters"))
    page.get_by_label("New character").fill("Ada Lovelace")
    page.get_by_role("button", name="Create").click()
    characters = page.get_by_role("list", name="Characters")
    characters.get_by_text("Ada Lovelace").wait_for()
    page.reload()
    wait_ready(page)
    characters.get_by_text("Ada Lovelace").wait_for()


def _snapshot_kept(page: Any) -> None:
    page.wait_for_function("window.lkBoot.snapshot !== undefined")
    assert page.evaluate("window.lkBoot.snapshot.ok"), page.evaluate("window.lkBoot.snapshot")


def test_later_loads_restore_the_interpreter_snapshot(live_server: Any, page: Any) -> None:
    open_app(page, live_server.url("/"))
    assert not page.evaluate("window.lkBoot.restored === true")
    _snapshot_kept(page)
    page.reload()
    wait_ready(page)
    assert page.evaluate("window.lkBoot.restored === true")


def test_a_damaged_snapshot_is_dropped_and_python_starts_normally(live_server: Any,
                                                                  page: Any) -> None:
    open_app(page, live_server.url("/"))
    _snapshot_kept(page)
    page.evaluate("""async () => {
        for (const name of await caches.keys()) {
            if (!name.startsWith('lk-snapshot-')) continue;
            const cache = await caches.open(name);
            for (const request of await cache.keys())
                await cache.put(request, new Response(new Uint8Array([1, 2, 3])));
        } }""")
    page.reload()
    wait_ready(page)
    assert not page.evaluate("window.lkBoot.restored === true")
    _snapshot_kept(page)  # a good one replaces it


def test_the_app_is_installable(live_server: Any, page: Any) -> None:
    open_app(page, live_server.url("/"))
    _service_worker_ready(page)
    cdp = page.context.new_cdp_session(page)
    errors = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
    # A Playwright context is an incognito profile, which Chromium never installs from;
    # nothing else (manifest, icons, service worker, scope) may stand in the way.
    assert [e["errorId"] for e in errors if e["errorId"] != "in-incognito"] == [], errors
    manifest = cdp.send("Page.getAppManifest")
    assert not manifest.get("errors"), manifest.get("errors")
