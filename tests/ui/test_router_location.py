"""The Router on the real location (Chromium) and on MemoryDom (CPython): back/forward."""

from __future__ import annotations

import asyncio
from typing import Any

from app.reactive import get
from app.ui import Router

from ._support import make_harness

RUN_IN_BROWSER = True


async def until(check: Any) -> None:
    for _ in range(500):
        if check():
            return
        await asyncio.sleep(0.001)
    assert check()


async def test_history_walks_the_visited_screens() -> None:
    harness = make_harness("#/characters")
    router = Router(harness.dom)
    router.start()
    try:
        seen: list[tuple[str, dict[str, str]]] = []
        off = router.current.subscribe(lambda m: seen.append((m.name, dict(m.params))))
        router.navigate("/characters/a%2Fb")
        router.navigate("/stories/s1")
        assert get(router.current).name == "story"
        harness.back()
        await until(lambda: get(router.current).name == "character")
        assert get(router.current).params == {"id": "a/b"}
        harness.back()
        await until(lambda: get(router.current).name == "characters")
        harness.forward()
        await until(lambda: get(router.current).name == "character")
        assert harness.dom.get_hash() == "#/characters/a%2Fb"
        assert [name for name, _ in seen] == [
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
