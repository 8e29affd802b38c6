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
