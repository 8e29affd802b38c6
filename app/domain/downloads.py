"""Exports as files to download: the bytes, a file name and a media type.

    exports = Exports(domain)
    file = await exports.everything()             # lorekeeper-backup-2026-12-06.json
    file = await exports.lorebook(LoreScope("story", story_id), "st")
    file = await exports.card(character_id, "ccv3", png=True)   # Wren Ashdown.card-v3.png

Lorekeeper's own files are named `lorekeeper-<what>[-<name>]-<date>.json`. The records
come from the tables, where deleted records no longer are (sync keeps their tombstones
in its own table, which is never exported); API keys only with `include_api_keys=True`.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Literal

from app.lore import formats

from ._domain import Domain
from ._errors import NotFoundError
from .cards import CardSpec, card_file_name, card_json, card_png
from .library import GLOBAL, LoreScope

__all__ = [
    "LOREBOOK_FORMATS",
    "Download",
    "Exports",
    "LorebookFormat",
    "export_name",
]

LorebookFormat = Literal["lorekeeper", "st", "lorebook_v3"]
#: The formats a lorebook exports to, and how the screen names them.
LOREBOOK_FORMATS: dict[str, str] = {
    "lorekeeper": "Lorekeeper",
    "st": "SillyTavern world info",
    "lorebook_v3": "Lorebook V3 (character card book)",
}
JSON = "application/json"
_SLUG = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class Download:
    """A file for the browser to save."""

    filename: str
    mime: str
    data: bytes


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _SLUG.sub("-", ascii_text.lower()).strip("-")[:48].strip("-")


def export_name(what: str, name: str = "", *, date: str, suffix: str = "") -> str:
    """`lorekeeper-story-salt-and-signal-2026-12-06.json`."""
    parts = ["lorekeeper", what, _slug(name), date, suffix]
    return "-".join(p for p in parts if p) + ".json"


def _json(obj: Any) -> bytes:
    return json.dumps(obj, ensure_ascii=False).encode("utf-8")


class Exports:
    """Every export of one library (a `Domain`), as `Download`s."""

    def __init__(self, domain: Domain) -> None:
        self.domain = domain
        self.transfer = domain.transfer

    def _date(self) -> str:
        return self.domain.store.clock().strftime("%Y-%m-%d")

    def _file(self, obj: Any, what: str, name: str = "", suffix: str = "") -> Download:
        return Download(export_name(what, name, date=self._date(), suffix=suffix), JSON, _json(obj))

    async def everything(self, *, include_api_keys: bool = False) -> Download:
        """A full backup; API keys only when asked for."""
        data = await self.transfer.export_full(include_secrets=include_api_keys)
        return self._file(data, "backup")

    async def story(self, story_id: str) -> Download:
        data = await self.transfer.export_story(story_id)
        return self._file(data, "story", data["story"]["title"])

    async def series(self, series_id: str) -> Download:
        data = await self.transfer.export_series(series_id)
        return self._file(data, "series", data["series"]["name"])

    async def chat(self, chat_id: str) -> Download:
        data = await self.transfer.export_chat(chat_id)
        name = data["chat"]["title"] or await self._chat_name(data["chat"])
        return self._file(data, "chat", name)

    async def _chat_name(self, chat: dict[str, Any]) -> str:
        character_id = chat.get("character_id")
        character = await self.domain.characters.get(character_id) if character_id else None
        return f"with {character.name}" if character is not None else ""

    async def scope_name(self, scope: LoreScope) -> str:
        """How a scope is named: "Global", a series' or character's name, a story's title."""
        if scope.level == "global" or scope.scope_id is None:
            return "Global"
        table = self.domain.registry.entity(scope.level).table
        record = await self.domain.store.table(table).get(scope.scope_id)
        if record is None:
            raise NotFoundError(scope.level, scope.scope_id)
        for name in ("name", "title"):
            value = record.get(name)
            if isinstance(value, str) and value:
                return value
        if scope.level == "chat":
            return await self._chat_name(record) or "Chat"
        return scope.level.capitalize()

    async def lorebook(
        self, scope: LoreScope = GLOBAL, format: LorebookFormat = "lorekeeper"
    ) -> Download:
        """One scope's lorebook: Lorekeeper's own file (the global lorebook), or a
        SillyTavern world info / `lorebook_v3` file for any scope (our ids and scopes
        ride along in each entry's `extensions.lorekeeper`)."""
        if format == "lorekeeper":
            if scope.level != "global":
                raise ValueError(
                    "a Lorekeeper lorebook file holds the global lorebook; export a "
                    "story, series or chat to keep its lorebook in Lorekeeper's format"
                )
            data = await self.transfer.export_global_lorebook()
            return self._file(data, "lorebook", "global")
        if format not in ("st", "lorebook_v3"):
            raise ValueError(f"unknown lorebook format {format!r}")
        name = await self.scope_name(scope)
        entries = await self.domain.lorebook.by_level(scope.level, scope.scope_id)
        book = formats.LoreBook(name=name if scope.level != "global" else "Global lorebook")
        found: list[Any] = list(entries)  # domain entries: what formats read
        book.entries = found
        suffix = "sillytavern" if format == "st" else "v3"
        what = f"lorebook-{scope.level}"
        return Download(
            export_name(
                what, name if scope.level != "global" else "", date=self._date(), suffix=suffix
            ),
            JSON,
            formats.dump(book, format),
        )

    async def card(
        self, character_id: str, spec: CardSpec, *, png: bool, image: bytes | None = None
    ) -> Download:
        """A character card (V2 or V3) as JSON, or embedded in a PNG: `image` if given
        (the UI converts a non-PNG avatar), else the avatar if it is a PNG, else a
        generated portrait."""
        character = await self.domain.characters.require(character_id)
        entries = await self.domain.lorebook.by_level("character", character_id)
        filename = card_file_name(character.name, spec, png=png)
        if png:
            return Download(filename, "image/png", card_png(character, entries, spec, image=image))
        return Download(filename, JSON, _json(card_json(character, entries, spec)))
