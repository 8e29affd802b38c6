"""Export and import: versioned JSON files, validated completely before anything is written.

File types (`"type"` in the envelope, with `"format": "lorekeeper"`, `"version": 1`):
- `full`: every table, each as a top-level list (`"characters": [...]`, ...);
- `chat`: `chat`, its `messages` and chat `lorebook_entries`;
- `folder`: the `folders` of a tree, their `chats`, `messages` and chat entries;
- `story`: `story`, `chapters`, `scene_beats`, story `lorebook_entries` and the
  `series` metadata (not series or global entries);
- `series`: `series`, its `lorebook_entries` and `stories` (each a story payload);
- `global-lorebook`: the global `lorebook_entries`.

Reading is `_parse.py`, writing files `_export.py`, deciding what an import does
`_import_plan.py`; `Transfer` puts them together for one store.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ._db_errors import translate_db_errors
from ._export import Exporter
from ._formats import ImportOptions, ImportReport
from ._import_plan import plan_import, write_import
from ._parse import ParsedFile, parse_file
from ._store import Store

__all__ = ["Transfer"]


class Transfer(Exporter):
    """Exports (see `Exporter`) and imports for one store."""

    def __init__(self, store: Store) -> None:
        super().__init__(store)

    def parse(self, data: Mapping[str, Any] | str | bytes) -> ParsedFile:
        """Validate a file against this store's registry (nothing is written)."""
        return parse_file(data, self.registry)

    async def import_file(
        self,
        data: Mapping[str, Any] | str | bytes | ParsedFile,
        options: ImportOptions | None = None,
        *,
        on_write: Callable[[int, int], None] | None = None,
    ) -> ImportReport:
        """Validate everything, then write in one transaction (or raise, writing nothing).

        `on_write(done, total)` hears the progress between chunks of writes; an exception
        it raises (the user cancelled) aborts the transaction: nothing is written."""
        parsed = data if isinstance(data, ParsedFile) else self.parse(data)
        options = options or ImportOptions()
        tables = self._tables()
        async with translate_db_errors(), self.store.transaction("rw", *tables):
            plan = await plan_import(self.store, parsed, options)
            if on_write is not None:
                on_write(0, plan.total)
            await write_import(self.store, plan, on_write=on_write)
        return plan.report
