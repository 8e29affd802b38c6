"""Code tables, field maps and scope metadata shared by the importers and exporters.

Every importer builds a dict of model fields and hands it to `build_entry`, which applies
our scope metadata (`extensions.lorekeeper`), stores the import bookkeeping and validates
the result as the domain model. Simple fields (a name in the file, a model attribute, a
kind and the value an absent field means) are described by `FieldMap`s, read with
`read_fields` and written back with `write_fields`, which puts the file's own spelling of
a value back when the value is unchanged (a `null`, a `1` for true, a level number).
"""

from __future__ import annotations

import copy
import uuid
from collections.abc import Collection, Iterable, Sequence
from typing import Any, NamedTuple

from pydantic import ValidationError

from .._entry import LEVELS, LoreEntry
from ._errors import FormatError
from ._fields import Reader

__all__ = [
    "LOGIC_FROM_ST",
    "LOGIC_TO_ST",
    "POSITION_FROM_ST",
    "POSITION_TO_ST",
    "FieldMap",
    "build_entry",
    "character_filter_fields",
    "character_filter_value",
    "copied",
    "exactly",
    "export_extensions",
    "filter_written",
    "import_info",
    "keep_raw",
    "logic_from_st",
    "packed_present",
    "position_from_st",
    "read_fields",
    "read_spelled",
    "read_value",
    "write_fields",
    "write_spelled",
]

#: SillyTavern `selectiveLogic` codes.
LOGIC_FROM_ST = {0: "and_any", 1: "not_all", 2: "not_any", 3: "and_all"}
LOGIC_TO_ST = {v: k for k, v in LOGIC_FROM_ST.items()}
#: SillyTavern `position` codes.
POSITION_FROM_ST = {
    0: "before_char",
    1: "after_char",
    2: "an_top",
    3: "an_bottom",
    4: "at_depth",
    5: "em_top",
    6: "em_bottom",
    7: "outlet",
}
POSITION_TO_ST = {v: k for k, v in POSITION_FROM_ST.items()}

#: Named sets of field names an entry's import bookkeeping lists in ``present`` by name
#: (one word for a whole template, not ~40 names on each of thousands of entries).
#: Stored records name them: a set never changes; a new one gets a new name.
PRESENT_TEMPLATES: dict[str, frozenset[str]] = {
    # the keys of SillyTavern's world info entry template that it writes on every entry
    "@st-entry": frozenset(
        """caseSensitive characterFilter comment constant content cooldown delay
        delayUntilRecursion depth disable excludeRecursion group groupOverride groupWeight
        ignoreBudget key keysecondary matchCharacterDepthPrompt matchCharacterDescription
        matchCharacterPersonality matchCreatorNotes matchPersonaDescription matchScenario
        matchWholeWords order outletName position preventRecursion probability scanDepth
        selective selectiveLogic sticky triggers uid useGroupScoring useProbability""".split()
    ),
}


class FieldMap(NamedTuple):
    """One simple field: `name` in the file, `attr` on the model, its `kind` ("bool",
    "int", "str", "strlist" or "level": true/false or a level number) and `missing`, the
    model value an absent or null field means."""

    name: str
    attr: str
    kind: str
    missing: Any


def logic_from_st(value: Any, path: str) -> str:
    if isinstance(value, bool) or not isinstance(value, int) or value not in LOGIC_FROM_ST:
        raise FormatError(f"{path}: selectiveLogic must be 0, 1, 2 or 3, got {value!r}")
    return LOGIC_FROM_ST[value]


def position_from_st(value: Any, path: str) -> str:
    if isinstance(value, bool) or not isinstance(value, int) or value not in POSITION_FROM_ST:
        raise FormatError(f"{path}: position must be a number from 0 to 7, got {value!r}")
    return POSITION_FROM_ST[value]


_SCALARS = (str, int, float, bool, type(None))
_ABSENT = object()
#: Field kinds whose value is read as it is when it has this type (an int if not negative).
_TAKEN_AS_IS: dict[str, type] = {"bool": bool, "int": int, "str": str}


def copied(value: Any) -> Any:
    """A deep copy of a JSON value (a scalar is its own copy: no `deepcopy` call)."""
    return value if type(value) in _SCALARS else copy.deepcopy(value)


def read_value(r: Reader, f: FieldMap) -> Any:
    """The model value of one mapped field of `r`'s object."""
    if r.raw(f.name) is None:
        return f.missing
    if f.kind == "bool":
        return r.bool_(f.name, f.missing)
    if f.kind == "int":
        value = r.int_(f.name, f.missing)
        if value is not None and value < 0 and f.attr not in ("insertion_order", "priority"):
            raise FormatError(f"{r.path}.{f.name}: must not be negative, got {value}")
        return value
    if f.kind == "str":
        return r.str_(f.name, f.missing)
    if f.kind == "strlist":
        return r.list_str(f.name)
    if f.kind == "level":
        value = r.flag_level(f.name)
        return f.missing if value is None else value
    raise AssertionError(f.kind)


def read_fields(r: Reader, maps: Iterable[FieldMap], kept: dict[str, Any]) -> dict[str, Any]:
    """Model values of the mapped fields of `r`'s object; the raw value of each field
    present goes to `kept` (so `write_fields` can write it back as it was spelled) unless
    it is spelled as its value writes itself (`keep_raw`)."""
    out: dict[str, Any] = {}
    obj = r.obj
    for f in maps:
        raw = obj.get(f.name, _ABSENT)
        if raw is _ABSENT:
            out[f.attr] = f.missing
            continue
        kind = type(raw)
        if _TAKEN_AS_IS.get(f.kind) is kind and (kind is not int or raw >= 0):
            out[f.attr] = raw  # what `read_value` gives a value of the right type
        elif raw is None:  # what its absence means; kept unless that is null too
            out[f.attr] = _plain(f.missing)
            if f.missing is not None:
                kept[f.name] = None
        elif kind is list and f.kind == "strlist" and all(type(x) is str for x in raw):
            out[f.attr] = list(raw)  # as `read_value` reads it, and as it writes back
        else:
            out[f.attr] = value = read_value(r, f)
            keep_raw(kept, f.name, raw, value)
    return out


def keep_raw(kept: dict[str, Any], name: str, raw: Any, value: Any) -> None:
    """Put `raw` (a field as the file spelled it) in `kept`, unless writing `value` back
    gives exactly `raw` (same types, same items): then the field's name among the fields
    present says all (`write_fields` with `present`)."""
    if not exactly(raw, _plain(value)):
        kept[name] = raw if type(raw) in _SCALARS else copy.deepcopy(raw)


def exactly(a: Any, b: Any) -> bool:
    """Whether two JSON values are written the same: same types (``1`` is not ``true``,
    ``1.0`` not ``1``), objects with the same keys in the same order."""
    if type(a) is not type(b):
        return False
    if type(a) is dict:
        return list(a) == list(b) and all(exactly(v, b[k]) for k, v in a.items())
    if type(a) is list:
        return len(a) == len(b) and all(exactly(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def packed_present(names: Iterable[str], template: str) -> list[str]:
    """The sorted `names`, with those of `PRESENT_TEMPLATES[template]` replaced by the
    template's name when all of them are there (`import_info` unpacks it)."""
    have = names if isinstance(names, (set, frozenset)) else set(names)
    keys = PRESENT_TEMPLATES[template]
    if keys <= have:
        return [template, *sorted(have - keys)] if len(have) > len(keys) else [template]
    return sorted(have)


def read_spelled(r: Reader, spellings: Sequence[FieldMap]) -> Any:
    """The model value of a field a file may spell more than one way (camelCase and
    snake_case): the first spelling present and not null wins."""
    for spelling in spellings:
        if r.raw(spelling.name) is not None:
            return read_value(r, spelling)
    return spellings[0].missing


def _same(f: FieldMap, raw: Any, value: Any) -> bool:
    """Whether `raw` (as it was in the file) reads as the model value `value`."""
    try:
        return bool(read_value(Reader({f.name: raw}, ""), f) == value)
    except FormatError:
        return False


def write_fields(
    out: dict[str, Any],
    entry: Any,
    maps: Iterable[FieldMap],
    kept: dict[str, Any],
    *,
    always: bool = False,
    present: Collection[str] = (),
) -> None:
    """Write the mapped fields of `entry` into `out`: a field that was in the imported file
    (in `kept`, or named in `present`) is written (as it was spelled, when unchanged);
    another only when its value differs from what its absence means, or when `always`."""
    for f in maps:
        value = getattr(entry, f.attr)
        if f.name in kept:
            raw = kept[f.name]
            out[f.name] = copy.deepcopy(raw) if _same(f, raw, value) else _plain(value)
        elif always or f.name in present or value != f.missing:
            out[f.name] = _plain(value)


def write_spelled(
    out: dict[str, Any],
    entry: Any,
    spellings: Sequence[FieldMap],
    kept: dict[str, Any],
    *,
    always: bool = False,
    present: Collection[str] = (),
) -> None:
    """Write a field a file may spell more than one way: in every spelling the imported
    file had (see `write_fields`), else in the first spelling (when its value differs
    from what its absence means, or when `always`)."""
    had = [s for s in spellings if s.name in kept or s.name in present]
    if had:
        write_fields(out, entry, had, kept, present=present)
    else:
        write_fields(out, entry, spellings[:1], {}, always=always)


def _plain(value: Any) -> Any:
    return list(value) if isinstance(value, list) else value


def character_filter_fields(raw: Any, path: str) -> dict[str, Any]:
    """Model fields of SillyTavern's `{isExclude, names, tags}` character filter."""
    if raw is None:
        return {}
    r = Reader(raw, path)
    return {
        "character_filter_names": r.list_str("names"),
        "character_filter_tags": r.list_str("tags"),
        "character_filter_exclude": bool(r.bool_("isExclude", False)),
    }


def character_filter_value(entry: Any, raw: Any, *, had: bool = False) -> dict[str, Any] | None:
    """The character filter to write: `raw` (as the file had it) while unchanged; None
    when the entry has none and the file had none (`had`: the file had it, spelled as
    this writes it, so it was not kept raw)."""
    names = list(entry.character_filter_names)
    tags = list(entry.character_filter_tags)
    exclude = bool(entry.character_filter_exclude)
    if isinstance(raw, dict) and (
        raw.get("names") or [],
        raw.get("tags") or [],
        bool(raw.get("isExclude")),
    ) == (names, tags, exclude):
        return copy.deepcopy(raw)
    if names or tags or exclude or raw is not None or had:
        return filter_written(names, tags, exclude)
    return None


def filter_written(names: list[str], tags: list[str], exclude: bool) -> dict[str, Any]:
    """SillyTavern's character filter as we write it."""
    return {"isExclude": exclude, "names": names, "tags": tags}


def _restore_scope(fields: dict[str, Any], path: str) -> None:
    """Apply scope metadata we wrote earlier (`extensions.lorekeeper`) to the fields."""
    meta = fields["extensions"].get("lorekeeper")
    if not isinstance(meta, dict):
        return
    level = meta.get("level")
    if level is not None:
        if level not in LEVELS:
            raise FormatError(f"{path}.extensions.lorekeeper.level: unknown level {level!r}")
        scope_id = meta.get("scope_id")
        if level == "global":
            scope_id = None
        elif not isinstance(scope_id, str) or not scope_id:
            raise FormatError(f"{path}.extensions.lorekeeper.scope_id: required for {level!r}")
        fields["level"], fields["scope_id"] = level, scope_id
    if isinstance(meta.get("id"), str) and meta["id"]:
        fields["id"] = meta["id"]
    if isinstance(meta.get("category"), str):
        fields["category"] = meta["category"]
    tags = meta.get("tags")
    if isinstance(tags, list) and all(isinstance(t, str) for t in tags):
        fields["tags"] = list(tags)


def build_entry(fields: dict[str, Any], path: str, info: dict[str, Any]) -> LoreEntry:
    """The domain entry for imported `fields` (model attribute -> value); `info` is the
    import bookkeeping (format, unknown fields, fields present, kept raw values)."""
    fields.setdefault("extensions", {})
    fields.setdefault("id", str(uuid.uuid4()))
    _restore_scope(fields, path)
    meta = fields["extensions"].get("lorekeeper")
    if not isinstance(meta, dict):
        meta = fields["extensions"]["lorekeeper"] = {}
    meta["import"] = info
    try:
        return LoreEntry(**fields)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise FormatError(f"{path}: {where}: {first['msg']}") from None


def export_extensions(entry: Any) -> dict[str, Any]:
    """The entry's extensions for export: verbatim, plus our scope metadata."""
    ext: dict[str, Any] = copy.deepcopy(entry.extensions)
    meta = ext.get("lorekeeper")
    meta = dict(meta) if isinstance(meta, dict) else {}
    meta.pop("import", None)
    meta.update(
        {
            "id": entry.id,
            "level": entry.level,
            "scope_id": entry.scope_id,
            "category": entry.category,
            "tags": list(entry.tags),
        }
    )
    ext["lorekeeper"] = meta
    return ext


def import_info(entry: Any) -> tuple[dict[str, Any], set[str], dict[str, Any], str]:
    """(unknown fields, names of fields present in the source, kept original values,
    the source format ("" for an entry that was not imported))."""
    meta = entry.extensions.get("lorekeeper")
    info = meta.get("import", {}) if isinstance(meta, dict) else {}
    if not isinstance(info, dict):
        info = {}
    kept = info.get("kept")
    present: set[str] = set()
    for name in info.get("present", ()):
        present.update(PRESENT_TEMPLATES.get(name, (name,)))
    return (
        copy.deepcopy(info.get("fields", {})),
        present,
        kept if isinstance(kept, dict) else {},
        str(info.get("format", "")),
    )
