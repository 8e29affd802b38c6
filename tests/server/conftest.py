"""Server fixtures: a fresh database per test, on SQLite and on a real PostgreSQL.

PostgreSQL starts once per test session (``tools.postgres``) and only if a test asks for
it; each test gets its own database in it.
"""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

from app.server import ServerConfig, database_url
from tests.server._support import Api, running_app
from tools.postgres import ThrowawayPostgres

_databases = itertools.count(1)


@pytest.fixture(scope="session")
def postgres() -> Iterator[ThrowawayPostgres]:
    with ThrowawayPostgres() as server:
        yield server


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty database URL for each backend."""
    if request.param == "sqlite":
        return database_url(tmp_path, env={})
    pg: ThrowawayPostgres = request.getfixturevalue("postgres")
    url = pg.create_database(f"t{next(_databases)}")
    return database_url(tmp_path, env={"LK_DATABASE_URL": url})


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return database_url(tmp_path, env={})


@pytest.fixture
def config(db_url: str) -> ServerConfig:
    return ServerConfig(database_url=db_url, open_registration=True, purge_interval_s=0)


@pytest.fixture
async def app(config: ServerConfig) -> AsyncIterator[Any]:
    async with running_app(config) as running:
        yield running


@pytest.fixture
async def make_api(app: Any) -> AsyncIterator[Any]:
    """``await make_api()`` -> a signed-in ``Api`` for a new user."""
    made: list[Api] = []

    async def make(**kwargs: Any) -> Api:
        api = Api(app, **kwargs)
        made.append(api)
        return await api.signup()

    yield make
    for api in made:
        await api.close()
