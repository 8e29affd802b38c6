"""Stories, their chapters and scene beats."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import Field

from ._entity import Entity
from ._entity_type import EntityType, Ref, Shown
from ._errors import FieldError, InvalidDataError
from ._feature import Feature, Repositories, tables_of
from ._repository import Repository

__all__ = [
    "CHAPTER",
    "FEATURE",
    "SCENE_BEAT",
    "STORY",
    "Chapter",
    "ChapterRepository",
    "SceneBeat",
    "SceneBeatRepository",
    "Stories",
    "Story",
    "StoryRepository",
]


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

    async def in_series(self, series_id: str) -> list[Story]:
        return sorted(await self.where("series_id", series_id), key=lambda s: (s.created_at, s.id))

    async def assign_series(self, story_id: str, series_id: str | None) -> Story:
        """Put the story into a series (validated) or take it out (`None`)."""
        return await self.update(story_id, {"series_id": series_id})


class ChapterRepository(Repository[Chapter]):
    async def for_story(self, story_id: str) -> list[Chapter]:
        return sorted(await self.where("story_id", story_id), key=lambda c: (c.order, c.created_at))


class SceneBeatRepository(Repository[SceneBeat]):
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

    @property
    def tables_used(self) -> tuple[str, ...]:
        return tables_of(self.stories, self.chapters, self.scene_beats)


def _stories(repos: Repositories) -> Stories:
    return Stories(
        repos.of("story", StoryRepository),
        repos.of("chapter", ChapterRepository),
        repos.of("scene_beat", SceneBeatRepository),
    )


STORY = EntityType(
    kind="story",
    table="stories",
    schema="id, title, series_id, folder_id, updated_at",
    history={2: "id, title, folder_id, updated_at"},
    model=Story,
    repository=StoryRepository,
    label="story",
    references=(Ref("series_id", "series", on_delete="clear"), Ref("folder_id", "folder")),
    section="stories",
    shown=(Shown("stories", "lists"),),
)
CHAPTER = EntityType(
    kind="chapter",
    table="chapters",
    schema="id, story_id, [story_id+order]",
    model=Chapter,
    repository=ChapterRepository,
    references=(Ref("story_id", "story", required=True, on_delete="cascade"),),
    section="stories",
)
SCENE_BEAT = EntityType(
    kind="scene_beat",
    table="scene_beats",
    schema="id, story_id, chapter_id, [chapter_id+order]",
    model=SceneBeat,
    repository=SceneBeatRepository,
    references=(
        Ref("story_id", "story", required=True, on_delete="cascade"),
        Ref("chapter_id", "chapter", required=True, on_delete="cascade"),
    ),
    section="stories",
)

FEATURE = Feature("stories", (STORY, CHAPTER, SCENE_BEAT), api=_stories)
