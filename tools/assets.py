"""Fetch and verify the browser runtime: Pyodide, PyScript and the Pyodide wheels.

Everything comes from the package registries through their ordinary clients (npm with a
lockfile, pip with ``--require-hashes``), is checked against hashes committed in
``vendor/``, and lands in ``static/vendor/`` (never committed). A second run with
everything in place verifies hashes and downloads nothing.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from tools.hashing import sha256_file
from tools.paths import NODE_MODULES, VENDOR, VENDOR_OUT, WHEEL_CACHE

__all__ = ["AssetError", "ensure_assets", "runtime_files", "update_hashes"]

PYODIDE_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip",
                 "pyodide-lock.json")
WHEEL_PLATFORM = ("--platform", "pyemscripten_2026_0_wasm32", "--python-version", "3.14",
                  "--implementation", "cp")
HASHES = VENDOR / "files.sha256"
STAMP = NODE_MODULES / ".lk-lock-sha256"


class AssetError(RuntimeError):
    """A runtime file is missing or does not match its committed hash."""


def _say(message: str) -> None:
    print(f"[setup] {message}", flush=True)


def _npm_install() -> None:
    lock_hash = sha256_file(VENDOR / "package-lock.json")
    if STAMP.exists() and STAMP.read_text().strip() == lock_hash:
        return
    npm = shutil.which("npm")
    if npm is None:
        raise AssetError("npm is not installed: run `sudo apt-get install -y npm` (Debian/Ubuntu)")
    _say("npm ci (Pyodide, PyScript; integrity checked against vendor/package-lock.json)")
    subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--ignore-scripts"], cwd=VENDOR,
                   check=True, stdout=subprocess.DEVNULL)
    STAMP.write_text(lock_hash + "\n")


def _wheel_names() -> list[str]:
    return sorted(p.name for p in WHEEL_CACHE.glob("*.whl"))


def _pip_download_wheels() -> None:
    wanted = [line.split("==")[0] for line in (VENDOR / "browser-wheels.txt").read_text().splitlines()
              if line and not line.startswith("#")]
    have = {name.split("-")[0].lower().replace("_", "-") for name in _wheel_names()}
    if all(w.lower().replace("_", "-") in have for w in wanted):
        return
    _say("pip download (Pyodide wheels; --require-hashes against vendor/browser-wheels.txt)")
    WHEEL_CACHE.mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--require-hashes",
                    "--no-deps", "--only-binary=:all:", *WHEEL_PLATFORM, "-d", str(WHEEL_CACHE),
                    "-r", str(VENDOR / "browser-wheels.txt")], check=True)


def runtime_files() -> dict[str, Path]:
    """Map each vendored file (path relative to static/vendor/) to its source."""
    files: dict[str, Path] = {}
    pyodide = NODE_MODULES / "pyodide"
    for name in PYODIDE_FILES:
        files[f"pyodide/{name}"] = pyodide / name
    dist = NODE_MODULES / "@pyscript" / "core" / "dist"
    for path in sorted(dist.iterdir()):
        if path.suffix in {".js", ".css"}:
            files[f"pyscript/{path.name}"] = path
    for name in _wheel_names():
        files[f"pyodide/{name}"] = WHEEL_CACHE / name
    return files


def _read_hashes() -> dict[str, str]:
    if not HASHES.exists():
        return {}
    pairs = (line.split(None, 1) for line in HASHES.read_text().splitlines() if line.strip())
    return {name.strip(): digest for digest, name in pairs}


def update_hashes() -> None:
    """Record the hashes of the current runtime files (run after changing a pin)."""
    lines = [f"{sha256_file(src)}  {rel}" for rel, src in sorted(runtime_files().items())]
    HASHES.write_text("\n".join(lines) + "\n")
    _say(f"wrote {len(lines)} hashes to {HASHES.relative_to(VENDOR.parent)}")


def _copy_verified(files: dict[str, Path], expected: dict[str, str]) -> None:
    missing = sorted(set(expected) - set(files))
    if missing:
        raise AssetError(f"runtime files missing after download: {', '.join(missing)}")
    for rel, src in files.items():
        if rel not in expected:
            raise AssetError(f"{rel} has no committed hash in vendor/files.sha256")
        dest = VENDOR_OUT / rel
        if dest.exists() and dest.stat().st_size == src.stat().st_size \
                and dest.stat().st_mtime >= src.stat().st_mtime:
            continue
        digest = sha256_file(src)
        if digest != expected[rel]:
            raise AssetError(f"{rel}: sha256 {digest} does not match the committed "
                             f"{expected[rel]} (vendor/files.sha256)")
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, dest)


def ensure_assets() -> None:
    """Fetch (if needed), verify and place every runtime file under static/vendor/."""
    _npm_install()
    _pip_download_wheels()
    _copy_verified(runtime_files(), _read_hashes())
