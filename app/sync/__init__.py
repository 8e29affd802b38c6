"""Sync: the outbox in the same IndexedDB transaction, the background task in one tab,
and the protocol shared with the server (``shared/SYNC.md``).

At boot the app installs the outbox layer on the library (``install_outbox``) and, if the
library is linked to a server, resumes syncing (``resume_sync``); the sync screen signs
in through this tab's ``SyncService`` (``start_sync``) and shows its ``status`` store.
Importing this package loads only the outbox layer; the task, the replica and the
protocol models load when first used (PEP 562), and browser code only in the browser.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from app._lazy import lazy_names

from ._app import SyncHandle, current_sync, install_outbox, resume_sync, start_sync, stop_all
from ._outbox import UnsyncableValueError, applying_pulled_changes, outbox_layer
from ._schema import SYNC_TABLES, SyncSchema

if TYPE_CHECKING:
    from ._api import ApiError, NetworkError, SyncApi, Transport
    from ._hlc import HybridClock
    from ._replica import Progress, Replica, SignedOutError, UpgradeRequiredError
    from ._service import SyncService
    from ._status import SyncStatus
    from ._tabs import MemoryTabs, Tabs
    from ._task import Backoff, SyncTask

_LAZY = {
    "ApiError": "._api", "NetworkError": "._api", "SyncApi": "._api", "Transport": "._api",
    "HybridClock": "._hlc", "Progress": "._replica", "Replica": "._replica",
    "SignedOutError": "._replica", "UpgradeRequiredError": "._replica",
    "SyncService": "._service", "SyncStatus": "._status", "MemoryTabs": "._tabs",
    "Tabs": "._tabs", "Backoff": "._task", "SyncTask": "._task",
}

__all__ = [
    "SYNC_TABLES",
    "ApiError",
    "Backoff",
    "HybridClock",
    "MemoryTabs",
    "NetworkError",
    "Progress",
    "Replica",
    "SignedOutError",
    "SyncApi",
    "SyncHandle",
    "SyncSchema",
    "SyncService",
    "SyncStatus",
    "SyncTask",
    "Tabs",
    "Transport",
    "UnsyncableValueError",
    "UpgradeRequiredError",
    "applying_pulled_changes",
    "current_sync",
    "install_outbox",
    "outbox_layer",
    "resume_sync",
    "start_sync",
    "stop_all",
]


__getattr__ = lazy_names(__name__, _LAZY)
