"""Expanding a test function into its parametrized cases, the same way on both sides.

CPython (collecting, with the real pytest) and Pyodide (running, with the shim) both
call ``cases(fn)`` and address a case by its index, so the two can never disagree.
Works on real ``_pytest.mark`` objects and on the shim's: both have ``name``, ``args``,
``kwargs``; parameter sets have ``values``, ``id`` and ``marks``.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Case", "cases", "skip_reason"]


@dataclass(frozen=True)
class Case:
    id: str
    params: dict[str, Any] = field(default_factory=dict)
    marks: tuple[Any, ...] = ()


def _marks(obj: Any) -> list[Any]:
    marks = getattr(obj, "pytestmark", [])
    return list(marks) if isinstance(marks, list | tuple) else [marks]


def _id_for(value: Any, argname: str, index: int) -> str:
    if isinstance(value, bool | int | float | type(None)):
        return str(value)
    if isinstance(value, str):
        return value if value.isprintable() and len(value) <= 40 else f"{argname}{index}"
    if isinstance(value, type):
        return value.__name__
    name = getattr(value, "__name__", None)
    return name if isinstance(name, str) else f"{argname}{index}"


def _one_mark(mark: Any) -> list[Case]:
    argnames = mark.args[0] if mark.args else mark.kwargs["argnames"]
    argvalues = mark.args[1] if len(mark.args) > 1 else mark.kwargs["argvalues"]
    names = [n.strip() for n in argnames.split(",")] if isinstance(argnames, str) else list(argnames)
    ids = mark.kwargs.get("ids")
    out = []
    for index, raw in enumerate(argvalues):
        explicit, marks = None, ()
        if hasattr(raw, "values") and hasattr(raw, "marks") and not isinstance(raw, dict):
            explicit, marks, values = raw.id, tuple(raw.marks), tuple(raw.values)
        else:
            values = (raw,) if len(names) == 1 else tuple(raw)
        if explicit is None and ids is not None:
            explicit = ids(raw) if callable(ids) else ids[index]
        case_id = explicit if explicit is not None else "-".join(
            _id_for(v, n, index) for n, v in zip(names, values, strict=True))
        out.append(Case(str(case_id), dict(zip(names, values, strict=True)), marks))
    return out


def cases(fn: Callable[..., Any]) -> list[Case]:
    """All cases of ``fn`` (one case with id "" when it is not parametrized)."""
    layers = [_one_mark(m) for m in _marks(fn) if m.name == "parametrize"]
    if not layers:
        return [Case("")]
    result = []
    for combo in itertools.product(*layers):
        params: dict[str, Any] = {}
        marks: tuple[Any, ...] = ()
        for case in combo:
            params.update(case.params)
            marks += case.marks
        result.append(Case("-".join(c.id for c in combo), params, marks))
    return result


def skip_reason(obj: Any, extra_marks: tuple[Any, ...] = ()) -> str | None:
    """The reason a skip/skipif mark on ``obj`` (or its module) applies, if one does."""
    for mark in [*_marks(obj), *extra_marks]:
        if mark.name == "skip":
            return str(mark.kwargs.get("reason", mark.args[0] if mark.args else "skipped"))
        if mark.name == "skipif" and (mark.args[0] if mark.args else mark.kwargs.get("condition")):
            return str(mark.kwargs.get("reason", "skipif"))
    return None
