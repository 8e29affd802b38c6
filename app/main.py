"""The browser entry point: open the library, render the first screen, report progress.

`index.html` runs ``boot()`` once PyScript has loaded the runtime and our packages. Each
stage is reported to ``window.lkBoot`` (static/boot.js), which draws the progress bar and
turns any failure into a readable message instead of a blank page.
"""

from __future__ import annotations

import traceback
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from app.startup import Library
    from app.ui import App

__all__ = ["Running", "boot"]


class Running:
    """The library and the app the boot started (kept here so they live as long as the page)."""

    library: Library | None = None
    app: App | None = None


def _boot_api() -> Any:
    import js

    return js.window.lkBoot


async def boot() -> None:
    """Open the database, mount the UI, then mark the page ready."""
    progress = _boot_api()
    try:
        progress.stage("database")
        from app.startup import open_library

        library = await open_library()
        progress.stage("screen")
        import js

        from app.ui import start

        Running.library = library
        Running.app = await start(js.document.getElementById("app"), library.app_state())
    except Exception as error:  # every failure must reach the person, not just the console
        progress.fail(f"{type(error).__name__}: {error}", traceback.format_exc())
        return
    progress.ready()
