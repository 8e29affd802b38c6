"""Collects the in-browser tier (see in_browser.txt) and runs each case in Pyodide."""

from __future__ import annotations

import importlib
import inspect
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser._cases import cases
from tools.paths import ROOT

_FLAG = re.compile(r"^RUN_IN_BROWSER\s*=\s*True\s*$", re.MULTILINE)
_SESSION: Any = None
_TIMEOUT_MS = 120_000


def _session() -> Any:
    global _SESSION
    if _SESSION is None:
        from tools.browser import BrowserSession

        _SESSION = BrowserSession().start()
        _SESSION.run_python("import tests.browser._runner")
    return _SESSION


def pytest_sessionfinish(session: pytest.Session) -> None:
    global _SESSION
    if _SESSION is not None:
        _SESSION.stop()
        _SESSION = None


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    if file_path.name == "in_browser.txt":
        return BrowserSuite.from_parent(parent, path=file_path)
    return None


def browser_modules() -> Iterator[Path]:
    tests = ROOT / "tests"
    for path in sorted(tests.rglob("test_*.py")):
        parts = path.relative_to(tests).parts
        if parts[0] in {"browser", "e2e"} or "__pycache__" in parts:
            continue
        if _FLAG.search(path.read_text(encoding="utf-8")):
            yield path


class BrowserSuite(pytest.File):
    def collect(self) -> Iterator[pytest.Item]:
        for path in browser_modules():
            module_name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            module = importlib.import_module(module_name)
            label = path.relative_to(ROOT / "tests").as_posix()
            for name, fn in vars(module).items():
                if not (name.startswith("test_") and inspect.isfunction(fn)
                        and fn.__module__ == module_name):
                    continue
                for index, case in enumerate(cases(fn)):
                    suffix = f"[{case.id}]" if case.id else ""
                    yield BrowserItem.from_parent(self, name=f"{label}::{name}{suffix}",
                                                  module_name=module_name, function_name=name,
                                                  index=index)


_HEAP_LIMIT = 1 << 30
"""WebAssembly memory never shrinks: once a page's Pyodide heap passes 1 GiB (the 100k-record
and 8 MB-text cases add up), the next case starts on a fresh page rather than let a later
allocation take the renderer down (Chromium's "Target crashed")."""


def _renew_if_heap_grew(session: Any) -> None:
    heap = session.page.evaluate("() => window.pyodide._module.HEAPU8.length")
    if int(heap) > _HEAP_LIMIT:
        session.new_page()
        session.run_python("import tests.browser._runner")


class BrowserTestFailure(Exception):
    def __init__(self, report: str) -> None:
        super().__init__(report)
        self.report = report


class BrowserItem(pytest.Item):
    def __init__(self, *, module_name: str, function_name: str, index: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.module_name, self.function_name, self.index = module_name, function_name, index
        self.add_marker("browser")

    def runtest(self) -> None:
        session = _session()
        seen = len(session.console)
        # A module may ask the host for environment values first (e.g. the URL of a fake
        # server the host runs): `def browser_host_env() -> dict[str, str]` in the module.
        hook = getattr(importlib.import_module(self.module_name), "browser_host_env", None)
        env = dict(hook()) if callable(hook) else {}
        source = ("import tests.browser._runner as _r\n"
                  f"await _r.run({self.module_name!r}, {self.function_name!r}, {self.index}, "
                  f"{env!r})")
        try:
            raw = session.page.evaluate(
                """async ([source, ms]) => Promise.race([window.__lkEval(source),
                    new Promise((_, reject) => setTimeout(
                        () => reject(new Error(`timed out after ${ms} ms`)), ms))])""",
                [source, _TIMEOUT_MS])
        except Exception as error:
            console = "\n".join(session.console[seen:])
            session.new_page()  # the page may be wedged: start the next test on a fresh one
            session.run_python("import tests.browser._runner")
            raise BrowserTestFailure(f"{error}\n{console}") from None
        result = json.loads(raw)
        _renew_if_heap_grew(session)
        if result["outcome"] == "skipped":
            pytest.skip(result["report"])
        if result["outcome"] == "failed":
            extra = "\n".join(session.console[seen:])
            report = result["report"]
            if result["output"]:
                report += "\n----- captured output -----\n" + result["output"]
            if extra:
                report += "\n----- browser console -----\n" + extra
            raise BrowserTestFailure(report)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, BrowserTestFailure):
            return f"(in Pyodide, headless Chromium)\n{excinfo.value.report}"
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, f"browser: {self.name}"
