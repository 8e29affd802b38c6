"""Running regex keys without ever freezing: a time limit per key, in CPython and the browser.

A runner takes texts and jobs (a regex key and the text it is run on) and returns, per job,
the first match `(start, end)` (code point offsets), None, or a `KeyProblem` name
("timeout", "unsupported", "not_run") with its detail.

* `PythonRunner` (CPython): runs the translation to `re` (`_jsregex.to_python`); on the main
  thread an interval timer interrupts a key after `KEY_TIME_LIMIT` (`re` checks for signals
  while it backtracks), so a catastrophic key gives up instead of hanging.
* `BrowserRunner` (Pyodide): the browser's own `RegExp`, so keys mean exactly what they
  mean in SillyTavern. `run_async` runs them in a Web Worker: the page stays responsive
  while it works, and a key that runs past the limit is given up by terminating the
  worker (a fresh one takes the remaining keys). The synchronous `run` cannot wait on a
  worker; it runs keys on the page's thread, except those `_jsregex.risk` flags, which it
  reports as "not_run" (only `scan_async` runs them).
"""

from __future__ import annotations

import asyncio
import re
import signal
import sys
import threading
import time
from collections.abc import Sequence
from typing import Any, NamedTuple, Protocol

from ._keys import JsCheck, RegexKey

__all__ = [
    "KEY_TIME_LIMIT",
    "BrowserRunner",
    "Outcome",
    "PythonRunner",
    "RegexJob",
    "RegexRunner",
    "default_runner",
    "js_check",
]

#: A regex key gives up after this many seconds on one text.
KEY_TIME_LIMIT = 0.25
IN_BROWSER = sys.platform == "emscripten"


class RegexJob(NamedTuple):
    """Run `key` over `texts[text]`."""

    text: int
    key: RegexKey


#: (start, end) of the first match; None: no match; (problem, detail): not run to the end.
Outcome = tuple[int, int] | tuple[str, str] | None


class RegexRunner(Protocol):
    def run(self, texts: Sequence[str], jobs: Sequence[RegexJob]) -> list[Outcome]: ...

    async def run_async(self, texts: Sequence[str], jobs: Sequence[RegexJob]) -> list[Outcome]: ...


class _Timeout(Exception):
    pass


def _raise_timeout(signum: int, frame: Any) -> None:
    raise _Timeout


class PythonRunner:
    """CPython: `re`, with a per-key time limit on the main thread (Unix interval timer)."""

    def __init__(self, time_limit: float = KEY_TIME_LIMIT) -> None:
        self.time_limit = time_limit

    def _can_interrupt(self) -> bool:
        return (
            hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
        )

    def run(self, texts: Sequence[str], jobs: Sequence[RegexJob]) -> list[Outcome]:
        return [self._one(texts[job.text], job.key) for job in jobs]

    async def run_async(self, texts: Sequence[str], jobs: Sequence[RegexJob]) -> list[Outcome]:
        out: list[Outcome] = []
        for job in jobs:
            out.append(self._one(texts[job.text], job.key))
            await asyncio.sleep(0)
        return out

    def _one(self, text: str, key: RegexKey) -> Outcome:
        pattern = key.python
        if pattern is None:
            return ("unsupported", key.unsupported or "")
        if not self._can_interrupt():
            return _first(pattern, text, key.sticky)
        previous = signal.signal(signal.SIGALRM, _raise_timeout)
        started = time.monotonic()
        before, interval = signal.setitimer(signal.ITIMER_REAL, self.time_limit)
        try:
            return _first(pattern, text, key.sticky)
        except _Timeout:
            return ("timeout", f"gave up after {self.time_limit * 1000:.0f} ms")
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
            if before:  # someone else's timer (e.g. pytest-timeout) keeps running
                left = max(before - (time.monotonic() - started), 0.001)
                signal.setitimer(signal.ITIMER_REAL, left, interval)


def _first(pattern: re.Pattern[str], text: str, sticky: bool) -> Outcome:
    m = pattern.match(text) if sticky else pattern.search(text)
    return None if m is None else (m.start(), m.end())


# -- browser --------------------------------------------------------------------------------------

#: The worker: runs jobs in order and reports each one, so the page knows which key hangs.
WORKER_SOURCE = """
const cache = new Map();
self.onmessage = (event) => {
  const { batch, texts, jobs } = event.data;
  for (let i = 0; i < jobs.length; i++) {
    const [t, source, flags] = jobs[i];
    let result = undefined;
    try {
      const id = flags + "/" + source;
      let re = cache.get(id);
      if (re === undefined) { re = new RegExp(source, flags); cache.set(id, re); }
      re.lastIndex = 0;
      const m = re.exec(texts[t]);
      if (m !== null) result = [m.index, m.index + m[0].length];
    } catch (e) {
      result = String(e && e.message || e);
    }
    self.postMessage({ batch, i, result });
  }
};
"""

#: The page-thread runner for the synchronous scan, and the browser's validity check.
_PAGE_SOURCE = """
(() => {
  const cache = new Map();
  const compile = (source, flags) => {
    const id = flags + "/" + source;
    let re = cache.get(id);
    if (re === undefined) { re = new RegExp(source, flags); cache.set(id, re); }
    re.lastIndex = 0;
    return re;
  };
  return {
    check(source, flags) {
      try { new RegExp(source, flags); return undefined; } catch (e) { return String(e.message); }
    },
    run(texts, jobs) {
      return jobs.map(([t, source, flags]) => {
        try {
          const m = compile(source, flags).exec(texts[t]);
          return m === null ? undefined : [m.index, m.index + m[0].length];
        } catch (e) { return String(e && e.message || e); }
      });
    },
  };
})()
"""

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def _to_code_points(text: str, span: Any) -> Outcome:
    """A JavaScript (UTF-16) match span as code point offsets."""
    if not isinstance(span, (str, list, tuple)):
        return None  # no match (None, or Pyodide's `jsnull`)
    if isinstance(span, str):
        return ("unsupported", span)
    start, end = int(span[0]), int(span[1])
    if _ASTRAL.search(text) is None:
        return (start, end)
    units = 0
    cp_start = cp_end = len(text)
    for i, ch in enumerate(text):
        if units == start:
            cp_start = i
        if units == end:
            cp_end = i
            break
        units += 2 if ord(ch) > 0xFFFF else 1
    return (cp_start, cp_end)


class BrowserRunner:
    """Pyodide: the browser's `RegExp`, asynchronously in a Web Worker with a time limit."""

    def __init__(self, time_limit: float = KEY_TIME_LIMIT) -> None:
        self.time_limit = time_limit
        self._page: Any = None
        self._worker: Any = None
        self._url: Any = None
        self._handler: Any = None
        self._inbox: asyncio.Queue[Any] | None = None
        self._batch = 0
        self._lock: asyncio.Lock | None = None

    # page thread
    def page(self) -> Any:
        if self._page is None:
            import js

            self._page = js.eval(_PAGE_SOURCE)
        return self._page

    def check(self, source: str, flags: str) -> str | None:
        result = self.page().check(source, flags)
        return result if isinstance(result, str) else None

    def run(self, texts: Sequence[str], jobs: Sequence[RegexJob]) -> list[Outcome]:
        from pyodide.ffi import to_js

        out: list[Outcome] = [None] * len(jobs)
        todo: list[int] = []
        for i, job in enumerate(jobs):
            if job.key.risk is not None:
                out[i] = ("not_run", f"{job.key.risk}; scan_async runs it with a time limit")
            else:
                todo.append(i)
        if todo:
            payload = [[jobs[i].text, jobs[i].key.source, jobs[i].key.flags] for i in todo]
            spans = self.page().run(to_js(list(texts)), to_js(payload)).to_py()
            for i, span in zip(todo, spans, strict=True):
                out[i] = _to_code_points(texts[jobs[i].text], span)
        return out

    # worker
    def _start_worker(self) -> None:
        import js
        from pyodide.ffi import create_proxy, to_js

        if self._url is None:
            blob = js.Blob.new(to_js([WORKER_SOURCE]), to_js({"type": "text/javascript"}))
            self._url = js.URL.createObjectURL(blob)
        inbox: asyncio.Queue[Any] = asyncio.Queue()
        self._inbox = inbox
        if self._handler is None:
            self._handler = create_proxy(lambda event: self._receive(event))
        self._worker = js.Worker.new(self._url)
        self._worker.onmessage = self._handler

    def _receive(self, event: Any) -> None:
        if self._inbox is not None:
            self._inbox.put_nowait(event.data.to_py())

    def _stop_worker(self) -> None:
        if self._worker is not None:
            self._worker.terminate()
            self._worker = None
        self._inbox = None

    async def run_async(self, texts: Sequence[str], jobs: Sequence[RegexJob]) -> list[Outcome]:
        from pyodide.ffi import to_js

        if self._lock is None:
            self._lock = asyncio.Lock()
        async with self._lock:
            out: list[Outcome] = [None] * len(jobs)
            first = 0
            while first < len(jobs):
                if self._worker is None:
                    self._start_worker()
                assert self._inbox is not None
                self._batch += 1
                batch = self._batch
                payload = [[j.text, j.key.source, j.key.flags] for j in jobs[first:]]
                self._worker.postMessage(
                    to_js(
                        {"batch": batch, "texts": list(texts), "jobs": payload},
                        dict_converter=__import__("js").Object.fromEntries,
                    )
                )
                done = first
                while done < len(jobs):
                    try:
                        message = await asyncio.wait_for(self._inbox.get(), self.time_limit)
                    except TimeoutError:
                        # The key at `done` ran past the limit: stop the worker, skip it.
                        self._stop_worker()
                        out[done] = ("timeout", f"gave up after {self.time_limit * 1000:.0f} ms")
                        done += 1
                        break
                    if message.get("batch") != batch:
                        continue
                    i = first + int(message["i"])
                    out[i] = _to_code_points(texts[jobs[i].text], message["result"])
                    done = i + 1
                first = done
            return out


_DEFAULT: RegexRunner | None = None


def default_runner() -> RegexRunner:
    """The browser's `RegExp` in Pyodide; `re` (with a time limit) in CPython."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = BrowserRunner() if IN_BROWSER else PythonRunner()
    return _DEFAULT


def js_check() -> JsCheck | None:
    """In the browser, `RegExp` decides which `/…/` keys are valid; elsewhere our reading
    of JavaScript's grammar does (None)."""
    runner = default_runner()
    return runner.check if isinstance(runner, BrowserRunner) else None
