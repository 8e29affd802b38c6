"""Lorebook entries: one model for every level (global, series, story, character, chat, module)."""

from __future__ import annotations

from typing import Any, Literal, get_args

from pydantic import Field, ValidationInfo, field_validator, model_validator

from ._entity import Entity

__all__ = [
    "SCOPED_LEVELS",
    "LorebookEntry",
    "LorebookLevel",
    "SelectiveLogic",
]

LorebookLevel = Literal["global", "series", "story", "character", "chat", "module"]
SelectiveLogic = Literal["and_any", "and_all", "not_any", "not_all"]

LEVELS: tuple[str, ...] = get_args(LorebookLevel)
SCOPED_LEVELS: tuple[str, ...] = tuple(level for level in LEVELS if level != "global")


class LorebookEntry(Entity):
    """A lorebook entry. `scope_id` is None exactly when `level` is "global".

    Unknown fields given to `parse`/`model_validate` are moved into `extensions`, so
    data from imported files round-trips verbatim.
    """

    level: LorebookLevel
    scope_id: str | None = Field(default=None, validate_default=True)
    name: str = ""
    content: str = ""
    keys: list[str] = Field(default_factory=list)
    secondary_keys: list[str] = Field(default_factory=list)
    selective_logic: SelectiveLogic = "and_any"
    category: str | None = None
    tags: list[str] = Field(default_factory=list)
    enabled: bool = True
    constant: bool = False
    case_sensitive: bool | None = None
    match_whole_words: bool | None = None
    probability: int = Field(default=100, ge=0, le=100)
    insertion_order: int = 100
    priority: int = 0
    position: str = "after_char"
    depth: int | None = Field(default=None, ge=0)
    scan_depth: int | None = Field(default=None, ge=0)
    exclude_recursion: bool = False
    prevent_recursion: bool = False
    delay_until_recursion: bool = False
    extensions: dict[str, Any] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _unknown_fields_to_extensions(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        unknown = {k: v for k, v in data.items() if k not in cls.model_fields}
        if not unknown:
            return data
        known = {k: v for k, v in data.items() if k in cls.model_fields}
        extensions = known.get("extensions", {})
        if isinstance(extensions, dict):  # otherwise let field validation report it
            known["extensions"] = {**unknown, **extensions}
        return known

    @field_validator("scope_id")
    @classmethod
    def _scope_matches_level(cls, value: str | None, info: ValidationInfo) -> str | None:
        level = info.data.get("level")
        if level is None:  # level itself was invalid; that error is reported already
            return value
        if level == "global":
            if value is not None:
                raise ValueError('must be empty when level is "global"')
            return None
        if value is None or value == "":
            raise ValueError(f'required when level is "{level}"')
        return value
