"""Sync server processes for the benchmark: ``./lk serve`` on SQLite or PostgreSQL."""

from __future__ import annotations

import contextlib
import itertools
import tempfile
from collections.abc import Iterator
from pathlib import Path

from tools.postgres import ThrowawayPostgres
from tools.serve_process import serve_process

__all__ = ["PASSWORD", "server_process"]

PASSWORD = "benchmark password"
_databases = itertools.count(1)


@contextlib.contextmanager
def server_process(backend: str, users: list[str], cors: tuple[str, ...] = (),
                   postgres: ThrowawayPostgres | None = None) -> Iterator[str]:
    """``./lk serve`` (one process, port picked by the OS) with ``users``; its origin."""
    with tempfile.TemporaryDirectory(prefix="lk-bench-sync-") as tmp:
        env = {}
        if backend == "postgresql":
            assert postgres is not None
            env["LK_DATABASE_URL"] = postgres.create_database(f"bench{next(_databases)}")
        site = Path(tmp) / "site"
        site.mkdir()
        with serve_process(Path(tmp), site=site, accounts=dict.fromkeys(users, PASSWORD),
                           cors=cors, env=env) as origin:
            yield origin
