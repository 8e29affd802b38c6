"""The background sync loop of the one tab that syncs.

Wakes on new outbox rows (after a short pause, so a burst of autosaves is one push), on
the browser going ``online``, on the tab becoming visible, on the server's poke and every
``periodic_s`` seconds; pushes then pulls; after a failure waits 1, 2, 4 … 60 s with
jitter (``Retry-After`` when the server says); stops on sign-out or when the server needs
a newer app, until woken by a sign-in.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
from collections.abc import Callable
from dataclasses import replace
from typing import Literal

from ._api import ApiError, NetworkError
from ._replica import Progress, Replica, SignedOutError, UpgradeRequiredError
from ._status import SyncStatus

__all__ = ["Backoff", "SyncTask", "Wake"]

Wake = Literal["outbox", "online", "visible", "poke", "signed_in", "now"]


class Backoff:
    """Exponential backoff with jitter: attempt n waits ``base·2ⁿ⁻¹`` capped at ``cap``,
    times a random factor in [0.5, 1)."""

    def __init__(self, base: float = 1.0, cap: float = 60.0,
                 rand: Callable[[], float] = random.random) -> None:
        self.base, self.cap, self.rand = base, cap, rand

    def delay(self, failures: int) -> float:
        raw = min(self.cap, self.base * 2.0 ** max(0, failures - 1))
        return float(max(self.base, raw * (0.5 + self.rand() / 2)))


class SyncTask:
    """``run()`` until ``stop()``; ``wake(reason)`` from anywhere in the tab."""

    def __init__(self, replica: Replica, publish: Callable[[SyncStatus], None], *,
                 periodic_s: float = 60.0, debounce_s: float = 0.3,
                 backoff: Backoff | None = None) -> None:
        self.replica = replica
        self.publish = publish
        self.periodic_s = periodic_s
        self.debounce_s = debounce_s
        self.backoff = backoff or Backoff()
        self.status = SyncStatus()
        self.failures = 0
        self.syncs = 0
        self._woken = asyncio.Event()
        self._urgent = False
        self._stopped = False
        self._held = False  # signed out or upgrade needed: wait for a sign-in
        self._reason: Wake | None = None
        self._refreshing: asyncio.Future[None] | None = None
        replica.on_progress = self._progress

    def wake(self, reason: Wake = "now") -> None:
        if reason == "outbox" and (self._held or self.failures):
            # retry timing stays with the backoff; only the count of waiting changes
            self._refreshing = asyncio.ensure_future(self.refresh())
            return
        if reason == "signed_in":
            self._held, self.failures = False, 0
        self._urgent = self._urgent or reason != "outbox"
        self._reason = reason if self._reason is None or reason != "outbox" else self._reason
        self._woken.set()

    def stop(self) -> None:
        self._stopped = True
        self._woken.set()

    def _set(self, **changes: object) -> None:
        self.status = replace(self.status, **changes)  # type: ignore[arg-type]
        self.publish(self.status)

    def _progress(self, progress: Progress) -> None:
        if progress.total >= 200:  # only a large first sync is worth a progress bar
            self._set(progress=progress)

    async def _describe(self) -> dict[str, object]:
        link = await self.replica.link()
        return {"pending": await self.replica.pending(),
                "rejected": tuple(await self.replica.rejected()),
                "server": link.get("server") if link else None,
                "username": link.get("username") if link else None,
                "last_synced_ms": link.get("last_synced_ms") if link else None}

    async def refresh(self) -> None:
        """Publish the status again from the database (pending count, rejections)."""
        link = await self.replica.link()
        described = await self._describe()
        if link is None:
            self._set(state="off", **described)
        elif not link.get("token"):
            self._set(state="signed_out", **described)
        else:
            self._set(**described)

    async def _wait(self, timeout: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._woken.wait(), timeout)
        if self._reason == "outbox" and not self._urgent and self.debounce_s > 0:
            await asyncio.sleep(self.debounce_s)  # let a burst of saves finish
        self._woken.clear()
        self._urgent = False
        self._reason = None

    async def run(self) -> None:
        await self.refresh()
        delay = 0.0
        while True:
            if delay:
                await self._wait(delay)
            if self._stopped:
                return
            if self._held:
                await self.refresh()
                await self._wait(self.periodic_s)
                delay = 0.0
                continue
            delay = await self.sync_now()

    async def sync_now(self) -> float:
        """One push-and-pull; returns how long to wait before the next one."""
        link = await self.replica.link()
        if link is None or not link.get("token"):
            self._held = True
            await self.refresh()
            return 0.0
        self._set(state="syncing", error=None, retry_in=None)
        try:
            await self.replica.sync_once()
        except SignedOutError as error:
            self._held = True
            self._set(state="signed_out", error=str(error), progress=None,
                      **await self._describe())
            return 0.0
        except UpgradeRequiredError as error:
            self._held = True
            self._set(state="upgrade", error=str(error), progress=None, **await self._describe())
            return 0.0
        except NetworkError:
            return await self._failed("offline", "the server cannot be reached", None)
        except ApiError as error:
            return await self._failed("error", error.message, error.retry_after)
        self.failures = 0
        self.syncs += 1
        described = await self._describe()
        self._set(state="waiting" if described["pending"] else "synced", progress=None,
                  **described)
        if described["pending"]:
            return 0.01  # written while syncing: go again (briefly yielding)
        return self.periodic_s

    async def _failed(self, state: Literal["offline", "error"], message: str,
                      retry_after: float | None) -> float:
        self.failures += 1
        delay = self.backoff.delay(self.failures)
        if retry_after is not None:
            delay = max(delay, retry_after)
        self._set(state=state, error=message, retry_in=delay, progress=None,
                  **await self._describe())
        return delay
