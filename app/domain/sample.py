"""The sample library: a small library we wrote ourselves, so every screen can be tried
in a minute — a character with her lorebook and a chat (with a chat entry), and a series
with a story, chapters, scene beats and entries at global, series and story level.

It ships as a Lorekeeper backup (`sample_library.json`, next to this module) and is
added through the same import as any file (ids that exist are left alone, so adding it
twice changes nothing). Its records have fixed ids, which is how `remove` finds them:
removing deletes those records and what hangs off them (chats, messages, chapters and
entries the person added to the sample's character, chat or story), in one transaction;
stories the person added to the sample series stay, outside any series.
"""

from __future__ import annotations

from importlib import resources

from ._cascade import delete_cascading
from ._db_errors import translate_db_errors
from ._domain import Domain
from ._formats import ImportReport
from .library import ImportChoice, Importer, Incoming

__all__ = ["SAMPLE_FILE", "SampleLibrary"]

SAMPLE_FILE = "sample_library.json"


def _sample_bytes() -> bytes:
    return resources.files("app.domain").joinpath(SAMPLE_FILE).read_bytes()


class SampleLibrary:
    """Add, detect and remove the sample library in one library (a `Domain`)."""

    def __init__(self, domain: Domain) -> None:
        self.domain = domain
        self.importer = Importer(domain)

    def read(self) -> Incoming:
        """The sample as a file ready to import (read and validated each time)."""
        return self.importer.read(_sample_bytes(), SAMPLE_FILE)

    async def present(self) -> bool:
        """Whether any record of the sample is in the library."""
        return bool(await self.importer.existing(self.read()))

    async def add(self) -> ImportReport:
        """Write the sample (records already there are left as they are)."""
        return await self.importer.run(self.read(), ImportChoice(on_conflict="skip"))

    async def remove(self) -> None:
        """Delete every sample record and what depends on it, in one transaction."""
        store = self.domain.store
        registry = store.registry
        ids: dict[str, list[str]] = {}
        for item in self.read().items:
            ids.setdefault(item.table, []).append(item.record["id"])
        async with translate_db_errors(), store.transaction("rw", *registry.import_order):
            for table in reversed(registry.import_order):
                if table in ids:
                    kind = registry.for_table(table).kind
                    await delete_cascading(store, kind, ids[table])
