"""Drop anywhere is part of the shell, so it must stay light: the import code (readers,
cards, the panel and dialog) is loaded when a file first arrives, never at boot."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from app.ui._drop_zone import dragged_files, dropped_files

from ._files import MemoryFile, MemoryTransfer

ROOT = Path(__file__).resolve().parents[2]


def test_the_shell_and_the_home_screen_import_no_file_code() -> None:
    code = (
        "import sys, app.ui, app.ui._shell, app.ui.screens.characters\n"
        "heavy = ['app.domain.library', 'app.domain.cards', 'app.domain.files',\n"
        "         'app.domain.downloads', 'app.domain.sample', 'app.ui._import_panel',\n"
        "         'app.ui._import_dialog', 'app.ui.screens.library']\n"
        "print(sorted(m for m in heavy if m in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"


class _Event:
    type = "drop"
    key = ""

    def __init__(self, transfer: object) -> None:
        self.dataTransfer = transfer

    def preventDefault(self) -> None:
        pass


def test_only_drags_that_carry_files_count() -> None:
    file = MemoryFile("a.json", b"{}")
    assert dragged_files(_Event(MemoryTransfer([file])))
    assert not dragged_files(_Event(MemoryTransfer([])))
    assert not dragged_files(_Event(None))
    assert dropped_files(_Event(MemoryTransfer([file]))) == [file]
    assert dropped_files(_Event(None)) == []
