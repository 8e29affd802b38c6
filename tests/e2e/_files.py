"""End-to-end helpers for files: pick one in a file input, drop one on the page, read
every exported table of IndexedDB."""

from __future__ import annotations

import base64
from typing import Any

from app.domain import default_registry
from tests.e2e._support import stored

__all__ = ["EXPORTED_TABLES", "drop_file", "library_tables", "pick"]

#: The tables a full backup holds (bookkeeping tables such as sync's are not data).
EXPORTED_TABLES: tuple[str, ...] = default_registry().import_order


def pick(page: Any, label: str, name: str, data: bytes, mime: str = "application/json") -> None:
    """Choose a file in the file input named ``label``, as the file chooser does."""
    page.get_by_label(label, exact=True).set_input_files(
        {"name": name, "mimeType": mime, "buffer": data}
    )


_DROP = """([name, mime, b64, selector]) => {
  const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  const transfer = new DataTransfer();
  transfer.items.add(new File([bytes], name, { type: mime }));
  const target = document.querySelector(selector);
  for (const type of ["dragenter", "dragover", "drop"]) {
    target.dispatchEvent(new DragEvent(type, { dataTransfer: transfer, bubbles: true,
                                               cancelable: true }));
  }
}"""


def drop_file(page: Any, name: str, data: bytes, mime: str, selector: str = "main") -> None:
    """Drag a file from the desktop and drop it on ``selector`` (what a person does)."""
    page.evaluate(_DROP, [name, mime, base64.b64encode(data).decode("ascii"), selector])


def library_tables(page: Any) -> dict[str, list[dict[str, Any]]]:
    """Every exported table's records, sorted by id."""
    return {
        table: sorted(stored(page, table), key=lambda r: str(r.get("id", r.get("key"))))
        for table in EXPORTED_TABLES
    }
