"""A series (``#/series/{id}``): its name and description, its stories in order (create,
rename, reorder, delete), a link to its lorebook, and deleting it (asked first)."""

from __future__ import annotations

from app.domain import Series
from app.reactive import Readable, derived, get
from app.ui import Ctx, Node, Page
from app.ui._autosave_field import autosave_field
from app.ui._guard import Guard
from app.ui._record_page import record_page

from ._common import back_link, delete_section, page_actions, plural
from .series_list import create_form, delete_question, story_rows

__all__ = ["render"]


def _count(items: list[object] | None) -> str:
    if items is None:
        return ""
    return plural(len(items), "story", "stories") if items else "No stories in this series yet."


def render(ctx: Ctx, page: Page) -> Node:
    writing = page.state.writing
    series_id = page.params["id"]
    lookup = writing.series(series_id)

    def body(c: Ctx, series: Readable[Series]) -> Node:
        guard = Guard(c)
        name = derived(series, lambda s: s.name if s is not None else "")

        async def rename(text: str) -> bool:
            ok, _ = await guard.run(lambda: writing.update_series(series_id, {"name": text}))
            return ok

        async def save_description(text: str) -> None:
            await writing.update_series(series_id, {"description": text})

        async def create_story(title: str) -> object:
            return await writing.create_story({"title": title, "series_id": series_id})

        async def delete() -> None:
            ok, _ = await guard.run(lambda: writing.delete_series(series_id))
            if ok:
                page.navigate("series_list")

        description, _ = autosave_field(
            c,
            id="series-description",
            label="Description",
            value=derived(series, lambda s: s.description if s is not None else ""),
            save=save_description,
            journal_key=f"series:{series_id}:description",
            multiline=True,
            stored_at=get(series).updated_at,
        )
        stories = writing.stories_in(series_id)
        listing, status = story_rows(c, page, stories, guard, label="Stories in this series")
        return c.el(
            "div",
            None,
            page_actions(
                c,
                name=name,
                field_label="Series name",
                button_label="Rename series",
                rename=rename,
                lorebook=(
                    page.href("lorebook", level="series", scope_id=series_id),
                    "Series lorebook",
                ),
            ),
            guard.node,
            description,
            c.el(
                "section",
                {"class": "block", "aria-labelledby": "stories-heading"},
                c.el("h2", {"id": "stories-heading"}, "Stories"),
                create_form(
                    c,
                    id="new-story",
                    label="New story",
                    button="Create story",
                    form_label="Create a story in this series",
                    guard=guard,
                    create=create_story,
                    empty="A story needs a title.",
                ),
                c.el(
                    "p",
                    {"class": "status"},
                    derived(stories, _count),
                ),
                listing,
                status,
            ),
            delete_section(
                c,
                button="Delete series",
                question=derived(name, delete_question),
                delete=delete,
            ),
        )

    return record_page(
        ctx,
        page,
        lookup,
        noun="series",
        name=lambda s: s.name,
        back=(page.href("series_list"), "Back to Stories"),
        body=body,
        css="series-page",
        before_heading=back_link(ctx, page.href("series_list"), "All stories"),
    )
