"""Finding controls the way a person (or a screen reader) does: by label and by name."""

from __future__ import annotations

from typing import Any

from .._support import Harness


def labelled(h: Harness, label: str, within: Any = None) -> Any:
    """The control whose ``<label>`` reads ``label`` (or whose aria-label is ``label``)."""
    found = []
    for node in h.query("label", within):
        if h.text(node).strip() == label:
            target = h.attr(node, "for")
            if target:
                found += [c for c in h.query(f"[id={target}]")]
            else:
                found += [c for c in h.query("input", node) + h.query("select", node)]
    for tag in ("input", "textarea", "select"):
        found += [c for c in h.query(tag, within) if h.attr(c, "aria-label") == label]
    assert len(found) == 1, f"expected one control labelled {label!r}, found {len(found)}"
    return found[0]


def button_named(h: Harness, name: str, within: Any = None) -> Any:
    """The button whose accessible name is ``name`` (aria-label, else its text)."""
    found = [b for b in buttons_named(h, name, within)]
    assert len(found) == 1, f"expected one button named {name!r}, found {len(found)}"
    return found[0]


def buttons_named(h: Harness, name: str, within: Any = None) -> list[Any]:
    return [
        b
        for b in h.query("button", within)
        if (h.attr(b, "aria-label") or h.text(b).strip()) == name
    ]


def value(h: Harness, node: Any) -> str:
    return str(h.dom.get_prop(node, "value"))


def status_text(h: Harness, within: Any = None) -> str:
    return " ".join(h.text(p) for p in h.query("[role=status]", within))


def alert_text(h: Harness, within: Any = None) -> str:
    return " ".join(
        h.text(p) for p in h.query("[role=alert]", within) if h.attr(p, "hidden") is None
    )
