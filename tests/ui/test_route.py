"""Pure route matching and href building (over the screen table's routes)."""

from __future__ import annotations

import pytest

from app.ui import NOT_FOUND, Route, href, match, split_hash
from app.ui.screens import SCREENS

RUN_IN_BROWSER = True

ROUTES = [screen.route for screen in SCREENS]


@pytest.mark.parametrize(
    ("hash", "name", "params"),
    [
        ("#/characters", "characters", {}),
        ("#/characters/", "characters", {}),
        ("#/characters/abc-123", "character", {"id": "abc-123"}),
        ("#/chats/c1", "chat", {"id": "c1"}),
        ("#/personas", "personas", {}),
        ("#/series", "series_list", {}),
        ("#/series/s1", "series", {"id": "s1"}),
        ("#/stories/st1", "story", {"id": "st1"}),
        ("#/stories/st1/chapters/ch2", "chapter", {"id": "st1", "chapter_id": "ch2"}),
        ("#/lorebook/global", "global_lorebook", {}),
        ("#/lorebook/story/st1", "lorebook", {"level": "story", "scope_id": "st1"}),
        ("#/lorebook/module/m1", "lorebook", {"level": "module", "scope_id": "m1"}),
        ("#/presets", "presets", {}),
        ("#/settings", "settings", {}),
        ("#/settings/providers", "providers", {}),
        ("#/settings/sync", "sync", {}),
        ("#/library", "library", {}),
        ("#//characters//x//", "character", {"id": "x"}),
    ],
)
def test_every_route_matches(hash: str, name: str, params: dict[str, str]) -> None:
    m = match(hash, ROUTES)
    assert (m.name, dict(m.params)) == (name, params)
    assert m.found


@pytest.mark.parametrize(
    "hash",
    [
        "#/nope",
        "#/characters/a/b",
        "#/lorebook",
        "#/lorebook/local",
        "#/lorebook/planet/p1",  # not a level
        "#/lorebook/global/x",
        "#/settingsx",
        "#/chats",
        "#/stories/s1/chapters",
    ],
)
def test_unknown_paths_are_not_found(hash: str) -> None:
    m = match(hash, ROUTES)
    assert m.name == NOT_FOUND
    assert not m.found


def test_query_is_parsed_and_not_part_of_the_key() -> None:
    m = match("#/characters?q=ada&sort=name", ROUTES)
    assert m.name == "characters"
    assert dict(m.query) == {"q": "ada", "sort": "name"}
    assert m.key == match("#/characters", ROUTES).key


def test_unknown_addresses_have_keys_of_their_own() -> None:
    """Going from one unknown address to another is a new page (it names the new one)."""
    a, b = match("#/lost", ROUTES), match("#/found/nothing", ROUTES)
    assert a.key != b.key
    assert (a.address, b.address) == ("#/lost", "#/found/nothing")
    assert match("#/lost?x=1", ROUTES).key == a.key


def test_ids_round_trip_through_percent_encoding() -> None:
    tricky = "a/b c?d#e%f<script>"
    h = href(ROUTES, "character", id=tricky)
    assert h.startswith("#/characters/") and "/" not in h[len("#/characters/") :]
    m = match(h, ROUTES)
    assert m.name == "character"
    assert m.params["id"] == tricky


def test_href_for_each_route() -> None:
    assert href(ROUTES, "characters") == "#/characters"
    assert href(ROUTES, "chat", id="x") == "#/chats/x"
    assert href(ROUTES, "global_lorebook") == "#/lorebook/global"
    assert href(ROUTES, "lorebook", level="chat", scope_id="c 1") == "#/lorebook/chat/c%201"
    assert href(ROUTES, "chapter", id="s", chapter_id="c") == "#/stories/s/chapters/c"
    with pytest.raises(KeyError, match="no route"):
        href(ROUTES, "missing")
    with pytest.raises(ValueError, match="not one of"):
        href(ROUTES, "lorebook", level="planet", scope_id="p")


def test_choice_segments() -> None:
    route = Route("x", "/things/{kind:a|b}/{id}")
    assert route.params == ("kind", "id")
    assert route.match("/things/a/1") == {"kind": "a", "id": "1"}
    assert route.match("/things/c/1") is None
    assert route.match("/things/%61/1") == {"kind": "a", "id": "1"}  # decoded, then checked


def test_split_hash() -> None:
    assert split_hash("") == ("/", {})
    assert split_hash("#") == ("/", {})
    assert split_hash("#/a/b?x=1") == ("/a/b", {"x": "1"})


def test_static_segments_win_when_declared_first() -> None:
    routes = (Route("new", "/characters/new"), *ROUTES)
    assert match("#/characters/new", routes).name == "new"
    assert match("#/characters/other", routes).name == "character"
