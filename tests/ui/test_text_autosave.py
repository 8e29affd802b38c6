"""Autosave: journal first (synchronously), save after a pause or at once when leaving."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from app.reactive import get
from app.ui import Ctx
from app.ui._text_autosave import Autosave, Journal

from ._support import IN_BROWSER, Harness

RUN_IN_BROWSER = True


class DictStorage:
    """``localStorage`` for the memory document."""

    def __init__(self) -> None:
        self.data: dict[str, str] = {}

    def getItem(self, key: str) -> str | None:
        return self.data.get(key)

    def setItem(self, key: str, value: str) -> None:
        self.data[key] = value

    def removeItem(self, key: str) -> None:
        self.data.pop(key, None)

    @property
    def length(self) -> int:
        return len(self.data)

    def key(self, index: int) -> str | None:
        keys = list(self.data)
        return keys[index] if index < len(keys) else None


class Saver:
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


@pytest.fixture
def ctx(harness: Harness) -> Any:
    if not IN_BROWSER:
        harness.dom.window.props["localStorage"] = DictStorage()  # type: ignore[attr-defined]
    c = Ctx(harness.dom)
    yield c
    c.dispose()
    Journal.of(harness.dom).clear("test:one")


async def test_an_edit_is_journalled_at_once_and_saved_after_the_pause(ctx):
    saver = Saver()
    auto = Autosave(ctx, "test:one", saver, saved_text="", delay=0.01)
    auto.changed("Hello")
    assert auto.journal.read("test:one").text == "Hello"  # before any await
    assert get(auto.status) == "Not saved yet"
    assert saver.saved == []
    await saver.arrived.wait()
    await auto.settle()
    assert saver.saved == ["Hello"]
    assert get(auto.status) == "Saved"
    assert auto.journal.read("test:one") is None


async def test_leaving_the_page_saves_without_waiting(harness, ctx):
    saver = Saver()
    auto = Autosave(ctx, "test:one", saver, saved_text="", delay=3600)
    auto.changed("Typed")
    harness.fire(harness.dom.window, "pagehide")
    await auto.settle()
    assert saver.saved == ["Typed"]


async def test_disposing_the_page_saves_too(harness):
    if not IN_BROWSER:
        harness.dom.window.props["localStorage"] = DictStorage()  # type: ignore[attr-defined]
    c = Ctx(harness.dom)
    saver = Saver()
    auto = Autosave(c, "test:one", saver, saved_text="", delay=3600)
    auto.changed("Route change")
    c.dispose()
    await auto.settle()
    assert saver.saved == ["Route change"]
    assert harness.dom.live_listeners == 0


async def test_a_failed_save_says_why_keeps_the_journal_and_retries(ctx):
    saver = Saver()
    saver.fail = RuntimeError("Storage is full")
    auto = Autosave(ctx, "test:one", saver, saved_text="", delay=3600)
    auto.changed("Precious")
    await auto.flush()
    assert get(auto.status) == "Not saved: Storage is full"
    assert auto.journal.read("test:one").text == "Precious"
    saver.fail = None
    auto.changed("Precious words")
    await auto.flush()
    assert saver.saved == ["Precious words"]
    assert get(auto.status) == "Saved"


async def test_typing_during_a_save_is_saved_next(ctx):
    saver = Saver()
    saver.gate = asyncio.Event()
    auto = Autosave(ctx, "test:one", saver, saved_text="", delay=0.01)
    auto.changed("one")
    first = asyncio.ensure_future(auto.flush())
    await saver.arrived.wait()
    auto.changed("one two")
    saver.gate.set()
    await first
    await auto.settle()
    await auto.flush()
    assert saver.saved[-1] == "one two"
    assert get(auto.status) == "Saved"
    assert auto.journal.read("test:one") is None


async def test_recover_gives_back_only_a_newer_different_draft(ctx):
    journal = Journal.of(ctx.dom)
    journal.write("test:one", "draft")
    at = journal.read("test:one").at_ms
    assert journal.recover("test:one", "stored", at - 1000) == "draft"
    assert journal.recover("test:one", "draft", at - 1000) is None  # same text: forgotten
    assert journal.read("test:one") is None
    journal.write("test:one", "old draft")
    assert journal.recover("test:one", "stored", at + 60_000) is None  # saved after it
    assert journal.read("test:one") is None


def test_no_storage_means_no_journal_but_no_error():
    journal = Journal(None)
    assert journal.write("k", "v") is False
    assert journal.read("k") is None
    journal.clear("k")


async def test_drafts_are_listed_by_prefix(ctx):
    journal = Journal.of(ctx.dom)
    journal.write("test:entry:a", "1")
    journal.write("test:entry:b", "2")
    journal.write("test:other", "3")
    try:
        assert sorted(journal.keys("test:entry:")) == ["test:entry:a", "test:entry:b"]
    finally:
        for key in ("test:entry:a", "test:entry:b", "test:other"):
            journal.clear(key)
