"""Fixtures for the sync client tests (browser-safe: the in-browser tier imports it)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest

from app.db import Database
from tests.sync._library import make_library as _make_library


@pytest.fixture
async def make_library() -> AsyncIterator[Callable[..., Database]]:
    """Factory for open-able library databases with the outbox layer; deleted afterwards."""
    made: list[Database] = []

    def make(*args: Any, **kwargs: Any) -> Database:
        db = _make_library(*args, **kwargs)
        made.append(db)
        return db

    yield make
    names: list[str] = []
    for db in made:
        db.close()
        if db.name not in names:
            names.append(db.name)
    for name in names:
        await Database(name).delete()
