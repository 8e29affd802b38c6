"""MemoryNode.select: the small querySelector of the in-memory document."""

from __future__ import annotations

import pytest

from app.ui import MemoryNode


def _tree() -> MemoryNode:
    root = MemoryNode("div")
    for node in (
        MemoryNode("p", attrs={"role": "alert"}),
        MemoryNode("h1", attrs={"id": "title", "tabindex": "-1"}),
        MemoryNode("a", attrs={"href": "#/x"}),
    ):
        node.parent = root
        root.children.append(node)
    return root


@pytest.mark.parametrize(
    ("selector", "tag"),
    [
        ("h1", "h1"),
        ("#title", "h1"),
        ("h1#title[tabindex='-1']", "h1"),
        ("[role=alert]", "p"),
        ("a[href]", "a"),
        ("button, a, h1", "h1"),  # the first in document order
        ("section", None),
    ],
)
def test_select(selector: str, tag: str | None) -> None:
    found = _tree().select(selector)
    assert (found.tag if found is not None else None) == tag


def test_select_never_returns_the_node_itself() -> None:
    assert MemoryNode("div").select("div") is None


def test_unsupported_selectors_are_refused() -> None:
    with pytest.raises(ValueError, match="not understood"):
        _tree().select("div > p")
