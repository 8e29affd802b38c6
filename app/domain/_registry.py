"""Register every feature module on one store (the app entry calls this once)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from . import (
    characters,
    chats,
    folders,
    lorebook,
    messages,
    modules,
    personas,
    plugins,
    presets,
    providers,
    rules,
    scripts,
    series,
    settings,
    stories,
    sync_targets,
    transfer,
)
from ._ids import Clock, utc_now
from ._store import Store

__all__ = ["Domain", "open_domain", "register_all"]


@dataclass(frozen=True)
class Domain:
    """Every module's repository API, bound to one store."""

    store: Store
    settings: settings.SettingsRepository
    personas: personas.PersonaRepository
    characters: characters.CharacterRepository
    presets: presets.PromptPresetRepository
    modules: modules.Modules
    plugins: plugins.PluginRepository
    scripts: scripts.ScriptRepository
    folders: folders.FolderRepository
    rules: rules.Rules
    providers: providers.Providers
    sync_targets: sync_targets.SyncTargetRepository
    chats: chats.ChatRepository
    messages: messages.MessageRepository
    series: series.SeriesRepository
    stories: stories.Stories
    lorebook: lorebook.LorebookRepository
    transfer: transfer.Transfer


def register_all(store: Store) -> Domain:
    """Call every module's `register(store)` once; the store is not opened yet."""
    return Domain(
        store=store,
        settings=settings.register(store),
        personas=personas.register(store),
        characters=characters.register(store),
        presets=presets.register(store),
        modules=modules.register(store),
        plugins=plugins.register(store),
        scripts=scripts.register(store),
        folders=folders.register(store),
        rules=rules.register(store),
        providers=providers.register(store),
        sync_targets=sync_targets.register(store),
        chats=chats.register(store),
        messages=messages.register(store),
        series=series.register(store),
        stories=stories.register(store),
        lorebook=lorebook.register(store),
        transfer=transfer.register(store),
    )


async def open_domain(
    db: Any, *, clock: Clock = utc_now, wait_if_blocked: bool = True, watch_external: bool = True
) -> Domain:
    """A store over `db` with every module registered, opened (upgrading if needed;
    see `Store.open` for `wait_if_blocked` and `watch_external`)."""
    domain = register_all(Store(db, clock=clock))
    await domain.store.open(wait_if_blocked=wait_if_blocked, watch_external=watch_external)
    return domain
