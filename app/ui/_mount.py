"""mount(): render a component into a node; the handle unmounts it and frees everything."""

from __future__ import annotations

from collections.abc import Callable

from ._context import Ctx
from ._dom import Dom, Node

__all__ = ["Component", "Mounted", "mount"]

Component = Callable[[Ctx], Node]


class Mounted:
    """A mounted component: ``unmount()`` disposes its scope and removes its node."""

    __slots__ = ("ctx", "node")

    def __init__(self, ctx: Ctx, node: Node) -> None:
        self.ctx = ctx
        self.node = node

    @property
    def mounted(self) -> bool:
        return not self.ctx.scope.disposed

    def unmount(self) -> None:
        self.ctx.dispose()


def mount(dom: Dom, target: Node, component: Component, before: Node | None = None) -> Mounted:
    """Render ``component`` and insert its node into ``target``."""
    ctx = Ctx(dom)
    try:
        node = component(ctx)
    except BaseException:
        ctx.dispose()
        raise
    dom.insert(target, node, before)
    ctx.scope.on_dispose(lambda: dom.remove(node))
    return Mounted(ctx, node)
