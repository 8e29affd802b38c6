"""start(): the app's UI — shell, router and screens — over the user's library."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from typing import Any

from ._characters import (
    CharacterActions,
    CharacterLike,
    CharacterRepository,
    RepositoryCharacters,
    character_screen,
    characters_screen,
)
from ._context import Ctx
from ._dom import Dom, Node
from ._live_list import LiveList
from ._mount import Mounted, mount
from ._router import NOT_FOUND, Match, Router
from ._shell import Screen, not_found_screen, placeholder_screen, shell

__all__ = ["App", "current_app", "start"]

log = logging.getLogger("app.ui")


class App:
    """The running UI: its router, the characters it shows and the mounted shell."""

    def __init__(self, dom: Dom, root: Node, characters: CharacterActions) -> None:
        self.dom = dom
        self.root = root
        self.characters = characters
        self.router = Router(dom)
        self.mounted: Mounted | None = None
        self._hold: Any = None
        self._route_off: Any = None
        self._tasks: set[asyncio.Future[Any]] = set()

    def screens(self) -> Mapping[str, Screen]:
        actions = self.characters
        return {
            "characters": lambda c, m: characters_screen(c, actions),
            "character": lambda c, m: character_screen(c, m.params["id"], actions.records),
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
        records = self.characters.records
        self._hold = records.subscribe(lambda _: None)  # keep the list live while we run
        loaded = getattr(self.characters, "loaded", None) or getattr(records, "loaded", None)
        if loaded is not None:
            await loaded()
        self.router.start()
        if self.state is not None:
            self._route_off = self.router.current.subscribe(self._enter)
        screens = self.screens()

        def root_view(ctx: Ctx) -> Any:
            return shell(ctx, self.router, screens)

        self.mounted = mount(self.dom, self.root, root_view)

    @property
    def state(self) -> Any:
        """``app.state``'s ``AppState`` when the characters come from it (else ``None``)."""
        return getattr(self.characters, "state", None)

    def _enter(self, m: Match) -> None:
        """Make the state's levels follow the route: a character page opens that
        character (closing any chat), a chat page opens the chat (and its character),
        any other page leaves the character level (and so the chat)."""
        task = asyncio.ensure_future(self._enter_levels(m))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _enter_levels(self, m: Match) -> None:
        from app.state import Level

        state = self.state
        try:
            if m.name == "chat":
                await state.open_chat(m.params["id"])
            elif m.name == "character":
                state.close_chat()
                if state.context(Level.CHARACTER) != m.params["id"]:
                    await state.open_character(m.params["id"])
            else:
                state.close_character()
        except Exception:  # a missing record: the screen says so; keep the app running
            log.exception("opening %s failed", m.path)

    async def settle(self) -> None:
        """Wait for the level changes that navigation started."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    def stop(self) -> None:
        if self._route_off is not None:
            self._route_off()
            self._route_off = None
        if self.mounted is not None:
            self.mounted.unmount()
            self.mounted = None
        self.router.stop()
        if self._hold is not None:
            self._hold()
            self._hold = None
        close = getattr(self.state, "close", None)
        if close is not None:
            close()


def follow(repo: CharacterRepository) -> RepositoryCharacters:
    """Actions over ``repo`` with a live list: an ``app.db`` live query when the repository
    sits on a database (it also sees other tabs' commits), else the repository's notices."""
    store = getattr(repo, "store", None)
    records: LiveList[CharacterLike]
    if getattr(store, "db", None) is not None:
        from app.db import live_query

        records = LiveList(repo.list, observable=live_query(repo.list))
    else:
        records = LiveList.of(repo)
    return RepositoryCharacters(repo, records)


_current: list[App] = []


def current_app() -> App | None:
    """The app ``start`` mounted (``None`` before)."""
    return _current[-1] if _current else None


async def start(
    root: Node,
    *,
    dom: Dom | None = None,
    characters: CharacterRepository | CharacterActions | None = None,
) -> None:
    """Render the shell and the first screen from the database into ``root``.

    ``characters`` defaults to ``app.state``'s ``AppState`` over the library the boot
    opened; a bare repository is followed with a live list; ``CharacterActions`` are
    used as they are.
    """
    if dom is None:
        from ._browser_dom import BrowserDom

        dom = BrowserDom()
    if characters is None:
        from ._library import library_domain, state_characters

        characters = state_characters(await library_domain())
    actions = characters if hasattr(characters, "rename") else follow(characters)  # type: ignore[arg-type]
    while _current:
        _current.pop().stop()
    app = App(dom, root, actions)  # type: ignore[arg-type]
    await app.start()
    _current.append(app)
