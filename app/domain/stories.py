"""Stories, their chapters and scene beats."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import Field

from ._anchors import Anchor, anchor_at, follow
from ._db_errors import translate_db_errors
from ._entity_type import EntityType, Ref, Shown
from ._errors import FieldError, InvalidDataError
from ._feature import Feature, Repositories, tables_of
from ._ordering import Ordered, OrderedRepository
from ._store import Store

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


class Story(Ordered):
    """A story; `order` is its place among the stories of its series (or among the
    stories standing alone)."""

    title: str = Field(min_length=1)
    author: str = ""
    language: str = "en"
    synopsis: str = ""
    series_id: str | None = None
    folder_id: str | None = None
    extensions: dict[str, Any] = Field(default_factory=dict)


class Chapter(Ordered):
    story_id: str = Field(min_length=1)
    title: str = ""
    summary: str = ""
    content: str = ""


class SceneBeat(Ordered):
    """A short instruction attached to a point of its chapter's text.

    The point is `position` (an offset into the chapter's `content`) with the text on
    either side of it (`context_before`, `context_after`), so it stays put as the text
    changes (`app/domain/_anchors.py`). Beats are in text order; `order` breaks ties
    between beats at one point.
    """

    story_id: str = Field(min_length=1)
    chapter_id: str = Field(min_length=1)
    content: str = ""
    position: int = Field(default=0, ge=0)
    context_before: str = ""
    context_after: str = ""
    extensions: dict[str, Any] = Field(default_factory=dict)

    @property
    def anchor(self) -> Anchor:
        return Anchor(self.position, self.context_before, self.context_after)


def _anchor_fields(anchor: Anchor) -> dict[str, Any]:
    return {
        "position": anchor.position,
        "context_before": anchor.before,
        "context_after": anchor.after,
    }


class StoryRepository(OrderedRepository[Story]):
    """Stories in order within their series (or among the stories standing alone).
    Deleting a story deletes its chapters, scene beats and story-scoped lorebook
    entries, and nothing else (series and global entries stay)."""

    group_field = "series_id"

    async def in_series(self, series_id: str) -> list[Story]:
        return await self.siblings(series_id)

    async def standing_alone(self) -> list[Story]:
        return await self.siblings(None)

    async def assign_series(
        self, story_id: str, series_id: str | None, *, index: int | None = None
    ) -> Story:
        """Move the story into a series (validated) or out of any (`None`): it goes last
        there, or to `index`; the series it left closes ranks."""
        async with translate_db_errors(), self.store.transaction("rw", *self.tables_used):
            story = await self.require(story_id)
            if story.series_id == series_id:
                if index is not None:
                    await self.move(story_id, index)
                return await self.require(story_id)
            left = [s for s in await self.siblings(story.series_id) if s.id != story_id]
            joined = await self.siblings(series_id)
            last = max((s.order for s in joined), default=-1) + 1
            moved = await self.update(story_id, {"series_id": series_id, "order": last})
            await self._apply_order(left, [s.id for s in left], None)
            if index is not None:
                await self.move(story_id, index)
                moved = await self.require(story_id)
            return moved


class ChapterRepository(OrderedRepository[Chapter]):
    group_field = "story_id"

    async def for_story(self, story_id: str) -> list[Chapter]:
        return await self.siblings(story_id)


class SceneBeatRepository(OrderedRepository[SceneBeat]):
    """Beats of a chapter in text order. Moving a beat past a neighbour moves its point
    to the neighbour's (the beat keeps its words, and now applies there)."""

    group_field = "chapter_id"

    @staticmethod
    def sort_key(entity: Any) -> tuple[Any, ...]:
        return (entity.position, entity.order, entity.created_at, entity.id)

    async def _check(self, entity: SceneBeat) -> None:
        await super()._check(entity)
        chapter = await self.store.table("chapters").get(entity.chapter_id)
        if chapter is not None and chapter["story_id"] != entity.story_id:
            raise InvalidDataError([FieldError("chapter_id", "belongs to another story")])

    async def for_chapter(self, chapter_id: str) -> list[SceneBeat]:
        return await self.siblings(chapter_id)

    def _moved_changes(
        self, before: list[SceneBeat], ids: list[str], moving: str
    ) -> dict[str, dict[str, Any]]:
        old = [b.id for b in before].index(moving)
        new = ids.index(moving)
        if old == new:
            return {}
        # the neighbour it passed last: the beat now sits at that neighbour's point
        passed = next(b for b in before if b.id == ids[new + 1 if new < old else new - 1])
        return {moving: _anchor_fields(passed.anchor)}


@dataclass(frozen=True)
class Stories:
    """The stories module's repositories."""

    stories: StoryRepository
    chapters: ChapterRepository
    scene_beats: SceneBeatRepository

    @property
    def store(self) -> Store:
        return self.stories.store

    async def create_scene_beat(self, chapter_id: str, data: Mapping[str, Any]) -> SceneBeat:
        """A scene beat in `chapter_id` (its `story_id` is taken from the chapter),
        attached at `data["position"]` of the chapter's text (default: its end)."""
        async with translate_db_errors(), self.store.transaction("rw", self):
            chapter = await self.chapters.require(chapter_id)
            position = data.get("position", len(chapter.content))
            anchor = anchor_at(chapter.content, int(position))
            return await self.scene_beats.create(
                {
                    **data,
                    **_anchor_fields(anchor),
                    "chapter_id": chapter_id,
                    "story_id": chapter.story_id,
                }
            )

    async def attach_beat(self, beat_id: str, position: int) -> SceneBeat:
        """Attach a beat to another point of its chapter's text (the beat goes last
        among beats already at that point)."""
        async with translate_db_errors(), self.store.transaction("rw", self):
            beat = await self.scene_beats.require(beat_id)
            chapter = await self.chapters.require(beat.chapter_id)
            anchor = anchor_at(chapter.content, position)
            here = [b for b in await self.scene_beats.for_chapter(chapter.id) if b.id != beat_id]
            order = max((b.order for b in here if b.position == anchor.position), default=-1) + 1
            return await self.scene_beats.update(
                beat_id, {**_anchor_fields(anchor), "order": order}
            )

    async def save_chapter_text(self, chapter_id: str, content: str) -> Chapter:
        """Store a chapter's new text; its scene beats follow the edit (their points move
        with the text around them), in the same transaction."""
        async with translate_db_errors(), self.store.transaction("rw", self):
            chapter = await self.chapters.require(chapter_id)
            old = chapter.content
            if old == content:
                return chapter
            saved = await self.chapters.update(chapter_id, {"content": content})
            for beat in await self.scene_beats.for_chapter(chapter_id):
                anchor = follow(old, content, beat.anchor)
                if anchor != beat.anchor:
                    await self.scene_beats.update(beat.id, _anchor_fields(anchor))
            return saved

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
