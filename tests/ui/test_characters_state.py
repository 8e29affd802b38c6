"""The Characters screen over app.state's AppState (the one owner of writable state)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from typing import Any

import pytest

from app.domain import default_registry
from app.reactive import get
from app.state import AppState, Layout, Level, Placement
from app.ui import StateCharacters, current_app, start

from ._fake_repo import FakeCharacters
from ._support import Harness, make_harness

RUN_IN_BROWSER = True


class CharactersOnlyBackend:
    """An ``app.state`` Backend holding characters (other lists stay empty)."""

    layout = Layout.of(default_registry())

    def __init__(self, repo: FakeCharacters) -> None:
        self.repo = repo
        self.opened: list[str] = []

    async def load_settings(self) -> Any:
        return {}

    async def load(self, level: Level, key: Any) -> Mapping[str, Any]:
        if level == Level.LISTS:
            return {"characters": await self.repo.list()}
        if level == Level.CHARACTER:
            self.opened.append(key)
            return {"active_character": self.repo.rows[key]}
        return {}

    async def find(
        self, kind: str, where: Mapping[str, Any], placement: Placement | None
    ) -> list[Any]:
        return []

    def watch_external(self, fn: Any) -> Any:
        return lambda: None

    async def get(self, kind: str, id: str) -> Any:
        return self.repo.rows.get(id)

    async def create(self, kind: str, data: Mapping[str, Any]) -> Any:
        return await self.repo.create(data)

    async def update(self, kind: str, id: str, changes: Mapping[str, Any]) -> Any:
        return await self.repo.update(id, changes)

    async def delete(self, kind: str, id: str) -> None:
        await self.repo.delete(id)


@pytest.fixture
async def ui() -> AsyncIterator[tuple[Harness, FakeCharacters, AppState, CharactersOnlyBackend]]:
    harness = make_harness()
    repo = FakeCharacters(["Yara", "Ines"])
    backend = CharactersOnlyBackend(repo)
    state = AppState(backend)  # type: ignore[arg-type]
    await start(harness.root, dom=harness.dom, characters=StateCharacters(state))
    yield harness, repo, state, backend
    app = current_app()
    assert app is not None
    app.stop()
    state.close()
    harness.close()


def names(h: Harness) -> list[str]:
    return [h.text(a) for a in h.query("li.character a")]


async def test_lists_are_loaded_before_the_first_paint(ui: Any) -> None:
    h, _repo, _state, _backend = ui
    assert names(h) == ["Ines", "Yara"]


async def test_writes_go_through_the_state_and_reach_storage(ui: Any) -> None:
    h, repo, _state, _backend = ui
    (field,) = h.query("input[id=new-character-name]")
    h.type_into(field, "Odile")
    assert h.fire(h.query("form.create-form")[0], "submit"), "a submit must not reach the browser"
    await h.dom.settle()
    assert names(h) == ["Ines", "Odile", "Yara"]
    assert "Odile" in [c.name for c in repo.rows.values()]

    li = h.query("li.character")[0]
    (rename,) = [b for b in h.query("button", li) if h.text(b) == "Rename"]
    h.fire(rename, "click")
    (edit,) = h.query("input", li)
    h.type_into(edit, "Zita")
    assert h.fire(h.query("form", li)[0], "submit"), "a submit must not reach the browser"
    await h.dom.settle()
    assert names(h) == ["Odile", "Yara", "Zita"]

    (delete,) = [b for b in h.query("button", li) if h.text(b) == "Delete"]
    h.fire(delete, "click")
    (confirm,) = [b for b in h.query("button", li) if h.text(b) == "Delete"]
    h.fire(confirm, "click")
    await h.dom.settle()
    assert names(h) == ["Odile", "Yara"]
    assert sorted(c.name for c in repo.rows.values()) == ["Odile", "Yara"]


async def test_navigation_opens_and_leaves_the_character_level(ui: Any) -> None:
    h, repo, state, backend = ui
    app = current_app()
    assert app is not None
    ines = next(c for c in repo.rows.values() if c.name == "Ines")
    app.router.navigate(f"/characters/{ines.id}")
    await app.settle()
    assert get(state.active_character_id) == ines.id
    (title,) = h.query("h1")
    assert h.text(title) == "Ines"
    app.router.navigate("/settings")
    await app.settle()
    assert get(state.active_character_id) is None
    app.router.navigate(f"/characters/{ines.id}")
    app.router.navigate(f"/characters/{ines.id}?tab=chats")  # same character: no reload
    await app.settle()
    assert backend.opened == [ines.id, ines.id]
    app.router.navigate("/characters/nobody")  # a missing character: logged, app keeps going
    await app.settle()
    (title,) = h.query("h1")
    assert h.text(title) == "Character not found"
    app.router.navigate("/characters")
