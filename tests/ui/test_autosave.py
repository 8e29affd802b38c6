"""Autosave: debounced writes, a flush when the page goes away, and a synchronous journal
that brings back edits a reload beat to the database; and the text editors' layer over it
(``TextAutosave``, one field)."""

from __future__ import annotations

import asyncio
import json
import uuid

from app.reactive import get
from app.ui import Ctx, mount
from app.ui._autosave import JOURNAL_PREFIX, NOT_SAVED_YET, SAVED, SAVING, Autosave, Journal
from app.ui._text_autosave import TextAutosave, journalled_text
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
    assert harness.dom.live_listeners == 0


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


async def test_a_value_the_database_got_another_way_needs_no_write(harness):
    save = Recorder()
    handle, saver, key = _saver(harness, save)
    saver.edit("name", "Aria")
    saver.edit("description", "tall")
    saver.stored_elsewhere({"name": "Aria", "description": "short"})
    assert saver.pending == {"description": "tall"}
    assert _journal(harness, key) == {"description": "tall"}
    saver.stored_elsewhere({"description": "tall"})
    assert saver.pending == {} and _journal(harness, key) is None
    assert _last(saver.status) == SAVED
    assert await saver.flush() and save.calls == []
    handle.unmount()


async def test_recover_keeps_only_fields_that_differ_from_the_record(harness):
    key = f"test:{uuid.uuid4().hex}"
    entry = {"at": 2_000_000_000.0, "fields": {"name": "Same", "description": "New"}}
    harness.dom.storage.set_item(JOURNAL_PREFIX + key, json.dumps(entry))
    handle, saver, _ = _saver(harness, Recorder(), key=key)
    stored = {"name": "Same", "description": "Old"}
    assert saver.recover(1_000.0, stored) == {"description": "New"}
    assert saver.pending == {"description": "New"}
    handle.unmount()


# -- the text editors' layer ---------------------------------------------------------------------


class TextSaver:
    def __init__(self) -> None:
        self.saved: list[str] = []
        self.fail: Exception | None = None
        self.arrived = asyncio.Event()
        self.gate: asyncio.Event | None = None

    async def __call__(self, text: str) -> None:
        self.arrived.set()
        if self.gate is not None:
            await self.gate.wait()
        if self.fail is not None:
            raise self.fail
        self.saved.append(text)


def _text(harness, save, *, saved_text="", delay=3600.0, key=None):
    ctx = Ctx(harness.dom)
    auto = TextAutosave(
        ctx, key or f"test:{uuid.uuid4().hex}", save, saved_text=saved_text, delay=delay
    )
    return ctx, auto


def _draft(auto: TextAutosave):
    found = auto.journal.read(auto.key)
    return None if found is None else found.fields["text"]


async def test_a_text_edit_is_journalled_at_once_and_saved_after_the_pause(harness):
    saver = TextSaver()
    ctx, auto = _text(harness, saver, delay=0.01)
    assert get(auto.status) == SAVED
    auto.changed("Hello")
    assert _draft(auto) == "Hello"  # before any await
    assert get(auto.status) == NOT_SAVED_YET and auto.dirty
    assert saver.saved == []
    await saver.arrived.wait()
    await auto.settle()
    assert saver.saved == ["Hello"]
    assert get(auto.status) == SAVED and not auto.dirty
    assert _draft(auto) is None
    ctx.dispose()


async def test_leaving_the_page_saves_the_text_without_waiting(harness):
    saver = TextSaver()
    ctx, auto = _text(harness, saver)
    auto.changed("Typed")
    harness.fire(harness.dom.window, "pagehide")
    await auto.settle()
    assert saver.saved == ["Typed"]
    auto.changed("Route change")
    ctx.dispose()
    await auto.settle()
    assert saver.saved == ["Typed", "Route change"]
    assert harness.dom.live_listeners == 0


async def test_a_failed_text_save_says_why_keeps_the_journal_and_retries(harness):
    saver = TextSaver()
    saver.fail = RuntimeError("Storage is full")
    ctx, auto = _text(harness, saver)
    auto.changed("Precious")
    assert not await auto.flush()
    assert get(auto.status) == "Not saved: Storage is full"
    assert get(auto.error) == "Storage is full"
    assert _draft(auto) == "Precious" and auto.latest == "Precious"
    saver.fail = None
    auto.changed("Precious words")
    assert await auto.flush()
    assert saver.saved == ["Precious words"]
    assert get(auto.status) == SAVED and get(auto.error) == ""
    ctx.dispose()


async def test_typing_during_a_text_save_is_saved_next(harness):
    saver = TextSaver()
    saver.gate = asyncio.Event()
    ctx, auto = _text(harness, saver, delay=0.01)
    auto.changed("one")
    first = asyncio.ensure_future(auto.flush())
    await saver.arrived.wait()
    assert get(auto.status) == SAVING
    auto.changed("one two")
    saver.gate.set()
    await first
    await auto.settle()
    await auto.flush()
    assert saver.saved[-1] == "one two"
    assert get(auto.status) == SAVED
    assert _draft(auto) is None
    ctx.dispose()


async def test_the_text_follows_the_library_while_not_edited(harness):
    saver = TextSaver()
    ctx, auto = _text(harness, saver, saved_text="stored")
    auto.changed("typed")
    auto.saved_elsewhere("other tab")  # typing wins: still to be saved
    assert auto.dirty and get(auto.status) == NOT_SAVED_YET
    auto.saved_elsewhere("typed")  # the library holds it already
    assert not auto.dirty and get(auto.status) == SAVED and _draft(auto) is None
    auto.changed("more")
    auto.reset("from another tab")  # the editor shows the stored text again
    assert not auto.dirty and auto.latest == "from another tab" and _draft(auto) is None
    assert await auto.flush() and saver.saved == []
    ctx.dispose()


async def test_recover_gives_back_only_a_newer_different_text(harness):
    key = f"test:{uuid.uuid4().hex}"
    journal = Journal(harness.dom.storage)
    journal.write(key, {"text": "draft"}, 2_000.0)
    assert journal.read(key).fields == {"text": "draft"}
    assert journalled_text(journal, key, "stored", 1_000.0) == "draft"
    assert journalled_text(journal, key, "draft", 1_000.0) is None  # same text: forgotten
    assert journal.read(key) is None
    journal.write(key, {"text": "old draft"}, 2_000.0)
    assert journalled_text(journal, key, "stored", 3_000.0) is None  # stored after it
    assert journal.read(key) is None
    journal.write(key, {"text": "draft"}, 2_000.0)
    ctx, auto = _text(harness, TextSaver(), saved_text="stored", key=key)
    assert auto.recover(1_000.0) == "draft"
    assert auto.dirty and auto.latest == "draft" and get(auto.status) == NOT_SAVED_YET
    ctx.dispose()
    await auto.settle()


async def test_drafts_are_listed_by_prefix(harness):
    journal = Journal(harness.dom.storage)
    tag = uuid.uuid4().hex
    keys = (f"test:{tag}:entry:a", f"test:{tag}:entry:b", f"test:{tag}:other")
    for key in keys:
        journal.write(key, {"text": key}, 1.0)
    try:
        assert sorted(journal.keys(f"test:{tag}:entry:")) == list(keys[:2])
    finally:
        for key in keys:
            journal.clear(key)
    assert journal.keys(f"test:{tag}") == []
