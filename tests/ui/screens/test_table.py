"""The screen table: every route of the UI contract, views that import, and what a new
screen costs (one module and one line)."""

from __future__ import annotations

import importlib
import inspect

import pytest

from app.ui import Screen, check_table
from app.ui._outlet import load_view
from app.ui.screens import SCREENS

from .._tab import Tab, open_tab

RUN_IN_BROWSER = True

# The routes of ../shared/UI.md (the contract), copied here so the suite checks them.
UI_MD_ROUTES = [
    "/characters",
    "/characters/{id}",
    "/chats/{id}",
    "/personas",
    "/series",
    "/series/{id}",
    "/stories/{id}",
    "/stories/{id}/chapters/{chapter_id}",
    "/lorebook/global",
    "/lorebook/{level}/{scope_id}",
    "/presets",
    "/settings",
    "/settings/providers",
    "/settings/sync",
    "/library",
]

UI_MD_NAV = {
    "Characters": "/characters",
    "Stories": "/series",
    "Lorebook": "/lorebook/global",
    "Settings": "/settings",
}


def _plain(path: str) -> str:
    """``{level:a|b}`` → ``{level}``."""
    return "/".join(
        p.split(":")[0] + "}" if p.startswith("{") and ":" in p else p for p in path.split("/")
    )


def test_every_route_of_the_contract_is_in_the_table_once() -> None:
    assert sorted(_plain(s.path) for s in SCREENS) == sorted(UI_MD_ROUTES)
    assert len({s.name for s in SCREENS}) == len(SCREENS)


def test_the_contract_navigation_links_are_there() -> None:
    nav = {s.nav: s.path for s in SCREENS if s.nav}
    for label, path in UI_MD_NAV.items():
        assert nav[label] == path


def test_sections_name_screens_with_a_navigation_link() -> None:
    by_name = {s.name: s for s in SCREENS}
    for screen in SCREENS:
        assert by_name[screen.section_name].nav is not None, screen.name


@pytest.mark.parametrize("screen", SCREENS, ids=lambda s: s.name)
def test_each_view_is_a_render_function_of_ctx_and_page(screen: Screen) -> None:
    render = load_view(screen.module)
    assert list(inspect.signature(render).parameters) == ["ctx", "page"]
    if screen.module is not None:
        assert importlib.import_module(f"app.ui.screens.{screen.module}").render is render


async def _address(t: Tab, screen: Screen) -> str:
    """An address of ``screen`` whose records exist."""
    (character,) = await t.domain.characters.list()
    chat = await t.state.create_chat(character.id, {"title": "Breakfast"})
    saga = await t.domain.series.create({"name": "Saga"})
    story = await t.domain.stories.stories.create({"title": "Dune", "series_id": saga.id})
    chapter = await t.domain.stories.chapters.create({"story_id": story.id, "title": "Arrakis"})
    params = {"id": story.id, "chapter_id": chapter.id, "level": "story", "scope_id": story.id}
    if screen.name in ("character", "lorebook"):
        params.update(id=character.id, level="character", scope_id=character.id)
    if screen.name in ("chat",):
        params["id"] = chat.id
    if screen.name == "series":
        params["id"] = saga.id
    return screen.route.href(**{k: params[k] for k in screen.route.params})[1:]


#: Pages whose title names their record (the others' is the table's string).
RECORD_TITLES = {
    "character": "Ada",
    "chat": "Breakfast",
    "series": "Saga",
    "story": "Dune",
    "chapter": "Arrakis",
    "lorebook": "Lorebook: Ada",
}


@pytest.mark.parametrize("screen", SCREENS, ids=lambda s: s.name)
async def test_every_page_opens_with_its_title(screen: Screen) -> None:
    async with open_tab(["Ada"]) as t:
        await t.go(await _address(t, screen))
        await t.state.writing.settle()
        await t.app.settle()
        expected = RECORD_TITLES.get(screen.name, screen.title)
        assert t.heading() == expected
        assert t.title() == f"{expected} — Lorekeeper"
        built = t.harness.query("main p.muted")
        if screen.module is None:
            assert [t.harness.text(p) for p in built] == ["This screen is not built yet."]


async def test_adding_a_screen_is_one_module_and_one_line() -> None:
    line = Screen(
        "/places", "places", "Places", module="tests.ui.screens._demo_screen", nav="Places"
    )
    async with open_tab(["Ada"], screens=(*SCREENS, line)) as t:
        (ada,) = await t.domain.characters.list()
        await t.go(f"/characters/{ada.id}")
        nav = [t.harness.text(a) for a in t.harness.query("nav a")]
        assert nav[-1] == "Places"
        await t.go("/places")
        assert t.heading() == "Places"
        assert t.title() == "Places — Lorekeeper"
        assert [t.harness.text(p) for p in t.harness.query("main p")] == [
            "Places live here. Characters"
        ]
        assert [t.harness.attr(a, "aria-current") for a in t.harness.query("nav a")][-1] == "page"


@pytest.mark.parametrize(
    ("screens", "message"),
    [
        ((), "at least one screen"),
        ((Screen("/a", "a", "A"), Screen("/b", "a", "B")), "two screens named 'a'"),
        ((Screen("/a/{id}", "a", "A", nav="A"),), "navigation link 'A' cannot take params"),
        ((Screen("/a", "a", "A", section="b"),), "section 'b' of 'a' is not a screen"),
    ],
)
def test_a_broken_table_is_refused_with_a_clear_message(
    screens: tuple[Screen, ...], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        check_table(screens)


def test_the_table_passes_its_own_checks() -> None:
    check_table(SCREENS)
