"""Migrations run on start, are idempotent, and build exactly the tables the code uses."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from app.server import ServerDatabase, database_url
from app.server._schema import metadata
from tools.paths import ROOT


async def test_migrations_create_the_schema_the_code_declares(db_url: str) -> None:
    db = ServerDatabase(db_url)
    await db.migrate()
    await db.migrate()  # a second start changes nothing

    def diff(connection: Any) -> list[Any]:
        context = MigrationContext.configure(connection)
        return list(compare_metadata(context, metadata))

    def tables(connection: Any) -> set[str]:
        return set(inspect(connection).get_table_names())

    async with db.engine.connect() as conn:
        assert await conn.run_sync(diff) == []
        assert await conn.run_sync(tables) >= {"users", "sessions", "clients", "records",
                                               "alembic_version"}
    await db.dispose()


async def test_two_servers_in_one_process_start_at_once(db_url: str) -> None:
    first, second = ServerDatabase(db_url), ServerDatabase(db_url)
    await asyncio.gather(first.migrate(), second.migrate())
    for db in (first, second):
        await db.dispose()


def test_processes_sharing_postgresql_migrate_one_at_a_time(postgres: Any, tmp_path: Any) -> None:
    url = database_url(tmp_path, env={"LK_DATABASE_URL": postgres.create_database("racing")})
    code = ("import asyncio, sys; from app.server import ServerDatabase\n"
            "async def main():\n"
            "    db = ServerDatabase(sys.argv[1]); await db.migrate(); await db.dispose()\n"
            "asyncio.run(main())\n")
    starts = [subprocess.Popen([sys.executable, "-c", code, url], cwd=ROOT,
                               stderr=subprocess.PIPE, text=True) for _ in range(3)]
    for process in starts:
        _, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
