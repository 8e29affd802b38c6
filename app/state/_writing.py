"""``Writing``: what the writing workspace and the lorebook screen read and change.

Series, the stories of a series (or standing alone), a story's chapters, a chapter's
scene beats and the lorebook of any scope are ``LiveRecords`` stores, loaded while a page
shows them and kept in step with every commit (this tab's and other tabs'). Every write
reaches the library through ``AppState`` (single records: ``create``/``update``/
``delete``, so the app state's own lists — series, stories, the global lorebook — follow
at once) or, for operations spanning several records in one transaction (reordering,
moving a story, saving a chapter with its beats, bulk lorebook operations), through the
domain, after which the app state reloads the levels those tables show.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from app.domain import (
    Chapter,
    Domain,
    LorebookEntry,
    Repository,
    SceneBeat,
    Series,
    Story,
)
from app.domain._ordering import OrderedRepository
from app.domain.lorebook import Audience, Layer, LoreChange
from app.reactive import Readable, derived, readable

from ._live_records import LiveRecords, Lookup

if TYPE_CHECKING:
    from app.lore import LayerCache

    from ._app_state import AppState
    from ._story_writer import StoryWriter

__all__ = ["Writing"]

T = TypeVar("T")


def _lookup(items: list[Any] | None) -> Lookup[Any]:
    if items is None:
        return Lookup(False)
    return Lookup(True, items[0] if items else None)


#: Tables whose changes can change the layers a scope sees.
_SCOPE_TABLES = frozenset({"series", "stories", "characters", "chats", "modules", "module_links"})


def _created(record: Any) -> tuple[Any, ...]:
    return (record.created_at, record.id)


def _entry_order(entry: LorebookEntry) -> tuple[Any, ...]:
    return (entry.insertion_order, entry.created_at, entry.id)


class Writing:
    """Live stores and operations for series, stories, chapters, scene beats and lorebooks."""

    def __init__(self, state: AppState, domain: Domain) -> None:
        self._state = state
        self.domain = domain
        self._live: dict[tuple[str, tuple[tuple[str, Any], ...]], LiveRecords[Any]] = {}
        self._lore_cache: LayerCache | None = None
        self._story_writer: StoryWriter | None = None
        self._tasks: set[asyncio.Future[Any]] = set()

    @property
    def story_writer(self) -> StoryWriter:
        """Builds and sends "Continue writing" / "Write this beat" prompts."""
        if self._story_writer is None:
            from ._story_writer import StoryWriter

            self._story_writer = StoryWriter(self.domain, self.lore_cache)
        return self._story_writer

    @property
    def lore_cache(self) -> LayerCache:
        """The lore engine's index cache for the writing pages, kept in step with
        committed lorebook edits (an unchanged layer is never indexed twice)."""
        if self._lore_cache is None:
            from app.lore import LayerCache, follow_changes

            self._lore_cache = LayerCache()
            follow_changes(self._lore_cache, self.domain.store)
        return self._lore_cache

    # -- stores ----------------------------------------------------------------------------
    def _records(self, kind: str, where: Mapping[str, Any]) -> LiveRecords[Any]:
        key = (kind, tuple(sorted(where.items())))
        live = self._live.get(key)
        if live is None:
            repo = self.domain.repository(kind)
            assert isinstance(repo, Repository)
            order: Callable[[Any], Any] = _created
            if isinstance(repo, OrderedRepository):
                order = repo.sort_key
            elif kind == "lorebook_entry":
                order = _entry_order
            live = self._live[key] = LiveRecords(self.domain.store, repo, where, order)
        return live

    def live(self, kind: str, where: Mapping[str, Any]) -> LiveRecords[Any]:
        """The ``LiveRecords`` of ``kind`` matching ``where`` (shared while alive)."""
        return self._records(kind, where)

    def record(self, kind: str, id: str) -> Readable[Lookup[Any]]:
        """One record of any kind, live (``Lookup``: loading, found, or not there)."""
        return derived(self._records(kind, {"id": id}).items, _lookup)

    @property
    def series_list(self) -> Readable[list[Series] | None]:
        """Every series, in the order chosen."""
        return self._records("series", {}).items

    def stories_in(self, series_id: str | None) -> Readable[list[Story] | None]:
        """The stories of a series in order (``None``: the stories standing alone)."""
        return self._records("story", {"series_id": series_id}).items

    def series(self, series_id: str) -> Readable[Lookup[Series]]:
        return self.record("series", series_id)

    def story(self, story_id: str) -> Readable[Lookup[Story]]:
        return self.record("story", story_id)

    def chapter(self, chapter_id: str) -> Readable[Lookup[Chapter]]:
        return self.record("chapter", chapter_id)

    def chapters_of(self, story_id: str) -> Readable[list[Chapter] | None]:
        return self._records("chapter", {"story_id": story_id}).items

    def beats_of(self, chapter_id: str) -> Readable[list[SceneBeat] | None]:
        return self._records("scene_beat", {"chapter_id": chapter_id}).items

    def lore_of(self, layer: Layer) -> LiveRecords[LorebookEntry]:
        """The entries of one layer (disabled ones too), by insertion order."""
        return self._records("lorebook_entry", {"level": layer.level, "scope_id": layer.scope_id})

    def layers(self, level: str, scope_id: str | None) -> Readable[list[Layer] | None]:
        """The layers a scope sees (``chain``), re-read when the scope moves (a story to
        another series, a module attached); ``None`` while reading, ``[]`` when the
        scope does not exist."""
        lore = self.domain.lorebook

        def start(set_value: Callable[[Any], None]) -> Callable[[], None]:
            current: list[Any] = [object()]
            reads = [0]

            async def read() -> None:
                reads[0] += 1
                number = reads[0]
                try:
                    found = await lore.chain(level, scope_id)  # type: ignore[arg-type]
                except LookupError:
                    found = []
                if number == reads[0] and found != current[0]:
                    current[0] = found
                    set_value(found)

            def changed(changes: list[Any]) -> None:
                if any(c.table in _SCOPE_TABLES for c in changes):
                    self._spawn(read())

            unlisten = self.domain.store.on("changes", changed)
            self._spawn(read())

            def stop() -> None:
                reads[0] += 1
                unlisten()

            return stop

        return readable(None, start)

    def lore_seen(
        self, level: str, scope_id: str | None
    ) -> Readable[dict[Layer, list[LorebookEntry]] | None]:
        """Every entry (disabled ones too) of each layer the scope sees, layer by layer
        from the top, live: ``None`` until every layer has loaded; the layers follow the
        scope (a story moved to another series sees that series' entries)."""
        layers = self.layers(level, scope_id)

        def start(set_value: Callable[[Any], None]) -> Callable[[], None]:
            subscriptions: dict[Layer, Callable[[], None]] = {}
            values: dict[Layer, list[LorebookEntry] | None] = {}
            shown: list[list[Layer] | None] = [None]

            def publish() -> None:
                wanted = shown[0]
                if wanted is None or any(values.get(x) is None for x in wanted):
                    set_value(None)
                    return
                set_value({x: values[x] for x in wanted})

            def follow(layer: Layer) -> Callable[[list[LorebookEntry] | None], None]:
                def update(items: list[LorebookEntry] | None) -> None:
                    values[layer] = items
                    if layer in subscriptions:
                        publish()

                return update

            def on_layers(wanted: list[Layer] | None) -> None:
                shown[0] = wanted
                keep = set(wanted or ())
                for layer in [x for x in subscriptions if x not in keep]:
                    subscriptions.pop(layer)()
                    values.pop(layer, None)
                for layer in wanted or ():
                    if layer not in subscriptions:
                        values[layer] = None
                        subscriptions[layer] = lambda: None
                        subscriptions[layer] = self.lore_of(layer).items.subscribe(follow(layer))
                publish()

            stop_layers = layers.subscribe(on_layers)

            def stop() -> None:
                stop_layers()
                for unsubscribe in subscriptions.values():
                    unsubscribe()
                subscriptions.clear()

            return stop

        return readable(None, start)

    # -- reads -----------------------------------------------------------------------------
    async def audience(self, layer: Layer) -> Audience:
        return await self.domain.lorebook.audience(layer)

    async def promotion(self, entry_id: str) -> Layer | None:
        return await self.domain.lorebook.promotion(entry_id)

    async def demotion(self, entry_id: str, level: str, scope_id: str | None) -> Layer | None:
        return await self.domain.lorebook.demotion(entry_id, level, scope_id)  # type: ignore[arg-type]

    async def entries_seen(self, level: str, scope_id: str | None) -> list[LorebookEntry]:
        """Every enabled entry the scope sees (what generation and mentions use)."""
        seen = await self.domain.lorebook.seen_by(level, scope_id)  # type: ignore[arg-type]
        return [e for entries in seen.values() for e in entries if e.enabled]

    # -- writes: series ----------------------------------------------------------------------
    async def _after(self, tables: Sequence[str], work: Awaitable[T]) -> T:
        """Run a multi-record domain operation, then reload what the state shows of it."""
        result = await work
        await self._state.refresh(list(tables))
        return result

    async def create_series(self, data: Mapping[str, Any]) -> Series:
        series: Series = await self._state.create("series", data)
        return series

    async def update_series(self, series_id: str, changes: Mapping[str, Any]) -> Series:
        series: Series = await self._state.update("series", series_id, changes)
        return series

    async def delete_series(self, series_id: str) -> None:
        await self._after(["series", "stories"], self.domain.series.delete(series_id))

    async def move_series(self, series_id: str, delta: int) -> None:
        await self._after(["series"], self.domain.series.move_by(series_id, delta))

    # -- writes: stories ---------------------------------------------------------------------
    async def create_story(self, data: Mapping[str, Any]) -> Story:
        story: Story = await self._state.create("story", data)
        return story

    async def update_story(self, story_id: str, changes: Mapping[str, Any]) -> Story:
        story: Story = await self._state.update("story", story_id, changes)
        return story

    async def move_story(self, story_id: str, delta: int) -> None:
        await self._after(["stories"], self.domain.stories.stories.move_by(story_id, delta))

    async def assign_series(self, story_id: str, series_id: str | None) -> Story:
        return await self._after(
            ["stories"], self.domain.stories.stories.assign_series(story_id, series_id)
        )

    async def delete_story(self, story_id: str) -> None:
        await self._state.delete("story", story_id)

    # -- writes: chapters and beats ----------------------------------------------------------
    async def create_chapter(self, story_id: str, data: Mapping[str, Any]) -> Chapter:
        chapter: Chapter = await self._state.create("chapter", {**data, "story_id": story_id})
        return chapter

    async def update_chapter(self, chapter_id: str, changes: Mapping[str, Any]) -> Chapter:
        chapter: Chapter = await self._state.update("chapter", chapter_id, changes)
        return chapter

    async def save_chapter_text(self, chapter_id: str, content: str) -> Chapter:
        """The chapter's text, with its scene beats following the edit (one transaction)."""
        return await self.domain.stories.save_chapter_text(chapter_id, content)

    async def move_chapter(self, chapter_id: str, delta: int) -> None:
        await self.domain.stories.chapters.move_by(chapter_id, delta)

    async def delete_chapter(self, chapter_id: str) -> None:
        await self._state.delete("chapter", chapter_id)

    async def create_beat(self, chapter_id: str, content: str, position: int | None) -> SceneBeat:
        data: dict[str, Any] = {"content": content}
        if position is not None:
            data["position"] = position
        return await self.domain.stories.create_scene_beat(chapter_id, data)

    async def update_beat(self, beat_id: str, changes: Mapping[str, Any]) -> SceneBeat:
        beat: SceneBeat = await self._state.update("scene_beat", beat_id, changes)
        return beat

    async def move_beat(self, beat_id: str, delta: int) -> None:
        await self.domain.stories.scene_beats.move_by(beat_id, delta)

    async def attach_beat(self, beat_id: str, position: int) -> SceneBeat:
        return await self.domain.stories.attach_beat(beat_id, position)

    async def delete_beat(self, beat_id: str) -> None:
        await self._state.delete("scene_beat", beat_id)

    # -- writes: lorebook --------------------------------------------------------------------
    async def create_entry(self, layer: Layer, data: Mapping[str, Any]) -> LorebookEntry:
        """A new entry at ``layer`` (the screen's own scope)."""
        entry: LorebookEntry = await self._state.create(
            "lorebook_entry", {**data, "level": layer.level, "scope_id": layer.scope_id}
        )
        return entry

    async def update_entry(self, entry_id: str, changes: Mapping[str, Any]) -> LorebookEntry:
        entry: LorebookEntry = await self._state.update("lorebook_entry", entry_id, changes)
        return entry

    async def move_entry(self, entry_id: str, layer: Layer) -> LoreChange:
        """Promote or demote one entry (its id is kept); undoable like a bulk move."""
        return await self.move_entries([entry_id], layer)

    async def set_enabled(self, ids: Sequence[str], enabled: bool) -> LoreChange:
        return await self._after(
            ["lorebook_entries"], self.domain.lorebook.set_enabled(ids, enabled)
        )

    async def delete_entries(self, ids: Sequence[str]) -> LoreChange:
        return await self._after(["lorebook_entries"], self.domain.lorebook.delete_many(ids))

    async def move_entries(self, ids: Sequence[str], layer: Layer) -> LoreChange:
        return await self._after(
            ["lorebook_entries"], self.domain.lorebook.move_many(ids, layer.level, layer.scope_id)
        )

    async def undo(self, change: LoreChange) -> int:
        return await self._after(["lorebook_entries"], self.domain.lorebook.undo(change))

    # -- helpers for tests -------------------------------------------------------------------
    def _spawn(self, work: Awaitable[Any]) -> None:
        task = asyncio.ensure_future(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def settle(self) -> None:
        """Wait until every live store's reads in flight have landed."""
        while True:
            for live in list(self._live.values()):
                await live.settle()
            waiting = [t for t in self._tasks if not t.done()]
            if not waiting:
                break
            await asyncio.gather(*waiting, return_exceptions=True)
        await asyncio.sleep(0)
