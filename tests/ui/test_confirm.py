"""A destructive button asks first: alertdialog, focus on Cancel, Escape cancels."""

from __future__ import annotations

from typing import Any

from app.ui import mount
from app.ui._confirm import confirm_button

from ._keys import press
from ._support import Harness, same

RUN_IN_BROWSER = True


def mounted(harness: Harness, calls: list[str]) -> Any:
    async def run() -> None:
        calls.append("deleted")

    return mount(
        harness.dom,
        harness.root,
        lambda ctx: confirm_button(
            ctx, text="Delete story", question="Delete “Dune”?", action="Delete", run=run
        ),
    )


def buttons(h: Harness) -> dict[str, Any]:
    return {h.text(b): b for b in h.query("button")}


async def test_asks_before_deleting_and_focus_goes_to_cancel(harness):
    h, calls = harness, []
    m = mounted(h, calls)
    h.fire(buttons(h)["Delete story"], "click")
    (dialog,) = h.query("div[role=alertdialog]")
    (question,) = h.query("p", dialog)
    assert h.text(question) == "Delete “Dune”?"
    assert h.attr(dialog, "aria-labelledby") == h.attr(question, "id")
    assert set(buttons(h)) == {"Delete", "Cancel"}
    assert same(h.dom.focused(), buttons(h)["Cancel"])
    assert calls == []
    h.fire(buttons(h)["Delete"], "click")
    await h.dom.settle()
    assert calls == ["deleted"]
    m.unmount()


async def test_cancel_and_escape_put_the_button_back_with_focus(harness):
    h, calls = harness, []
    m = mounted(h, calls)
    h.fire(buttons(h)["Delete story"], "click")
    h.fire(buttons(h)["Cancel"], "click")
    assert same(h.dom.focused(), buttons(h)["Delete story"])
    h.fire(buttons(h)["Delete story"], "click")
    assert press(h, buttons(h)["Cancel"], "Escape")
    assert list(buttons(h)) == ["Delete story"]
    assert same(h.dom.focused(), buttons(h)["Delete story"])
    assert calls == []
    m.unmount()
