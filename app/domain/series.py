"""Series: groups of stories sharing series-level lorebook entries."""

from __future__ import annotations

from pydantic import Field

from ._db_errors import translate_db_errors
from ._entity_type import EntityType, Ref, Shown
from ._feature import Feature
from ._ordering import Ordered, OrderedRepository

__all__ = ["FEATURE", "SERIES", "Series", "SeriesRepository"]


class Series(Ordered):
    """A series of stories; `order` is its place in the list of series."""

    name: str = Field(min_length=1)
    description: str = ""
    folder_id: str | None = None


class SeriesRepository(OrderedRepository[Series]):
    """Series in the order the person chose (new ones last; `move`, `move_by`,
    `reorder`). Deleting a series orphans its stories (`series_id` becomes None; they
    join the stories standing alone, last) and deletes only the series-scoped
    lorebook entries."""

    async def delete(self, id: str) -> None:
        async with translate_db_errors(), self.store.transaction("rw", *self.delete_tables):
            await self.require(id)
            stories = self.store.table("stories")
            orphans = sorted(
                await stories.where("series_id").equals(id).to_array(),
                key=lambda s: (s.get("order", 0), s["created_at"], s["id"]),
            )
            if orphans:
                alone = await stories.filter(lambda s: s.get("series_id") is None).to_array()
                first = max((s.get("order", 0) for s in alone), default=-1) + 1
                for n, story in enumerate(orphans):
                    await stories.update(story["id"], {"order": first + n})
            await super().delete(id)


SERIES = EntityType(
    kind="series",
    table="series",
    schema="id, name, folder_id, updated_at",
    since=2,
    model=Series,
    repository=SeriesRepository,
    references=(Ref("folder_id", "folder"),),
    shown=(Shown("series", "lists"),),
)

FEATURE = Feature("series", (SERIES,))
