"""SillyTavern world info files: `{"entries": {"<uid>": {...}}, ...}`.

Fields are read the way SillyTavern's scan reads them (`checkWorldInfo` in
`public/scripts/world-info.js`): an entry without `selective` ignores its secondary keys
(`entry.selective && keysecondary.length`), one without `useProbability` never rolls
(`!entry.useProbability || probability === 100`), and `@@activate` / `@@dont_activate`
at the top of the content are applied and stripped (`parseDecorators`). Every field is
written back as it was spelled when it is unchanged; entries that did not come from a
SillyTavern file are written with every field of SillyTavern's entry template.
"""

from __future__ import annotations

import copy
from typing import Any

from .._entry import LoreEntry
from ._book import LoreBook
from ._decorators import ST_DECORATORS
from ._errors import FormatError
from ._fields import MAX_ENTRIES, Reader, entry_path
from ._mapping import (
    LOGIC_TO_ST,
    POSITION_TO_ST,
    FieldMap,
    build_entry,
    character_filter_fields,
    character_filter_value,
    exactly,
    export_extensions,
    filter_written,
    import_info,
    keep_raw,
    logic_from_st,
    packed_present,
    position_from_st,
    read_fields,
    read_spelled,
    write_fields,
    write_spelled,
)
from ._undecorate import apply_decorators, undecorated

__all__ = ["st_from_json", "st_to_json"]

#: Simple fields, in SillyTavern's template order. `missing` is what SillyTavern's scan
#: makes of an absent field (so `selective` and `useProbability` default to false here).
FIELDS = (
    FieldMap("constant", "constant", "bool", False),
    FieldMap("selective", "selective", "bool", False),
    FieldMap("order", "insertion_order", "int", 100),
    FieldMap("ignoreBudget", "ignore_budget", "bool", False),
    FieldMap("matchPersonaDescription", "match_persona_description", "bool", False),
    FieldMap("matchCharacterDescription", "match_character_description", "bool", False),
    FieldMap("matchCharacterPersonality", "match_character_personality", "bool", False),
    FieldMap("matchCharacterDepthPrompt", "match_character_depth_prompt", "bool", False),
    FieldMap("matchScenario", "match_scenario", "bool", False),
    FieldMap("matchCreatorNotes", "match_creator_notes", "bool", False),
    FieldMap("probability", "probability", "int", 100),
    FieldMap("useProbability", "use_probability", "bool", False),
    FieldMap("depth", "depth", "int", None),
    FieldMap("outletName", "outlet_name", "str", ""),
    FieldMap("group", "group", "str", ""),
    FieldMap("groupOverride", "group_override", "bool", False),
    FieldMap("groupWeight", "group_weight", "int", 100),
    FieldMap("scanDepth", "scan_depth", "int", None),
    FieldMap("caseSensitive", "case_sensitive", "bool", None),
    FieldMap("matchWholeWords", "match_whole_words", "bool", None),
    FieldMap("useGroupScoring", "use_group_scoring", "bool", None),
    FieldMap("sticky", "sticky", "int", None),
    FieldMap("cooldown", "cooldown", "int", None),
    FieldMap("delay", "delay", "int", None),
    FieldMap("triggers", "triggers", "strlist", []),
)
#: (camelCase, snake_case, attribute, kind): SillyTavern writes camelCase; some tools the
#: snake_case of card extensions.
RECURSION = (
    FieldMap("excludeRecursion", "exclude_recursion", "bool", False),
    FieldMap("preventRecursion", "prevent_recursion", "bool", False),
    FieldMap("delayUntilRecursion", "delay_until_recursion", "level", 0),
)
MODELLED = frozenset(
    {
        "uid",
        "key",
        "keysecondary",
        "comment",
        "content",
        "selectiveLogic",
        "position",
        "disable",
        "extensions",
        "characterFilter",
        *(f.name for f in FIELDS),
        *(f.name for f in RECURSION),
        *(f.attr for f in RECURSION),
    }
)


def _spellings(f: FieldMap) -> list[FieldMap]:
    """SillyTavern's camelCase spelling first, then the snake_case one."""
    return [f, FieldMap(f.attr, f.attr, f.kind, f.missing)]


_RECURSION_SPELLINGS = tuple((f, _spellings(f)) for f in RECURSION)


def _recursion_fields(r: Reader, kept: dict[str, Any]) -> dict[str, Any]:
    """Recursion flags in either spelling (camelCase wins); both are kept as written."""
    out: dict[str, Any] = {}
    for f, spellings in _RECURSION_SPELLINGS:
        out[f.attr] = value = read_spelled(r, spellings)
        for spelling in spellings:
            if r.has(spelling.name):
                keep_raw(kept, spelling.name, r.obj[spelling.name], value)
    return out


def _character_filter(r: Reader, kept: dict[str, Any]) -> dict[str, Any]:
    """The filter's model fields; the raw filter is kept unless it is exactly what
    `_entry_to_st` writes for them (then its name among the fields present says all)."""
    raw = r.raw("characterFilter")
    fields = character_filter_fields(raw, f"{r.path}.characterFilter")
    if r.has("characterFilter") and not _as_written(raw, fields):
        kept["characterFilter"] = copy.deepcopy(raw)
    return fields


def _as_written(raw: Any, fields: dict[str, Any]) -> bool:
    """Whether `raw` is the filter as `_entry_to_st` writes these fields (a null one,
    with no fields, is not)."""
    return bool(fields) and exactly(
        raw,
        filter_written(
            fields["character_filter_names"],
            fields["character_filter_tags"],
            fields["character_filter_exclude"],
        ),
    )


def _entry_from_st(obj: Any, path: str) -> LoreEntry:
    path = entry_path(path, obj, "comment")
    r = Reader(obj, path)
    kept: dict[str, Any] = {}
    if r.has("uid"):
        kept["uid"] = obj["uid"]
    fields = read_fields(r, FIELDS, kept)
    fields.update(_recursion_fields(r, kept))
    fields.update(_character_filter(r, kept))
    if not 0 <= fields["probability"] <= 100:
        raise FormatError(f"{path}.probability: must be 0-100, got {fields['probability']}")
    ext = copy.deepcopy(r.dict_("extensions"))
    logic_raw = obj.get("selectiveLogic", ext.get("selectiveLogic"))
    logic = "and_any" if logic_raw is None else logic_from_st(logic_raw, f"{path}.selectiveLogic")
    position = "before_char"
    if obj.get("position") is not None:
        position = position_from_st(obj["position"], f"{path}.position")
    fields.update(
        name=r.str_("comment"),
        content=r.str_("content"),
        keys=r.list_str("key"),
        secondary_keys=r.list_str("keysecondary"),
        selective_logic=logic,
        enabled=not r.bool_("disable", False),
        position=position,
        extensions=ext,
    )
    apply_decorators(fields, ST_DECORATORS, kept)
    info = {
        "format": "st",
        "fields": r.unknown(MODELLED),
        "present": packed_present(MODELLED.intersection(obj), "@st-entry"),
        "kept": kept,
    }
    return build_entry(fields, path, info)


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


def _entry_to_st(entry: Any, uid: Any) -> dict[str, Any]:
    fields, present, kept, origin = import_info(entry)
    prefix, entry = undecorated(entry, kept, keep_prefix=True)
    full = origin != "st"  # not from a SillyTavern file: write its whole template
    out: dict[str, Any] = dict(fields)
    out["uid"] = uid
    out["key"] = list(entry.keys)
    out["keysecondary"] = list(entry.secondary_keys)
    out["comment"] = entry.name
    out["content"] = prefix + entry.content
    write_fields(out, entry, FIELDS[:2], kept, always=full, present=present)
    logic = LOGIC_TO_ST.get(entry.selective_logic, 0)
    if full or "selectiveLogic" in present or logic:
        out["selectiveLogic"] = logic
    write_fields(out, entry, FIELDS[2:3], kept, always=full, present=present)
    if full or "position" in present or entry.position != "before_char":
        out["position"] = POSITION_TO_ST.get(entry.position, 1)
    if full or "disable" in present or not entry.enabled:
        out["disable"] = not entry.enabled
    write_fields(out, entry, FIELDS[3:], kept, always=full, present=present)
    if entry.depth is None and "depth" not in kept and "depth" not in present and full:
        out["depth"] = 4  # SillyTavern has no "unset" depth; its default is 4
    for f in RECURSION:
        write_spelled(out, entry, _spellings(f), kept, always=full, present=present)
    character_filter = character_filter_value(
        entry,
        kept.get("characterFilter"),
        had="characterFilter" in present and "characterFilter" not in kept,
    )
    if character_filter is not None:
        out["characterFilter"] = character_filter
    out["extensions"] = export_extensions(entry)
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
