"""The app's state: one place owns every writable store; the UI gets readonly views.

Levels: GLOBAL (settings) → LISTS (characters, personas, presets, modules,
plugins, series, stories, folders, global lorebook and scripts) → CHARACTER (the
active character, its chats, lorebook, scripts, modules) → CHAT (the active chat,
its messages, lorebook, modules). Leaving a level clears every level below it.
Which stores exist and what each shows is the ``Layout``, read from the entities'
``shown=`` declarations in the domain registry. Storage is reached through a
``Backend``; ``DomainBackend`` wires the domain repositories. Writes always reach it; store updates whose context went stale
meanwhile are skipped. Other tabs' commits reload the levels they affect.

    domain = await app.domain.open_domain(Database("lorekeeper"))
    state = AppState(DomainBackend(domain))
    await state.load_global(); await state.load_lists()
    state.characters.subscribe(render)          # readonly views (and derived ones:
    await state.open_chat(chat_id)              #   active_chat_id, all_lorebooks ...)
    await state.add_message(chat_id, {"role": "user", "content": "Hi"})
"""

from typing import TYPE_CHECKING

from app._lazy import lazy_names

from ._app_state import AppState
from ._backend import Backend, ExternalListener
from ._domain_backend import DomainBackend
from ._hierarchy import LOADED
from ._layout import SETTINGS, Layout, Placement
from ._levels import Level
from ._live_records import LiveRecords, Lookup
from ._loader import Source, load_level
from ._views import Views

__all__ = [
    "LOADED",
    "SETTINGS",
    "AppState",
    "Backend",
    "DomainBackend",
    "ExternalListener",
    "Layout",
    "Level",
    "LiveRecords",
    "Lookup",
    "Placement",
    "Source",
    "Views",
    "Writing",
    "load_level",
]


__getattr__ = lazy_names(__name__, {"Writing": "._writing"})  # the writing pages' state

if TYPE_CHECKING:
    from ._writing import Writing
