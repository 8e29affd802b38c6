"""Stories, their chapters and scene beats."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import Field

from ._entity import Entity
from ._errors import FieldError, InvalidDataError
from ._module import declare
from ._repository import Repository
from ._store import Store

__all__ = [
    "TABLES",
    "Chapter",
    "ChapterRepository",
    "SceneBeat",
    "SceneBeatRepository",
    "Stories",
    "Story",
    "StoryRepository",
    "register",
]

TABLES = {
    "stories": "id, title, series_id, folder_id, updated_at",
    "chapters": "id, story_id, [story_id+order]",
    "scene_beats": "id, story_id, chapter_id, [chapter_id+order]",
}


class Story(Entity):
    title: str = Field(min_length=1)
    author: str = ""
    language: str = "en"
    synopsis: str = ""
    series_id: str | None = None
    folder_id: str | None = None
    extensions: dict[str, Any] = Field(default_factory=dict)


class Chapter(Entity):
    story_id: str = Field(min_length=1)
    title: str = ""
    order: int = 0
    summary: str = ""
    content: str = ""


class SceneBeat(Entity):
    story_id: str = Field(min_length=1)
    chapter_id: str = Field(min_length=1)
    order: int = 0
    content: str = ""
    extensions: dict[str, Any] = Field(default_factory=dict)


class StoryRepository(Repository[Story]):
    """Deleting a story deletes its chapters, scene beats and story-scoped lorebook
    entries, and nothing else (series and global entries stay)."""

    table_name = "stories"
    model = Story
    kind = "story"
    references = (("series_id", "series"), ("folder_id", "folder"))
    cascade_tables = ("chapters", "scene_beats", "lorebook_entries")

    async def in_series(self, series_id: str) -> list[Story]:
        return sorted(await self.where("series_id", series_id), key=lambda s: (s.created_at, s.id))

    async def assign_series(self, story_id: str, series_id: str | None) -> Story:
        """Put the story into a series (validated) or take it out (`None`)."""
        return await self.update(story_id, {"series_id": series_id})

    async def _cascade_delete(self, entity: Story) -> None:
        store = self.store
        await store.table("scene_beats").where("story_id").equals(entity.id).delete()
        await store.table("chapters").where("story_id").equals(entity.id).delete()
        if store.has_table("lorebook_entries"):
            entries = store.table("lorebook_entries")
            await entries.where("[level+scope_id]").equals(["story", entity.id]).delete()


class ChapterRepository(Repository[Chapter]):
    table_name = "chapters"
    model = Chapter
    kind = "chapter"
    references = (("story_id", "story"),)
    cascade_tables = ("scene_beats",)

    async def for_story(self, story_id: str) -> list[Chapter]:
        return sorted(await self.where("story_id", story_id), key=lambda c: (c.order, c.created_at))

    async def _cascade_delete(self, entity: Chapter) -> None:
        await self.store.table("scene_beats").where("chapter_id").equals(entity.id).delete()


class SceneBeatRepository(Repository[SceneBeat]):
    table_name = "scene_beats"
    model = SceneBeat
    kind = "scene beat"
    references = (("story_id", "story"), ("chapter_id", "chapter"))

    async def _check(self, entity: SceneBeat) -> None:
        await super()._check(entity)
        chapter = await self.store.table("chapters").get(entity.chapter_id)
        if chapter is not None and chapter["story_id"] != entity.story_id:
            raise InvalidDataError([FieldError("chapter_id", "belongs to another story")])

    async def for_chapter(self, chapter_id: str) -> list[SceneBeat]:
        beats = await self.where("chapter_id", chapter_id)
        return sorted(beats, key=lambda b: (b.order, b.created_at))


@dataclass(frozen=True)
class Stories:
    """The stories module's repositories."""

    stories: StoryRepository
    chapters: ChapterRepository
    scene_beats: SceneBeatRepository

    async def create_scene_beat(self, chapter_id: str, data: Mapping[str, Any]) -> SceneBeat:
        """A scene beat in `chapter_id` (its `story_id` is taken from the chapter)."""
        chapter = await self.chapters.require(chapter_id)
        return await self.scene_beats.create(
            {**data, "chapter_id": chapter_id, "story_id": chapter.story_id}
        )


def register(store: Store) -> Stories:
    """Declare stories, chapters and scene beats; return their repositories."""
    api = Stories(StoryRepository(store), ChapterRepository(store), SceneBeatRepository(store))
    return declare(store, "stories", TABLES, api)
