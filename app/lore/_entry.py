"""What the engine reads from a lorebook entry.

The engine's entry type is the domain model: `LoreEntry` *is* `app.domain.LorebookEntry`
(the format importers produce it, the repositories store it). The engine still duck-types:
any object with the fields of `EntryLike` works (a test double, an older record type);
fields SillyTavern models that such an object lacks (`group`, `sticky`, `selective`, ...)
read as their model defaults through `attr`.
"""

from __future__ import annotations

from typing import Any, Protocol, get_args

from app.domain.lorebook import LEVELS, LorebookEntry, SelectiveLogic

__all__ = [
    "LEVELS",
    "PRIORITY_LEVELS",
    "SELECTIVE_LOGICS",
    "SOURCE_FIELDS",
    "EntryLike",
    "IndexFacts",
    "LoreEntry",
    "attr",
    "entry_groups",
    "index_facts",
    "layer_of",
    "level_rank",
    "priority_rank",
]

SELECTIVE_LOGICS: tuple[str, ...] = get_args(SelectiveLogic)
_RANK = {level: i for i, level in enumerate(LEVELS)}
#: Which scope wins a tie of equal `insertion_order` for the token budget: the most specific
#: first, as SillyTavern puts chat lore before character lore before global lore (its
#: default "character first" strategy, `getSortedEntries`). Modules go with the character.
PRIORITY_LEVELS: tuple[str, ...] = ("chat", "character", "module", "story", "series", "global")
_PRIORITY = {level: i for i, level in enumerate(PRIORITY_LEVELS)}

#: The engine's entry type: the domain model.
LoreEntry = LorebookEntry

#: Model defaults of the fields an entry-like object may lack.
_DEFAULTS: dict[str, Any] = {
    name: field.get_default(call_default_factory=True)
    for name, field in LorebookEntry.model_fields.items()
    if not field.is_required()
}


class EntryLike(Protocol):
    """The fields the engine needs (others are read with `attr`, defaulting to the model's)."""

    id: str
    level: str
    scope_id: str | None
    name: str
    content: str
    keys: list[str]
    secondary_keys: list[str]
    selective_logic: str
    category: str | None
    enabled: bool
    constant: bool
    case_sensitive: bool | None
    match_whole_words: bool | None
    probability: int
    insertion_order: int
    priority: int
    scan_depth: int | None
    exclude_recursion: bool
    prevent_recursion: bool
    delay_until_recursion: int


def attr(entry: Any, name: str) -> Any:
    """`entry.<name>`, or the model's default when the object has no such field."""
    return getattr(entry, name, _DEFAULTS.get(name))


#: The extra texts an entry may ask to be matched against, in SillyTavern's order
#: (`WorldInfoBuffer.get`); bit i of a source mask stands for field i.
SOURCE_FIELDS: tuple[str, ...] = (
    "match_persona_description",
    "match_character_description",
    "match_character_personality",
    "match_character_depth_prompt",
    "match_scenario",
    "match_creator_notes",
)
_INDEX_FIELDS = (
    "id",
    "keys",
    "secondary_keys",
    "case_sensitive",
    "match_whole_words",
    "constant",
    "scan_depth",
    "selective",
    "delay_until_recursion",
    *SOURCE_FIELDS,
)
_INDEX_FIELD_SET = frozenset(_INDEX_FIELDS)
#: Entry types whose instances keep every indexed field in their `__dict__`.
_HAS_INDEX_FIELDS: dict[type, bool] = {}
#: (id, keys, secondary keys (empty unless selective), case_sensitive, match_whole_words,
#: constant, scan_depth, delay-until-recursion level, source bits): all a layer index reads.
IndexFacts = tuple[str, tuple[Any, ...], tuple[Any, ...], Any, Any, bool, Any, int, int]


def index_facts(entry: Any) -> IndexFacts:
    """What a layer index depends on, read once (from the instance dict for models and
    dataclasses, whose fields live there; through `attr` for other objects)."""
    d = getattr(entry, "__dict__", None)
    if d is None or not _HAS_INDEX_FIELDS.get(type(entry), False):
        has = d is not None and _INDEX_FIELD_SET.issubset(d)
        _HAS_INDEX_FIELDS[type(entry)] = has
        if not has:
            d = {name: attr(entry, name) for name in _INDEX_FIELDS}
    assert d is not None
    return (
        d["id"],
        tuple(d["keys"] or ()),
        tuple(d["secondary_keys"] or ()) if d["selective"] else (),
        d["case_sensitive"],
        d["match_whole_words"],
        bool(d["constant"]),
        d["scan_depth"],
        int(d["delay_until_recursion"] or 0),
        (d["match_persona_description"] and 1)
        | (d["match_character_description"] and 2)
        | (d["match_character_personality"] and 4)
        | (d["match_character_depth_prompt"] and 8)
        | (d["match_scenario"] and 16)
        | (d["match_creator_notes"] and 32),
    )


def level_rank(level: str) -> int:
    """Global first, module last; unknown levels after all known ones."""
    return _RANK.get(level, len(LEVELS))


def priority_rank(level: str) -> int:
    """Budget tie-break between scopes: chat first, global last (see `PRIORITY_LEVELS`)."""
    return _PRIORITY.get(level, len(PRIORITY_LEVELS))


def layer_of(entry: Any) -> tuple[str, str | None]:
    """The scope layer an entry belongs to: `(level, scope_id)`."""
    return (entry.level, entry.scope_id)


def entry_groups(entry: Any) -> list[str]:
    """The inclusion groups an entry belongs to: its `group` split at commas, as SillyTavern
    splits it (`/,\\s*/`), empty names dropped."""
    raw = attr(entry, "group") or ""
    if not raw:
        return []
    return [g.lstrip() for g in raw.split(",") if g.lstrip()]
