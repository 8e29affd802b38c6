"""Shared validation for records that belong to a level and a scope."""

from __future__ import annotations

from pydantic import ValidationInfo

__all__ = ["check_scope_id"]


def check_scope_id(value: str | None, info: ValidationInfo) -> str | None:
    """`scope_id` must be empty exactly when `level` is "global"."""
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
