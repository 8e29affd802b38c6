"""Character cards: Character Card V2 / V3 in and out (JSON, or a PNG with the card inside).

Reading: `app.lore.formats.load` parses the file (guarded against hostile input) into a
`LoreBook` holding the card; `card_records` turns it into one `Character` record and its
lorebook entries (level "character"), validated, ready for the import plan — so a card is
written like every other import: in one transaction, all or nothing, with the library's
conflict policy. A PNG card's picture becomes the avatar (a `data:` URL, without the card
chunks); a V3 card's embedded icon asset too.

Writing: `card_json` builds the card from a character and its entries. What Lorekeeper
does not model (the creator, the version, V3's assets and nickname, V1 fields at the top
level, the lorebook's own settings, unknown fields) was kept at import under
`extensions.lorekeeper.card` and is written back, so import → export gives the same card.
`card_png` embeds it in the avatar (`chara` for V2 readers, and `ccv3` for a V3 card), or
in a generated portrait when there is no avatar.
"""

from __future__ import annotations

import base64
import binascii
import copy
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Literal

from app.lore import formats

from ._default_avatar import default_avatar
from ._entity import validate_model
from ._errors import FieldError, InvalidDataError
from ._ids import format_utc, new_id, utc_now
from ._imported_entry import imported_entries
from .characters import Character
from .lorebook import LorebookEntry

__all__ = [
    "CARD_SPECS",
    "CardRecords",
    "CardSpec",
    "avatar_png",
    "card_file_name",
    "card_json",
    "card_png",
    "card_records",
    "data_url",
    "parse_data_url",
]

CardSpec = Literal["ccv2", "ccv3"]
CARD_SPECS: tuple[CardSpec, ...] = ("ccv2", "ccv3")
SPEC_LABELS: dict[str, str] = {"ccv2": "Character Card V2", "ccv3": "Character Card V3"}

#: card `data` field -> Character field
_FIELDS: tuple[tuple[str, str], ...] = (
    ("name", "name"),
    ("description", "description"),
    ("personality", "personality"),
    ("scenario", "scenario"),
    ("first_mes", "first_message"),
    ("mes_example", "example_messages"),
    ("system_prompt", "system_prompt"),
    ("post_history_instructions", "post_history_instructions"),
    ("creator_notes", "creator_notes"),
    ("alternate_greetings", "alternate_greetings"),
    ("tags", "tags"),
)
#: V1 fields some V2 writers (SillyTavern) repeat at the top level -> Character field
_TOP_FIELDS: tuple[tuple[str, str], ...] = (
    ("name", "name"),
    ("description", "description"),
    ("personality", "personality"),
    ("scenario", "scenario"),
    ("first_mes", "first_message"),
    ("mes_example", "example_messages"),
    ("creatorcomment", "creator_notes"),
    ("tags", "tags"),
)
_BOOK_FIELDS = ("name", "description", "scan_depth", "token_budget", "recursive_scanning")
#: Where our own bookkeeping lives inside a card's (and a character's) `extensions`.
OURS = "lorekeeper"
_DATA_URL = re.compile(r"^data:([\w.+-]+/[\w.+-]+)?((?:;[\w.+-]+=[^;,]*)*)(;base64)?,", re.A)


# -- data URLs ---------------------------------------------------------------------------------
def data_url(data: bytes, mime: str = "image/png") -> str:
    """`data:<mime>;base64,...` for `data`."""
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def parse_data_url(url: str) -> tuple[str, bytes] | None:
    """(mime type, bytes) of a base64 `data:` URL; None for anything else."""
    m = _DATA_URL.match(url)
    if m is None or not m.group(3):
        return None
    try:
        return (m.group(1) or "text/plain"), base64.b64decode(url[m.end() :], validate=True)
    except (binascii.Error, ValueError):
        return None


def avatar_png(avatar: str | None) -> bytes | None:
    """The avatar's bytes when it is a PNG `data:` URL (a card can be embedded in it)."""
    if not avatar:
        return None
    parsed = parse_data_url(avatar)
    if parsed is None or not formats.is_png(parsed[1]):
        return None
    return parsed[1]


# -- reading -------------------------------------------------------------------------------------
@dataclass
class CardRecords:
    """A card as records: the character and its lorebook entries (validated), plus what
    the person importing it should know."""

    spec: CardSpec
    character: dict[str, Any]
    entries: list[dict[str, Any]]
    warnings: list[str] = field(default_factory=list)


def _icon_asset(data: Mapping[str, Any], warnings: list[str]) -> str | None:
    """A V3 card's main icon as a `data:` URL, when it is embedded in the file."""
    assets = data.get("assets")
    if not isinstance(assets, list):
        return None
    for asset in assets:
        if not isinstance(asset, Mapping) or asset.get("type") != "icon":
            continue
        uri = asset.get("uri")
        if not isinstance(uri, str) or uri == "ccdefault:":
            continue
        parsed = parse_data_url(uri)
        if parsed is not None and parsed[0].startswith("image/"):
            return uri
        warnings.append(
            f"The card's picture is not inside the file ({uri[:60]}); "
            "Lorekeeper never fetches from other sites, so the character has no avatar yet."
        )
        return None
    return None


def _text(data: Mapping[str, Any], key: str) -> Any:
    value = data.get(key)
    return "" if value is None else value


def card_records(
    book: formats.LoreBook,
    *,
    image: bytes | None = None,
    now: datetime | None = None,
) -> CardRecords:
    """The character and entries of a card `formats.load` read (`image`: the PNG it came
    in). Raises `InvalidDataError` naming each bad field (`data.name: ...`)."""
    if book.card is None or book.format not in CARD_SPECS:
        raise InvalidDataError([FieldError("", "not a character card")])
    spec: CardSpec = "ccv3" if book.format == "ccv3" else "ccv2"
    card = copy.deepcopy(book.card)
    raw_data = card.get("data")
    data: dict[str, Any] = raw_data if isinstance(raw_data, dict) else {}
    raw_extensions = data.get("extensions")
    extensions: dict[str, Any] = raw_extensions if isinstance(raw_extensions, dict) else {}
    raw_ours = extensions.pop(OURS, None)
    ours: dict[str, Any] = raw_ours if isinstance(raw_ours, dict) else {}
    warnings: list[str] = []

    fields: dict[str, Any] = {mine: _text(data, theirs) for theirs, mine in _FIELDS}
    character_id = ours.get("id") if isinstance(ours.get("id"), str) and ours["id"] else new_id()
    avatar = None
    if image is not None:
        avatar = data_url(formats.write_text_chunks(image, {"chara": None, "ccv3": None}))
    else:
        avatar = _icon_asset(data, warnings)
    # What the character model does not hold, written back on export.
    kept_data = {k: v for k, v in data.items() if k not in {t for t, _ in _FIELDS}}
    kept_data.pop("extensions", None)
    kept_top = {k: v for k, v in card.items() if k not in ("data", "spec", "spec_version")}
    book_meta: dict[str, Any] | None = None
    if book.extra.get("present") or book.entries or book.extra.get("fields"):
        book_meta = {name: getattr(book, name) for name in _BOOK_FIELDS}
        book_meta["extensions"] = copy.deepcopy(book.extensions)
        book_meta["extra"] = copy.deepcopy(book.extra)
    extensions[OURS] = {
        "card": {
            "spec": spec,
            "spec_version": card.get("spec_version"),
            "data": kept_data,
            "top": kept_top,
            "book": book_meta,
        }
    }
    try:
        character = validate_model(
            Character, {**fields, "id": character_id, "avatar": avatar, "extensions": extensions}
        ).model_dump(mode="json")
    except InvalidDataError as exc:
        raise InvalidDataError(
            [FieldError(f"data.{_card_field(e.path)}", _say(e)) for e in exc.errors]
        ) from None

    base = now or utc_now()
    entries = imported_entries(
        book.entries, "data.character_book.entries", level="character", scope_id=character["id"]
    )
    for index, entry in enumerate(entries):
        stamp = format_utc(base + timedelta(microseconds=index))  # the book's order, kept
        entry["created_at"] = entry["updated_at"] = stamp
    return CardRecords(spec, character, entries, warnings)


def _card_field(path: str) -> str:
    for theirs, mine in _FIELDS:
        if path == mine or path.startswith(mine + "["):
            return theirs + path[len(mine) :]
    return path


def _say(error: FieldError) -> str:
    if error.path == "name":
        return "a character card needs a name"
    return error.message


# -- writing -------------------------------------------------------------------------------------
def _kept(character: Character) -> dict[str, Any]:
    ours = character.extensions.get(OURS)
    card = ours.get("card") if isinstance(ours, dict) else None
    return card if isinstance(card, dict) else {}


def _export_order(entry: LorebookEntry) -> tuple[object, ...]:
    return entry.created_at, entry.id


def _book(
    entries: Sequence[LorebookEntry], kept: Mapping[str, Any]
) -> tuple[formats.LoreBook, bool]:
    """The card's lorebook: its entries in the order they were imported or created, and
    the book's own fields as the imported card had them."""
    meta = kept.get("book") if isinstance(kept.get("book"), dict) else None
    book = formats.LoreBook(format="ccv3")
    if meta is not None:
        for name in _BOOK_FIELDS:
            if name in meta:
                setattr(book, name, meta[name])
        book.extensions = copy.deepcopy(meta.get("extensions") or {})
        book.extra = copy.deepcopy(meta.get("extra") or {})
    ordered: list[Any] = sorted(entries, key=_export_order)  # domain entries: what formats read
    book.entries = ordered
    return book, meta is not None


def card_json(
    character: Character, entries: Sequence[LorebookEntry], spec: CardSpec
) -> dict[str, Any]:
    """The card of `character` with its lorebook `entries`, as Character Card V2 or V3."""
    if spec not in CARD_SPECS:
        raise ValueError(f"unknown card spec {spec!r}; use ccv2 or ccv3")
    kept = _kept(character)
    data: dict[str, Any] = copy.deepcopy(kept.get("data") or {})
    for theirs, mine in _FIELDS:
        data[theirs] = copy.deepcopy(getattr(character, mine))
    extensions = copy.deepcopy(character.extensions)
    extensions[OURS] = {"id": character.id}
    data["extensions"] = extensions
    card: dict[str, Any] = copy.deepcopy(kept.get("top") or {})
    for theirs, mine in _TOP_FIELDS:
        if theirs in card:
            card[theirs] = copy.deepcopy(getattr(character, mine))
    card["data"] = data
    book, had_book = _book(entries, kept)
    book.card = card
    out = formats.dump_dict(book, spec)
    if had_book and "character_book" not in out["data"]:  # an empty book stays a book
        out["data"]["character_book"] = formats.dump_dict(book, "lorebook_v3")["data"]
    return out


def card_png(
    character: Character,
    entries: Sequence[LorebookEntry],
    spec: CardSpec,
    *,
    image: bytes | None = None,
) -> bytes:
    """The card embedded in a PNG: `image` if given, else the avatar when it is a PNG,
    else a generated portrait. V2 writes a `chara` chunk; V3 a `ccv3` chunk plus a V2
    `chara` chunk for older readers."""
    picture = image or avatar_png(character.avatar) or default_avatar(character.name)
    card = card_json(character, entries, spec)
    v2 = card_json(character, entries, "ccv2") if spec == "ccv3" else card
    texts: dict[str, str | None] = {
        "chara": formats.card_chunk(v2),
        # A V2 export drops a V3 chunk the picture may carry (it would contradict it).
        "ccv3": formats.card_chunk(card) if spec == "ccv3" else None,
    }
    return formats.write_text_chunks(picture, texts)


_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]+')


def card_file_name(name: str, spec: CardSpec, *, png: bool) -> str:
    """`Aria.card-v3.png`: the character's name made safe for every file system."""
    safe = _UNSAFE.sub("_", name).strip(" .") or "character"
    version = "v3" if spec == "ccv3" else "v2"
    return f"{safe[:80]}.card-{version}.{'png' if png else 'json'}"
