"""`@@decorators` at the start of an entry's content (Character Card V3; SillyTavern).

Leading lines starting with `@@` are decorators; they are stripped from the content, and
the ones a reader understands set fields of the entry. A `@@@name` line is a fallback: it
counts only when the decorator line before it was not understood (SillyTavern's
`parseDecorators` and the V3 spec agree on this).

SillyTavern understands only `@@activate` and `@@dont_activate` (`KNOWN_DECORATORS` in
`public/scripts/world-info.js`) and applies them in every book; its world files are read
with that set (`ST_DECORATORS`). Character cards are read with the V3 decorators our model
can hold as well (`V3_DECORATORS`): depth, scan depth, additional and exclude keys.
"""

from __future__ import annotations

from typing import Any

__all__ = ["ST_DECORATORS", "V3_DECORATORS", "parse_decorators"]

ST_DECORATORS = frozenset({"activate", "dont_activate"})
V3_DECORATORS = ST_DECORATORS | {"depth", "scan_depth", "additional_keys", "exclude_keys"}


def _int(arg: str) -> int | None:
    arg = arg.strip()
    return int(arg) if arg.isdigit() else None


def _keys(arg: str) -> list[str]:
    return [k.strip() for k in arg.split(",") if k.strip()]


def _apply(name: str, arg: str, fields: dict[str, Any]) -> bool:
    """Set the fields decorator `name` stands for; False if its argument is unusable."""
    if name == "activate":
        fields["constant"] = True
    elif name == "dont_activate":
        fields["enabled"] = False
    elif name == "depth":
        depth = _int(arg)
        if depth is None:
            return False
        fields["depth"] = depth
        fields["position"] = "at_depth"
    elif name == "scan_depth":
        depth = _int(arg)
        if depth is None:
            return False
        fields["scan_depth"] = depth
    elif name in ("additional_keys", "exclude_keys"):
        keys = _keys(arg)
        if not keys:
            return False
        if name == "exclude_keys" and "secondary_keys" in fields:
            return True  # additional keys came first; the entry has one secondary list
        fields["secondary_keys"] = keys
        fields["selective"] = True
        fields["selective_logic"] = "and_any" if name == "additional_keys" else "not_any"
    else:
        return False
    return True


def parse_decorators(content: str, known: frozenset[str]) -> tuple[str, str, dict[str, Any]]:
    """(decorator prefix, remaining content, fields the decorators in `known` set)."""
    if not content.startswith("@@"):
        return "", content, {}
    lines = content.split("\n")
    n = 0
    while n < len(lines) and lines[n].startswith("@@"):
        n += 1
    prefix = "\n".join(lines[:n]) + ("\n" if n < len(lines) else "")
    body = "\n".join(lines[n:])
    fields: dict[str, Any] = {}
    fallback = False  # the decorator before could not be used: a @@@ line may stand in
    for line in lines[:n]:
        if line.startswith("@@@"):
            if not fallback:
                continue
            line = line[1:]
        name, _, arg = line[2:].partition(" ")
        fallback = not (name in known and _apply(name, arg, fields))
    return prefix, body, fields
