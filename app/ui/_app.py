"""App: the running UI — router, shell and pages — over the app state; ``start`` mounts it."""

from __future__ import annotations

from collections.abc import Sequence

from ._dom import Dom, Node
from ._mount import Mounted, mount
from ._outlet import Outlet
from ._router import Router
from ._screen import Screen, check_table
from ._shell import shell
from ._state import UiState
from ._tasks import Tasks

__all__ = ["App", "start"]


class App:
    """The shell mounted in ``root``, its router and the pages of ``screens``.

    The app reads and writes only through ``state``; it does not own it (whoever made
    the state closes it). ``settle()`` waits for the level changes navigation started.
    """

    def __init__(self, dom: Dom, root: Node, state: UiState, screens: Sequence[Screen]) -> None:
        check_table(screens)
        self.dom = dom
        self.root = root
        self.state = state
        self.screens = tuple(screens)
        self.router = Router(dom, [s.route for s in self.screens], default=self.screens[0].path)
        self.tasks = Tasks("opening a page")
        self.outlet = Outlet(dom, self.router, state, self.screens, self.tasks)
        self.mounted: Mounted | None = None

    async def start(self) -> None:
        """Load the lists, then render the current page; returns once it is painted."""
        await self.state.load_global()
        await self.state.load_lists()
        self.router.start()
        self.mounted = mount(
            self.dom, self.root, lambda ctx: shell(ctx, self.router, self.outlet, self.screens)
        )
        await self.settle()
        self.outlet.focus_on_render = True

    async def settle(self) -> None:
        """Wait for the level changes that navigation started (and their pages)."""
        await self.tasks.settle()

    def stop(self) -> None:
        """Unmount everything and stop following the location."""
        if self.mounted is not None:
            self.mounted.unmount()
            self.mounted = None
        self.router.stop()


async def start(
    root: Node, state: UiState, *, dom: Dom | None = None, screens: Sequence[Screen] | None = None
) -> App:
    """Render the app into ``root`` over ``state`` (``app.state``'s ``AppState``)."""
    if dom is None:
        from ._browser_dom import BrowserDom

        dom = BrowserDom()
    if screens is None:
        from .screens import SCREENS

        screens = SCREENS
    app = App(dom, root, state, screens)
    await app.start()
    return app
