"""Character Card V2 / V3 objects (JSON or the payload of a PNG text chunk)."""

from __future__ import annotations

import base64
import binascii
import copy
import json
from typing import Any

from ._book import LoreBook
from ._cardbook import book_from_json, book_to_json
from ._errors import FormatError
from ._fields import Reader
from ._json import parse_json

__all__ = ["card_from_json", "card_to_json", "decode_chunk"]

V2_DATA_DEFAULTS: dict[str, Any] = {
    "name": "",
    "description": "",
    "personality": "",
    "scenario": "",
    "first_mes": "",
    "mes_example": "",
    "creator_notes": "",
    "system_prompt": "",
    "post_history_instructions": "",
    "alternate_greetings": [],
    "tags": [],
    "creator": "",
    "character_version": "",
    "extensions": {},
}
V3_DATA_DEFAULTS: dict[str, Any] = {**V2_DATA_DEFAULTS, "group_only_greetings": []}
_STRING_FIELDS = (
    "name",
    "description",
    "personality",
    "scenario",
    "first_mes",
    "mes_example",
    "creator_notes",
    "system_prompt",
    "post_history_instructions",
)


def decode_chunk(text: str, keyword: str) -> Any:
    """The JSON object inside a `chara` / `ccv3` PNG chunk (base64 of UTF-8 JSON)."""
    try:
        raw = base64.b64decode("".join(text.split()), validate=True)
    except (binascii.Error, ValueError):
        raise FormatError(f"PNG {keyword!r} chunk is not valid base64") from None
    return parse_json(raw)


def card_from_json(obj: dict[str, Any], fmt: str) -> LoreBook:
    r = Reader(obj, "$")
    data = r.dict_("data")
    dr = Reader(data, "$.data")
    for name in _STRING_FIELDS:
        dr.str_(name)
    for name in ("alternate_greetings", "tags", "group_only_greetings"):
        dr.list_str(name)
    dr.dict_("extensions")
    raw_book = data.get("character_book")
    if raw_book is not None:
        book = book_from_json(raw_book, "$.data.character_book", fmt)
    else:
        book = LoreBook(name=dr.str_("name"), format=fmt)
    card = copy.deepcopy(obj)
    card["data"].pop("character_book", None)
    book.card = card
    book.format = fmt
    if not book.name and raw_book is None:
        book.name = dr.str_("name")
    return book


def card_to_json(book: LoreBook, fmt: str) -> dict[str, Any]:
    card: dict[str, Any] = copy.deepcopy(book.card) if book.card is not None else {}
    found = card.get("data")
    data: dict[str, Any] = found if isinstance(found, dict) else {}
    defaults = V3_DATA_DEFAULTS if fmt == "ccv3" else V2_DATA_DEFAULTS
    for name, default in defaults.items():
        data.setdefault(name, copy.deepcopy(default))
    if not data["name"]:
        data["name"] = book.name
    if book.entries or book.card is None or "character_book" in (book.extra.get("present") or ()):
        data["character_book"] = book_to_json(book, fmt)
    elif book.extra.get("fields") or book.entries:
        data["character_book"] = book_to_json(book, fmt)
    card["data"] = data
    card["spec"] = "chara_card_v3" if fmt == "ccv3" else "chara_card_v2"
    card["spec_version"] = "3.0" if fmt == "ccv3" else "2.0"
    return card


def card_chunk(card: dict[str, Any]) -> str:
    """Base64 payload for a PNG text chunk."""
    raw = json.dumps(card, ensure_ascii=False).encode("utf-8")
    return base64.b64encode(raw).decode("ascii")
