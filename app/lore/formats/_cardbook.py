"""Character Card V2/V3 `character_book` and the standalone `lorebook_v3` format."""

from __future__ import annotations

import copy
from typing import Any

from .._entry import LoreEntry
from .._keys import REGEX_KEY
from ._book import LoreBook
from ._decorators import parse_decorators
from ._errors import FormatError
from ._fields import Reader
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

__all__ = ["book_from_json", "book_to_json", "entry_from_json", "entry_to_json"]

ENTRY_FIELDS = frozenset(
    {
        "keys",
        "content",
        "extensions",
        "enabled",
        "insertion_order",
        "case_sensitive",
        "name",
        "priority",
        "id",
        "comment",
        "selective",
        "secondary_keys",
        "constant",
        "position",
        "use_regex",
        "selectiveLogic",
    }
)
BOOK_FIELDS = frozenset(
    {
        "name",
        "description",
        "scan_depth",
        "token_budget",
        "recursive_scanning",
        "extensions",
        "entries",
    }
)


def _ext_flag(ext: dict[str, Any], path: str, *names: str) -> bool | None:
    for name in names:
        if name in ext and ext[name] is not None:
            value = ext[name]
            if isinstance(value, bool) or (isinstance(value, int) and value >= 0):
                return bool(value)
            raise FormatError(f"{path}.extensions.{name}: expected true or false, got {value!r}")
    return None


def entry_from_json(obj: Any, path: str, fmt: str) -> LoreEntry:
    r = Reader(obj, path)
    ext = copy.deepcopy(r.dict_("extensions"))
    er = Reader(ext, f"{path}.extensions")
    keys = r.list_str("keys", required=True)
    secondary = r.list_str("secondary_keys")
    selective = r.bool_("selective", None)
    kept: dict[str, Any] = {}
    for name in ("id", "name", "comment", "selective", "use_regex", "position"):
        if r.has(name):
            kept[name] = obj[name]
    if selective is False and secondary:
        kept["secondary_keys"] = secondary
        secondary = []
    logic = "and_any"
    raw_logic = obj.get("selectiveLogic", ext.get("selectiveLogic"))
    if raw_logic is not None:
        logic = logic_from_st(raw_logic, f"{path}.selectiveLogic")
    position = r.str_("position", "after_char") or "after_char"
    if position not in ("before_char", "after_char"):
        raise FormatError(f"{path}.position: expected before_char or after_char, got {position!r}")
    if ext.get("position") is not None:
        position = position_from_st(ext["position"], f"{path}.extensions.position")
    probability = er.int_("probability", 100)
    if ext.get("useProbability") is False:
        probability = 100
    if not 0 <= probability <= 100:
        raise FormatError(f"{path}.extensions.probability: must be 0-100, got {probability}")
    case_sensitive = r.bool_("case_sensitive", None)
    if case_sensitive is None:
        case_sensitive = er.bool_("case_sensitive", None)
    entry = new_entry(
        name=r.str_("name") or r.str_("comment"),
        content=r.str_("content", required=True),
        keys=keys,
        secondary_keys=secondary,
        selective_logic=logic,
        enabled=r.bool_("enabled", True),
        constant=r.bool_("constant", False),
        case_sensitive=case_sensitive,
        match_whole_words=er.bool_("match_whole_words", None),
        probability=probability,
        insertion_order=r.int_("insertion_order", 100),
        priority=r.int_("priority", 0),
        position=position,
        depth=er.int_("depth", None),
        scan_depth=er.int_("scan_depth", None),
        exclude_recursion=bool(_ext_flag(ext, path, "exclude_recursion", "excludeRecursion")),
        prevent_recursion=bool(_ext_flag(ext, path, "prevent_recursion", "preventRecursion")),
        delay_until_recursion=bool(
            _ext_flag(ext, path, "delay_until_recursion", "delayUntilRecursion")
        ),
        extensions=ext,
    )
    if (entry.depth is not None and entry.depth < 0) or (
        entry.scan_depth is not None and entry.scan_depth < 0
    ):
        raise FormatError(f"{path}.extensions: depth and scan_depth must not be negative")
    kept["_name"] = entry.name
    kept["_position"] = entry.position
    prefix, body, decorated = parse_decorators(entry.content)
    if prefix:
        kept["_decorator_prefix"] = prefix
        kept["_decorated"] = decorated
        kept["_undecorated"] = {f: getattr(entry, f) for f in decorated}
        entry.content = body
        for name, value in decorated.items():
            setattr(entry, name, value)
    restore_scope(entry, path)
    info = bookkeeping(entry)
    info.update(
        {
            "format": fmt,
            "fields": r.unknown(ENTRY_FIELDS),
            "present": sorted(k for k in obj if k in ENTRY_FIELDS),
            "kept": kept,
        }
    )
    return entry


def _set_ext(ext: dict[str, Any], key: str, value: Any, default: Any) -> None:
    if key in ext or value != default:
        ext[key] = value


def entry_to_json(entry: LoreEntry, index: int, fmt: str) -> dict[str, Any]:
    fields, present, kept = import_info(entry)
    prefix = ""
    if kept.get("_decorator_prefix"):
        decorated = kept.get("_decorated", {})
        if fmt != "ccv2" and all(getattr(entry, f) == v for f, v in decorated.items()):
            # Unchanged: the decorators say it; write the fields as they were without them.
            prefix = kept["_decorator_prefix"]
            entry = copy.copy(entry)
            for name, value in kept.get("_undecorated", {}).items():
                setattr(entry, name, value)
    ext = export_extensions(entry)
    _set_ext(ext, "position", POSITION_TO_ST.get(entry.position, 1), 1)
    logic_code = LOGIC_TO_ST.get(entry.selective_logic, 0)
    if "selectiveLogic" not in present:  # else it is written at the top level, as it was
        _set_ext(ext, "selectiveLogic", logic_code, 0)
    elif "selectiveLogic" in ext:
        ext["selectiveLogic"] = logic_code
    if "useProbability" in ext or entry.probability != 100:
        ext["useProbability"] = (
            True if entry.probability != 100 else ext.get("useProbability", True)
        )
    _set_ext(ext, "probability", entry.probability, 100)
    _set_ext(ext, "depth", entry.depth, None)
    _set_ext(ext, "scan_depth", entry.scan_depth, None)
    _set_ext(ext, "match_whole_words", entry.match_whole_words, None)
    for snake, camel, value in (
        ("exclude_recursion", "excludeRecursion", entry.exclude_recursion),
        ("prevent_recursion", "preventRecursion", entry.prevent_recursion),
        ("delay_until_recursion", "delayUntilRecursion", entry.delay_until_recursion),
    ):
        if camel in ext and snake not in ext:
            if isinstance(ext[camel], bool) or bool(ext[camel]) != value:
                ext[camel] = value
        else:
            current = ext.get(snake)
            if not (
                isinstance(current, int)
                and not isinstance(current, bool)
                and bool(current) == value
            ):
                _set_ext(ext, snake, value, False)
    out: dict[str, Any] = dict(fields)
    secondary = list(entry.secondary_keys) or list(kept.get("secondary_keys", []))
    is_regex = any(REGEX_KEY.match(k) for k in entry.keys)
    out.update(
        {
            "keys": list(entry.keys),
            "content": prefix + entry.content,
            "extensions": ext,
            "enabled": entry.enabled,
            "insertion_order": entry.insertion_order,
        }
    )
    if "selectiveLogic" in present:
        out["selectiveLogic"] = logic_code
    if "case_sensitive" in present or entry.case_sensitive is not None:
        out["case_sensitive"] = entry.case_sensitive
    name_unchanged = kept.get("_name") == entry.name
    if "name" in present:
        out["name"] = kept["name"] if name_unchanged else entry.name
    if "comment" in present:
        out["comment"] = kept["comment"] if name_unchanged else entry.name
    if "name" not in present and "comment" not in present and entry.name:
        out["name"] = out["comment"] = entry.name
    if "priority" in present or entry.priority != 0:
        out["priority"] = entry.priority
    if "id" in kept:
        out["id"] = kept["id"]
    elif not present:  # a new entry (not imported from a card): number it
        out["id"] = index
    selective = bool(entry.secondary_keys) or (bool(kept.get("selective", False)) and not secondary)
    if "selective" in present or selective:
        out["selective"] = (
            kept.get("selective")
            if not entry.secondary_keys and "secondary_keys" in kept
            else selective
        )
    if "secondary_keys" in present or secondary:
        out["secondary_keys"] = secondary
    if "constant" in present or entry.constant:
        out["constant"] = entry.constant
    top_position = "before_char" if entry.position == "before_char" else "after_char"
    if "position" in present or entry.position != "after_char":
        unchanged = kept.get("_position") == entry.position and "position" in kept
        out["position"] = kept["position"] if unchanged else top_position
    # Keep the file's flag unless a regex key was added to an entry marked as plain.
    use_regex = (
        kept["use_regex"]
        if "use_regex" in kept and (kept["use_regex"] or not is_regex)
        else is_regex
    )
    if fmt != "ccv2":
        out["use_regex"] = use_regex
    elif "use_regex" in present:
        out["use_regex"] = kept["use_regex"]
    return out


def book_from_json(obj: Any, path: str, fmt: str) -> LoreBook:
    r = Reader(obj, path)
    entries = [
        entry_from_json(e, f"{path}.entries[{i}]", fmt)
        for i, e in enumerate(r.list_("entries", required=True))
    ]
    return LoreBook(
        name=r.str_("name"),
        description=r.str_("description"),
        entries=entries,
        scan_depth=r.int_("scan_depth", None),
        token_budget=r.int_("token_budget", None),
        recursive_scanning=r.bool_("recursive_scanning", None),
        extensions=copy.deepcopy(r.dict_("extensions")),
        format=fmt,
        extra={
            "fields": r.unknown(BOOK_FIELDS),
            "present": sorted(k for k in obj if k in BOOK_FIELDS),
        },
    )


def book_to_json(book: LoreBook, fmt: str) -> dict[str, Any]:
    extra = book.extra if book.format in ("ccv2", "ccv3", "lorebook_v3") else {}
    present = set(extra.get("present", ()))
    out: dict[str, Any] = copy.deepcopy(extra.get("fields", {}))
    for name, value, default in (
        ("name", book.name, ""),
        ("description", book.description, ""),
        ("scan_depth", book.scan_depth, None),
        ("token_budget", book.token_budget, None),
        ("recursive_scanning", book.recursive_scanning, None),
    ):
        if name in present or value != default:
            out[name] = value
    out["extensions"] = copy.deepcopy(book.extensions)
    out["entries"] = [entry_to_json(e, i, fmt) for i, e in enumerate(book.entries)]
    return out
