"""Sync server processes for the benchmark: ``./lk serve`` on SQLite or PostgreSQL."""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from app.server import database_url
from tools.paths import ROOT
from tools.postgres import ThrowawayPostgres

__all__ = ["PASSWORD", "ServerProcess", "server_process"]

PASSWORD = "benchmark password"


class ServerProcess:
    def __init__(self, process: subprocess.Popen[str], origin: str, url: str) -> None:
        self.process = process
        self.origin = origin
        self.database_url = url


@contextlib.contextmanager
def server_process(backend: str, users: list[str], cors: tuple[str, ...] = (),
                   postgres: ThrowawayPostgres | None = None) -> Iterator[ServerProcess]:
    """``./lk serve`` (one process, port picked by the OS) with ``users`` made first."""
    with tempfile.TemporaryDirectory(prefix="lk-bench-sync-") as tmp:
        env = dict(os.environ)
        env.pop("LK_DATABASE_URL", None)
        if backend == "postgresql":
            assert postgres is not None
            raw = postgres.create_database(f"bench{int(time.time() * 1000) % 10**9}")
            env["LK_DATABASE_URL"] = raw
        url = database_url(Path(tmp), env=env)
        for name in users:  # `./lk user add NAME`, the password on stdin
            made = subprocess.run([sys.executable, "-m", "tools", "user", "add", name, "--data",
                                   tmp], cwd=ROOT, env=env, input=PASSWORD + "\n", text=True,
                                  capture_output=True)
            if made.returncode != 0:
                raise RuntimeError(f"user add {name}: {made.stderr.strip()}")
        site = Path(tmp) / "site"
        site.mkdir()
        command = [sys.executable, "-m", "tools", "serve", "--port", "0", "--data", tmp,
                   "--site", str(site)]
        for origin in cors:
            command += ["--cors-origin", origin]
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, text=True)
        origin = ""
        assert process.stdout is not None
        for line in process.stdout:
            found = re.search(r"served at (http://[\d.]+:\d+)", line)
            if found:
                origin = found.group(1)
                break
        if not origin:
            process.kill()
            raise RuntimeError("the sync server did not start")
        threading.Thread(target=process.stdout.read, daemon=True).start()  # keep it drained
        try:
            yield ServerProcess(process, origin, url)
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
