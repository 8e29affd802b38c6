"""The Router on a location with history: default route, navigation, back and forward."""

from __future__ import annotations

from typing import Any

from app.reactive import get
from app.ui import NOT_FOUND, Ctx, MemoryDom, Router, mount
from app.ui._shell import shell


def names(router: Router) -> str:
    return get(router.current).name


def test_empty_hash_is_replaced_by_the_default_without_a_history_entry() -> None:
    dom = MemoryDom("")
    router = Router(dom)
    router.start()
    assert dom.history == ["#/characters"]
    assert names(router) == "characters"
    router.stop()


def test_navigate_back_forward() -> None:
    dom = MemoryDom("#/characters")
    router = Router(dom)
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
    assert names(router) == NOT_FOUND
    off()
    router.stop()


def test_navigate_to_the_same_place_adds_nothing() -> None:
    dom = MemoryDom("#/series")
    router = Router(dom)
    router.start()
    router.navigate("/series")
    assert dom.history == ["#/series"]
    router.stop()


def test_stop_removes_the_hashchange_listener() -> None:
    dom = MemoryDom("#/series")
    router = Router(dom)
    router.start()
    assert dom.live_listeners == 1
    router.stop()
    assert dom.live_listeners == 0
    dom.push_hash("#/settings")
    assert names(router) == "series_list"


def _screen(title: str) -> Any:
    def screen(ctx: Ctx, m: Any) -> Any:
        return ctx.el(
            "section", None, ctx.el("h1", {"tabindex": "-1"}, title, " ", m.params.get("id", ""))
        )

    return screen


def test_shell_swaps_screens_marks_the_current_link_and_moves_focus() -> None:
    dom = MemoryDom("#/characters")
    router = Router(dom)
    router.start()
    screens = {
        "characters": _screen("Characters"),
        "character": _screen("Character"),
        "settings": _screen("Settings"),
    }
    m = mount(dom, dom.body, lambda ctx: shell(ctx, router, screens))
    main = m.node.find("main")
    assert main.find("h1").text_content.strip() == "Characters"
    assert dom.focused() is None  # first paint leaves focus alone
    current = m.node.find("a", aria_current="page")
    assert current.text_content == "Characters"

    router.navigate("/settings")
    assert main.find("h1").text_content.strip() == "Settings"
    assert m.node.find("a", aria_current="page").text_content == "Settings"
    assert dom.focused() is main.find("h1")

    router.navigate("/characters/42")
    assert main.find("h1").text_content.strip() == "Character 42"
    assert m.node.find("a", aria_current="page").text_content == "Characters"

    router.navigate("/characters/43")  # same route, other id: a fresh screen
    assert main.find("h1").text_content.strip() == "Character 43"

    router.navigate("/lost")
    assert main.find("h1").text_content == "Page not found"
    assert m.node.find_all("a", aria_current="page") == []
    assert len([c for c in main.children if c.tag == "section"]) == 1

    m.unmount()
    router.stop()
    assert dom.live_listeners == 0
