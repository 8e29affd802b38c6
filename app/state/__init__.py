"""The app's state: one place owns every writable store; the UI gets readonly views.

Levels: GLOBAL (settings) → LISTS (characters, personas, presets, modules,
plugins, series, stories, folders, global lorebook and scripts) → CHARACTER (the
active character, its chats, lorebook, scripts, modules) → CHAT (the active chat,
its messages, lorebook, modules). Leaving a level clears every level below it.
Storage is reached through a ``Backend`` (``DomainBackend`` wires the domain
repositories); writes always reach it, and store updates whose context went
stale meanwhile are skipped.
"""

from ._app_state import AppState
from ._backend import Backend, Kind, TableWatcher
from ._domain_backend import DomainBackend
from ._hierarchy import LOADED
from ._levels import LEVEL_STORES, Level
from ._views import Views

__all__ = [
    "LEVEL_STORES",
    "LOADED",
    "AppState",
    "Backend",
    "DomainBackend",
    "Kind",
    "Level",
    "TableWatcher",
    "Views",
]
