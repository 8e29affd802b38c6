"""start(): the app's UI — shell, router and screens — over the user's library."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._characters import CharacterLike, CharacterRepository, character_screen, characters_screen
from ._context import Ctx
from ._dom import Dom, Node
from ._live_list import LiveList
from ._mount import Mounted, mount
from ._router import NOT_FOUND, Router
from ._shell import Screen, not_found_screen, placeholder_screen, shell

__all__ = ["App", "current_app", "start"]


class App:
    """The running UI: its router, the live character list and the mounted shell."""

    def __init__(self, dom: Dom, root: Node, characters: CharacterRepository) -> None:
        self.dom = dom
        self.root = root
        self.characters = characters
        self.records: LiveList[CharacterLike] = _follow(characters)
        self.router = Router(dom)
        self.mounted: Mounted | None = None
        self._hold: Any = None

    def screens(self) -> Mapping[str, Screen]:
        records = self.records
        repo = self.characters
        return {
            "characters": lambda c, m: characters_screen(c, repo, records),
            "character": lambda c, m: character_screen(c, m.params["id"], records),
            "chat": placeholder_screen("Chat"),
            "series_list": placeholder_screen("Series"),
            "series": placeholder_screen("Series"),
            "story": placeholder_screen("Story"),
            "global_lorebook": placeholder_screen("Global lorebook"),
            "settings": placeholder_screen("Settings"),
            NOT_FOUND: not_found_screen,
        }

    async def start(self) -> None:
        """Load the first data, then render once; returns when the screen is in the DOM."""
        self._hold = self.records.subscribe(lambda _: None)  # keep the list live
        await self.records.loaded()
        self.router.start()
        screens = self.screens()

        def root_view(ctx: Ctx) -> Any:
            return shell(ctx, self.router, screens)

        self.mounted = mount(self.dom, self.root, root_view)

    def stop(self) -> None:
        if self.mounted is not None:
            self.mounted.unmount()
            self.mounted = None
        self.router.stop()
        if self._hold is not None:
            self._hold()
            self._hold = None


def _follow(repo: CharacterRepository) -> LiveList[CharacterLike]:
    """Follow the database with a live query when the repository sits on ``app.db``
    (it sees other tabs' commits too); otherwise through the repository's notices."""
    store = getattr(repo, "store", None)
    if getattr(store, "db", None) is not None:
        from app.db import live_query

        return LiveList(repo.list, observable=live_query(repo.list))
    return LiveList.of(repo)


_current: list[App] = []


def current_app() -> App | None:
    """The app ``start`` mounted (``None`` before)."""
    return _current[-1] if _current else None


async def start(
    root: Node, *, dom: Dom | None = None, characters: CharacterRepository | None = None
) -> None:
    """Render the shell and the first screen from the database into ``root``.

    ``characters`` defaults to the registered domain repository (see ``_library``).
    """
    from ._library import characters_repository

    if dom is None:
        from ._browser_dom import BrowserDom

        dom = BrowserDom()
    if characters is None:
        characters = await characters_repository()
    while _current:
        _current.pop().stop()
    app = App(dom, root, characters)
    await app.start()
    _current.append(app)
