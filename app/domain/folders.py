"""Folders: a tree per item kind; deleting one keeps everything the user wrote."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from ._db_errors import translate_db_errors
from ._entity import Entity
from ._entity_type import EntityType, Ref, Shown
from ._errors import FieldError, InvalidDataError
from ._feature import Feature
from ._ids import format_utc
from ._repository import Repository

__all__ = ["FEATURE", "FOLDER", "Folder", "FolderKind", "FolderRepository"]

FolderKind = Literal["character", "chat", "story", "module"]


class Folder(Entity):
    name: str = Field(min_length=1)
    kind: FolderKind
    parent_id: str | None = None
    order: int = 0


class FolderRepository(Repository[Folder]):
    """Deleting a folder deletes its sub-folders and moves what they held to its parent
    (every entity with a `folder_id` reference, from the registry)."""

    def _foldered(self) -> list[tuple[str, str]]:
        """(table, field) of every reference to folders but the folders' own."""
        return [
            (incoming.entity.table, incoming.ref.field)
            for incoming in self.store.registry.references_to("folder")
            if incoming.entity.kind != "folder"
        ]

    @property
    def delete_tables(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys((self.table_name, *(t for t, _ in self._foldered()))))

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
            now = format_utc(self.store.clock())
            for table_name, field in self._foldered():
                table = self.store.table(table_name)
                for folder_id in doomed:
                    for item in await table.where(field).equals(folder_id).to_array():
                        await table.put({**item, field: folder.parent_id, "updated_at": now})
            await self.table.bulk_delete(doomed)


FOLDER = EntityType(
    kind="folder",
    table="folders",
    schema="id, kind, parent_id, name",
    since=2,
    model=Folder,
    repository=FolderRepository,
    # checked by FolderRepository._check (a folder cannot contain itself)
    references=(Ref("parent_id", "folder", check=False),),
    shown=(Shown("folders", "lists"),),
)

FEATURE = Feature("folders", (FOLDER,))
