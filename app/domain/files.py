"""`Files`: everything the library screen does with one library — import
(`files.importer.describe`, then `.run`), exports as downloads (`files.exports`), the
sample library (`files.sample`), and the scopes a lorebook can go to."""

from __future__ import annotations

from dataclasses import dataclass

from ._db_errors import translate_db_errors
from ._domain import Domain
from .downloads import Exports
from .library import Importer, LoreScope
from .lorebook import LorebookLevel
from .sample import SampleLibrary

__all__ = ["Files", "ScopeOption"]


@dataclass(frozen=True)
class ScopeOption:
    """A scope a lorebook can be imported into or exported from, named for a person."""

    scope: LoreScope
    label: str


#: How each level's records are named, and the field that names one.
_SCOPE_TABLES: tuple[tuple[LorebookLevel, str, str, str], ...] = (
    ("series", "series", "name", "Series"),
    ("story", "stories", "title", "Story"),
    ("character", "characters", "name", "Character"),
    ("chat", "chats", "title", "Chat"),
    ("module", "modules", "name", "Module"),
)


class Files:
    """Files in and out of one library (a `Domain`)."""

    def __init__(self, domain: Domain) -> None:
        self.domain = domain
        self.importer = Importer(domain)
        self.exports = Exports(domain)
        self.sample = SampleLibrary(domain)

    async def _names(self, table: str, field: str) -> dict[str, str]:
        """id -> name of every record, read from the name's index when it has one (a
        character's record holds its avatar: no need to load it for its name)."""
        t = self.domain.store.table(table)
        if field in self.domain.registry.for_table(table).schema.replace(" ", "").split(","):
            names = await t.order_by(field).keys()
            ids = await t.order_by(field).primary_keys()
            return {str(i): str(n) for i, n in zip(ids, names, strict=True)}
        return {r["id"]: str(r.get(field) or "") for r in await t.to_array()}

    async def scopes(self) -> list[ScopeOption]:
        """Global, then every series, story, character, chat and module, each sorted by
        name ("Story: Salt and Signal")."""
        store = self.domain.store
        out = [ScopeOption(LoreScope(), "Global")]
        tables = [t for _, t, _, _ in _SCOPE_TABLES if store.has_table(t)]
        async with translate_db_errors(), store.transaction("r", *tables):
            characters = await self._names("characters", "name")
            chats: dict[str, str | None] = {}
            if store.has_table("chats"):
                for chat in await store.table("chats").to_array():
                    chats[chat["id"]] = chat.get("character_id")
            for level, table, field, label in _SCOPE_TABLES:
                if table not in tables:
                    continue
                names = characters if table == "characters" else await self._names(table, field)
                options = []
                for record_id, name in names.items():
                    if not name and level == "chat":
                        who = characters.get(chats.get(record_id) or "")
                        name = f"Chat with {who}" if who else "Untitled chat"
                    options.append(ScopeOption(LoreScope(level, record_id), f"{label}: {name}"))
                out += sorted(options, key=lambda o: (o.label.casefold(), o.scope.scope_id or ""))
        return out
