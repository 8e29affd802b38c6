"""MemoryNode: an element, text node or fragment of the in-memory test document."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

__all__ = ["MemoryNode"]


@dataclass(eq=False)
class MemoryNode:
    """An element (``tag`` is lower-case), a text node (``#text``) or a fragment."""

    tag: str
    data: str = ""
    attrs: dict[str, str] = field(default_factory=dict)
    props: dict[str, Any] = field(default_factory=dict)
    children: list[MemoryNode] = field(default_factory=list)
    parent: MemoryNode | None = None
    listeners: dict[str, list[Callable[[Any], None]]] = field(default_factory=dict)

    def __repr__(self) -> str:
        if self.tag == "#text":
            return f"#text({self.data!r})"
        return f"<{self.tag}{''.join(f' {k}={v!r}' for k, v in self.attrs.items())}>"

    @property
    def text_content(self) -> str:
        if self.tag == "#text":
            return self.data
        return "".join(c.text_content for c in self.children)

    def walk(self) -> Iterator[MemoryNode]:
        yield self
        for child in self.children:
            yield from child.walk()

    def find_all(
        self, tag: str | None = None, *, text: str | None = None, **attrs: str
    ) -> list[MemoryNode]:
        """Elements below (and including) this one matching tag, exact text and attributes."""
        found = []
        for node in self.walk():
            if node.tag.startswith("#") or (tag is not None and node.tag != tag):
                continue
            if text is not None and node.text_content.strip() != text:
                continue
            if all(node.attrs.get(k.rstrip("_").replace("_", "-")) == v for k, v in attrs.items()):
                found.append(node)
        return found

    def find(self, tag: str | None = None, *, text: str | None = None, **attrs: str) -> MemoryNode:
        found = self.find_all(tag, text=text, **attrs)
        if len(found) != 1:
            raise LookupError(
                f"expected one {tag or 'element'} {text or ''} {attrs}, found {found}"
            )
        return found[0]

    def contains(self, node: MemoryNode | None) -> bool:
        while node is not None:
            if node is self:
                return True
            node = node.parent
        return False

    def select(self, selector: str) -> MemoryNode | None:
        """The first element below this one matching a simple selector list.

        Understood: ``tag``, ``#id``, ``[attr]``, ``[attr=value]``, a tag followed by
        any of these, and comma-separated lists of such selectors (``querySelector``:
        the first match in document order wins).
        """
        tests = [_simple(part.strip()) for part in selector.split(",")]
        for node in self.walk():
            if node is self or node.tag.startswith("#"):
                continue
            if any(test(node) for test in tests):
                return node
        return None


_SIMPLE = re.compile(r"^([a-zA-Z][\w-]*)?((?:#[\w-]+|\[[\w-]+(?:=[^\]]*)?\])*)$")
_PART = re.compile(r"#([\w-]+)|\[([\w-]+)(?:=([^\]]*))?\]")


def _simple(selector: str) -> Callable[[MemoryNode], bool]:
    """A test for one ``tag#id[attr][attr=value]`` selector (each part optional)."""
    found = _SIMPLE.match(selector)
    if found is None or not selector:
        raise ValueError(f"selector not understood by MemoryNode: {selector!r}")
    tag = (found.group(1) or "").lower()
    wanted: list[tuple[str, str | None]] = []
    for id_, name, value in _PART.findall(found.group(2)):
        if id_:
            wanted.append(("id", id_))
        else:
            wanted.append((name, value.strip("\"'") if value else None))

    def test(node: MemoryNode) -> bool:
        if tag and node.tag != tag:
            return False
        return all(
            name in node.attrs and (value is None or node.attrs[name] == value)
            for name, value in wanted
        )

    return test
