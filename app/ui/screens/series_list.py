"""The Stories screen (``#/series``): every series in the order chosen, and the stories
that stand alone; create, rename, reorder and delete both."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from app.domain import Series, Story
from app.reactive import derived, get
from app.ui import Ctx, Event, Node, Page, prevent_default
from app.ui._guard import Guard
from app.ui._sortable import SortableRow, sortable_list

from ._common import plural, row_actions

__all__ = ["create_form", "delete_question", "render", "story_delete_question", "story_rows"]


def delete_question(name: str) -> str:
    """What deleting a series asks."""
    return f"Delete the series “{name}” and its series lorebook? Its stories stay, standing alone."


def story_delete_question(title: str) -> str:
    """What deleting a story asks."""
    return (
        f"Delete the story “{title}” with its chapters, scene beats and story lorebook? "
        "This cannot be undone."
    )


def create_form(
    ctx: Ctx,
    *,
    id: str,
    label: str,
    button: str,
    form_label: str,
    guard: Guard,
    create: Callable[[str], Awaitable[Any]],
    empty: str | None,
) -> Node:
    """A one-field form ("New series" + "Create series") that clears itself on success;
    ``empty`` says why an empty value is refused (None: it is taken)."""
    dom = ctx.dom
    field = ctx.el(
        "input",
        {
            "id": id,
            "type": "text",
            "required": empty is not None,
            "maxlength": "300",
            "autocomplete": "off",
        },
    )

    async def submit(event: Event) -> None:
        text = str(dom.get_prop(field, "value")).strip()
        if not text and empty is not None:
            guard.fail(empty)
            dom.call(field, "focus")
            return
        ok, _ = await guard.run(lambda: create(text))
        if ok:
            dom.set_prop(field, "value", "")
        dom.call(field, "focus")

    return ctx.el(
        "form",
        {"class": "create-form", "aria-label": form_label},
        ctx.el("label", {"for": id}, label),
        ctx.el(
            "div",
            {"class": "field-row"},
            field,
            ctx.el("button", {"type": "submit", "class": "primary"}, button),
        ),
        on={"submit": prevent_default(submit)},
    )


def story_rows(
    ctx: Ctx,
    page: Page,
    stories: Any,
    guard: Guard,
    *,
    label: str,
) -> tuple[Node, Node]:
    """A sortable list of stories (links, rename, move, delete)."""
    writing = page.state.writing

    async def move(story: Story, delta: int) -> None:
        await writing.move_story(story.id, delta)

    def render(c: Ctx, row: SortableRow[Story]) -> Node:
        story = row.item
        title = derived(story, lambda s: s.title)

        async def rename(text: str) -> bool:
            sid = _id(row.item)
            ok, _ = await guard.run(lambda: writing.update_story(sid, {"title": text}))
            return ok

        async def delete() -> None:
            sid = _id(row.item)
            await guard.run(lambda: writing.delete_story(sid))

        return c.el(
            "div",
            {"class": "row-view"},
            c.el(
                "a",
                {"class": "name", "href": page.href("story", id=_id(story))},
                title,
            ),
            row_actions(
                c,
                name=title,
                field_label="Story title",
                rename=rename,
                question=story_delete_question,
                delete=delete,
            ),
        )

    return sortable_list(
        ctx,
        derived(stories, lambda items: items or []),
        key=lambda s: s.id,
        name=lambda s, i: s.title,
        render=render,
        move=move,
        label=label,
        on_error=guard.fail,
    )


def _id(store: Any) -> str:
    return str(get(store).id)


def render(ctx: Ctx, page: Page) -> Node:
    writing = page.state.writing
    guard = Guard(ctx)
    series = writing.series_list
    alone = writing.stories_in(None)
    all_stories = writing.live("story", {}).items

    def count_in(series_id: str) -> Any:
        return derived(
            all_stories,
            lambda items: plural(
                sum(1 for s in items or () if s.series_id == series_id), "story", "stories"
            ),
        )

    async def create_series(name: str) -> Any:
        return await writing.create_series({"name": name})

    async def create_story(title: str) -> Any:
        return await writing.create_story({"title": title})

    async def move(item: Series, delta: int) -> None:
        await writing.move_series(item.id, delta)

    def series_row(c: Ctx, row: SortableRow[Series]) -> Node:
        name = derived(row.item, lambda s: s.name)

        async def rename(text: str) -> bool:
            sid = _id(row.item)
            ok, _ = await guard.run(lambda: writing.update_series(sid, {"name": text}))
            return ok

        async def delete() -> None:
            sid = _id(row.item)
            await guard.run(lambda: writing.delete_series(sid))

        sid = _id(row.item)
        return c.el(
            "div",
            {"class": "row-view"},
            c.el(
                "a",
                {"class": "name", "href": page.href("series", id=sid)},
                name,
            ),
            c.el("span", {"class": "meta"}, count_in(sid)),
            row_actions(
                c,
                name=name,
                field_label="Series name",
                rename=rename,
                question=delete_question,
                delete=delete,
            ),
        )

    series_list, series_status = sortable_list(
        ctx,
        derived(series, lambda items: items or []),
        key=lambda s: s.id,
        name=lambda s, i: s.name,
        render=series_row,
        move=move,
        label="Series",
        on_error=guard.fail,
    )
    alone_list, alone_status = story_rows(ctx, page, alone, guard, label="Stories on their own")

    def summary(values: Sequence[Any]) -> str:
        listed, lone = values
        if listed is None or lone is None:
            return "Loading…"
        if not listed and not lone:
            return "No stories yet. Create a series, or a story on its own."
        return f"{plural(len(listed), 'series', 'series')}, {plural(len(lone), 'story', 'stories')} on their own"

    return ctx.el(
        "section",
        {"class": "screen series-list", "aria-labelledby": "screen-title"},
        ctx.el("h1", {"id": "screen-title", "tabindex": "-1"}, "Stories"),
        guard.node,
        ctx.el("p", {"class": "status", "role": "status"}, derived([series, alone], summary)),
        ctx.el(
            "section",
            {"class": "block", "aria-labelledby": "series-heading"},
            ctx.el("h2", {"id": "series-heading"}, "Series"),
            create_form(
                ctx,
                id="new-series",
                label="New series",
                button="Create series",
                form_label="Create a series",
                guard=guard,
                create=create_series,
                empty="A series needs a name.",
            ),
            series_list,
            series_status,
        ),
        ctx.el(
            "section",
            {"class": "block", "aria-labelledby": "alone-heading"},
            ctx.el("h2", {"id": "alone-heading"}, "Stories on their own"),
            create_form(
                ctx,
                id="new-story",
                label="New story",
                button="Create story",
                form_label="Create a story on its own",
                guard=guard,
                create=create_story,
                empty="A story needs a title.",
            ),
            alone_list,
            alone_status,
        ),
    )
