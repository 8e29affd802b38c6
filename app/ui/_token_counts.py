"""Token counts for lorebook entries, exact where the generation tokenizer allows.

The tokenizer (``app.generation.token_counter``) loads on first use and counting 5,000
entries takes seconds in the browser, so counts come in the background: each text shows
an estimate (about four characters per token, marked "≈") until its exact count arrives;
texts are counted a batch at a time, yielding to the page between batches, and each
count is cached by content (editing an entry's title never re-counts its content).
``version`` changes whenever new counts arrived, for views to re-read.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterable

from app.lore import approx_tokens
from app.reactive import Readable, get, readonly, writable

__all__ = ["TokenCounts"]

log = logging.getLogger("app.ui")

BATCH = 100
"""Texts counted between two yields to the page."""
REPORT_EVERY = 10
"""Batches between two ``version`` changes (and the end)."""


class TokenCounts:
    """Counts per text (see the module docstring)."""

    def __init__(self, model: str = "") -> None:
        self.model = model
        self._counter: Callable[[str], int] | None = None
        self._exact: dict[str, int] = {}
        self._pending: dict[str, None] = {}
        self._task: asyncio.Future[None] | None = None
        self._version = writable(0)
        self.version: Readable[int] = readonly(self._version)
        self._label = writable("estimate: about four characters per token")
        self.label: Readable[str] = readonly(self._label)

    def count(self, text: str) -> tuple[int, bool]:
        """``(tokens, exact)``: the tokenizer's count once known, else an estimate."""
        got = self._exact.get(text)
        if got is not None:
            return got, True
        return approx_tokens(text), False

    def total(self, texts: Iterable[str]) -> tuple[int, bool]:
        n, exact = 0, True
        for text in texts:
            c, e = self.count(text)
            n += c
            exact = exact and e
        return n, exact

    def want(self, texts: Iterable[str]) -> None:
        """Count these texts in the background (those not counted yet)."""
        for text in texts:
            if text not in self._exact:
                self._pending[text] = None
        if self._pending and (self._task is None or self._task.done()):
            self._task = asyncio.ensure_future(self._run())

    async def settle(self) -> None:
        while self._task is not None and not self._task.done():
            await self._task

    def stop(self) -> None:
        if self._task is not None and not self._task.done():
            self._task.cancel()
        self._pending.clear()

    async def _run(self) -> None:
        if self._counter is None:
            try:
                from app.generation import token_counter

                counter = await token_counter(self.model)
            except Exception as exc:  # no tokenizer: the estimates stay, labelled as such
                log.warning("the tokenizer could not load", exc_info=exc)
                self._pending.clear()
                return
            self._counter = counter
            self._label.set(counter.label)
        count = self._counter
        batches = 0
        while self._pending:
            batch = list(self._pending)[:BATCH]
            for text in batch:
                self._pending.pop(text, None)
                self._exact[text] = count(text)
            batches += 1
            if batches % REPORT_EVERY == 0 or not self._pending:  # views re-read in steps
                self._version.set(self._version_value() + 1)
            await asyncio.sleep(0)

    def _version_value(self) -> int:
        return int(get(self._version))
