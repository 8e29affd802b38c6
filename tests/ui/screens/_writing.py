"""Helpers for the writing screens' tests: waiting for live stores, finding controls."""

from __future__ import annotations

from typing import Any

from tests._wait import turns

from .._support import IN_BROWSER
from .._tab import Tab


async def settle(tab: Tab) -> None:
    """Wait until handlers, page openings and live-store reads have all landed."""
    for _ in range(4):
        await tab.dom.settle()
        await tab.app.settle()
        await tab.state.writing.settle()
        await turns(2)


async def go(tab: Tab, path: str) -> None:
    tab.app.router.navigate(path)
    await settle(tab)


def by_label(tab: Tab, tag: str, label: str, within: Any = None) -> Any:
    """The one ``tag`` element whose ``aria-label`` is ``label``."""
    h = tab.harness
    found = [n for n in h.query(tag, within) if h.attr(n, "aria-label") == label]
    assert len(found) == 1, f"{len(found)} {tag} named {label!r}"
    return found[0]


def button(tab: Tab, name: str, within: Any = None) -> Any:
    """The one button whose accessible name (aria-label, else its text) is ``name``."""
    h = tab.harness
    found = [
        b
        for b in h.query("button", within)
        if (h.attr(b, "aria-label") or h.text(b).strip()) == name
        and not h.dom.get_prop(b, "hidden")
    ]
    assert len(found) == 1, f"{len(found)} buttons named {name!r}"
    return found[0]


def field(tab: Tab, label: str, within: Any = None) -> Any:
    """The form control labelled ``label`` (``<label for>`` or ``aria-label``)."""
    h = tab.harness
    for lab in h.query("label", within):
        if h.text(lab).strip() == label:
            (node,) = h.query(f"[id={h.attr(lab, 'for')}]")
            return node
    for tag in ("input", "textarea", "select"):
        for node in h.query(tag, within):
            if h.attr(node, "aria-label") == label:
                return node
    raise AssertionError(f"no field labelled {label!r}")


def links(tab: Tab, within: Any = None) -> list[str]:
    h = tab.harness
    return [h.text(a) for a in h.query("a", within)]


async def click(tab: Tab, node: Any) -> None:
    tab.harness.fire(node, "click")
    await settle(tab)


async def submit_field(tab: Tab, label: str, text: str) -> None:
    """Type into the field labelled ``label`` and submit its form."""
    node = field(tab, label)
    tab.harness.type_into(node, text)
    tab.harness.fire(form_of(node), "submit")
    await settle(tab)


def form_of(node: Any) -> Any:
    if IN_BROWSER:
        return node.closest("form")
    while node.tag != "form":
        node = node.parent
    return node
