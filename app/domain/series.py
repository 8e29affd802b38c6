"""Series: groups of stories sharing series-level lorebook entries."""

from __future__ import annotations

from pydantic import Field

from ._entity import Entity
from ._ids import format_utc
from ._module import declare
from ._repository import Repository
from ._store import Store

__all__ = ["TABLES", "Series", "SeriesRepository", "register"]

TABLES = {"series": "id, name, folder_id, updated_at"}


class Series(Entity):
    name: str = Field(min_length=1)
    description: str = ""
    folder_id: str | None = None


class SeriesRepository(Repository[Series]):
    """Deleting a series orphans its stories (`series_id` becomes None) and deletes
    only the series-scoped lorebook entries."""

    table_name = "series"
    model = Series
    kind = "series"
    references = (("folder_id", "folder"),)
    cascade_tables = ("stories", "lorebook_entries")

    async def _cascade_delete(self, entity: Series) -> None:
        store = self.store
        if store.has_table("stories"):
            stories = store.table("stories")
            now = format_utc(store.clock())
            for story in await stories.where("series_id").equals(entity.id).to_array():
                story["series_id"] = None
                story["updated_at"] = now
                await stories.put(story)
        if store.has_table("lorebook_entries"):
            entries = store.table("lorebook_entries")
            await entries.where("[level+scope_id]").equals(["series", entity.id]).delete()


def register(store: Store) -> SeriesRepository:
    """Declare the series table; return its repository."""
    return declare(store, "series", TABLES, SeriesRepository(store))
