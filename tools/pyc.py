"""Precompile wheels to Pyodide's bytecode at build time, cached by content.

Compiling pydantic and the app on every page load costs about a second in the browser
(measured: ~0.7 s for pydantic's modules, ~0.6 s for ours); shipping ``.pyc`` files made by
Pyodide's own interpreter removes that work from every start. Results are cached under
``.cache/pyc`` by the hash of the input wheel, so only a changed wheel is recompiled.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from tools.hashing import sha256_bytes, sha256_file
from tools.paths import NODE_MODULES, ROOT

__all__ = ["compile_wheels"]

CACHE = ROOT / ".cache" / "pyc"
_SCRIPT = Path(__file__).with_name("pycompile.mjs")
_PY = Path(__file__).with_name("pycompile_wheels.py")


def _salt() -> str:
    """Anything that changes the output: the compiler scripts and the interpreter."""
    parts = [sha256_file(_SCRIPT), sha256_file(_PY),
             sha256_file(NODE_MODULES / "pyodide" / "pyodide.asm.wasm")]
    return sha256_bytes("".join(parts).encode())[:16]


def _prune(keep: int = 40) -> None:
    entries = sorted(CACHE.glob("*.whl"), key=lambda p: p.stat().st_mtime, reverse=True)
    for stale in entries[keep:]:
        stale.unlink(missing_ok=True)


def compile_wheels(wheels: list[Path]) -> None:
    """Replace each wheel file in place with its precompiled version."""
    salt = _salt()
    CACHE.mkdir(parents=True, exist_ok=True)
    todo: dict[Path, Path] = {}
    for wheel in wheels:
        cached = CACHE / f"{sha256_file(wheel)[:24]}-{salt}-{wheel.name}"
        if cached.exists():
            shutil.copyfile(cached, wheel)
        else:
            todo[wheel] = cached
    if not todo:
        return
    node = shutil.which("node")
    if node is None:
        raise RuntimeError("node is not installed: run `sudo apt-get install -y nodejs`")
    with tempfile.TemporaryDirectory(dir=CACHE) as tmp:
        src, out = Path(tmp, "in"), Path(tmp, "out")
        src.mkdir()
        out.mkdir()
        for wheel in todo:
            shutil.copyfile(wheel, src / wheel.name)
        subprocess.run([node, str(_SCRIPT), str(NODE_MODULES / "pyodide"), str(src), str(out)],
                       check=True)
        for wheel, cached in todo.items():
            staged = Path(tmp, cached.name)
            shutil.copyfile(out / wheel.name, staged)
            os.replace(staged, cached)  # atomic: parallel builds never see half a file
            shutil.copyfile(cached, wheel)
    _prune()
