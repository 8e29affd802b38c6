"""The boot's library: every domain module registered on one store, opened once, handed on
explicitly (no module globals), with the app state over it."""

from __future__ import annotations

import app.startup as startup
from app.reactive import get


async def test_open_library_registers_every_module_and_follows_lore_edits() -> None:
    library = await startup.open_library("startup-test")
    domain = library.domain
    try:
        character = await domain.characters.create({"name": "Ada"})
        assert (await domain.characters.get(character.id)).name == "Ada"
        cache = library.lore
        entry = await domain.lorebook.create({"level": "global", "name": "Ann", "keys": ["Ann"]})
        from app.lore import Matcher

        Matcher([entry], cache=cache)
        await domain.lorebook.update(entry.id, {"keys": ["Annabel"]})
        fresh = await domain.lorebook.get(entry.id)
        assert Matcher([fresh], cache=cache).scan("Annabel").entries  # edit followed
    finally:
        domain.store.db.close()
        await domain.store.db.delete()


async def test_the_app_state_reads_the_library() -> None:
    library = await startup.open_library("startup-state-test")
    try:
        await library.domain.characters.create({"name": "Ada"})
        state = library.app_state()
        await state.load_lists()
        assert [c.name for c in get(state.characters)] == ["Ada"]
        state.close()
    finally:
        library.domain.store.db.close()
        await library.domain.store.db.delete()


def test_nothing_is_kept_globally() -> None:
    assert not hasattr(startup, "current_domain")
    assert not hasattr(startup, "lore_cache")
