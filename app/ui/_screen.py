"""Screen: one line of the screen table — route, view, title, navigation, state level.

The table (``app.ui.screens.SCREENS``) is the only place that knows the pages of the
app; the router's routes, the navigation links, ``document.title`` and the state levels
each page opens are all derived from it, as Starlette derives its routing from one
list of ``Route(path, endpoint, name)``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ._opening import Opens
from ._route import Route

if TYPE_CHECKING:
    from app.reactive import Subscribable

    from ._page import Page

__all__ = ["Screen", "Title", "check_table"]


Title = Callable[["Page"], "Subscribable[str]"]
"""A page title that follows the data (e.g. the open character's name)."""


@dataclass(frozen=True, slots=True)
class Screen:
    """One page of the app.

    - ``path``: the route pattern (``"/characters/{id}"``, ``"/lorebook/{level:a|b}/{x}"``);
    - ``name``: the route's name (``page.href("character", id=...)``);
    - ``title``: the page's name (``document.title`` is ``"<title> — Lorekeeper"``), a
      string or a function of the page returning a store;
    - ``module``: the view, ``app.ui.screens.<module>``, whose ``render(ctx, page)`` is
      imported the first time the route is opened (a dotted name is imported as it is);
      ``None`` shows the "not built yet" placeholder;
    - ``nav``: the label of the page's own navigation link, if it has one;
    - ``section``: the screen whose navigation link is marked current on this page
      (default: the screen itself);
    - ``opens``: the state level the page opens from its params (see ``opens_record``).
    """

    path: str
    name: str
    title: str | Title
    module: str | None = None
    nav: str | None = None
    section: str | None = None
    opens: Opens | None = None
    route: Route = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "route", Route(self.name, self.path))

    @property
    def section_name(self) -> str:
        return self.section or self.name


def check_table(screens: Sequence[Screen]) -> None:
    """Refuse a table the app cannot derive its router and navigation from."""
    if not screens:
        raise ValueError("the app needs at least one screen")
    names: set[str] = set()
    for screen in screens:
        if screen.name in names:
            raise ValueError(f"two screens named {screen.name!r}")
        names.add(screen.name)
        if screen.nav is not None and screen.route.params:
            raise ValueError(f"navigation link {screen.nav!r} cannot take params ({screen.path})")
    for screen in screens:
        if screen.section is not None and screen.section not in names:
            raise ValueError(f"section {screen.section!r} of {screen.name!r} is not a screen")
