"""The lorebook entry editor's fields: one line per field the lore engine uses.

``FIELDS`` names each editable field of ``app.domain.LorebookEntry`` with its label, the
kind of control it takes and the group it sits in. A field of the model that the table
does not name still gets a control, chosen from its type (``bool`` → checkbox,
``int | None`` → number that may be left empty, ``list[str]`` → comma-separated text,
a ``Literal`` → menu …), so a field added to the model is editable at once.

Values cross the form as text (``format``) and come back through ``parse``, which says
in words what is wrong with a value it cannot take.
"""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass
from typing import Any, Literal, get_args, get_origin

from app.domain import LorebookEntry

__all__ = ["FIELDS", "GROUPS", "FieldSpec", "editable_fields", "format_value", "parse_value"]

Kind = Literal["text", "textarea", "list", "bool", "tristate", "int", "optional_int", "choice"]

#: Fields the editor never shows (identity, timestamps, scope: moved by Promote/Demote).
HIDDEN = frozenset({"id", "created_at", "updated_at", "level", "scope_id", "extensions"})

GROUPS = ("Entry", "Activation", "Placement", "Recursion", "Timing and groups", "Filters")

POSITIONS = (
    ("before_char", "Before the character"),
    ("after_char", "After the character"),
    ("em_top", "Before example dialogue"),
    ("em_bottom", "After example dialogue"),
    ("an_top", "Top of the author's note"),
    ("an_bottom", "Bottom of the author's note"),
    ("at_depth", "At depth"),
    ("outlet", "Outlet"),
)
LOGICS = (
    ("and_any", "AND ANY secondary key"),
    ("and_all", "AND ALL secondary keys"),
    ("not_any", "NOT ANY secondary key"),
    ("not_all", "NOT ALL secondary keys"),
)


@dataclass(frozen=True, slots=True)
class FieldSpec:
    name: str
    label: str
    kind: Kind
    group: str
    hint: str = ""
    choices: tuple[tuple[str, str], ...] = ()


_T = FieldSpec
FIELDS: tuple[FieldSpec, ...] = (
    _T("name", "Title", "text", "Entry"),
    _T("keys", "Keys", "list", "Entry", "Comma-separated. /regex/flags for a regular expression."),
    _T("secondary_keys", "Secondary keys", "list", "Entry", "Comma-separated."),
    _T("selective_logic", "Secondary key logic", "choice", "Entry", choices=LOGICS),
    _T("selective", "Use secondary keys", "bool", "Entry"),
    _T("content", "Content", "textarea", "Entry"),
    _T("category", "Category", "text", "Entry"),
    _T(
        "tags",
        "Tags",
        "list",
        "Entry",
        "Comma-separated. Writing @tag in a chapter activates the entry.",
    ),
    _T("enabled", "Enabled", "bool", "Activation"),
    _T("constant", "Always active (constant)", "bool", "Activation"),
    _T("case_sensitive", "Case-sensitive keys", "tristate", "Activation"),
    _T("match_whole_words", "Match whole words", "tristate", "Activation"),
    _T("probability", "Probability (%)", "int", "Activation"),
    _T("use_probability", "Use probability", "bool", "Activation"),
    _T("scan_depth", "Scan depth", "optional_int", "Activation", "Empty: the setting's default."),
    _T(
        "insertion_order", "Insertion order", "int", "Placement", "Higher goes later in the prompt."
    ),
    _T("priority", "Priority", "int", "Placement"),
    _T("position", "Position", "choice", "Placement", choices=POSITIONS),
    _T("depth", "Depth", "optional_int", "Placement", "For “At depth”: messages from the end."),
    _T("outlet_name", "Outlet name", "text", "Placement"),
    _T("ignore_budget", "Ignore the token budget", "bool", "Placement"),
    _T("exclude_recursion", "Not activated by other entries", "bool", "Recursion"),
    _T("prevent_recursion", "Does not activate other entries", "bool", "Recursion"),
    _T("delay_until_recursion", "Delay until recursion", "bool", "Recursion"),
    _T("group", "Inclusion groups", "text", "Timing and groups", "Comma-separated."),
    _T("group_override", "Prioritise in its group", "bool", "Timing and groups"),
    _T("group_weight", "Group weight", "int", "Timing and groups"),
    _T("use_group_scoring", "Group scoring", "tristate", "Timing and groups"),
    _T("sticky", "Sticky (messages)", "optional_int", "Timing and groups"),
    _T("cooldown", "Cooldown (messages)", "optional_int", "Timing and groups"),
    _T("delay", "Delay (messages)", "optional_int", "Timing and groups"),
    _T("triggers", "Generation types", "list", "Filters", "Empty: every kind of generation."),
    _T("character_filter_names", "Only for characters", "list", "Filters"),
    _T("character_filter_tags", "Only for character tags", "list", "Filters"),
    _T("character_filter_exclude", "Exclude those characters instead", "bool", "Filters"),
    _T("match_persona_description", "Also match the persona description", "bool", "Filters"),
    _T("match_character_description", "Also match the character description", "bool", "Filters"),
    _T("match_character_personality", "Also match the character personality", "bool", "Filters"),
    _T("match_character_depth_prompt", "Also match the character depth prompt", "bool", "Filters"),
    _T("match_scenario", "Also match the scenario", "bool", "Filters"),
    _T("match_creator_notes", "Also match the creator notes", "bool", "Filters"),
)


def _kind_of(annotation: Any) -> tuple[Kind, tuple[tuple[str, str], ...]]:
    """The control for a model field the table does not name, from its type."""
    args = [a for a in get_args(annotation) if a is not type(None)]
    optional = len(args) < len(get_args(annotation))
    origin = get_origin(annotation)
    if origin in (typing.Union, types.UnionType) and len(args) == 1:
        inner, _ = _kind_of(args[0])
        if inner == "bool":
            return "tristate", ()
        if inner == "int":
            return "optional_int", ()
        return inner, ()
    if origin is Literal:
        return "choice", tuple((str(a), str(a)) for a in get_args(annotation))
    if origin is list:
        return "list", ()
    if annotation is bool:
        return "bool", ()
    if annotation is int:
        return ("optional_int" if optional else "int"), ()
    return "text", ()


def editable_fields() -> list[FieldSpec]:
    """Every editable field of the model, in the table's order, then any others."""
    model_fields = LorebookEntry.model_fields
    known = {spec.name for spec in FIELDS}
    wanted = [spec for spec in FIELDS if spec.name in model_fields]
    for name, info in model_fields.items():
        if name in HIDDEN or name in known:
            continue
        kind, choices = _kind_of(info.annotation)
        # a bool the table calls bool may be an int level in the model (delay levels)
        wanted.append(
            FieldSpec(name, name.replace("_", " ").capitalize(), kind, "Filters", "", choices)
        )
    return [_fit(spec, model_fields[spec.name].annotation) for spec in wanted]


def _fit(spec: FieldSpec, annotation: Any) -> FieldSpec:
    """The table's kind, unless the model's type says otherwise (an int where the
    table expected a flag keeps its number)."""
    kind, choices = _kind_of(annotation)
    if spec.kind == "bool" and kind in ("int", "optional_int"):
        return FieldSpec(spec.name, spec.label, kind, spec.group, spec.hint, spec.choices)
    if spec.kind == "choice" and not spec.choices:
        return FieldSpec(spec.name, spec.label, "choice", spec.group, spec.hint, choices)
    return spec


def format_value(spec: FieldSpec, value: Any) -> str:
    """The value as the control shows it (checkboxes: ``"true"``/``"false"``)."""
    if spec.kind == "list":
        return ", ".join(str(v) for v in value or ())
    if spec.kind in ("bool",):
        return "true" if value else "false"
    if spec.kind == "tristate":
        return "" if value is None else ("true" if value else "false")
    if value is None:
        return ""
    return str(value)


def parse_value(spec: FieldSpec, raw: str) -> Any:
    """The control's text as the field's value; ``ValueError`` says what is wrong."""
    text = raw.strip()
    if spec.kind == "list":
        return [part.strip() for part in raw.split(",") if part.strip()]
    if spec.kind == "bool":
        return text == "true"
    if spec.kind == "tristate":
        return None if not text else text == "true"
    if spec.kind in ("int", "optional_int"):
        if not text:
            if spec.kind == "optional_int":
                return None
            raise ValueError("needs a whole number")
        try:
            return int(text)
        except ValueError:
            raise ValueError("needs a whole number") from None
    if spec.kind == "text" and spec.name == "category":
        return text or None
    if spec.kind == "choice":
        return text
    return raw
