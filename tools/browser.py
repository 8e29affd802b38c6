"""A headless Chromium page with Pyodide, pydantic and the ``app`` package loaded.

Used by the in-browser test tier and by the benchmarks::

    from tools.browser import browser_session
    with browser_session() as s:
        s.run_python("import app; 1 + 1")      # -> 2 (top-level await allowed)
        s.page.evaluate("async () => ...")      # raw JS in the same page
        s.url("/__vendor__/dexie/dist/dexie.mjs")

The server (127.0.0.1 only) serves this process's build of the site at ``/``, ``vendor/node_modules`` at
``/__vendor__/`` (benchmark-only libraries such as Dexie), and a test page plus a zip of
``tests/`` under ``/__test__/``. Nothing outside 127.0.0.1 is ever requested.
"""

from __future__ import annotations

import atexit
import contextlib
import io
import os
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tools.paths import BUILD, NODE_MODULES, ROOT
from tools.server import StaticServer

__all__ = [
    "CHROMIUM",
    "BrowserSession",
    "browser_session",
    "close_shared",
    "launch_chromium",
    "private_site",
    "shared_browser",
    "shared_site",
    "tests_zip",
]

CHROMIUM = os.environ.get("LK_CHROMIUM", "/usr/bin/chromium")
# Quiet, offline-friendly Chromium: no background traffic to outside hosts.
CHROMIUM_ARGS = [
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--no-first-run", "--disable-quic", "--disable-default-apps",
    "--disable-features=Translate,OptimizationHints,MediaRouter",
]

_TEST_PAGE = b"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Lorekeeper in-browser tests</title></head>
<body><div id="app"></div>
<script type="module">
import { loadPyodide } from "/static/vendor/pyodide/pyodide.mjs";
window.__lkReady = (async () => {
  const pyodide = await loadPyodide({ indexURL: "/static/vendor/pyodide/" });
  await pyodide.loadPackage(["lorekeeper"], { messageCallback: () => {} });
  const zip = await (await fetch("/__test__/tests.zip")).arrayBuffer();
  pyodide.unpackArchive(zip, "zip", { extractDir: "/home/pyodide/lk" });
  pyodide.runPython(`
import sys, json
sys.path.insert(0, "/home/pyodide/lk")
from pyodide.code import eval_code_async

_lk_globals = {"__name__": "__lk__"}

async def _lk_eval(source):
    value = await eval_code_async(source, _lk_globals)
    return json.dumps(value, default=repr)
`);
  window.pyodide = pyodide;
  const evaluate = pyodide.globals.get("_lk_eval");
  window.__lkEval = async (source) => JSON.parse(await evaluate(source));
  return true;
})();
</script></body></html>
"""


def private_site() -> Path:
    """A fresh build of the site in its own folder, so parallel runs never share one."""
    from tools.build import build_site

    BUILD.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="run-", dir=BUILD))
    return build_site(folder / "site", quiet=True)


def shared_site() -> Path:
    """This process's build of the site: built on first use, removed by ``close_shared``."""
    if "site" not in _SHARED:
        _SHARED["site"] = private_site()
        _close_at_exit()
    return _SHARED["site"]


def tests_zip() -> bytes:
    """Every ``.py`` under ``tests/`` plus the ``pytest`` shim, for the page's sys.path."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted((ROOT / "tests").rglob("*.py")):
            rel = path.relative_to(ROOT)
            if "__pycache__" in rel.parts or rel.parts[1] == "e2e":
                continue
            archive.write(path, rel.as_posix())
        archive.write(ROOT / "tests" / "browser" / "pytest_shim.py", "pytest.py")
    return buffer.getvalue()


_SHARED: dict[str, Any] = {}


def shared_browser() -> Any:
    """The process's one Chromium (Playwright's sync API allows only one per thread).

    The in-browser tier, end-to-end tests, multi-tab tests and benchmarks all take their
    contexts from it; ``close_shared()`` (run at exit) shuts it down.
    """
    if "browser" not in _SHARED:
        from playwright.sync_api import sync_playwright

        _SHARED["playwright"] = sync_playwright().start()
        _SHARED["browser"] = launch_chromium(_SHARED["playwright"])
        _close_at_exit()
    return _SHARED["browser"]


def _close_at_exit() -> None:
    if not _SHARED.get("atexit"):
        _SHARED["atexit"] = True
        atexit.register(close_shared)


def close_shared() -> None:
    """Close the shared Chromium and remove the shared site build."""
    browser, playwright = _SHARED.pop("browser", None), _SHARED.pop("playwright", None)
    for closer in (getattr(browser, "close", None), getattr(playwright, "stop", None)):
        if closer is not None:
            with contextlib.suppress(Exception):
                closer()
    site = _SHARED.pop("site", None)
    if site is not None:
        shutil.rmtree(site.parent, ignore_errors=True)


def launch_chromium(playwright: Any, **kwargs: Any) -> Any:
    """Launch Debian's Chromium headless (Playwright's own browser download is not used)."""
    if not os.path.exists(CHROMIUM):
        raise RuntimeError(f"{CHROMIUM} not found: run `sudo apt-get install -y chromium`")
    args = [*CHROMIUM_ARGS, *kwargs.pop("args", [])]
    return playwright.chromium.launch(executable_path=CHROMIUM, args=args, **kwargs)


class BrowserSession:
    """One server and one page with Pyodide booted (in the shared Chromium), reusable."""

    def __init__(self, timeout_ms: int = 120_000) -> None:
        self.timeout_ms = timeout_ms
        self.site = shared_site()
        self.server = StaticServer(
            {"/": self.site, "/__vendor__/": NODE_MODULES},
            dynamic={"/__test__/": _TEST_PAGE, "/__test__/tests.zip": tests_zip()},
        )
        self.browser: Any = None
        self.context: Any = None
        self.page: Any = None
        self.console: list[str] = []

    def url(self, path: str = "/") -> str:
        return self.server.url(path)

    def start(self) -> BrowserSession:
        self.server.start()
        self.browser = shared_browser()
        self.new_page()
        return self

    def new_page(self) -> Any:
        """(Re)open the test page in a fresh context and wait for Pyodide."""
        if self.context is not None:
            self.context.close()
        self.context = self.browser.new_context()
        self.page = self.context.new_page()
        self.page.set_default_timeout(self.timeout_ms)
        self.console = []
        self.page.on("console", lambda msg: self.console.append(f"{msg.type}: {msg.text}"))
        self.page.on("pageerror", lambda err: self.console.append(f"pageerror: {err}"))
        self.page.goto(self.url("/__test__/"))
        self.page.evaluate("() => window.__lkReady")
        return self.page

    def run_python(self, source: str) -> Any:
        """Run Python in the page; return the last expression's value (JSON round-trip)."""
        return self.page.evaluate("(source) => window.__lkEval(source)", source)

    def stop(self) -> None:
        if self.context is not None:
            with contextlib.suppress(Exception):
                self.context.close()
            self.context = None
        self.server.stop()

    def __enter__(self) -> BrowserSession:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


@contextmanager
def browser_session(timeout_ms: int = 120_000) -> Iterator[BrowserSession]:
    session = BrowserSession(timeout_ms=timeout_ms).start()
    try:
        yield session
    finally:
        session.stop()


