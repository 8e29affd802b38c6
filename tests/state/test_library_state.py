"""The library's writes through the app state: what they wrote shows at once."""

from __future__ import annotations

import json

from app.domain import open_domain
from app.reactive import get
from app.state import AppState, DomainBackend
from tests.domain._support import FakeClock, memory_db
from tests.lore._samples import card_v2

RUN_IN_BROWSER = True


async def test_an_import_and_the_sample_library_show_in_the_stores():
    db = memory_db()
    domain = await open_domain(db, clock=FakeClock())
    state = AppState(DomainBackend(domain))
    try:
        await state.load_global()
        await state.load_lists()
        assert state.files is state.files, "one Files per backend"
        incoming = await state.files.importer.describe(json.dumps(card_v2()).encode(), "sera.json")
        await state.import_file(incoming)
        assert [c.name for c in get(state.characters)] == ["Seraphina"]

        await state.add_sample_library()
        assert sorted(c.name for c in get(state.characters)) == ["Seraphina", "Wren Ashdown"]
        assert [s.name for s in get(state.series)] == ["The Lantern Coast"]
        await state.remove_sample_library()
        assert [c.name for c in get(state.characters)] == ["Seraphina"]
        assert get(state.series) == []
    finally:
        state.close()
        domain.store.close()
        await db.delete()


def _world(*names: str) -> bytes:
    from tests.lore._samples import st_entry

    entries = {str(i): st_entry(i, comment=name, key=[name]) for i, name in enumerate(names)}
    return json.dumps({"entries": entries}).encode()


async def test_an_imported_lorebook_is_placed_not_read_back():
    """The entries an import wrote are put where they show (sorted as a reload sorts
    them, an overwritten one replaced where it was): nothing is read back."""
    from app.domain.library import ImportChoice

    db = memory_db()
    domain = await open_domain(db, clock=FakeClock())
    backend = DomainBackend(domain)
    state = AppState(backend)
    reads: list[str] = []
    find = backend.find

    async def counted_find(kind, where, placement):
        reads.append(kind)
        return await find(kind, where, placement)

    backend.find = counted_find  # type: ignore[method-assign]
    try:
        await state.load_global()
        await state.load_lists()
        kept = await domain.lorebook.create({"name": "Kept", "content": "x", "insertion_order": 1})
        await state.refresh()
        reads.clear()

        incoming = await state.files.importer.describe(_world("Bell", "Anchor", "Cove"), "w.json")
        await state.import_file(incoming)
        assert reads == []
        shown = get(state.global_lorebook)
        again = AppState(DomainBackend(domain))
        await again.load_global()
        await again.load_lists()
        assert shown == get(again.global_lorebook)  # the same entities, in the same order
        assert {e.name for e in shown} == {"Kept", "Bell", "Anchor", "Cove"}
        again.close()

        # the same entries as a SillyTavern file (our ids inside), imported as copies
        from app.lore import formats

        st_file = formats.dump(formats.LoreBook(entries=list(shown), format="st"), "st")
        incoming = await state.files.importer.describe(st_file, "again.json")
        report = await state.import_file(incoming, ImportChoice(on_conflict="copy"))
        assert report.copied == {"lorebook_entries": 4} and reads == []
        again = AppState(DomainBackend(domain))
        await again.load_global()
        await again.load_lists()
        assert get(state.global_lorebook) == get(again.global_lorebook)
        assert len(get(state.global_lorebook)) == 8
        again.close()
        await domain.lorebook.delete_many(list(report.id_map.values()))
        await state.refresh()
        shown = get(state.global_lorebook)
        reads.clear()

        # a Lorekeeper file of the same entries, one renamed, overwriting
        exported = await domain.transfer.export_global_lorebook()
        for record in exported["lorebook_entries"]:
            if record["name"] == "Anchor":
                record["name"] = "Anchor (revised)"
        incoming = await state.files.importer.describe(json.dumps(exported).encode(), "g.json")
        await state.import_file(incoming, ImportChoice(on_conflict="overwrite"))
        after = get(state.global_lorebook)
        assert [e.id for e in after] == [e.id for e in shown]
        assert sorted(e.name for e in after) == ["Anchor (revised)", "Bell", "Cove", "Kept"]
        assert next(e for e in after if e.id == kept.id) == kept
        assert reads == []
    finally:
        state.close()
        domain.store.close()
        await db.delete()


async def test_a_lorebook_imported_into_the_open_character_shows_there():
    from app.domain.library import ImportChoice, LoreScope

    db = memory_db()
    domain = await open_domain(db, clock=FakeClock())
    state = AppState(DomainBackend(domain))
    try:
        await state.load_global()
        await state.load_lists()
        hero = await state.create_character({"name": "Hero"})
        await state.open_character(hero.id)
        incoming = await state.files.importer.describe(_world("Sword", "Shield"), "w.json")
        await state.import_file(incoming, ImportChoice(scope=LoreScope("character", hero.id)))
        assert sorted(e.name for e in get(state.character_lorebooks)) == ["Shield", "Sword"]
        assert get(state.global_lorebook) == []
    finally:
        state.close()
        domain.store.close()
        await db.delete()


def test_which_tables_an_import_places_and_which_reload():
    """Placing written records is enough unless links or other stores decide where
    records show: settings, modules (shown through their links) and the links reload."""
    from app.domain import default_registry
    from app.state import Layout

    layout = Layout.of(default_registry())
    for table in ("lorebook_entries", "characters", "chats", "messages", "series"):
        assert layout.placeable(table), table
    for table in ("settings", "modules", "module_links"):
        assert not layout.placeable(table), table
