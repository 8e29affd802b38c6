"""Screen modules are imported when their route is first opened, never at import time."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_importing_the_ui_and_the_table_imports_no_screen() -> None:
    code = (
        "import sys, app.ui, app.ui.screens\n"
        "print(sorted(m for m in sys.modules if m.startswith('app.ui.screens.')))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"
