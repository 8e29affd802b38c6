"""``./lk <command>``: the developer entry point (the ``lk`` script sets up the venv first)."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys

from tools.paths import ROOT, SITE

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


def _serve(args: argparse.Namespace) -> int:
    from tools.assets import ensure_assets
    from tools.build import build_site
    from tools.server import StaticServer

    ensure_assets()
    build_site()
    base = "/" + args.base.strip("/") + "/" if args.base.strip("/") else "/"
    server = StaticServer({base: SITE}, port=args.port, host=args.host)
    print(f"Lorekeeper is served at {server.url(base)}  (Ctrl+C stops)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


def _test(args: argparse.Namespace) -> int:
    from tools.assets import ensure_assets

    ensure_assets()  # each test process builds its own copy of the site (tools.browser)
    ruff = subprocess.run([sys.executable, "-m", "ruff", "check", "app", "tests", "tools", "bench"],
                          cwd=ROOT)
    if ruff.returncode != 0:
        return ruff.returncode
    command = [sys.executable, "-m", "pytest", *args.pytest_args]
    env = {**os.environ, "LK_REQUIRE_ALL_TIERS": "0" if args.pytest_args else "1"}
    return subprocess.run(command, cwd=ROOT, env=env).returncode


def _bench(args: argparse.Namespace) -> int:
    from tools.assets import ensure_assets

    ensure_assets()  # the benchmark builds its own copy of the site (tools.browser)
    module = {"startup": "bench.startup", "db": "bench.db", "lore": "bench.lore",
              "ui": "bench.ui", "chat": "bench.chat", "writing": "bench.writing"}[args.which]
    return subprocess.run([sys.executable, "-m", module, *args.bench_args], cwd=ROOT).returncode


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="./lk", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("setup", help="fetch and verify the browser runtime").set_defaults(run=_setup)
    sub.add_parser("build", help="write the deployable site to build/site").set_defaults(run=_build)
    serve = sub.add_parser("serve", help="build, then serve the app on 127.0.0.1")
    serve.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--base", default="/", help="URL sub-path, e.g. /lorekeeper/")
    serve.set_defaults(run=_serve)
    test = sub.add_parser("test", help="ruff + every test tier (extra args go to pytest)")
    test.add_argument("pytest_args", nargs=argparse.REMAINDER)
    test.set_defaults(run=_test)
    bench = sub.add_parser("bench", help="run a benchmark: startup, db, lore or ui")
    bench.add_argument("which", choices=["startup", "db", "lore", "ui", "chat", "writing"])
    bench.add_argument("bench_args", nargs=argparse.REMAINDER)
    bench.set_defaults(run=_bench)
    args = parser.parse_args(argv)
    return int(args.run(args))


if __name__ == "__main__":
    raise SystemExit(main())
