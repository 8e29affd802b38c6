"""Page: everything a screen's ``render(ctx, page)`` receives besides its ``Ctx``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from app.reactive import Subscribable, readable

from ._route import Match
from ._router import Router
from ._screen import Screen
from ._state import UiState

__all__ = ["Page"]


@dataclass(frozen=True, slots=True)
class Page:
    """The screen being shown, the location that chose it, and the app it runs in.

    Screens read stores and call operations on ``state`` (``app.state``'s ``AppState``
    behind the ``UiState`` protocol) and build links with ``href``; they reach nothing
    else (no module globals), so a test hands them any state it likes.
    """

    screen: Screen
    match: Match
    state: UiState
    router: Router

    @property
    def params(self) -> Mapping[str, str]:
        return self.match.params

    @property
    def query(self) -> Mapping[str, str]:
        return self.match.query

    def href(self, name: str, **params: str) -> str:
        """The address of the page named ``name`` (``page.href("character", id=c.id)``)."""
        return self.router.href(name, **params)

    def navigate(self, name: str, **params: str) -> None:
        """Go to the page named ``name`` (a new history entry)."""
        self.router.navigate(self.href(name, **params))

    def title(self) -> Subscribable[str]:
        """The page's title as a store (the table's string, or its function's store)."""
        title = self.screen.title
        return readable(title) if isinstance(title, str) else title(self)
