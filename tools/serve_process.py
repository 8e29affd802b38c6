"""``./lk serve`` as a child process, for end-to-end tests and benchmarks.

    with serve_process(data_dir, site=site, accounts={"ana": "secret pw"}) as origin:
        ...   # http://127.0.0.1:PORT serves the site and the sync API

Accounts are made the way a person makes them (``./lk user add NAME``, password on stdin).
The child's output is drained in the background, so it never blocks on a full pipe.
"""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator, Mapping
from pathlib import Path

from tools.paths import ROOT

__all__ = ["add_account", "serve_process"]


def _env(extra: Mapping[str, str] | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "LK_DATABASE_URL"}
    env.update(extra or {})
    return env


def add_account(data: Path, name: str, password: str,
                env: Mapping[str, str] | None = None) -> None:
    made = subprocess.run([sys.executable, "-m", "tools", "user", "add", name, "--data",
                           str(data)], cwd=ROOT, input=password + "\n", text=True,
                          capture_output=True, env=_env(env))
    if made.returncode != 0:
        raise RuntimeError(f"user add {name}: {made.stderr.strip()}")


@contextlib.contextmanager
def serve_process(data: Path, *, site: Path, accounts: Mapping[str, str] | None = None,
                  cors: tuple[str, ...] = (), env: Mapping[str, str] | None = None,
                  ) -> Iterator[str]:
    """Run ``./lk serve --port 0`` (an already built ``site``); yields its origin.
    ``env`` may hold ``LK_DATABASE_URL`` for PostgreSQL."""
    for name, password in (accounts or {}).items():
        add_account(data, name, password, env)
    command = [sys.executable, "-m", "tools", "serve", "--port", "0", "--data", str(data),
               "--site", str(site)]
    for origin in cors:
        command += ["--cors-origin", origin]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, env=_env(env))
    assert process.stdout is not None
    origin = ""
    for line in process.stdout:
        found = re.search(r"served at (http://[\d.]+:\d+)", line)
        if found:
            origin = found.group(1)
            break
    if not origin:
        process.kill()
        raise RuntimeError("./lk serve did not start")
    threading.Thread(target=process.stdout.read, daemon=True).start()
    try:
        yield origin
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
