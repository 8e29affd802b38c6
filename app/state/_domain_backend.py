"""``DomainBackend``: the state layer's ``Backend`` over the domain's repositories."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from app.domain import Domain, Repository

from ._backend import ExternalListener
from ._layout import Layout, Placement
from ._levels import Level
from ._loader import load_level

if TYPE_CHECKING:
    from app.domain.files import Files

__all__ = ["DomainBackend"]


class DomainBackend:
    """Loads levels and writes entities through ``app.domain``'s repositories.

    ``domain`` is what ``app.domain.open_domain(db)`` returns; the layout comes from its
    registry, so an entity a feature declares with ``shown=`` appears in the state
    without any change here. Entities are the domain's pydantic models. Another tab's
    writes (the store's ``"external-change"`` event, from ``app.db``'s
    ``storagemutated``) are reported to ``AppState``, which reloads the levels they affect.
    """

    def __init__(self, domain: Domain) -> None:
        self.domain = domain
        self._layout = Layout.of(domain.registry)
        self._files: Files | None = None

    @property
    def layout(self) -> Layout:
        return self._layout

    def _repo(self, kind: str) -> Repository[Any]:
        repo = self.domain.repository(kind)
        if not isinstance(repo, Repository):
            raise TypeError(f"{kind} records are not created through the state")
        return repo

    # -- loaders ----------------------------------------------------------------------------
    async def load_settings(self) -> Any:
        return await self.domain.settings.all()

    async def load(self, level: Level, key: Any, *, partial: bool = False) -> Mapping[str, Any]:
        return await load_level(self._layout, level, key, self, partial=partial)

    async def find(
        self, kind: str, where: Mapping[str, Any], placement: Placement | None
    ) -> list[Any]:
        repo = self._repo(kind)
        many = [(name, v) for name, v in where.items() if isinstance(v, frozenset)]
        if len(many) > 1:
            raise ValueError(f"{kind}: only one field may match a set of values")
        if many:
            name, values = many[0]
            found: list[Any] = []
            for value in sorted(values):
                found += await repo.find({**where, name: value})
        else:
            found = await repo.find(where)
        shown = placement.shown if placement is not None else None
        if shown is not None and shown.order is not None:
            found.sort(key=shown.order, reverse=shown.descending)
        return found

    async def find_latest(
        self, kind: str, where: Mapping[str, Any], placement: Placement
    ) -> list[Any]:
        latest = placement.shown.latest
        if latest is None or len(where) != 1:
            return await self.find(kind, where, placement)
        index, n = latest
        (value,) = where.values()
        found = await self._repo(kind).latest(index, value, n)
        if placement.shown.order is not None:
            found.sort(key=placement.shown.order, reverse=placement.shown.descending)
        return found

    def entities(self, kind: str, records: list[dict[str, Any]]) -> list[Any]:
        return self._repo(kind).load_many(records)

    # -- writers ----------------------------------------------------------------------------
    async def get(self, kind: str, id: str) -> Any:
        return await self._repo(kind).get(id)

    async def create(self, kind: str, data: Mapping[str, Any]) -> Any:
        return await self._repo(kind).create(data)

    async def update(self, kind: str, id: str, changes: Mapping[str, Any]) -> Any:
        return await self._repo(kind).update(id, changes)

    async def delete(self, kind: str, id: str) -> None:
        await self._repo(kind).delete(id)

    async def set_setting(self, key: str, value: Any) -> Any:
        return await self.domain.settings.set(key, value)

    async def set_active_preset(self, id: str) -> Any:
        return await self.domain.presets.set_active(id)

    async def attach_module(self, module_id: str, level: str, target_id: str) -> Any:
        return await self.domain.modules.links.attach(module_id, _target(level), target_id)

    async def detach_module(self, module_id: str, level: str, target_id: str) -> Any:
        return await self.domain.modules.links.detach(module_id, _target(level), target_id)

    async def create_attached_module(
        self, data: Mapping[str, Any], level: str, target_id: str
    ) -> Any:
        return await self.domain.modules.create_attached(data, _target(level), target_id)

    async def start_chat(self, character_id: str, data: Mapping[str, Any]) -> Any:
        return await self.domain.chats.start(character_id, data)

    async def branch_chat(self, chat_id: str, message_id: str) -> Any:
        return await self.domain.chats.branch(chat_id, message_id)

    async def save_provider(
        self, data: Mapping[str, Any], *, config_id: str | None, api_key: str | None
    ) -> Any:
        return await self.domain.providers.save(data, config_id=config_id, api_key=api_key)

    async def record_prompt(
        self, message_id: str, chat_id: str, alternative: int, report: Mapping[str, Any]
    ) -> Any:
        return await self.domain.prompt_reports.record(
            message_id, chat_id, alternative, dict(report)
        )

    async def prompt_report(self, message_id: str, alternative: int) -> Any:
        found = await self.domain.prompt_reports.for_message(message_id, alternative)
        return None if found is None else found.report

    def watch_external(self, fn: ExternalListener) -> Callable[[], None]:
        """Call ``fn(table_names)`` after another tab (or another connection) commits."""
        return self.domain.store.on(
            "external-change", lambda changes: fn(sorted({c.table for c in changes}))
        )


    @property
    def files(self) -> Files:
        """Import, exports and the sample library (imported on first use, never at boot)."""
        if self._files is None:
            from app.domain.files import Files

            self._files = Files(self.domain)
        return self._files


def _target(level: str) -> Any:
    if level not in ("character", "chat"):
        raise ValueError(f"modules attach to a character or a chat, not a {level!r}")
    return level
