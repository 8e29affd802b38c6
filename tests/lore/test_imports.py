"""The boot imports only what it uses of `app.lore`; every public name still resolves."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import app.lore

ROOT = Path(__file__).resolve().parents[2]

#: What the boot (`app.startup.open_library`) must not pay for.
NOT_AT_BOOT = (
    "app.lore._matcher",
    "app.lore._run",
    "app.lore._lint",
    "app.lore._context",
    "app.lore._regex_run",
    "app.lore._timed",
    "app.lore._groups",
    "app.lore.formats",
    "app.lore._index",
    "app.lore._jsregex",
    "app.lore._text",
)


def test_the_boot_names_import_without_the_engine() -> None:
    probe = (
        "import sys\n"
        "from app.lore import LayerCache, follow_changes\n"
        f"print(sorted(m for m in {NOT_AT_BOOT!r} if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]"


def test_every_public_name_resolves() -> None:
    namespace: dict[str, object] = {}
    exec("from app.lore import *", namespace)
    assert set(app.lore.__all__) <= set(namespace)
    assert app.lore.formats.load is not None
    assert set(app.lore.__all__) <= set(dir(app.lore))


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="nothing_here"):
        app.lore.nothing_here  # noqa: B018
