"""The boot's library: every domain module registered on one store, opened once."""

from __future__ import annotations

import app.startup as startup


async def test_open_library_registers_every_module_and_remembers_it() -> None:
    domain = await startup.open_library("startup-test")
    try:
        assert startup.current_domain() is domain
        assert startup.library() is domain.store
        character = await domain.characters.create({"name": "Ada"})
        assert (await domain.characters.get(character.id)).name == "Ada"
        cache = startup.lore_cache()
        assert cache is not None
        entry = await domain.lorebook.create({"level": "global", "name": "Ann", "keys": ["Ann"]})
        from app.lore import Matcher

        Matcher([entry], cache=cache)
        await domain.lorebook.update(entry.id, {"keys": ["Annabel"]})
        fresh = await domain.lorebook.get(entry.id)
        assert Matcher([fresh], cache=cache).scan("Annabel").entries  # edit followed
    finally:
        domain.store.db.close()
        await domain.store.db.delete()
