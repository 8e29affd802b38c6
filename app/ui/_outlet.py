"""Outlet: renders the page for the current location into ``<main>``.

For each location it looks the screen up in the table, moves the state's levels to what
the page opens, and shows, in turn: a quiet "Loading…" while a record level opens, the
screen once it is open, a "Not found" page when the route or the record does not exist
(or the record is deleted while shown), and a readable error when opening failed.
``document.title`` follows the page shown; after a navigation, focus moves to the new
page's heading (never on the first paint).
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable, Sequence
from enum import Enum
from typing import Protocol, cast

from app.reactive import Writable, get, writable

from ._context import Ctx
from ._dom import Dom, Node
from ._not_found import NOT_FOUND_TITLE, not_found
from ._opening import Opening, enter, opened_id
from ._page import Page
from ._route import Match
from ._router import Router
from ._screen import Screen
from ._state import UiState
from ._tasks import Tasks

__all__ = ["APP_NAME", "Outlet", "Phase", "Render", "load_view", "page_title"]

APP_NAME = "Lorekeeper"
PLACEHOLDER = "placeholder"

log = logging.getLogger("app.ui")

Render = Callable[[Ctx, Page], Node]
"""A screen's view: ``render(ctx, page) -> node``."""


class _ScreenModule(Protocol):
    render: Render


class Phase(Enum):
    """Where a page that opens a record level is."""

    OPENING = "opening"
    READY = "ready"
    MISSING = "missing"
    FAILED = "failed"


def page_title(title: str) -> str:
    """``document.title`` for a page: ``"<page> — Lorekeeper"``."""
    return f"{title} — {APP_NAME}"


def load_view(module: str | None) -> Render:
    """``app.ui.screens.<module>.render`` (a dotted ``module`` is taken as it is), imported
    on first use."""
    name = module or PLACEHOLDER
    if "." not in name:
        name = f"app.ui.screens.{name}"
    return cast(_ScreenModule, importlib.import_module(name)).render


class Outlet:
    """Renders pages for a router's matches (see the module docstring)."""

    def __init__(
        self, dom: Dom, router: Router, state: UiState, screens: Sequence[Screen], tasks: Tasks
    ) -> None:
        self.dom = dom
        self.router = router
        self.state = state
        self.tasks = tasks
        self.screens = {screen.name: screen for screen in screens}
        self.home = screens[0]
        self.focus_on_render = False  # the app turns it on once the first page is painted

    # -- pages ------------------------------------------------------------------------------
    def render(self, ctx: Ctx, m: Match) -> Node:
        screen = self.screens.get(m.name)
        if screen is None:
            return self._not_found(ctx, m, None)
        page = Page(screen, m, self.state, self.router)
        opening = screen.opens(m.params) if screen.opens is not None else None
        if opening is None:
            self.state.close_character()
            return self._show(ctx, page)
        phase = writable(Phase.OPENING)
        self.tasks.start(self._open(ctx, opening, phase))
        holder = ctx.el("div", {"class": "page"})
        ctx.switch(
            holder,
            phase,
            lambda c, p: self._phase_view(c, page, opening, p),
            after=lambda p, node: self.focus_heading(node),
        )
        return holder

    async def _open(self, ctx: Ctx, opening: Opening, phase: Writable[Phase]) -> None:
        try:
            await enter(self.state, opening)
        except LookupError:  # the record does not exist: a page says so, no crash
            log.info("no %s %r: showing Not found", opening.noun, opening.id)
            if not ctx.scope.disposed:
                phase.set(Phase.MISSING)
            return
        except Exception:
            log.exception("opening the %s %r failed", opening.noun, opening.id)
            if not ctx.scope.disposed:
                phase.set(Phase.FAILED)
            return
        if ctx.scope.disposed:  # the person has moved on meanwhile
            return

        def follow(current: str | None) -> None:
            if current == opening.id:
                phase.set(Phase.READY)
            elif get(phase) is Phase.READY:  # deleted (here or in another tab) while shown
                phase.set(Phase.MISSING)

        ctx.watch(opened_id(self.state, opening.level), follow)

    def _phase_view(self, ctx: Ctx, page: Page, opening: Opening, phase: Phase) -> Node:
        if phase is Phase.READY:
            return self._show(ctx, page)
        if phase is Phase.MISSING:
            return self._not_found(ctx, page.match, opening)
        if phase is Phase.FAILED:
            self._title("Error")
            return ctx.el(
                "section",
                {"class": "screen", "aria-labelledby": "screen-title"},
                ctx.el("h1", {"id": "screen-title", "tabindex": "-1"}, "This page could not open"),
                ctx.el(
                    "p",
                    {"role": "alert"},
                    f"Opening this {opening.noun} failed. Reload the page to try again.",
                ),
            )
        self._follow_title(ctx, page)
        return ctx.el(
            "section",
            {"class": "screen", "aria-busy": "true"},
            ctx.el("p", {"class": "loading", "role": "status"}, "Loading…"),
        )

    def _show(self, ctx: Ctx, page: Page) -> Node:
        self._follow_title(ctx, page)
        return load_view(page.screen.module)(ctx, page)

    def _not_found(self, ctx: Ctx, m: Match, opening: Opening | None) -> Node:
        self._title(NOT_FOUND_TITLE)
        if opening is None:
            back = self.home
            label = f"Go to {back.nav or back.name}"
        else:
            back = self.screens.get(self.screens[m.name].section_name, self.home)
            label = f"Back to {back.nav or back.name}"
        noun = opening.noun if opening is not None else ""
        return not_found(ctx, m.address, self.router.href(back.name), label, noun)

    def _title(self, title: str) -> None:
        self.dom.set_title(page_title(title))

    def _follow_title(self, ctx: Ctx, page: Page) -> None:
        ctx.watch(page.title(), lambda title: self._title(title))

    # -- focus ------------------------------------------------------------------------------
    def focus_heading(self, node: Node | None) -> None:
        """After a navigation, move focus to the new page's heading (announced by screen
        readers); on the first paint leave it where the browser put it."""
        if not self.focus_on_render or node is None:
            return
        heading = self.dom.query(node, "h1")
        if heading is not None:
            self.dom.call(heading, "focus")
