"""Modules: bundles of lorebook entries and scripts, enabled per character or chat."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import Field

from ._compensate import create_then_register, delete_with_cleanup
from ._db_errors import translate_db_errors
from ._entity import Entity
from ._entity_type import CONTEXT, EntityType, Linked, Ref, Shown
from ._feature import Feature, tables_of
from ._repository import Repository

__all__ = [
    "FEATURE",
    "MODULE",
    "MODULE_LINK",
    "Module",
    "ModuleLink",
    "ModuleLinkRepository",
    "ModuleRepository",
    "Modules",
]


class Module(Entity):
    name: str = Field(min_length=1)
    description: str = ""
    folder_id: str | None = None
    enabled: bool = True
    extensions: dict[str, Any] = Field(default_factory=dict)


class ModuleLink(Entity):
    """Module `module_id` is attached to a character or a chat."""

    module_id: str = Field(min_length=1)
    target_level: Literal["character", "chat"]
    target_id: str = Field(min_length=1)
    enabled: bool = True


class ModuleRepository(Repository[Module]):
    """Deleting a module deletes its links, lorebook entries and scripts."""


class ModuleLinkRepository(Repository[ModuleLink]):
    async def for_target(
        self, level: Literal["character", "chat"], target_id: str
    ) -> list[ModuleLink]:
        return await self.where("[target_level+target_id]", [level, target_id])

    async def attach(
        self, module_id: str, level: Literal["character", "chat"], target_id: str
    ) -> ModuleLink:
        """Attach a module (idempotent: an existing link is enabled and returned)."""
        async with translate_db_errors(), self.store.transaction("rw", *self.write_tables):
            for link in await self.for_target(level, target_id):
                if link.module_id == module_id:
                    return link if link.enabled else await self.update(link.id, {"enabled": True})
            return await self.create(
                {"module_id": module_id, "target_level": level, "target_id": target_id}
            )

    async def detach(
        self, module_id: str, level: Literal["character", "chat"], target_id: str
    ) -> int:
        async with translate_db_errors(), self.store.transaction("rw", self.table_name):
            doomed = [
                link.id
                for link in await self.for_target(level, target_id)
                if link.module_id == module_id
            ]
            await self.table.bulk_delete(doomed)
        return len(doomed)


@dataclass(frozen=True)
class Modules:
    """The modules module's repositories and its compensated two-step operations."""

    modules: ModuleRepository
    links: ModuleLinkRepository

    @property
    def tables_used(self) -> tuple[str, ...]:
        return tables_of(self.modules, self.links)

    async def enabled_for_chat(self, chat_id: str) -> list[Module]:
        """Enabled modules attached (enabled) to the chat or to its character."""
        store = self.modules.store
        chat = await store.table("chats").get(chat_id)
        if chat is None:
            return []
        links = await self.links.for_target("chat", chat_id)
        if chat.get("character_id"):
            links += await self.links.for_target("character", chat["character_id"])
        ids = list(dict.fromkeys(link.module_id for link in links if link.enabled))
        found = [await self.modules.get(i) for i in ids]
        return [m for m in found if m is not None and m.enabled]

    async def create_attached(
        self,
        data: Module | Mapping[str, Any],
        level: Literal["character", "chat"],
        target_id: str,
    ) -> Module:
        """Create a module, then attach it as a separate step; if attaching fails the
        module is removed again (compensation) and the error re-raised."""
        return await create_then_register(
            create=lambda: self.modules.create(data),
            register=lambda module: self.links.attach(module.id, level, target_id),
            remove=lambda module: self.modules.delete(module.id),
        )

    async def delete_detached(self, module_id: str) -> None:
        """Detach a module from everything, then delete it as a separate step; if the
        delete fails the links are restored (compensation) and the error re-raised."""

        async def unlink() -> list[ModuleLink]:
            async with self.links.store.transaction("rw", "module_links"):
                links = await self.links.where("module_id", module_id)
                await self.links.table.bulk_delete([link.id for link in links])
            return links

        async def restore(links: list[ModuleLink]) -> None:
            await self.links.table.bulk_put([link.to_record() for link in links])

        await delete_with_cleanup(
            unlink=unlink, delete=lambda: self.modules.delete(module_id), restore=restore
        )


def _attached(level: str) -> Linked:
    """Modules linked (enabled) to the character or chat the level shows."""
    where = {"target_level": level, "target_id": CONTEXT, "enabled": True}
    return Linked("module_link", "module_id", where)


MODULE = EntityType(
    kind="module",
    table="modules",
    schema="id, name, folder_id, updated_at",
    since=2,
    model=Module,
    repository=ModuleRepository,
    references=(Ref("folder_id", "folder"),),
    shown=(
        Shown("modules", "lists"),
        Shown("character_modules", "character", linked=_attached("character")),
        Shown("chat_modules", "chat", linked=_attached("chat")),
    ),
)
MODULE_LINK = EntityType(
    kind="module_link",
    table="module_links",
    schema="id, module_id, target_id, [target_level+target_id]",
    since=2,
    model=ModuleLink,
    repository=ModuleLinkRepository,
    references=(
        Ref("module_id", "module", required=True, on_delete="cascade"),
        Ref(
            "target_id",
            by="target_level",
            kinds=("character", "chat"),
            required=True,
            on_delete="cascade",
        ),
    ),
    section="modules",
)

FEATURE = Feature(
    "modules",
    (MODULE, MODULE_LINK),
    api=lambda repos: Modules(
        repos.of("module", ModuleRepository), repos.of("module_link", ModuleLinkRepository)
    ),
)
