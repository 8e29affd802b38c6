"""Character Card V2/V3 `character_book` and the standalone `lorebook_v3` format.

Fields are read as SillyTavern reads a card's book (`convertCharacterBook` in
`public/scripts/world-info.js`): `selective` absent means false (the secondary keys are
ignored, as the V2 spec says), `extensions.useProbability` absent means true,
`extensions.probability` null means 100, and SillyTavern's other fields live in
`extensions` under snake_case names. They are written back the same way, a value as it was
spelled while it is unchanged (`probability: null` stays null).
"""

from __future__ import annotations

import copy
from typing import Any

from .._entry import LoreEntry
from .._keys import is_regex_key
from ._book import LoreBook
from ._decorators import V3_DECORATORS
from ._errors import FormatError
from ._fields import Reader, entry_path
from ._mapping import (
    LOGIC_TO_ST,
    POSITION_TO_ST,
    FieldMap,
    build_entry,
    character_filter_fields,
    character_filter_value,
    export_extensions,
    import_info,
    logic_from_st,
    position_from_st,
    read_fields,
    read_spelled,
    write_fields,
    write_spelled,
)
from ._undecorate import apply_decorators, undecorated

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
        "character_filter",
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
#: SillyTavern's fields in a card entry's `extensions` (`convertCharacterBook` reads them,
#: `convertWorldInfoToCharacterBook` in `src/endpoints/characters.js` writes them).
EXT_FIELDS = (
    FieldMap("probability", "probability", "int", 100),
    FieldMap("useProbability", "use_probability", "bool", True),
    FieldMap("depth", "depth", "int", None),
    FieldMap("scan_depth", "scan_depth", "int", None),
    FieldMap("match_whole_words", "match_whole_words", "bool", None),
    FieldMap("group", "group", "str", ""),
    FieldMap("group_override", "group_override", "bool", False),
    FieldMap("group_weight", "group_weight", "int", 100),
    FieldMap("use_group_scoring", "use_group_scoring", "bool", None),
    FieldMap("sticky", "sticky", "int", None),
    FieldMap("cooldown", "cooldown", "int", None),
    FieldMap("delay", "delay", "int", None),
    FieldMap("match_persona_description", "match_persona_description", "bool", False),
    FieldMap("match_character_description", "match_character_description", "bool", False),
    FieldMap("match_character_personality", "match_character_personality", "bool", False),
    FieldMap("match_character_depth_prompt", "match_character_depth_prompt", "bool", False),
    FieldMap("match_scenario", "match_scenario", "bool", False),
    FieldMap("match_creator_notes", "match_creator_notes", "bool", False),
    FieldMap("outlet_name", "outlet_name", "str", ""),
    FieldMap("triggers", "triggers", "strlist", []),
    FieldMap("ignore_budget", "ignore_budget", "bool", False),
)
#: Recursion flags: snake_case as SillyTavern writes them, camelCase as some tools do.
RECURSION = (
    FieldMap("exclude_recursion", "exclude_recursion", "bool", False),
    FieldMap("prevent_recursion", "prevent_recursion", "bool", False),
    FieldMap("delay_until_recursion", "delay_until_recursion", "level", 0),
)
_CAMEL = {
    "exclude_recursion": "excludeRecursion",
    "prevent_recursion": "preventRecursion",
    "delay_until_recursion": "delayUntilRecursion",
}


def _spellings(f: FieldMap) -> list[FieldMap]:
    return [f, FieldMap(_CAMEL[f.name], f.attr, f.kind, f.missing)]


def _character_filter(r: Reader, ext: dict[str, Any]) -> dict[str, Any]:
    """SillyTavern writes a card entry's filter at the top level (`character_filter`);
    some tools put it in `extensions`."""
    if r.raw("character_filter") is not None:
        return character_filter_fields(r.raw("character_filter"), f"{r.path}.character_filter")
    where = f"{r.path}.extensions.character_filter"
    return character_filter_fields(ext.get("character_filter"), where)


def entry_from_json(obj: Any, path: str, fmt: str) -> LoreEntry:
    path = entry_path(path, obj, "name", "comment")
    r = Reader(obj, path)
    ext = copy.deepcopy(r.dict_("extensions"))
    er = Reader(ext, f"{path}.extensions")
    kept: dict[str, Any] = {}
    for name in ("id", "name", "comment", "selective", "use_regex", "position"):
        if r.has(name):
            kept[name] = obj[name]
    if r.raw("character_filter") is not None:
        kept["character_filter"] = copy.deepcopy(obj["character_filter"])
    fields = read_fields(er, EXT_FIELDS, {})
    for f in RECURSION:
        fields[f.attr] = read_spelled(er, _spellings(f))
    if not 0 <= fields["probability"] <= 100:
        raise FormatError(
            f"{path}.extensions.probability: must be 0-100, got {fields['probability']}"
        )
    logic = "and_any"
    raw_logic = obj.get("selectiveLogic", ext.get("selectiveLogic"))
    if raw_logic is not None:
        logic = logic_from_st(raw_logic, f"{path}.selectiveLogic")
    position = r.str_("position", "after_char") or "after_char"
    if position not in ("before_char", "after_char"):
        raise FormatError(f"{path}.position: expected before_char or after_char, got {position!r}")
    if ext.get("position") is not None:
        position = position_from_st(ext["position"], f"{path}.extensions.position")
    case_sensitive = r.bool_("case_sensitive", None)
    if case_sensitive is None:
        case_sensitive = er.bool_("case_sensitive", None)
    fields.update(_character_filter(r, ext))
    fields.update(
        name=r.str_("name") or r.str_("comment"),
        content=r.str_("content", required=True),
        keys=r.list_str("keys", required=True),
        secondary_keys=r.list_str("secondary_keys"),
        selective=bool(r.bool_("selective", False)),
        selective_logic=logic,
        enabled=r.bool_("enabled", True),
        constant=r.bool_("constant", False),
        case_sensitive=case_sensitive,
        insertion_order=r.int_("insertion_order", 100),
        priority=r.int_("priority", 0),
        position=position,
        extensions=ext,
    )
    kept["_name"] = fields["name"]
    kept["_position"] = position
    apply_decorators(fields, V3_DECORATORS, kept)
    info = {
        "format": fmt,
        "fields": r.unknown(ENTRY_FIELDS),
        "present": sorted(k for k in obj if k in ENTRY_FIELDS),
        "kept": kept,
    }
    return build_entry(fields, path, info)


def _set_ext(ext: dict[str, Any], key: str, value: Any, default: Any) -> None:
    if key in ext or value != default:
        ext[key] = value


def _write_recursion(ext: dict[str, Any], entry: Any, original: dict[str, Any]) -> None:
    for f in RECURSION:
        write_spelled(ext, entry, _spellings(f), original)


def entry_to_json(entry: Any, index: int, fmt: str) -> dict[str, Any]:
    fields, present, kept, _ = import_info(entry)
    original_ext = entry.extensions
    prefix, entry = undecorated(entry, kept, keep_prefix=fmt != "ccv2")
    ext = export_extensions(entry)
    _set_ext(ext, "position", POSITION_TO_ST.get(entry.position, 1), 1)
    logic_code = LOGIC_TO_ST.get(entry.selective_logic, 0)
    if "selectiveLogic" not in present:  # else it is written at the top level, as it was
        _set_ext(ext, "selectiveLogic", logic_code, 0)
    elif "selectiveLogic" in ext:
        ext["selectiveLogic"] = logic_code
    write_fields(ext, entry, EXT_FIELDS, original_ext)
    _write_recursion(ext, entry, original_ext)
    out: dict[str, Any] = dict(fields)
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
    if "selective" in present or entry.selective:
        same = "selective" in kept and bool(kept["selective"]) == entry.selective
        out["selective"] = kept["selective"] if same else entry.selective
    if "secondary_keys" in present or entry.secondary_keys:
        out["secondary_keys"] = list(entry.secondary_keys)
    if "constant" in present or entry.constant:
        out["constant"] = entry.constant
    top_position = "before_char" if entry.position == "before_char" else "after_char"
    if "position" in present or entry.position != "after_char":
        unchanged = kept.get("_position") == entry.position and "position" in kept
        out["position"] = kept["position"] if unchanged else top_position
    if "character_filter" in ext:
        ext["character_filter"] = character_filter_value(entry, ext["character_filter"])
    else:
        character_filter = character_filter_value(entry, kept.get("character_filter"))
        if character_filter is not None:
            out["character_filter"] = character_filter
    # Keep the file's flag unless a regex key was added to an entry marked as plain.
    is_regex = any(is_regex_key(k) for k in entry.keys)
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
    if "extensions" in present or book.extensions or not extra:
        out["extensions"] = copy.deepcopy(book.extensions)  # the spec asks for it
    out["entries"] = [entry_to_json(e, i, fmt) for i, e in enumerate(book.entries)]
    return out
