"""How a server process is configured (command line, environment, tests)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from app.sync._protocol import MAX_BODY_BYTES

__all__ = ["ServerConfig", "database_url", "origins_from_env"]


@dataclass(frozen=True)
class ServerConfig:
    """Everything a server process needs; ``create_app(config)`` builds the app from it."""

    #: SQLAlchemy URL (``sqlite+aiosqlite:///…`` or ``postgresql+asyncpg://…``).
    database_url: str
    open_registration: bool = False
    #: Origins allowed to call the API from another origin (a statically hosted site).
    cors_origins: tuple[str, ...] = ()
    #: The built site to serve beside the API (None: API only).
    site_dir: Path | None = None
    #: The URL sub-path the site is served under ("/" or "/lorekeeper/").
    base: str = "/"
    max_body_bytes: int = MAX_BODY_BYTES
    #: Tombstones older than this are purged (clients behind them get ``reset_required``).
    tombstone_days: float = 90.0
    #: How often the purge runs (seconds); 0 disables the background purge.
    purge_interval_s: float = 6 * 3600
    #: Failed logins allowed per username and per address within ``login_window_s``.
    login_failures_per_user: int = 10
    login_failures_per_address: int = 50
    login_window_s: float = 15 * 60
    #: Registrations allowed per address per hour.
    registrations_per_address: int = 20
    #: Authenticated API requests per user: a bucket of ``request_burst`` refilled at
    #: ``requests_per_second``.
    requests_per_second: float = 50.0
    request_burst: int = 500
    #: Seconds between SSE keep-alive comments.
    heartbeat_s: float = 20.0
    extra: Mapping[str, str] = field(default_factory=dict)

    @property
    def is_postgres(self) -> bool:
        return self.database_url.startswith("postgresql")


def database_url(data_dir: Path, env: Mapping[str, str] | None = None) -> str:
    """``LK_DATABASE_URL`` (``postgresql://`` becomes the asyncpg driver), else SQLite
    in ``data_dir``."""
    env = os.environ if env is None else env
    url = env.get("LK_DATABASE_URL", "").strip()
    if not url:
        return f"sqlite+aiosqlite:///{(data_dir / 'lorekeeper.sqlite3').resolve()}"
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+asyncpg://" + url[len(prefix):]
    return url


def origins_from_env(env: Mapping[str, str] | None = None) -> tuple[str, ...]:
    """``LK_CORS_ORIGINS``: origins separated by commas or spaces."""
    env = os.environ if env is None else env
    raw = env.get("LK_CORS_ORIGINS", "")
    return tuple(o.rstrip("/") for o in raw.replace(",", " ").split() if o)
