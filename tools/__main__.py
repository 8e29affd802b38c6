"""``./lk <command>``: the developer entry point (the ``lk`` script sets up the venv first)."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from tools.paths import ROOT, SITE

BENCHES = sorted(
    path.parent.name if path.name == "__main__.py" else path.stem
    for path in [*(ROOT / "bench").glob("*/__main__.py"), *(ROOT / "bench").glob("[!_]*.py")]
)
"""``./lk bench NAME``: every package (or module) under ``bench/``, run as ``bench.NAME``."""

__all__ = ["main"]


def _setup(_: argparse.Namespace) -> int:
    from tools.assets import ensure_assets

    ensure_assets()
    return 0


def _build(_: argparse.Namespace) -> int:
    from tools.assets import ensure_assets
    from tools.build import build_site

    ensure_assets()
    build_site()
    return 0


def _server_config(args: argparse.Namespace, site: Path | None = None, base: str = "/") -> Any:
    from app.server import ServerConfig, database_url, origins_from_env

    origins = tuple(dict.fromkeys([*origins_from_env(), *(o.rstrip("/") for o in args.cors_origin)]))
    return ServerConfig(database_url=database_url(Path(args.data)), site_dir=site, base=base,
                        open_registration=args.open_registration, cors_origins=origins)


def _serve(args: argparse.Namespace) -> int:
    from app.server._run import run_server

    if args.site is None:
        from tools.assets import ensure_assets
        from tools.build import build_site

        ensure_assets()
        build_site()
    site = Path(args.site) if args.site is not None else SITE
    base = "/" + args.base.strip("/") + "/" if args.base.strip("/") else "/"
    config = _server_config(args, site, base)

    def ready(origin: str) -> None:
        where = "PostgreSQL" if config.is_postgres else f"SQLite in {Path(args.data).resolve()}"
        print(f"Lorekeeper is served at {origin}{base}  (sync API at {origin}/api/v1, data: "
              f"{where}; Ctrl+C stops)", flush=True)

    try:
        run_server(config, args.host, args.port, on_ready=ready)
    except KeyboardInterrupt:
        pass
    return 0


def _read_password(prompt: str) -> str:
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    import getpass

    first = getpass.getpass(prompt)
    if getpass.getpass("Again: ") != first:
        raise SystemExit("The two passwords differ; nothing was changed.")
    return first


def _user(args: argparse.Namespace) -> int:
    from app.server import UserExistsError
    from app.server._errors import ApiError
    from app.server._run import add_user, set_password

    config = _server_config(args)
    password = _read_password(f"Password for {args.name}: ")
    try:
        if args.action == "add":
            add_user(config.database_url, args.name, password)
            print(f"Made the account {args.name!r}.")
        else:
            set_password(config.database_url, args.name, password)
            print(f"Set a new password for {args.name!r} and ended its sessions.")
    except ApiError as error:
        print(f"Nothing was changed: {error.message}", file=sys.stderr)
        return 2
    except (UserExistsError, LookupError) as error:
        print(f"Nothing was changed: {error}", file=sys.stderr)
        return 2
    return 0


def _test(args: argparse.Namespace) -> int:
    from tools.assets import ensure_assets

    ensure_assets()  # each test process builds its own copy of the site (tools.browser)
    ruff = subprocess.run([sys.executable, "-m", "ruff", "check", "app", "tests", "tools", "bench"],
                          cwd=ROOT)
    if ruff.returncode != 0:
        return ruff.returncode
    mypy = subprocess.run([sys.executable, "-m", "mypy"], cwd=ROOT)  # strict, over app/
    if mypy.returncode != 0:
        return mypy.returncode
    command = [sys.executable, "-m", "pytest", *args.pytest_args]
    env = {**os.environ, "LK_REQUIRE_ALL_TIERS": "0" if args.pytest_args else "1"}
    return subprocess.run(command, cwd=ROOT, env=env).returncode


def _bench(args: argparse.Namespace) -> int:
    from tools.assets import ensure_assets

    ensure_assets()  # the benchmark builds its own copy of the site (tools.browser)
    module = f"bench.{args.which}"
    return subprocess.run([sys.executable, "-m", module, *args.bench_args], cwd=ROOT).returncode


def _data_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data", default="data", metavar="DIR",
                        help="where the SQLite database lives (default ./data); "
                             "LK_DATABASE_URL=postgresql://... uses PostgreSQL instead")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="./lk", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("setup", help="fetch and verify the browser runtime").set_defaults(run=_setup)
    sub.add_parser("build", help="write the deployable site to build/site").set_defaults(run=_build)
    serve = sub.add_parser("serve", help="build, then serve the app on 127.0.0.1")
    serve.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--base", default="/", help="URL sub-path, e.g. /lorekeeper/")
    _data_arguments(serve)
    serve.add_argument("--open-registration", action="store_true",
                       help="let anyone make an account on this server")
    serve.add_argument("--cors-origin", action="append", default=[], metavar="ORIGIN",
                       help="an origin hosting the site elsewhere that may call the sync API "
                            "(repeatable; also LK_CORS_ORIGINS)")
    serve.add_argument("--site", default=None, metavar="DIR",
                       help="serve this already built site instead of building one")
    serve.set_defaults(run=_serve)
    user = sub.add_parser("user", help="sync accounts: add NAME, or password NAME "
                                       "(the password is read from a prompt or stdin)")
    user.add_argument("action", choices=["add", "password"])
    user.add_argument("name")
    _data_arguments(user)
    user.set_defaults(run=_user, open_registration=False, cors_origin=[])
    test = sub.add_parser("test", help="ruff, mypy + every test tier (extra args go to pytest)")
    test.add_argument("pytest_args", nargs=argparse.REMAINDER)
    test.set_defaults(run=_test)
    bench = sub.add_parser("bench", help=f"run a benchmark: {', '.join(BENCHES)}")
    bench.add_argument("which", choices=BENCHES)
    bench.add_argument("bench_args", nargs=argparse.REMAINDER)
    bench.set_defaults(run=_bench)
    args = parser.parse_args(argv)
    return int(args.run(args))


if __name__ == "__main__":
    raise SystemExit(main())
