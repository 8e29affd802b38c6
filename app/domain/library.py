"""The library's import pipeline: every file kind the app takes, read, described, planned
and written with progress and cancel — or refused, writing nothing.

    importer = Importer(domain)
    incoming = await importer.describe(data, "world.json")   # reads; writes nothing
    incoming.summary()      # ["12 lorebook entries"], incoming.warnings, incoming.existing
    report = await importer.run(incoming, ImportChoice(scope=LoreScope("story", story_id)),
                                progress=lambda done, total: ..., cancel=token)

`read_file` recognises, from the bytes (and the file name for PNGs):
- Lorekeeper's own exports (`format: "lorekeeper"`): a full backup, one story with its
  chapters and lore, one series, one chat, a folder of chats, the global lorebook;
- Character Card V2/V3, as JSON or as a PNG with `chara`/`ccv3` chunks: one character and
  its lorebook, which becomes the character's entries;
- lorebooks: SillyTavern world info, `lorebook_v3`, a bare `character_book`, NovelAI (JSON
  or PNG) and Agnai memory books; their entries go to the scope the person picks
  (global unless chosen), as does a Lorekeeper global-lorebook file.

Parsing is `app.lore.formats` (hostile input: size, nesting, PNG limits) and
`app.domain.parse_file`; every record is validated before anything is written, and a bad
file raises `InvalidDataError` whose errors name the record (`entries[3].keys: ...`).
Writing is `Transfer.import_file`: one transaction, the conflict policy for ids that
already exist (skip, overwrite, copy), progress between chunks, and a cancel that
aborts the transaction so nothing is written.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from app._gc import gc_paused
from app.lore import formats

from ._db_errors import translate_db_errors
from ._domain import Domain
from ._errors import DomainError, FieldError, InvalidDataError
from ._formats import ConflictPolicy, ImportOptions, ImportReport
from ._import_plan import existing_keys
from ._imported_entry import imported_pairs
from ._parse import Item, ParsedFile, parse_file
from ._registry import Registry
from .cards import SPEC_LABELS, card_records
from .lorebook import LorebookLevel

__all__ = [
    "GLOBAL",
    "MAX_FILE_BYTES",
    "CancelToken",
    "FileKind",
    "ImportCancelled",
    "ImportChoice",
    "Importer",
    "Incoming",
    "LoreScope",
    "Progress",
    "plural",
    "read_file",
]

#: The largest file the library reads (a full backup with avatars can be large).
MAX_FILE_BYTES = 512 * 1024 * 1024

FileKind = Literal[
    "backup", "story", "series", "chat", "folder", "global-lorebook", "card", "lorebook"
]
Progress = Callable[[int, int], None]
"""`progress(done, total)`: records written so far, out of the total."""

_KIND_OF_TYPE: dict[str, FileKind] = {
    "full": "backup",
    "story": "story",
    "series": "series",
    "chat": "chat",
    "folder": "folder",
    "global-lorebook": "global-lorebook",
}
_TYPE_LABELS = {
    "full": "Lorekeeper full backup",
    "story": "Lorekeeper story",
    "series": "Lorekeeper series",
    "chat": "Lorekeeper chat",
    "folder": "Lorekeeper folder of chats",
    "global-lorebook": "Lorekeeper global lorebook",
}
_BOOK_LABELS = {
    "st": "SillyTavern world info",
    "lorebook_v3": "Lorebook V3",
    "ccv2": "Character Card V2 lorebook",
    "ccv3": "Character Card V3 lorebook",
    "novelai": "NovelAI lorebook",
    "agnai": "Agnai memory book",
}
_ENVELOPE_KEYS = frozenset({"format", "type", "version", "exported_at"})
#: Our own exports put the envelope first: such a file may be larger than other formats.
_LOREKEEPER_HEAD = re.compile(rb'^(?:\xef\xbb\xbf)?\s*\{\s*"format"\s*:\s*"lorekeeper"')


class ImportCancelled(DomainError):
    """The person cancelled the import; nothing was written."""

    def __init__(self) -> None:
        super().__init__("Import cancelled: nothing was written.")


class CancelToken:
    """Set by the UI (the "Cancel" button), checked by the import between chunks."""

    def __init__(self) -> None:
        self._cancelled = False

    @property
    def cancelled(self) -> bool:
        return self._cancelled

    def cancel(self) -> None:
        self._cancelled = True

    def check(self) -> None:
        """Raise `ImportCancelled` once cancelled."""
        if self._cancelled:
            raise ImportCancelled()


@dataclass(frozen=True)
class LoreScope:
    """Where a lorebook's entries go: a level and, except for global, the scope's id."""

    level: LorebookLevel = "global"
    scope_id: str | None = None


GLOBAL = LoreScope()


@dataclass(frozen=True)
class ImportChoice:
    """What the person chose: the scope of a lorebook's entries (global unless chosen)
    and what to do with ids that already exist."""

    scope: LoreScope = GLOBAL
    on_conflict: ConflictPolicy = "skip"


def plural(label: str, count: int) -> str:
    """ "1 character", "3 stories", "2 series", "10,000 lorebook entries"."""
    if count == 1 or label.endswith("series"):
        return f"{count:,} {label}"
    if label.endswith("y") and label[-2:-1] not in "aeiou":
        return f"{count:,} {label[:-1]}ies"
    return f"{count:,} {label}s"


@dataclass
class Incoming:
    """A file read and validated, nothing written: what it holds and how to import it.

    `scoped`: its entries go to the scope the person picks. `existing`: per table, how
    many of its ids are already in the library (filled by `Importer.describe`)."""

    filename: str
    kind: FileKind
    format: str
    title: str
    parsed: ParsedFile
    warnings: list[str] = field(default_factory=list)
    scoped: bool = False
    existing: dict[str, int] = field(default_factory=dict)

    @property
    def items(self) -> list[Item]:
        return self.parsed.items

    def counts(self) -> dict[str, int]:
        """Table -> how many records of it the file holds (tables in import order)."""
        out: dict[str, int] = {}
        for item in self.items:
            out[item.table] = out.get(item.table, 0) + 1
        return out

    def summary(self, registry: Registry | None = None) -> list[str]:
        """ "1 character", "12 lorebook entries": what the file holds, per kind."""
        registry = registry or _registry()
        return [
            plural(registry.for_table(table).label, count) for table, count in self.counts().items()
        ]

    @property
    def total(self) -> int:
        return len(self.items)


def _registry() -> Registry:
    from ._features import default_registry

    return default_registry()


# -- reading ------------------------------------------------------------------------------------
def _format_error(error: formats.FormatError) -> InvalidDataError:
    """A format error as a field error: `$.entries[3].keys: ...` -> path `entries[3].keys`."""
    text = str(error)
    if not text.startswith("$"):
        return InvalidDataError([FieldError("", text)])
    path, _, message = text.partition(": ")
    return InvalidDataError([FieldError(path.removeprefix("$").removeprefix("."), message)])


def _load_book(obj: Any) -> formats.LoreBook:
    try:
        return formats.load_json(obj)
    except formats.FormatError:
        raise
    except RecursionError:
        raise formats.FormatError("file is nested too deeply") from None
    except (TypeError, ValueError, KeyError, AttributeError) as exc:
        raise formats.FormatError(f"malformed file: {exc}") from None


def _stem(filename: str) -> str:
    name = filename.rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[0] if "." in name else name


def _entry_items(book: formats.LoreBook, prefix: str) -> list[Item]:
    """The book's entries as global lorebook records (validated; `run` moves them)."""
    path = f"{prefix}entries"
    pairs = imported_pairs(book.entries, path, level="global", scope_id=None)
    return [
        Item(f"{path}[{index}]", "lorebook_entries", record, entity=entity)
        for index, (record, entity) in enumerate(pairs)
    ]


def _book_warnings(book: formats.LoreBook, entries: list[dict[str, Any]]) -> list[str]:
    warnings: list[str] = []
    silent = [e for e in entries if e["enabled"] and not e["constant"] and not e["keys"]]
    if silent:
        warnings.append(
            f"{plural('entry', len(silent))} {'has' if len(silent) == 1 else 'have'} no keys "
            "and {} not constant, so {} never activate (first: {}).".format(
                "is" if len(silent) == 1 else "are",
                "it will" if len(silent) == 1 else "they will",
                silent[0]["name"] or "untitled",
            )
        )
    disabled = sum(1 for e in entries if not e["enabled"])
    if disabled:
        warnings.append(f"{plural('entry', disabled)} will be imported switched off (disabled).")
    settings = []
    if book.scan_depth is not None:
        settings.append(f"scan depth {book.scan_depth}")
    if book.token_budget is not None:
        settings.append(f"token budget {book.token_budget}")
    if book.recursive_scanning is not None:
        settings.append(f"recursive scanning {'on' if book.recursive_scanning else 'off'}")
    if settings:
        warnings.append(
            f"The book's own settings ({', '.join(settings)}) are kept with it but not "
            "applied: Lorekeeper matches with the settings of the chat or story."
        )
    return warnings


def _from_book(book: formats.LoreBook, filename: str, data: bytes) -> Incoming:
    png = formats.is_png(data)
    if book.card is not None and book.format in ("ccv2", "ccv3"):
        records = card_records(book, image=data if png else None)
        items = [Item("data", "characters", records.character)]
        items += [
            Item(f"data.character_book.entries[{i}]", "lorebook_entries", entry)
            for i, entry in enumerate(records.entries)
        ]
        label = SPEC_LABELS[book.format] + (" (PNG)" if png else "")
        warnings = records.warnings + _book_warnings(book, records.entries)
        return Incoming(
            filename,
            "card",
            label,
            records.character["name"],
            ParsedFile("full", 1, items),
            warnings,
        )
    prefix = "data." if book.format == "lorebook_v3" else ""
    items = _entry_items(book, prefix)
    label = _BOOK_LABELS.get(book.format, book.format) + (" (PNG)" if png else "")
    if not items:
        raise InvalidDataError([FieldError("entries", "the lorebook has no entries")])
    return Incoming(
        filename,
        "lorebook",
        label,
        book.name or _stem(filename),
        ParsedFile("full", 1, items),
        _book_warnings(book, [i.record for i in items]),
        scoped=True,
    )


def _title(parsed: ParsedFile, filename: str) -> str:
    first = {"story": "stories", "series": "series", "chat": "chats", "folder": "folders"}
    table = first.get(parsed.type)
    if table is not None:
        for item in parsed.items:
            if item.table == table and not item.reference_only:
                record = item.record
                return str(record.get("title") or record.get("name") or _stem(filename))
    return _stem(filename)


def _from_lorekeeper(obj: Mapping[str, Any], filename: str, registry: Registry) -> Incoming:
    parsed = parse_file(obj, registry)
    warnings: list[str] = []
    if parsed.type == "full":
        unknown = sorted(k for k in obj if k not in _ENVELOPE_KEYS and not registry.has_table(k))
        if unknown:
            warnings.append(
                f"Left out: {', '.join(unknown)} (made by another version of Lorekeeper; "
                "this one does not know them)."
            )
    if any(item.table == "api_keys" for item in parsed.items):
        warnings.append("This backup holds API keys; they stay on this device once imported.")
    if parsed.type == "global-lorebook" and not parsed.items:
        raise InvalidDataError([FieldError("lorebook_entries", "the lorebook has no entries")])
    return Incoming(
        filename,
        _KIND_OF_TYPE[parsed.type],
        _TYPE_LABELS[parsed.type],
        _title(parsed, filename),
        parsed,
        warnings,
        scoped=parsed.type == "global-lorebook",
    )


def read_file(data: bytes, filename: str = "", registry: Registry | None = None) -> Incoming:
    """Read and validate a file of any kind the library takes; nothing is written.

    Raises `InvalidDataError` naming what is wrong (and where, for a bad record)."""
    registry = registry or _registry()
    data = bytes(data)
    if not data.strip():
        raise InvalidDataError([FieldError("", "the file is empty")])
    if len(data) > MAX_FILE_BYTES:
        raise InvalidDataError(
            [
                FieldError(
                    "",
                    f"the file is too large ({len(data) // 2**20} MB; the limit is "
                    f"{MAX_FILE_BYTES // 2**20} MB)",
                )
            ]
        )
    try:
        if formats.is_png(data) or filename.lower().endswith((".png", ".apng")):
            return _from_book(formats.load(data, filename), filename, data)
        lorekeeper = _LOREKEEPER_HEAD.match(data[:256]) is not None
        obj = formats.parse_json(
            data, max_bytes=MAX_FILE_BYTES if lorekeeper else formats.MAX_JSON_BYTES
        )
        if isinstance(obj, Mapping) and obj.get("format") == "lorekeeper":
            return _from_lorekeeper(obj, filename, registry)
        return _from_book(_load_book(obj), filename, data)
    except formats.FormatError as exc:
        raise _format_error(exc) from None


# -- importing ----------------------------------------------------------------------------------
def _retarget(parsed: ParsedFile, scope: LoreScope) -> ParsedFile:
    if scope.level == "global" and scope.scope_id is not None:
        raise InvalidDataError([FieldError("scope", "the global lorebook has no scope id")])
    if scope.level != "global" and not scope.scope_id:
        raise InvalidDataError([FieldError("scope", f"choose which {scope.level} to import into")])
    moved = {"level": scope.level, "scope_id": scope.scope_id}
    items = [
        replace(
            item,
            record={**item.record, **moved},
            entity=None if item.entity is None else item.entity.model_copy(update=moved),
        )
        if item.table == "lorebook_entries"
        and (item.record["level"] != scope.level or item.record["scope_id"] != scope.scope_id)
        else item
        for item in parsed.items
    ]
    return replace(parsed, items=items)


class Importer:
    """Describe and import files into one library (a `Domain`)."""

    def __init__(self, domain: Domain) -> None:
        self.domain = domain
        self.store = domain.store
        self.registry = domain.registry

    def read(self, data: bytes, filename: str = "") -> Incoming:
        return read_file(data, filename, self.registry)

    async def existing(self, incoming: Incoming) -> dict[str, int]:
        """Per table, how many of the file's ids are already in the library."""
        by_table: dict[str, list[str]] = {}
        for item in incoming.items:
            if item.reference_only:
                continue
            key = self.registry.for_table(item.table).key
            by_table.setdefault(item.table, []).append(item.record[key])
        out: dict[str, int] = {}
        tables = [t for t in by_table if self.store.has_table(t)]
        if not tables:
            return out
        async with translate_db_errors(), self.store.transaction("r", *tables):
            for table in tables:
                there = await existing_keys(self.store, table, by_table[table])
                count = sum(1 for key in by_table[table] if key in there)
                if count:
                    out[table] = count
        return out

    async def _require_scope(self, scope: LoreScope) -> None:
        """One clear error when the chosen scope is gone (deleted in another tab, say),
        rather than one per entry."""
        if scope.level == "global" or scope.scope_id is None:
            return
        table = self.registry.entity(scope.level).table
        async with translate_db_errors():
            found = await self.store.table(table).get(scope.scope_id)
        if found is None:
            label = self.registry.entity(scope.level).label
            raise InvalidDataError(
                [FieldError("scope", f"the {label} to import into no longer exists")]
            )

    async def describe(self, data: bytes, filename: str = "") -> Incoming:
        """Read the file and count the ids it shares with the library; writes nothing."""
        with gc_paused():
            incoming = self.read(data, filename)
            incoming.existing = await self.existing(incoming)
        return incoming

    async def run(
        self,
        incoming: Incoming,
        choice: ImportChoice | None = None,
        *,
        progress: Progress | None = None,
        cancel: CancelToken | None = None,
    ) -> ImportReport:
        """Write the file in one transaction: all of it, or — when a reference cannot be
        resolved, storage fails or `cancel` is set — nothing."""
        choice = choice or ImportChoice()
        parsed = incoming.parsed
        if incoming.scoped:
            parsed = _retarget(parsed, choice.scope)
            await self._require_scope(choice.scope)
        if cancel is not None:
            cancel.check()

        def on_write(done: int, total: int) -> None:
            if progress is not None:
                progress(done, total)
            if cancel is not None:
                cancel.check()

        with gc_paused():
            return await self.domain.transfer.import_file(
                parsed, ImportOptions(on_conflict=choice.on_conflict), on_write=on_write
            )
