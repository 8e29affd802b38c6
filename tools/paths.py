"""Where things live in the repository and the build."""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "APP",
    "BUILD",
    "NODE_MODULES",
    "ROOT",
    "SITE",
    "STATIC",
    "VENDOR",
    "VENDOR_OUT",
    "WHEEL_CACHE",
]

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app"
STATIC = ROOT / "static"
VENDOR = ROOT / "vendor"  # pins: package.json, package-lock.json, browser-wheels.txt, files.sha256
NODE_MODULES = VENDOR / "node_modules"
VENDOR_OUT = STATIC / "vendor"  # filled by set-up, never committed
WHEEL_CACHE = ROOT / ".cache" / "wheels"
BUILD = ROOT / "build"
SITE = BUILD / "site"  # the deployable folder
