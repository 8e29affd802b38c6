"""The Characters screen over app.state's AppState (the one owner of writable state)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from typing import Any

import pytest

from app.state import AppState
from app.ui import StateCharacters, current_app, start

from ._fake_repo import FakeCharacters
from ._support import Harness, make_harness

RUN_IN_BROWSER = True


class CharactersOnlyBackend:
    """An ``app.state`` Backend holding characters (other lists stay empty)."""

    def __init__(self, repo: FakeCharacters) -> None:
        self.repo = repo

    async def load_settings(self) -> Any:
        return {}

    async def load_lists(self) -> Mapping[str, Any]:
        return {"characters": await self.repo.list()}

    async def get(self, kind: str, id: str) -> Any:
        return self.repo.rows.get(id)

    async def create(self, kind: str, data: Mapping[str, Any]) -> Any:
        return await self.repo.create(data)

    async def update(self, kind: str, id: str, changes: Mapping[str, Any]) -> Any:
        return await self.repo.update(id, changes)

    async def delete(self, kind: str, id: str) -> None:
        await self.repo.delete(id)


@pytest.fixture
async def ui() -> AsyncIterator[tuple[Harness, FakeCharacters, AppState]]:
    harness = make_harness()
    repo = FakeCharacters(["Yara", "Ines"])
    state = AppState(CharactersOnlyBackend(repo))  # type: ignore[arg-type]
    await start(harness.root, dom=harness.dom, characters=StateCharacters(state))
    yield harness, repo, state
    app = current_app()
    assert app is not None
    app.stop()
    state.close()
    harness.close()


def names(h: Harness) -> list[str]:
    return [h.text(a) for a in h.query("li.character a")]


async def test_lists_are_loaded_before_the_first_paint(ui: Any) -> None:
    h, _repo, _state = ui
    assert names(h) == ["Ines", "Yara"]


async def test_writes_go_through_the_state_and_reach_storage(ui: Any) -> None:
    h, repo, _state = ui
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
