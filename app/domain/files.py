"""`Files`: everything the library screen does with one library — import
(`files.importer.describe`, then `.run`), exports as downloads (`files.exports`), the
sample library (`files.sample`), and the scopes a lorebook can go to."""

from __future__ import annotations

from dataclasses import dataclass

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

    async def scopes(self) -> list[ScopeOption]:
        """Global, then every series, story, character, chat and module, each sorted by
        name ("Story: Salt and Signal")."""
        store = self.domain.store
        out = [ScopeOption(LoreScope(), "Global")]
        characters: dict[str, str] = {}
        for level, table, field, label in _SCOPE_TABLES:
            if not store.has_table(table):
                continue
            records = await store.table(table).to_array()
            if table == "characters":
                characters = {r["id"]: r["name"] for r in records}
            options = []
            for record in records:
                name = record.get(field) or ""
                if not name and level == "chat":
                    who = characters.get(record.get("character_id") or "")
                    name = f"Chat with {who}" if who else "Untitled chat"
                options.append(ScopeOption(LoreScope(level, record["id"]), f"{label}: {name}"))
            out += sorted(options, key=lambda o: (o.label.casefold(), o.scope.scope_id or ""))
        return out
