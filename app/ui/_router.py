"""Router: follows the location hash and publishes the :class:`Match` it resolves to."""

from __future__ import annotations

from collections.abc import Sequence

from app.reactive import Readable, readonly, writable

from ._dom import Dom, Event, Unlisten
from ._route import Match, Route, href, match, split_hash

__all__ = ["Router"]


class Router:
    """``current`` is a readable store of the :class:`Match` for the location hash.

    An empty hash is replaced (no history entry) by ``default``; ``navigate`` pushes a
    history entry, so back and forward walk the pages the person visited.
    """

    def __init__(self, dom: Dom, routes: Sequence[Route], default: str) -> None:
        self._dom = dom
        self.routes = tuple(routes)
        self.default = default
        self._current = writable(self._resolve(), equals=_same_match)
        self.current: Readable[Match] = readonly(self._current)
        self._unlisten: Unlisten | None = None

    def _resolve(self) -> Match:
        hash = self._dom.get_hash()
        if split_hash(hash)[0] == "/" and self.default:
            self._dom.replace_hash("#" + self.default)
            hash = "#" + self.default
        return match(hash, self.routes)

    def start(self) -> Unlisten:
        """Listen for location changes; returns (and remembers) the stop function."""
        if self._unlisten is None:
            self._unlisten = self._dom.listen(self._dom.window, "hashchange", self._on_change)
            self.refresh()
        return self.stop

    def stop(self) -> None:
        if self._unlisten is not None:
            self._unlisten()
            self._unlisten = None

    def refresh(self) -> None:
        self._current.set(self._resolve())

    def _on_change(self, _event: Event) -> None:
        self.refresh()

    def navigate(self, target: str) -> None:
        """Go to ``target`` (``"/characters/1"`` or ``"#/characters/1"``), adding history."""
        hash = target if target.startswith("#") else "#" + target
        if hash != self._dom.get_hash():
            self._dom.push_hash(hash)
        self.refresh()  # hashchange arrives later in a browser; the store is equal then

    def href(self, name: str, **params: str) -> str:
        return href(self.routes, name, **params)


def _same_match(a: Match, b: Match) -> bool:
    return a == b
