"""Selection and the undo bar."""

from __future__ import annotations

from app.reactive import get
from app.ui import Ctx
from app.ui._bulk import Selection, UndoBar

from ._support import Harness

RUN_IN_BROWSER = True


def test_selection():
    s = Selection()
    seen = []
    s.ids.subscribe(lambda ids: seen.append(sorted(ids)))
    has_b = s.has("b")
    s.set("a", True)
    s.set_many(["b", "c"], True)
    assert get(has_b) and get(s.count) == 3
    s.set("a", True)  # no change, no notification
    s.keep_only(["b", "c", "z"])
    assert list(s) == ["b", "c"]
    s.set_many(["c"], False)
    s.clear()
    assert seen == [[], ["a"], ["a", "b", "c"], ["b", "c"], ["b"], []]


async def test_undo_bar_offers_undo_once(harness: Harness):
    h = harness
    ctx = Ctx(h.dom)
    errors: list[BaseException] = []
    bar = UndoBar(ctx, on_error=errors.append)
    h.dom.insert(h.root, bar.node)
    undone: list[str] = []

    async def undo() -> None:
        undone.append("yes")

    assert h.dom.get_prop(bar.button, "hidden")
    bar.done("Deleted 3 entries.", undo)
    (status,) = h.query("p[role=status]")
    assert h.text(status) == "Deleted 3 entries."
    assert not h.dom.get_prop(bar.button, "hidden")
    h.fire(bar.button, "click")
    await h.dom.settle()
    assert undone == ["yes"] and h.text(status) == "Undone."
    assert h.dom.get_prop(bar.button, "hidden")

    async def failing() -> None:
        raise RuntimeError("the story is gone")

    bar.done("Moved 1 entry.", failing)
    h.fire(bar.button, "click")
    await h.dom.settle()
    assert [str(e) for e in errors] == ["the story is gone"]
    ctx.dispose()
