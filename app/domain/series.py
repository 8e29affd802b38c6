"""Series: groups of stories sharing series-level lorebook entries."""

from __future__ import annotations

from pydantic import Field

from ._entity import Entity
from ._entity_type import EntityType, Ref, Shown
from ._feature import Feature
from ._repository import Repository

__all__ = ["FEATURE", "SERIES", "Series", "SeriesRepository"]


class Series(Entity):
    name: str = Field(min_length=1)
    description: str = ""
    folder_id: str | None = None


class SeriesRepository(Repository[Series]):
    """Deleting a series orphans its stories (`series_id` becomes None) and deletes
    only the series-scoped lorebook entries."""


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
