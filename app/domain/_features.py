"""The app's features, in the order they are declared. Adding an entity to the app is
its own module (see `app/domain/README.md`) plus one line here."""

from __future__ import annotations

from app.sync import SYNC_TABLES

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
    prompt_reports,
    providers,
    rules,
    scripts,
    series,
    settings,
    stories,
    sync_targets,
)
from ._feature import Feature, LocalTable
from ._registry import Registry

__all__ = ["FEATURES", "default_registry"]

FEATURES: tuple[Feature, ...] = (
    settings.FEATURE,
    folders.FEATURE,
    personas.FEATURE,
    providers.FEATURE,
    characters.FEATURE,
    chats.FEATURE,
    messages.FEATURE,
    prompt_reports.FEATURE,
    series.FEATURE,
    stories.FEATURE,
    modules.FEATURE,
    scripts.FEATURE,
    rules.FEATURE,
    presets.FEATURE,
    plugins.FEATURE,
    sync_targets.FEATURE,
    lorebook.FEATURE,
    # the sync's bookkeeping: outbox, per-field clocks and tombstones, its state rows
    Feature("sync", api=lambda _repositories: None,
            local_tables=tuple(LocalTable(name, spec, since=3)
                               for name, spec in SYNC_TABLES.items())),
)

_default: list[Registry] = []


def default_registry() -> Registry:
    """The registry of every feature the app ships (built once)."""
    if not _default:
        _default.append(Registry(FEATURES))
    return _default[0]
