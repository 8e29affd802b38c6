"""Runs one test case inside Pyodide and reports the outcome as JSON (used by the page).

Resolves fixtures by parameter name from the test module, then from the ``conftest``
modules of its package and each parent package, then the built-ins (``monkeypatch``);
autouse fixtures run first; teardowns run in reverse order, even when the test fails.
"""

from __future__ import annotations

import contextlib
import importlib
import inspect
import io
import json
import os
import sys
import time
import traceback
from typing import Any

import pytest

from tests.browser._cases import cases, skip_reason

__all__ = ["MonkeyPatch", "run"]

_NOTSET = object()


class MonkeyPatch:
    def __init__(self) -> None:
        self._undo: list[Any] = []

    def setattr(self, target: Any, name: Any, value: Any = _NOTSET, raising: bool = True) -> None:
        if value is _NOTSET:  # setattr("package.module.attr", value)
            module_name, _, attr = str(target).rpartition(".")
            target, name, value = importlib.import_module(module_name), attr, name
        old = getattr(target, name, _NOTSET)
        if raising and old is _NOTSET:
            raise AttributeError(f"{target!r} has no attribute {name!r}")
        self._undo.append(lambda: delattr(target, name) if old is _NOTSET
                          else setattr(target, name, old))
        setattr(target, name, value)

    def delattr(self, target: Any, name: str, raising: bool = True) -> None:
        old = getattr(target, name, _NOTSET)
        if old is _NOTSET:
            if raising:
                raise AttributeError(name)
            return
        self._undo.append(lambda: setattr(target, name, old))
        delattr(target, name)

    def setitem(self, mapping: Any, key: Any, value: Any) -> None:
        old = mapping.get(key, _NOTSET)
        self._undo.append(lambda: mapping.pop(key, None) if old is _NOTSET
                          else mapping.__setitem__(key, old))
        mapping[key] = value

    def delitem(self, mapping: Any, key: Any, raising: bool = True) -> None:
        if key not in mapping:
            if raising:
                raise KeyError(key)
            return
        old = mapping[key]
        self._undo.append(lambda: mapping.__setitem__(key, old))
        del mapping[key]

    def setenv(self, name: str, value: str) -> None:
        self.setitem(os.environ, name, value)

    def delenv(self, name: str, raising: bool = True) -> None:
        self.delitem(os.environ, name, raising)

    def undo(self) -> None:
        while self._undo:
            self._undo.pop()()


def _fixture_defs(module: Any) -> dict[str, Any]:
    """Fixtures visible to ``module``: its own win over conftests, nearer over farther."""
    sources = [module]
    package = module.__name__.rpartition(".")[0]
    while package:
        try:
            sources.append(importlib.import_module(package + ".conftest"))
        except ModuleNotFoundError as error:
            if error.name != package + ".conftest":
                raise
        package = package.rpartition(".")[0]
    found: dict[str, Any] = {}
    for source in reversed(sources):
        for value in vars(source).values():
            definition = getattr(value, "_lk_fixture", None)
            if definition is not None:
                found[definition.name] = definition
    return found


class _Request:
    def __init__(self, module: Any, fn: Any, case_id: str) -> None:
        self.module, self.function, self.node_id = module, fn, case_id


async def _resolve(name: str, defs: dict[str, Any], values: dict[str, Any],
                   teardowns: list[Any], request: _Request) -> Any:
    if name in values:
        return values[name]
    if name == "request":
        return request
    if name == "monkeypatch" and name not in defs:
        patch = MonkeyPatch()
        teardowns.append(patch.undo)
        values[name] = patch
        return patch
    if name not in defs:
        raise LookupError(f"fixture {name!r} not found (browser tier)")
    func = defs[name].func
    kwargs = {arg: await _resolve(arg, defs, values, teardowns, request)
              for arg in inspect.signature(func).parameters}
    if inspect.isasyncgenfunction(func):
        agen = func(**kwargs)
        value = await agen.__anext__()

        async def finish_async(agen: Any = agen) -> None:
            with contextlib.suppress(StopAsyncIteration):
                await agen.__anext__()

        teardowns.append(finish_async)
    elif inspect.isgeneratorfunction(func):
        gen = func(**kwargs)
        value = next(gen)
        teardowns.append(lambda gen=gen: next(gen, None))
    else:
        value = func(**kwargs)
        if inspect.isawaitable(value):
            value = await value
    values[name] = value
    return value


async def _teardown(teardowns: list[Any]) -> None:
    while teardowns:
        result = teardowns.pop()()
        if inspect.isawaitable(result):
            await result


async def run(module_name: str, function_name: str, index: int,
              env: dict[str, str] | None = None) -> str:
    """Run case ``index`` of ``module_name.function_name``; JSON with outcome and report.

    ``env`` (from the module's ``browser_host_env`` on the host) is set in ``os.environ``
    for the case and removed afterwards."""
    started = time.perf_counter()
    saved = {name: os.environ.get(name) for name in env or {}}
    os.environ.update(env or {})
    out = io.StringIO()
    outcome, report = "passed", ""
    teardowns: list[Any] = []
    old_stdout, old_stderr = sys.stdout, sys.stderr
    sys.stdout = sys.stderr = out
    try:
        module = importlib.import_module(module_name)
        fn = getattr(module, function_name)
        case = cases(fn)[index]
        reason = skip_reason(fn, case.marks) or skip_reason(module)
        if reason is not None:
            raise pytest.Skipped(reason)
        defs = _fixture_defs(module)
        values: dict[str, Any] = dict(case.params)
        request = _Request(module, fn, case.id)
        for definition in defs.values():
            if definition.autouse:
                await _resolve(definition.name, defs, values, teardowns, request)
        kwargs = {name: await _resolve(name, defs, values, teardowns, request)
                  for name in inspect.signature(fn).parameters}
        result = fn(**kwargs)
        if inspect.isawaitable(result):
            await result
    except pytest.Skipped as skipped:
        outcome, report = "skipped", str(skipped)
    except BaseException:
        outcome, report = "failed", traceback.format_exc()
    finally:
        try:
            await _teardown(teardowns)
        except BaseException:
            if outcome != "failed":
                outcome = "failed"
            report += "\nError in fixture teardown:\n" + traceback.format_exc()
        sys.stdout, sys.stderr = old_stdout, old_stderr
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    return json.dumps({"outcome": outcome, "report": report, "output": out.getvalue(),
                       "seconds": time.perf_counter() - started})
