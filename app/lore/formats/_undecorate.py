"""Applying an entry's content decorators on import, and putting them back on export."""

from __future__ import annotations

from typing import Any

from ._decorators import parse_decorators

__all__ = ["apply_decorators", "undecorated"]


def apply_decorators(fields: dict[str, Any], known: frozenset[str], kept: dict[str, Any]) -> None:
    """Strip the decorators at the top of `fields["content"]` and apply the ones in `known`
    to `fields`; the prefix and the values they replaced go to `kept` for export."""
    prefix, body, decorated = parse_decorators(fields["content"], known)
    if not prefix:
        return
    kept["_decorator_prefix"] = prefix
    kept["_decorated"] = decorated
    kept["_undecorated"] = {name: fields.get(name) for name in decorated}
    fields["content"] = body
    fields.update(decorated)


def undecorated(entry: Any, kept: dict[str, Any], *, keep_prefix: bool) -> tuple[str, Any]:
    """(decorator prefix to write, entry to write). While the fields the decorators set
    are unchanged, the prefix says it: the entry is written with the values they replaced
    (for formats that keep decorators, `keep_prefix`). Otherwise the decorators are stale
    and dropped, and the fields are written as they are now."""
    prefix = kept.get("_decorator_prefix")
    if not prefix or not keep_prefix:
        return "", entry
    decorated = kept.get("_decorated", {})
    if any(getattr(entry, name) != value for name, value in decorated.items()):
        return "", entry
    restore = dict(kept.get("_undecorated", {}))
    return str(prefix), entry.model_copy(update=restore) if restore else entry
