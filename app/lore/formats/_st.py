"""SillyTavern world info files: `{"entries": {"<uid>": {...}}, ...}`."""

from __future__ import annotations

import copy
from typing import Any

from .._entry import LoreEntry
from ._book import LoreBook
from ._errors import FormatError
from ._fields import MAX_ENTRIES, Reader
from ._mapping import (
    LOGIC_TO_ST,
    POSITION_TO_ST,
    bookkeeping,
    export_extensions,
    import_info,
    logic_from_st,
    new_entry,
    position_from_st,
    restore_scope,
)

__all__ = ["st_from_json", "st_to_json"]

_RECURSION = (
    ("exclude_recursion", "excludeRecursion"),
    ("prevent_recursion", "preventRecursion"),
    ("delay_until_recursion", "delayUntilRecursion"),
)
MODELLED = frozenset(
    {
        "uid",
        "key",
        "keysecondary",
        "comment",
        "content",
        "constant",
        "selective",
        "selectiveLogic",
        "order",
        "position",
        "disable",
        "probability",
        "useProbability",
        "depth",
        "scanDepth",
        "caseSensitive",
        "matchWholeWords",
        "extensions",
        *(name for pair in _RECURSION for name in pair),
    }
)


def _entry_from_st(obj: Any, path: str) -> LoreEntry:
    r = Reader(obj, path)
    kept: dict[str, Any] = {}
    for name in ("uid", "selective", "useProbability"):
        if r.has(name):
            kept[name] = obj[name]
    secondary = r.list_str("keysecondary")
    if r.bool_("selective", True) is False and secondary:
        kept["keysecondary"] = secondary
        secondary = []
    ext = copy.deepcopy(r.dict_("extensions"))
    logic_raw = obj.get("selectiveLogic", ext.get("selectiveLogic"))
    logic = "and_any" if logic_raw is None else logic_from_st(logic_raw, f"{path}.selectiveLogic")
    position = "before_char"
    if obj.get("position") is not None:
        position = position_from_st(obj["position"], f"{path}.position")
    probability = r.int_("probability", 100)
    if obj.get("useProbability") is False:
        probability = 100
        kept["probability"] = obj.get("probability")
    if not 0 <= probability <= 100:
        raise FormatError(f"{path}.probability: must be 0-100, got {probability}")
    flags: dict[str, bool] = {}
    for snake, camel in _RECURSION:
        value = r.flag(camel) if r.has(camel) else r.flag(snake)
        flags[snake] = bool(value) if isinstance(value, bool) else False
        for spelling in (camel, snake):
            if r.has(spelling):
                kept[spelling] = obj[spelling]
    depth = r.int_("depth", None)
    scan_depth = r.int_("scanDepth", None)
    if (depth is not None and depth < 0) or (scan_depth is not None and scan_depth < 0):
        raise FormatError(f"{path}: depth and scanDepth must not be negative")
    entry = new_entry(
        name=r.str_("comment"),
        content=r.str_("content"),
        keys=r.list_str("key"),
        secondary_keys=secondary,
        selective_logic=logic,
        enabled=not r.bool_("disable", False),
        constant=r.bool_("constant", False),
        case_sensitive=r.bool_("caseSensitive", None),
        match_whole_words=r.bool_("matchWholeWords", None),
        probability=probability,
        insertion_order=r.int_("order", 100),
        position=position,
        depth=depth,
        scan_depth=scan_depth,
        extensions=ext,
        **flags,
    )
    restore_scope(entry, path)
    info = bookkeeping(entry)
    info.update(
        {
            "format": "st",
            "fields": r.unknown(MODELLED),
            "present": sorted(k for k in obj if k in MODELLED),
            "kept": kept,
        }
    )
    return entry


def st_from_json(obj: dict[str, Any]) -> LoreBook:
    r = Reader(obj, "$")
    raw_entries = r.dict_("entries")
    if len(raw_entries) > MAX_ENTRIES:
        raise FormatError(f"$.entries: more than {MAX_ENTRIES} entries")
    entries = [_entry_from_st(e, f"$.entries[{k!r}]") for k, e in raw_entries.items()]
    unknown = r.unknown({"entries", "name", "description", "extensions"})
    return LoreBook(
        name=r.str_("name"),
        description=r.str_("description"),
        entries=entries,
        extensions=copy.deepcopy(r.dict_("extensions")),
        format="st",
        extra={
            "fields": unknown,
            "present": sorted(k for k in ("name", "description", "extensions") if k in obj),
        },
    )


def _entry_to_st(entry: LoreEntry, uid: Any) -> dict[str, Any]:
    fields, present, kept = import_info(entry)
    out: dict[str, Any] = dict(fields)
    secondary = list(entry.secondary_keys) or list(kept.get("keysecondary", []))
    selective = kept.get("selective", True) if not entry.secondary_keys else True
    use_probability = entry.probability != 100 or kept.get("useProbability", True)
    probability = entry.probability
    if entry.probability == 100 and kept.get("useProbability") is False and "probability" in kept:
        probability = kept["probability"]
    out.update(
        {
            "uid": uid,
            "key": list(entry.keys),
            "keysecondary": secondary,
            "comment": entry.name,
            "content": entry.content,
            "constant": entry.constant,
            "selective": selective,
            "selectiveLogic": LOGIC_TO_ST.get(entry.selective_logic, 0),
            "order": entry.insertion_order,
            "position": POSITION_TO_ST.get(entry.position, 1),
            "disable": not entry.enabled,
            "probability": probability,
            "useProbability": use_probability,
            "depth": entry.depth,
            "scanDepth": entry.scan_depth,
            "caseSensitive": entry.case_sensitive,
            "matchWholeWords": entry.match_whole_words,
        }
    )
    if entry.depth is None and "depth" not in present:
        out["depth"] = 4
    for snake, camel in _RECURSION:
        value = getattr(entry, snake)
        wrote = False
        for spelling in (camel, snake):
            if spelling in kept:
                original = kept[spelling]
                out[spelling] = original if bool(original) == value else value
                wrote = True
        if not wrote:
            out[camel] = value
    ext = export_extensions(entry)
    out["extensions"] = ext
    return out


def st_to_json(book: LoreBook) -> dict[str, Any]:
    extra = book.extra if book.format == "st" else {}
    out: dict[str, Any] = copy.deepcopy(extra.get("fields", {}))
    present = set(extra.get("present", ()))
    if "name" in present or book.name:
        out["name"] = book.name
    if "description" in present or book.description:
        out["description"] = book.description
    if "extensions" in present or book.extensions:
        out["extensions"] = copy.deepcopy(book.extensions)
    uids = [import_info(entry)[2].get("uid") for entry in book.entries]
    used: set[Any] = {u for u in uids if u is not None}
    seen: set[Any] = set()
    entries: dict[str, Any] = {}
    next_uid = 0
    for entry, uid in zip(book.entries, uids, strict=True):
        if uid is None or uid in seen:
            while next_uid in used:
                next_uid += 1
            uid = next_uid
        used.add(uid)
        seen.add(uid)
        entries[str(uid)] = _entry_to_st(entry, uid)
    out["entries"] = entries
    return out
