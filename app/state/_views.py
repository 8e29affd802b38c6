"""Read-only views of the app state, and the stores derived from it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from app.reactive import Readable, derived, readonly

from ._records import field_of, id_of
from ._stores import Stores

__all__ = ["Views"]


def _same_list(old: Any, new: Any) -> bool:
    return isinstance(old, list) and isinstance(new, list) and old == new


def _first(items: Iterable[Any], predicate: Any) -> Any:
    return next((item for item in items if predicate(item)), None)


def _merged(groups: Iterable[Iterable[Any]]) -> list[Any]:
    """Enabled entries of every group, first occurrence of each id wins."""
    seen: set[Any] = set()
    out: list[Any] = []
    for group in groups:
        for entry in group:
            key = id_of(entry)
            if key in seen or not field_of(entry, "enabled", True):
                continue
            seen.add(key)
            out.append(entry)
    return out


class Views:
    """What the UI reads: a readonly view of every store, plus derived stores.

    Every writable store ``name`` of ``Stores`` appears here as a readonly
    attribute ``name``. Derived:

    - ``active_character_id``, ``active_chat_id``: ids or None;
    - ``active_module_ids``: enabled modules attached to the active character or chat;
    - ``all_lorebooks``: enabled entries the active chat sees (global, character,
      chat, active modules), without duplicates;
    - ``all_scripts``: enabled scripts in effect (global, character, active modules),
      ordered by their ``order`` field;
    - ``active_persona``: the chat's persona if it names one, else the settings' one;
    - ``active_preset``: the preset marked active.
    """

    def __init__(self, stores: Stores) -> None:
        for name in stores.names():
            setattr(self, name, readonly(stores[name]))
        s = stores
        self.active_character_id: Readable[str | None] = derived(s["active_character"], id_of)
        self.active_chat_id: Readable[str | None] = derived(s["active_chat"], id_of)
        self.active_module_ids: Readable[list[str]] = derived(
            [s["character_modules"], s["chat_modules"]],
            lambda groups: list(
                dict.fromkeys(
                    id_of(m) for group in groups for m in group if field_of(m, "enabled", True)
                )
            ),
            equals=_same_list,
        )

        def lorebooks(values: list[Any]) -> list[Any]:
            module_ids, global_, character, chat, modules, chat_modules = values
            active = set(module_ids)
            from_modules = [
                e for e in [*modules, *chat_modules] if field_of(e, "scope_id") in active
            ]
            return _merged([global_, character, chat, from_modules])

        self.all_lorebooks: Readable[list[Any]] = derived(
            [
                self.active_module_ids,
                s["global_lorebook"],
                s["character_lorebooks"],
                s["chat_lorebooks"],
                s["module_lorebooks"],
                s["chat_module_lorebooks"],
            ],
            lorebooks,
            equals=_same_list,
        )

        def scripts(values: list[Any]) -> list[Any]:
            module_ids, global_, character, modules, chat_modules = values
            active = set(module_ids)
            from_modules = [
                e for e in [*modules, *chat_modules] if field_of(e, "scope_id") in active
            ]
            merged = _merged([global_, character, from_modules])
            return sorted(merged, key=lambda e: field_of(e, "order", 0) or 0)

        self.all_scripts: Readable[list[Any]] = derived(
            [
                self.active_module_ids,
                s["global_scripts"],
                s["character_scripts"],
                s["module_scripts"],
                s["chat_module_scripts"],
            ],
            scripts,
            equals=_same_list,
        )

        def persona(values: list[Any]) -> Any:
            settings, chat, personas = values
            wanted = field_of(chat, "persona_id") or field_of(settings, "active_persona_id")
            return None if wanted is None else _first(personas, lambda p: id_of(p) == wanted)

        self.active_persona: Readable[Any] = derived(
            [s["settings"], s["active_chat"], s["personas"]], persona
        )
        self.active_preset: Readable[Any] = derived(
            s["presets"], lambda presets: _first(presets, lambda p: field_of(p, "is_active"))
        )

    def __getattr__(self, name: str) -> Readable[Any]:  # for type checkers: dynamic views
        raise AttributeError(name)
