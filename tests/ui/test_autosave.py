"""Autosave: debounced writes, a flush when the page goes away, and a synchronous journal
that brings back edits a reload beat to the database."""

from __future__ import annotations

import asyncio
import json
import uuid

from app.ui import Ctx, mount
from app.ui._autosave import JOURNAL_PREFIX, SAVED, SAVING, Autosave
from tests._wait import eventually

RUN_IN_BROWSER = True


class Recorder:
    """A save function that records its calls; `hold()` keeps the next call waiting."""

    def __init__(self) -> None:
        self.calls: list[dict] = []
        self.fail: Exception | None = None
        self.gate: asyncio.Event | None = None
        self.arrived = asyncio.Event()

    def hold(self) -> asyncio.Event:
        self.gate = asyncio.Event()
        self.arrived = asyncio.Event()
        return self.gate

    async def __call__(self, changes: dict) -> None:
        self.arrived.set()
        if self.gate is not None:
            gate, self.gate = self.gate, None
            await gate.wait()
        if self.fail is not None:
            error, self.fail = self.fail, None
            raise error
        self.calls.append(changes)


def _saver(harness, save, delay=30.0, key=None):
    key = key or f"test:{uuid.uuid4().hex}"
    made = {}

    def view(ctx: Ctx):
        made["saver"] = Autosave(ctx, key, save, delay=delay)
        return ctx.el("div")

    handle = mount(harness.dom, harness.root, view)
    return handle, made["saver"], key


def _journal(harness, key):
    raw = harness.dom.storage.get_item(JOURNAL_PREFIX + key)
    return None if raw is None else json.loads(raw)["fields"]


async def test_edits_are_journalled_at_once_and_written_after_the_pause(harness):
    save = Recorder()
    handle, saver, key = _saver(harness, save, delay=0.01)
    statuses = []
    saver.status.subscribe(statuses.append)
    saver.edit("name", "A")
    saver.edit("name", "Ar")
    saver.edit("description", "tall")
    assert _journal(harness, key) == {"name": "Ar", "description": "tall"}
    assert save.calls == []
    await eventually(lambda: save.calls, "the debounced write")
    assert save.calls == [{"name": "Ar", "description": "tall"}]
    assert statuses[-1] == SAVED and SAVING in statuses
    assert _journal(harness, key) is None and saver.pending == {}
    handle.unmount()


async def test_pagehide_and_hiding_the_tab_write_at_once(harness):
    save = Recorder()
    handle, saver, _ = _saver(harness, save)
    saver.edit("name", "Aria")
    harness.fire(harness.dom.window, "pagehide")
    await eventually(lambda: save.calls, "the write on pagehide")
    saver.edit("name", "Aria B")
    harness.fire(harness.dom.window, "visibilitychange")
    await eventually(lambda: len(save.calls) == 2, "the write on visibilitychange")
    assert save.calls == [{"name": "Aria"}, {"name": "Aria B"}]
    handle.unmount()


async def test_leaving_the_page_writes_what_is_pending(harness):
    save = Recorder()
    handle, saver, key = _saver(harness, save)
    saver.edit("scenario", "A tavern")
    handle.unmount()
    await eventually(lambda: save.calls, "the write on leaving")
    assert save.calls == [{"scenario": "A tavern"}]
    assert _journal(harness, key) is None


async def test_a_journal_newer_than_the_record_is_recovered_and_saved(harness):
    key = f"test:{uuid.uuid4().hex}"
    entry = {"at": 2_000_000_000.0, "fields": {"name": "Unsaved"}}
    harness.dom.storage.set_item(JOURNAL_PREFIX + key, json.dumps(entry))
    save = Recorder()
    handle, saver, _ = _saver(harness, save, key=key)
    assert saver.recover("2026-01-01T00:00:00.000000Z") == {"name": "Unsaved"}
    assert await saver.flush()
    assert save.calls == [{"name": "Unsaved"}]
    assert _journal(harness, key) is None
    handle.unmount()


async def test_a_journal_older_than_the_record_is_dropped(harness):
    key = f"test:{uuid.uuid4().hex}"
    entry = {"at": 1_000.0, "fields": {"name": "Old"}}
    harness.dom.storage.set_item(JOURNAL_PREFIX + key, json.dumps(entry))
    save = Recorder()
    handle, saver, _ = _saver(harness, save, key=key)
    assert saver.recover("2026-01-01T00:00:00.000000Z") == {}
    assert _journal(harness, key) is None
    harness.dom.storage.set_item(JOURNAL_PREFIX + key, "{not json")
    assert saver.recover(None) == {}
    handle.unmount()


async def test_a_failed_write_keeps_the_edits_and_says_so(harness):
    save = Recorder()
    handle, saver, key = _saver(harness, save)
    save.fail = OSError("disk full")
    saver.edit("name", "Aria")
    assert not await saver.flush()
    assert "Not saved: disk full" == _last(saver.status)
    assert saver.pending == {"name": "Aria"} and _journal(harness, key) == {"name": "Aria"}
    assert await saver.flush()
    assert save.calls == [{"name": "Aria"}] and _last(saver.status) == SAVED
    assert _last(saver.error) == ""
    handle.unmount()


async def test_edits_made_while_a_write_is_in_flight_are_written_next(harness):
    save = Recorder()
    handle, saver, key = _saver(harness, save)
    gate = save.hold()
    saver.edit("name", "A")
    first = asyncio.ensure_future(saver.flush())
    await save.arrived.wait()
    saver.edit("name", "AB")
    saver.edit("personality", "kind")
    gate.set()
    await first
    assert save.calls == [{"name": "A"}]
    assert saver.pending == {"name": "AB", "personality": "kind"}
    assert _journal(harness, key) == {"name": "AB", "personality": "kind"}
    assert await saver.flush()
    assert save.calls[-1] == {"name": "AB", "personality": "kind"}
    handle.unmount()


def _last(store):
    seen = []
    store.subscribe(seen.append)()
    return seen[-1]


async def test_two_flushes_waiting_on_one_write_both_finish(harness):
    save = Recorder()
    handle, saver, _ = _saver(harness, save)
    gate = save.hold()
    saver.edit("name", "A")
    first = asyncio.ensure_future(saver.flush())
    await save.arrived.wait()
    second = asyncio.ensure_future(saver.flush())
    third = asyncio.ensure_future(saver.flush())
    gate.set()
    assert await asyncio.wait_for(asyncio.gather(first, second, third), 5) == [True, True, True]
    assert save.calls == [{"name": "A"}]
    handle.unmount()
