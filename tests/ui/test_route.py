"""Pure route matching and href building."""

from __future__ import annotations

import pytest

from app.ui import NOT_FOUND, ROUTES, Route, href, match, split_hash

RUN_IN_BROWSER = True


@pytest.mark.parametrize(
    ("hash", "name", "params"),
    [
        ("#/characters", "characters", {}),
        ("#/characters/", "characters", {}),
        ("#/characters/abc-123", "character", {"id": "abc-123"}),
        ("#/chats/c1", "chat", {"id": "c1"}),
        ("#/series", "series_list", {}),
        ("#/series/s1", "series", {"id": "s1"}),
        ("#/stories/st1", "story", {"id": "st1"}),
        ("#/lorebook/global", "global_lorebook", {}),
        ("#/settings", "settings", {}),
        ("#//characters//x//", "character", {"id": "x"}),
    ],
)
def test_every_route_matches(hash: str, name: str, params: dict[str, str]) -> None:
    m = match(hash)
    assert (m.name, dict(m.params)) == (name, params)
    assert m.found


@pytest.mark.parametrize(
    "hash",
    ["#/nope", "#/characters/a/b", "#/lorebook", "#/lorebook/local", "#/settingsx", "#/chats"],
)
def test_unknown_paths_are_not_found(hash: str) -> None:
    m = match(hash)
    assert m.name == NOT_FOUND
    assert not m.found


def test_query_is_parsed_and_not_part_of_the_key() -> None:
    m = match("#/characters?q=ada&sort=name")
    assert m.name == "characters"
    assert dict(m.query) == {"q": "ada", "sort": "name"}
    assert m.key == match("#/characters").key


def test_ids_round_trip_through_percent_encoding() -> None:
    tricky = "a/b c?d#e%f<script>"
    h = href("character", id=tricky)
    assert h.startswith("#/characters/") and "/" not in h[len("#/characters/") :]
    m = match(h)
    assert m.name == "character"
    assert m.params["id"] == tricky


def test_href_for_each_route() -> None:
    assert href("characters") == "#/characters"
    assert href("chat", id="x") == "#/chats/x"
    assert href("global_lorebook") == "#/lorebook/global"
    with pytest.raises(KeyError, match="no route"):
        href("missing")


def test_split_hash() -> None:
    assert split_hash("") == ("/", {})
    assert split_hash("#") == ("/", {})
    assert split_hash("#/a/b?x=1") == ("/a/b", {"x": "1"})


def test_static_segments_win_over_nothing_and_order_is_declared() -> None:
    routes = (Route("new", "/characters/new"), *ROUTES)
    assert match("#/characters/new", routes).name == "new"
    assert match("#/characters/other", routes).name == "character"
