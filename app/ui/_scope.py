"""Scope: owns everything a mounted view acquired, and releases it in one call."""

from __future__ import annotations

from collections.abc import Callable

__all__ = ["Scope"]

Cleanup = Callable[[], object]


class Scope:
    """A tree of cleanups. ``dispose()`` runs children first, then own cleanups in reverse.

    Every subscription, event listener and proxy a view creates is registered on the
    scope of the view that created it, so unmounting a view is ``scope.dispose()``.
    """

    __slots__ = ("_children", "_cleanups", "_parent", "disposed")

    def __init__(self, parent: Scope | None = None) -> None:
        self._parent = parent
        self._children: dict[Scope, None] = {}  # ordered, O(1) removal
        self._cleanups: list[Cleanup] = []
        self.disposed = False

    def child(self) -> Scope:
        """A scope disposed with this one (or earlier, on its own)."""
        if self.disposed:
            raise RuntimeError("scope is disposed")
        scope = Scope(self)
        self._children[scope] = None
        return scope

    def on_dispose(self, cleanup: Cleanup) -> None:
        """Run ``cleanup`` when this scope is disposed (at once if it already is)."""
        if self.disposed:
            cleanup()
        else:
            self._cleanups.append(cleanup)

    @property
    def size(self) -> int:
        """Pending cleanups in this scope and its children (for leak tests)."""
        return len(self._cleanups) + sum(c.size for c in self._children)

    def dispose(self) -> None:
        """Release everything; safe to call twice. The first cleanup error is re-raised."""
        if self.disposed:
            return
        self.disposed = True
        error: BaseException | None = None
        for scope in reversed(list(self._children)):
            try:
                scope.dispose()
            except Exception as exc:  # keep releasing the rest
                error = error or exc
        self._children.clear()
        cleanups, self._cleanups = self._cleanups, []
        for cleanup in reversed(cleanups):
            try:
                cleanup()
            except Exception as exc:
                error = error or exc
        if self._parent is not None and not self._parent.disposed:
            self._parent._children.pop(self, None)
        self._parent = None
        if error is not None:
            raise error
