"""Character Card V3 `@@decorators` at the start of an entry's content.

Leading lines starting with `@@` are decorators (`@@@` lines are fallbacks). The ones with a
counterpart in our model are applied to the entry; all of them are kept verbatim, put back
in front of the content for V3 exports and stripped for V2 (as the V3 spec asks).
"""

from __future__ import annotations

from typing import Any

__all__ = ["parse_decorators"]


def _int(arg: str) -> int | None:
    arg = arg.strip()
    return int(arg) if arg.isdigit() else None


def _keys(arg: str) -> list[str]:
    return [k.strip() for k in arg.split(",") if k.strip()]


def parse_decorators(content: str) -> tuple[str, str, dict[str, Any]]:
    """(decorator prefix, remaining content, fields the decorators set)."""
    if not content.startswith("@@"):
        return "", content, {}
    lines = content.split("\n")
    n = 0
    while n < len(lines) and lines[n].startswith("@@"):
        n += 1
    prefix = "\n".join(lines[:n]) + ("\n" if n < len(lines) else "")
    body = "\n".join(lines[n:])
    fields: dict[str, Any] = {}
    for line in lines[:n]:
        if line.startswith("@@@"):
            continue
        name, _, arg = line[2:].partition(" ")
        if name == "depth" and _int(arg) is not None:
            fields["depth"] = _int(arg)
            fields["position"] = "at_depth"
        elif name == "scan_depth" and _int(arg) is not None:
            fields["scan_depth"] = _int(arg)
        elif name == "activate":
            fields["constant"] = True
        elif name == "dont_activate":
            fields["enabled"] = False
        elif name == "additional_keys" and _keys(arg):
            fields["secondary_keys"] = _keys(arg)
            fields["selective_logic"] = "and_any"
        elif name == "exclude_keys" and _keys(arg) and "secondary_keys" not in fields:
            fields["secondary_keys"] = _keys(arg)
            fields["selective_logic"] = "not_any"
    return prefix, body, fields
