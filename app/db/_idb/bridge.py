"""Calls into the JavaScript helper: one call per DBCore operation, one future each.

The helper (``helper_js.py``) answers through a resolver it calls from the IndexedDB
event itself; the waiting task resumes right there (``loop.resolve_now``).
"""

from __future__ import annotations

import asyncio
import itertools
from typing import TYPE_CHECKING, Any

from . import loop
from .helper_js import HELPER_JS

if TYPE_CHECKING:
    from .core import IDBTransaction

__all__ = ["helper", "invoke", "invoke_new", "invoke_once"]

_helper: list[Any] = []
_call: list[Any] = []  # the helper's ``call`` and ``callNew``, looked up once
_futures: dict[int, asyncio.Future[Any]] = {}
_ids = itertools.count()


def helper() -> Any:
    """The page's JavaScript helper (made, and the loop patched, on first use)."""
    if not _helper:
        from pyodide.code import run_js
        from pyodide.ffi import create_proxy

        h = run_js(HELPER_JS)
        h.setResolver(create_proxy(_resolve))
        loop.install()
        _helper.append(h)
        _call.extend((h.call, h.callNew))
    return _helper[0]


def _resolve(call_id: int, result: Any) -> None:
    """Called by JavaScript from a request's event: wake the waiter right here."""
    fut = _futures.pop(call_id, None)
    if fut is None or fut.done():
        return
    loop.resolve_now(fut, result)


def _future() -> tuple[int, asyncio.Future[Any]]:
    # a plain Future: the loop's create_future() adds a done callback (Pyodide counts
    # work in progress), one more turn of the loop per request for nothing
    fut: asyncio.Future[Any] = asyncio.Future(loop=asyncio.get_running_loop())
    call_id = next(_ids)
    _futures[call_id] = fut
    return call_id, fut


def invoke(name: str, *args: Any) -> asyncio.Future[Any]:
    """Call helper ``name``; a future of its result (a JSON string, see ``wire``)."""
    if not _call:
        helper()
    call_id, fut = _future()
    _call[0](name, call_id, *args)
    return fut


def invoke_new(trans: IDBTransaction, name: str, *args: Any) -> asyncio.Future[Any]:
    """Like :func:`invoke`, creating ``trans``'s IndexedDB transaction in the same call."""
    trans.tx_id, fut = _call_new(trans.idb, trans.tables_json, trans.mode, False, name, args)
    return fut


def invoke_once(idb: Any, tables_json: str, name: str, *args: Any) -> asyncio.Future[Any]:
    """Like :func:`invoke`, in a read-only transaction of its own that serves only
    this call (nothing in Python stands for it)."""
    return _call_new(idb, tables_json, "r", True, name, args)[1]


def _call_new(
    idb: Any, tables_json: str, mode: str, once: bool, name: str, args: tuple[Any, ...]
) -> tuple[int | None, asyncio.Future[Any]]:
    """The helper's ``callNew``: the new transaction's number (None if ``once`` or it
    could not be made) and the future of the call's result."""
    if not _call:
        helper()
    call_id, fut = _future()
    return _call[1](name, call_id, idb, tables_json, mode, once, *args), fut
