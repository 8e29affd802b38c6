"""A throwaway PostgreSQL server for tests and benchmarks (Debian's ``postgresql``).

As root, ``initdb`` refuses to run, so the cluster belongs to the ``postgres`` user and
every command runs through ``runuser -u postgres --``. The cluster lives in a temporary
folder, listens on 127.0.0.1 only, skips fsync, and is deleted by ``stop()``.

    with ThrowawayPostgres() as pg:
        url = pg.create_database("t1")   # postgresql://postgres@127.0.0.1:PORT/t1
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

__all__ = ["ThrowawayPostgres", "postgres_bin"]


def postgres_bin() -> Path:
    """The newest installed PostgreSQL's ``bin`` folder (``LK_POSTGRES_BIN`` overrides)."""
    override = os.environ.get("LK_POSTGRES_BIN")
    if override:
        return Path(override)
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"),
                   key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0)
    if not found:
        raise RuntimeError("PostgreSQL is not installed (./lk test installs Debian's "
                           "postgresql package with apt)")
    return found[-1].parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class ThrowawayPostgres:
    """``start()`` a fresh cluster; ``create_database(name)`` gives a URL; ``stop()``."""

    def __init__(self) -> None:
        self.bin = postgres_bin()
        self.port = 0
        self.dir: Path | None = None
        self._as_postgres = os.geteuid() == 0

    def _run(self, *args: str) -> str:
        command = [str(self.bin / args[0]), *args[1:]]
        if self._as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"{args[0]} failed: {done.stderr.strip() or done.stdout.strip()}")
        return done.stdout

    def start(self) -> ThrowawayPostgres:
        self.dir = Path(tempfile.mkdtemp(prefix="lk-postgres-"))
        if self._as_postgres:
            user = pwd.getpwnam("postgres")
            os.chown(self.dir, user.pw_uid, user.pw_gid)
        data = self.dir / "data"
        self._run("initdb", "-D", str(data), "-A", "trust", "-U", "postgres", "--no-sync",
                  "-E", "UTF8")
        self.port = _free_port()
        options = (f"-k {self.dir} -p {self.port} -c listen_addresses=127.0.0.1 -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off -c max_connections=300")
        self._run("pg_ctl", "-D", str(data), "-o", options, "-l", str(self.dir / "log"),
                  "-w", "start")
        return self

    @property
    def admin_url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def url(self, database: str) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        """A new, empty database; returns its ``postgresql://`` URL."""
        self._run("psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-q",
                  "-c", f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self) -> None:
        if self.dir is None:
            return
        try:
            self._run("pg_ctl", "-D", str(self.dir / "data"), "-m", "immediate", "-w", "stop")
        except RuntimeError:
            pass
        shutil.rmtree(self.dir, ignore_errors=True)
        self.dir = None

    def __enter__(self) -> ThrowawayPostgres:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
