"""A story (``#/stories/{id}``): title, series (or none), synopsis, its chapters in order
(add, rename, reorder, delete), word counts, its lorebook, and deleting it."""

from __future__ import annotations

from typing import Any

from app.domain import Chapter, Story
from app.reactive import Readable, derived, get
from app.ui import Ctx, Event, Node, Page
from app.ui._autosave_field import autosave_field
from app.ui._guard import Guard
from app.ui._record_page import record_page
from app.ui._sortable import SortableRow, sortable_list
from app.ui._word_count import word_count

from ._common import back_link, delete_section, page_actions, plural, row_actions
from .series_list import create_form, story_delete_question

__all__ = ["chapter_name", "render"]

NO_SERIES = ""


def chapter_name(chapter: Chapter, index: int) -> str:
    """A chapter's name in lists and buttons: its title, or "Chapter N" by position."""
    return chapter.title.strip() or f"Chapter {index + 1}"


def render(ctx: Ctx, page: Page) -> Node:
    writing = page.state.writing
    story_id = page.params["id"]
    lookup = writing.story(story_id)

    def back() -> Node:
        def target(found: Any) -> tuple[str, str]:
            story = found.record
            if story is not None and story.series_id:
                return page.href("series", id=story.series_id), "Back to the series"
            return page.href("series_list"), "All stories"

        where = derived(lookup, target)
        return back_link(ctx, derived(where, lambda w: w[0]), derived(where, lambda w: w[1]))

    def body(c: Ctx, story: Readable[Story]) -> Node:
        guard = Guard(c)
        title = derived(story, lambda s: s.title if s is not None else "")
        chapters = writing.chapters_of(story_id)

        async def rename(text: str) -> bool:
            ok, _ = await guard.run(lambda: writing.update_story(story_id, {"title": text}))
            return ok

        async def delete() -> None:
            series_id = get(story).series_id if get(story) is not None else None
            ok, _ = await guard.run(lambda: writing.delete_story(story_id))
            if ok:
                if series_id:
                    page.navigate("series", id=series_id)
                else:
                    page.navigate("series_list")

        # -- series ------------------------------------------------------------------------
        select = c.el("select", {"id": "story-series"})
        all_series = writing.series_list

        def fill(values: list[Any]) -> None:
            series_list, current = values
            dom = c.dom
            dom.set_text(select, "")
            options = [(NO_SERIES, "No series (on its own)")]
            options += [(s.id, s.name) for s in series_list or ()]
            chosen = (current.series_id if current is not None else None) or NO_SERIES
            for value, text in options:
                option = dom.element("option")
                dom.set_attr(option, "value", value)
                dom.insert(option, dom.text(text))
                dom.insert(select, option)
            dom.set_prop(select, "value", chosen)

        c.watch(derived([all_series, story], lambda vs: vs), fill)

        async def change_series(event: Event) -> None:
            value = str(c.dom.get_prop(select, "value"))
            await guard.run(lambda: writing.assign_series(story_id, value or None))

        c.on(select, "change", change_series)
        series_link = c.el(
            "p",
            {"class": "meta"},
            derived(
                [all_series, story],
                lambda vs: _series_sentence(vs[0], vs[1]),
            ),
        )

        # -- chapters ----------------------------------------------------------------------
        async def add_chapter(text: str) -> object:
            return await writing.create_chapter(story_id, {"title": text})

        async def move(chapter: Chapter, delta: int) -> None:
            await writing.move_chapter(chapter.id, delta)

        def chapter_row(rc: Ctx, row: SortableRow[Chapter]) -> Node:
            chapter_id = get(row.item).id
            words = derived(row.item, lambda ch: plural(word_count(ch.content), "word", "words"))
            raw_title = derived(row.item, lambda ch: ch.title)

            async def rename_chapter(text: str) -> bool:
                ok, _ = await guard.run(lambda: writing.update_chapter(chapter_id, {"title": text}))
                return ok

            async def delete_chapter() -> None:
                await guard.run(lambda: writing.delete_chapter(chapter_id))

            return rc.el(
                "div",
                {"class": "row-view"},
                rc.el(
                    "a",
                    {
                        "class": "name",
                        "href": page.href("chapter", id=story_id, chapter_id=chapter_id),
                    },
                    row.name,
                ),
                rc.el("span", {"class": "meta"}, words),
                row_actions(
                    rc,
                    name=row.name,
                    value=raw_title,
                    required=False,
                    field_label="Chapter title",
                    rename=rename_chapter,
                    question=lambda n: (
                        f"Delete “{n}” with its text and scene beats? This cannot be undone."
                    ),
                    delete=delete_chapter,
                ),
            )

        chapter_list, chapter_status = sortable_list(
            c,
            derived(chapters, lambda items: items or []),
            key=lambda ch: ch.id,
            name=chapter_name,
            render=chapter_row,
            move=move,
            label="Chapters",
            on_error=guard.fail,
        )

        def totals(items: list[Chapter] | None) -> str:
            if items is None:
                return ""
            if not items:
                return "No chapters yet. Add the first one above."
            words = sum(word_count(ch.content) for ch in items)
            return f"{plural(len(items), 'chapter', 'chapters')}, {plural(words, 'word', 'words')}"

        synopsis, _ = autosave_field(
            c,
            id="story-synopsis",
            label="Synopsis",
            value=derived(story, lambda s: s.synopsis if s is not None else ""),
            save=lambda text: writing.update_story(story_id, {"synopsis": text}),
            journal_key=f"story:{story_id}:synopsis",
            multiline=True,
            stored_at=get(story).updated_at,
        )
        return c.el(
            "div",
            None,
            page_actions(
                c,
                name=title,
                field_label="Story title",
                button_label="Rename story",
                rename=rename,
                lorebook=(
                    page.href("lorebook", level="story", scope_id=story_id),
                    "Story lorebook",
                ),
            ),
            guard.node,
            c.el(
                "div",
                {"class": "field"},
                c.el("label", {"for": "story-series"}, "Series"),
                select,
                series_link,
            ),
            synopsis,
            c.el(
                "section",
                {"class": "block", "aria-labelledby": "chapters-heading"},
                c.el("h2", {"id": "chapters-heading"}, "Chapters"),
                create_form(
                    c,
                    id="new-chapter",
                    label="New chapter",
                    button="Add chapter",
                    form_label="Add a chapter",
                    guard=guard,
                    create=add_chapter,
                    empty=None,  # an untitled chapter is named by its place
                ),
                c.el("p", {"class": "status"}, derived(chapters, totals)),
                chapter_list,
                chapter_status,
            ),
            delete_section(
                c,
                button="Delete story",
                question=derived(title, story_delete_question),
                delete=delete,
            ),
        )

    return record_page(
        ctx,
        page,
        lookup,
        noun="story",
        name=lambda s: s.title,
        back=(page.href("series_list"), "Back to Stories"),
        body=body,
        css="story-page",
        before_heading=back(),
    )


def _series_sentence(series_list: Any, story: Any) -> str:
    if story is None or not story.series_id:
        return "This story stands on its own."
    for s in series_list or ():
        if s.id == story.series_id:
            return f"Part of the series “{s.name}”."
    return ""
