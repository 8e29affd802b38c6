"""The Characters screen on the real domain repository and app.db (memory backend)."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest

from app.db import Database
from app.domain import open_domain
from app.ui import current_app, start
from app.ui._library import state_characters

from ._support import Harness, make_harness

RUN_IN_BROWSER = True

_names = itertools.count()


PATHS = pytest.mark.parametrize("path", ["app-state", "repository"])


@asynccontextmanager
async def two_tabs(path: str) -> AsyncIterator[tuple[Harness, Any, Any]]:
    """The UI on one connection (through app.state's AppState, as ``start`` wires it by
    default, or straight on the repository), and a second connection to the database."""
    name = f"ui-domain-{next(_names)}"
    mine_domain = await open_domain(Database(name, backend="memory"))
    mine, other = mine_domain, await open_domain(Database(name, backend="memory"))
    await mine.characters.create({"name": "Mira"})
    harness = make_harness()
    if path == "app-state":
        characters: Any = state_characters(mine_domain)
    else:
        characters = mine.characters
    await start(harness.root, dom=harness.dom, characters=characters)
    try:
        yield harness, mine, other
    finally:
        app = current_app()
        assert app is not None
        app.stop()
        harness.close()
        mine.store.close()
        other.store.close()


def names(h: Harness) -> list[str]:
    return [h.text(a) for a in h.query("li.character a")]


async def until(check: Any) -> None:
    for _ in range(500):
        if check():
            return
        await asyncio.sleep(0.002)
    assert check()


@PATHS
async def test_create_rename_delete_persist(path: str) -> None:
    async with two_tabs(path) as tabs:
        await _test_create_rename_delete_persist(*tabs)


async def _test_create_rename_delete_persist(h: Harness, mine: Any, _other: Any) -> None:
    repo = mine.characters
    assert names(h) == ["Mira"]
    (field,) = h.query("input[id=new-character-name]")
    h.type_into(field, "Ansel")
    assert h.fire(h.query("form.create-form")[0], "submit"), "a submit must not reach the browser"
    await h.dom.settle()
    assert names(h) == ["Ansel", "Mira"]
    assert sorted(c.name for c in await repo.list()) == ["Ansel", "Mira"]

    li = h.query("li.character")[0]
    (rename,) = [b for b in h.query("button", li) if h.text(b) == "Rename"]
    h.fire(rename, "click")
    (edit,) = h.query("input", li)
    h.type_into(edit, "Zed")
    assert h.fire(h.query("form", li)[0], "submit"), "a submit must not reach the browser"
    await h.dom.settle()
    assert names(h) == ["Mira", "Zed"]
    assert sorted(c.name for c in await repo.list()) == ["Mira", "Zed"]

    (delete,) = [b for b in h.query("button", li) if h.text(b) == "Delete"]
    h.fire(delete, "click")
    (confirm,) = [b for b in h.query("button", li) if h.text(b) == "Delete"]
    h.fire(confirm, "click")
    await h.dom.settle()
    assert names(h) == ["Mira"]
    assert [c.name for c in await repo.list()] == ["Mira"]


@PATHS
async def test_writes_through_another_connection_show_up(path: str) -> None:
    async with two_tabs(path) as tabs:
        await _test_writes_through_another_connection_show_up(*tabs)


async def _test_writes_through_another_connection_show_up(
    h: Harness, _mine: Any, other: Any
) -> None:
    theirs = other.characters
    created = await theirs.create({"name": "Bryn"})
    await until(lambda: names(h) == ["Bryn", "Mira"])
    await theirs.update(created.id, {"name": "Zora"})
    await until(lambda: names(h) == ["Mira", "Zora"])
    await theirs.delete(created.id)
    await until(lambda: names(h) == ["Mira"])


@PATHS
async def test_an_empty_name_is_refused_with_the_domain_message(path: str) -> None:
    async with two_tabs(path) as tabs:
        await _test_an_empty_name_is_refused_with_the_domain_message(*tabs)


async def _test_an_empty_name_is_refused_with_the_domain_message(
    h: Harness, mine: Any, _other: Any
) -> None:
    li = h.query("li.character")[0]
    (rename,) = [b for b in h.query("button", li) if h.text(b) == "Rename"]
    h.fire(rename, "click")
    (edit,) = h.query("input", li)
    h.type_into(edit, "   ")
    assert h.fire(h.query("form", li)[0], "submit"), "a submit must not reach the browser"
    await h.dom.settle()
    assert [c.name for c in await mine.characters.list()] == ["Mira"]
    assert h.query("input", li)  # still editing: nothing was saved
