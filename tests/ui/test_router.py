"""The Router on a location with history: default route, navigation, back and forward —
on MemoryDom in CPython and on the real location in Chromium."""

from __future__ import annotations

from app.reactive import get
from app.ui import NOT_FOUND, MemoryDom, Router
from app.ui.screens import SCREENS
from tests._wait import eventually

from ._support import make_harness

RUN_IN_BROWSER = True

ROUTES = [screen.route for screen in SCREENS]


def name(router: Router) -> str:
    return get(router.current).name


def make(hash: str) -> tuple[MemoryDom, Router]:
    dom = MemoryDom(hash)
    return dom, Router(dom, ROUTES, default="/characters")


def test_empty_hash_is_replaced_by_the_default_without_a_history_entry() -> None:
    dom, router = make("")
    router.start()
    assert dom.history == ["#/characters"]
    assert name(router) == "characters"
    router.stop()


def test_navigate_back_forward() -> None:
    dom, router = make("#/characters")
    router.start()
    seen: list[str] = []
    off = router.current.subscribe(lambda m: seen.append(m.name))
    router.navigate("/characters/abc")
    router.navigate("#/settings")
    assert get(router.current).params == {}
    dom.back()
    assert get(router.current).params == {"id": "abc"}
    dom.back()
    dom.forward()
    dom.forward()
    assert seen == [
        "characters",
        "character",
        "settings",
        "character",
        "characters",
        "character",
        "settings",
    ]
    router.navigate("/nope")
    assert name(router) == NOT_FOUND
    router.navigate("/nope/again")
    assert get(router.current).path == "/nope/again"
    off()
    router.stop()


def test_navigate_to_the_same_place_adds_nothing() -> None:
    dom, router = make("#/series")
    router.start()
    router.navigate("/series")
    assert dom.history == ["#/series"]
    router.stop()


def test_stop_removes_the_hashchange_listener() -> None:
    dom, router = make("#/series")
    router.start()
    assert dom.live_listeners == 1
    router.stop()
    assert dom.live_listeners == 0
    dom.push_hash("#/settings")
    assert name(router) == "series_list"


def test_href_builds_from_the_routes() -> None:
    _dom, router = make("#/series")
    assert router.href("story", id="s 1") == "#/stories/s%201"


async def test_history_walks_the_visited_pages() -> None:
    harness = make_harness("#/characters")
    router = Router(harness.dom, ROUTES, default="/characters")
    router.start()
    try:
        seen: list[tuple[str, dict[str, str]]] = []
        off = router.current.subscribe(lambda m: seen.append((m.name, dict(m.params))))
        router.navigate("/characters/a%2Fb")
        router.navigate("/stories/s1")
        assert get(router.current).name == "story"
        harness.back()
        await eventually(lambda: name(router) == "character", "back to the character")
        assert get(router.current).params == {"id": "a/b"}
        harness.back()
        await eventually(lambda: name(router) == "characters", "back to the list")
        harness.forward()
        await eventually(lambda: name(router) == "character", "forward to the character")
        assert harness.dom.get_hash() == "#/characters/a%2Fb"
        assert [n for n, _ in seen] == [
            "characters",
            "character",
            "story",
            "character",
            "characters",
            "character",
        ]
        off()
    finally:
        router.stop()
        harness.close()
    assert harness.dom.live_listeners == 0
