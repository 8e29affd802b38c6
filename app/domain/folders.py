"""Folders: a tree per item kind; deleting one keeps everything the user wrote."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from ._db_errors import translate_db_errors
from ._entity import Entity
from ._errors import FieldError, InvalidDataError
from ._ids import format_utc
from ._module import declare
from ._repository import Repository
from ._store import Store

__all__ = ["FOLDERED_TABLES", "TABLES", "Folder", "FolderKind", "FolderRepository", "register"]

TABLES = {"folders": "id, kind, parent_id, name"}

FolderKind = Literal["character", "chat", "story", "module"]

#: Tables whose records carry a `folder_id` (all indexed on it).
FOLDERED_TABLES: tuple[str, ...] = ("characters", "chats", "stories", "modules", "series")


class Folder(Entity):
    name: str = Field(min_length=1)
    kind: FolderKind
    parent_id: str | None = None
    order: int = 0


class FolderRepository(Repository[Folder]):
    table_name = "folders"
    model = Folder
    kind = "folder"
    cascade_tables = FOLDERED_TABLES

    async def _check(self, entity: Folder) -> None:
        if entity.parent_id is None:
            return
        seen = {entity.id}
        parent_id: str | None = entity.parent_id
        while parent_id is not None:
            if parent_id in seen:
                raise InvalidDataError([FieldError("parent_id", "a folder cannot contain itself")])
            seen.add(parent_id)
            parent = await self.table.get(parent_id)
            if parent is None:
                raise InvalidDataError(
                    [FieldError("parent_id", f"no folder with id {parent_id!r}")]
                )
            if parent["kind"] != entity.kind:
                raise InvalidDataError(
                    [
                        FieldError(
                            "parent_id", f"the parent holds {parent['kind']}s, not {entity.kind}s"
                        )
                    ]
                )
            parent_id = parent.get("parent_id")

    async def children(self, parent_id: str | None) -> list[Folder]:
        folders = await self.list()
        return sorted(
            (f for f in folders if f.parent_id == parent_id), key=lambda f: (f.order, f.name)
        )

    async def subtree_ids(self, folder_id: str) -> list[str]:
        """`folder_id` and every folder below it (depth first)."""
        out: list[str] = []
        stack = [folder_id]
        while stack:
            current = stack.pop()
            out.append(current)
            kids = await self.table.where("parent_id").equals(current).primary_keys()
            stack.extend(reversed(list(kids)))
        return out

    async def move(self, folder_id: str, parent_id: str | None) -> Folder:
        return await self.update(folder_id, {"parent_id": parent_id})

    async def delete(self, id: str) -> None:
        """Delete the folder and its sub-folders; items inside move to its parent."""
        async with translate_db_errors(), self.store.transaction("rw", *self.delete_tables):
            folder = await self.require(id)
            doomed = await self.subtree_ids(id)
            now = self.store.clock()
            for table_name in self.cascade_tables:
                if not self.store.has_table(table_name):
                    continue
                table = self.store.table(table_name)
                for folder_id in doomed:
                    items = await table.where("folder_id").equals(folder_id).to_array()
                    for item in items:
                        item["folder_id"] = folder.parent_id
                        item["updated_at"] = format_utc(now)
                        await table.put(item)
            await self.table.bulk_delete(doomed)


def register(store: Store) -> FolderRepository:
    """Declare the folders table; return its repository."""
    return declare(store, "folders", TABLES, FolderRepository(store))
