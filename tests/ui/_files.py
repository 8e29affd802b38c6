"""Files a person picks or drops, on both test backends: a browser ``File`` put into an
input or a drop's ``DataTransfer`` in Chromium; a ``MemoryFile`` in CPython."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ._support import IN_BROWSER, Harness


@dataclass
class MemoryFile:
    """What the app reads from a browser ``File``."""

    name: str
    data: bytes
    type: str = ""

    @property
    def size(self) -> int:
        return len(self.data)

    async def arrayBuffer(self) -> bytes:
        return self.data


@dataclass
class MemoryTransfer:
    """A drop's ``DataTransfer`` (its ``types`` and ``files``)."""

    files: list[MemoryFile]

    @property
    def types(self) -> list[str]:
        return ["Files"] if self.files else ["text/plain"]


def make_file(name: str, data: bytes, type: str = "") -> Any:
    if not IN_BROWSER:
        return MemoryFile(name, data, type)
    import js
    from pyodide.ffi import to_js

    from ._support import to_js_dict

    return js.File.new([to_js(data)], name, to_js_dict({"type": type}))


def choose_file(harness: Harness, input_node: Any, *files: Any) -> None:
    """Put ``files`` into a file input and fire ``change``, as picking them does."""
    if IN_BROWSER:
        import js

        transfer = js.DataTransfer.new()
        for file in files:
            transfer.items.add(file)
        input_node.files = transfer.files
    else:
        input_node.props["files"] = list(files)
    harness.fire(input_node, "change")


def drop_file(harness: Harness, target: Any, file: Any | None) -> None:
    """Drag ``file`` over ``target`` and drop it there (``None``: a drag of text)."""
    drop_files(harness, target, [] if file is None else [file])


def drop_files(harness: Harness, target: Any, files: list[Any]) -> None:
    """Drag ``files`` over ``target`` and drop them there (dragenter, dragover, drop)."""
    if IN_BROWSER:
        import js

        from ._support import to_js_dict

        transfer = js.DataTransfer.new()
        for file in files:
            transfer.items.add(file)
        if not files:
            transfer.setData("text/plain", "just text")
        for kind in ("dragenter", "dragover", "drop"):
            event = js.DragEvent.new(
                kind, to_js_dict({"dataTransfer": transfer, "bubbles": True, "cancelable": True})
            )
            target.dispatchEvent(event)
        return
    dom = harness.dom
    transfer_ = MemoryTransfer(list(files))
    for kind in ("dragenter", "dragover", "drop"):
        dom.dispatch(target, kind, dataTransfer=transfer_)  # type: ignore[attr-defined]
