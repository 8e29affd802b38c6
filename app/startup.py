"""Opening the user's library: the one database every screen reads from."""

from __future__ import annotations

from typing import Any

__all__ = ["DATABASE_NAME", "open_library"]

DATABASE_NAME = "lorekeeper"


async def open_library(name: str = DATABASE_NAME) -> Any:
    """Open (creating or upgrading as needed) the app's database."""
    from app.db import Database

    db = Database(name)
    await db.open()
    return db
